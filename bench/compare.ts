/**
 * Before and after: compares two results files of `npm run bench`, table by table and row by
 * row (those present in both), as Markdown.
 *
 *   ts-node --transpile-only bench/compare.ts <before.json> [<after.json>]     after: .bench/results.json
 *
 * Synthesis: median CPU seconds, the overhead over the baseline (median of per-round ratios,
 * each run against its own baseline) and the tree walks (findAll calls and the constructs they
 * returned). Scanner: templates per CPU second and per wall second, and peak RSS. Both runs' machine, commit, rounds and
 * load are printed first: figures from different machines or very different loads do not compare.
 */
import { resultsFile, readResults, Results, RunSection, ScanTable, SynthRow, SynthTable } from './results';
import { added, count, seconds } from './stats';
import { tableTitle } from './synth-report';

function describe(name: string, file: string, s: RunSection<unknown> | undefined): string {
  if (!s) return `- ${name} (${file}): not measured`;
  return (
    `- ${name} (${file}): ${s.startedAt}, commit ${s.machine.commit}, ${s.machine.cpu} x ${s.machine.cores}, node ${s.machine.node}, ` +
    `${s.rounds ?? '?'} round${s.rounds === 1 ? '' : 's'}${s.quick ? ' (quick)' : ''}, load ${s.loadStart} to ${s.loadEnd}, ${Math.round(s.seconds)} s`
  );
}

function change(before: number, after: number): string {
  if (!Number.isFinite(before) || !Number.isFinite(after) || before === 0) return '';
  return added(after / before);
}

function overhead(r: SynthRow | undefined): string {
  if (!r?.ratio) return '';
  return `${r.capped ? '> ' : ''}${added(r.ratio.median)}`;
}

function walks(r: SynthRow): string {
  if (Number.isNaN(r.findAllCalls)) return '?';
  return r.findAllCalls === 0 ? '0' : `${count(r.findAllCalls)} (${count(r.findAllConstructs)})`;
}

function compareSynth(before: SynthTable[], after: SynthTable[]): string[] {
  const out: string[] = [];
  for (const b of before) {
    const a = after.find((t) => t.id === b.id);
    if (!a) continue;
    const sizes = b.taskDefinitions === a.taskDefinitions ? '' : `; **sizes differ**: ${count(b.taskDefinitions)} task definitions before`;
    out.push(`**${tableTitle(a)}** (before: ${b.rounds} round${b.rounds === 1 ? '' : 's'}${sizes})`, '');
    out.push('| Front door | CPU s before | after | change | added before | after | findAll (constructs) before | after |');
    out.push('|---|---:|---:|---:|---:|---:|---|---|');
    for (const rb of b.rows) {
      const ra = a.rows.find((r) => r.variant === rb.variant);
      if (!ra) continue;
      out.push(
        `| ${ra.label} | ${rb.capped ? '> ' : ''}${seconds(rb.cpu.median)} | ${ra.capped ? '> ' : ''}${seconds(ra.cpu.median)} | ` +
          `${rb.capped || ra.capped ? '' : change(rb.cpu.median, ra.cpu.median)} | ${overhead(rb)} | ${overhead(ra)} | ${walks(rb)} | ${walks(ra)} |`,
      );
    }
    out.push('');
  }
  return out;
}

function compareScan(before: ScanTable[], after: ScanTable[]): string[] {
  const out: string[] = [];
  for (const b of before) {
    const a = after.find((t) => t.id === b.id);
    if (!a) continue;
    out.push(`**${a.title}** (before: ${b.title}, ${b.rounds} round${b.rounds === 1 ? '' : 's'})`, '');
    out.push('| Input | Report | templates/s (CPU) before | after | change | templates/s (wall) before | after | peak RSS MB before | after |');
    out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const rb of b.rows) {
      const ra = a.rows.find((r) => r.id === rb.id);
      if (!ra) continue;
      out.push(
        `| ${ra.input} | ${ra.mode} | ${count(Math.round(rb.rate.median))} | ${count(Math.round(ra.rate.median))} | ${change(rb.rate.median, ra.rate.median)} | ` +
          `${count(Math.round(rb.rateWallMedian))} | ${count(Math.round(ra.rateWallMedian))} | ` +
          `${Math.round(rb.rssMB.max)} | ${Math.round(ra.rssMB.max)} |`,
      );
    }
    out.push('');
  }
  return out;
}

function main(): void {
  const [beforeFile, afterFile = resultsFile()] = process.argv.slice(2);
  if (!beforeFile) {
    throw new Error('usage: compare <before.json> [<after.json>]');
  }
  const before: Results = readResults(beforeFile);
  const after: Results = readResults(afterFile);
  const lines = [
    'Before and after',
    '',
    describe('synthesis before', beforeFile, before.synth),
    describe('synthesis after', afterFile, after.synth),
    describe('scanner before', beforeFile, before.scan),
    describe('scanner after', afterFile, after.scan),
    '',
    ...compareSynth(before.synth?.tables ?? [], after.synth?.tables ?? []),
    ...compareScan(before.scan?.tables ?? [], after.scan?.tables ?? []),
  ];
  console.log(lines.join('\n'));
}

main();

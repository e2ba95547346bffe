/** The scanner's table: the targets of issue 10 beside each figure, and the Markdown for the README. */
import { ScanTable, TargetCheck } from './results';
import { count, seconds } from './stats';

/** Templates per CPU second the default report must reach, by input (issue 10, "Targets"). */
const RATE_TARGET: Record<string, number> = { 'mixed': 2500, 'cloud-assembly': 10000 };
/** Peak resident set, MB, for the 1,000 templates of the mixed set. */
const RSS_TARGET_MB = 300;

export function judgeScan(table: ScanTable): void {
  for (const row of table.rows) {
    const targets: TargetCheck[] = [];
    const rate = RATE_TARGET[row.input];
    if (row.code !== undefined) {
      row.targets = [];
      continue; // the code before the change: for comparison, not judged
    }
    if (row.mode === 'table' && rate !== undefined) {
      targets.push({ text: `\u2265 ${count(rate)}/s`, met: row.rate.median >= rate });
    }
    if (row.input === 'mixed' && row.templates === 1000) {
      targets.push({ text: `peak RSS < ${RSS_TARGET_MB} MB`, met: row.rssMB.max < RSS_TARGET_MB });
    }
    row.targets = targets;
  }
}

const rate = (value: number) => count(Math.round(value));

function verdict(t: TargetCheck): string {
  return t.met === undefined ? t.text : `${t.text}: ${t.met ? 'met' : '**NOT met**'}`;
}

export function scanMarkdown(t: ScanTable): string {
  const lines = [
    `**${t.title}; ${t.rounds} round${t.rounds === 1 ? '' : 's'}**`,
    '',
    '| Input | Report | templates | images | CPU s | templates/s (CPU) | IQR | min to max | wall s | templates/s (wall) | peak RSS MB | target |',
    '|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|',
  ];
  for (const r of t.rows) {
    const spread = r.rate.samples.length > 1;
    lines.push(
      `| ${r.input === 'mixed' ? 'mixed templates' : 'JSON-only cloud assembly'}${r.code ? ` (at ${r.code})` : ''} | ${r.mode === 'table' ? 'findings table' : '`--inventory`'} | ` +
        `${count(r.templates)} | ${count(r.images)} | ${seconds(r.cpu.median)} | ${rate(r.rate.median)} | ` +
        `${spread ? `${rate(r.rate.q1)} to ${rate(r.rate.q3)}` : ''} | ${spread ? `${rate(r.rate.min)} to ${rate(r.rate.max)}` : ''} | ` +
        `${seconds(r.wall.median)} | ${rate(r.rateWallMedian)} | ${Math.round(r.rssMB.median)} (max ${Math.round(r.rssMB.max)}) | ` +
        `${r.targets.map(verdict).join('; ')} |`,
    );
  }
  return lines.join('\n');
}

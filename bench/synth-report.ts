/**
 * The synthesis tables: the targets of issue 10 beside each figure, and the Markdown for the
 * README.
 */
import { SynthRow, SynthTable, TargetCheck } from './results';
import { added, addedRange, count, seconds } from './stats';

/** The Aspect's ceiling over no aspect, by app (issue 10, "Targets"). */
const ASPECT_CEILING: Record<string, number> = { pinned: 5, owned: 5, unpinned: 8 };
/** How far above the minimal naive aspect the Aspect may be, in points. */
const ASPECT_OVER_NAIVE = 2;

/** Points as the tables print them: 12.3 -> "+12.3 %". */
const pct = (value: number) => added(1 + value / 100);
const points = (row: SynthRow | undefined) => (row?.ratio ? (row.ratio.median - 1) * 100 : undefined);

/**
 * Judges a row's median overhead (points) against a limit. With several rounds, a verdict needs the
 * row's interquartile range on one side of the limit; when the range spans it, the run could not tell
 * (on a busy machine single measurements vary by 10 % or more), and the check says so.
 * `lowerBound`: the value is only known to be at least this (a measurement stopped at the CPU cap).
 */
function check(text: string, row: SynthRow, limit: number | undefined, lowerBound = false): TargetCheck {
  const value = points(row);
  if (value === undefined || limit === undefined) return { text: `${text} (not measured)`, met: undefined };
  if (lowerBound && value <= limit) return { text: `${text} (unknown: stopped at the CPU cap)`, met: undefined };
  const ratio = row.ratio!;
  if (ratio.samples.length > 1) {
    const q1 = (ratio.q1 - 1) * 100;
    const q3 = (ratio.q3 - 1) * 100;
    if (q1 <= limit && limit < q3) return { text: `${text}: unclear, the IQR spans it`, met: undefined };
  }
  return { text, met: value <= limit };
}

/** Sets the targets of every row, from the other rows of its table and of the 1x table of the same app. */
export function judge(tables: SynthTable[]): void {
  for (const table of tables) {
    const row = (variant: string) => table.rows.find((r) => r.variant === variant);
    const base = table.scale === 1 ? undefined : tables.find((t) => t.kind === table.kind && t.scale === 1);
    const atBase = (variant: string) => points(base?.rows.find((r) => r.variant === variant));
    const naiveAspect = points(row('naive-aspect'));
    const naivePack = points(row('naive-pack'));
    for (const r of table.rows) {
      const targets: TargetCheck[] = [];
      if (r.variant === 'enforce') {
        const ceiling = ASPECT_CEILING[table.kind];
        targets.push(check(`\u2264 ${ceiling} %`, r, ceiling, r.capped));
        if (naiveAspect !== undefined) {
          targets.push(check(`\u2264 naive aspect + ${ASPECT_OVER_NAIVE} pts (${pct(naiveAspect + ASPECT_OVER_NAIVE)})`, r, naiveAspect + ASPECT_OVER_NAIVE, r.capped));
        }
      }
      if ((r.variant === 'pack' || r.variant === 'plugin') && naivePack !== undefined) {
        targets.push(check(`\u2264 minimal pack (${pct(naivePack)})`, r, naivePack, r.capped));
      }
      if (table.scale !== 1 && ['enforce', 'pack', 'plugin'].includes(r.variant)) {
        const at1x = atBase(r.variant);
        targets.push(check(`\u2264 at 1x (${at1x === undefined ? '?' : pct(at1x)})`, r, at1x, r.capped));
      }
      r.targets = targets;
    }
  }
}

function verdict(t: TargetCheck): string {
  if (t.met === undefined) return t.text;
  return `${t.text}: ${t.met ? 'met' : '**NOT met**'}`;
}

/** What the framework did for the variant: visits, resources checked, tree walks. */
function work(r: SynthRow): string {
  if (r.capped && Number.isNaN(r.findAllCalls)) return 'not counted (stopped at the CPU cap)';
  const parts: string[] = [];
  if (r.counts.visits !== undefined) parts.push(`${count(r.counts.visits)} visits`);
  if (r.counts.insideCheckSeconds !== undefined) parts.push(`${seconds(r.counts.insideCheckSeconds)} s in the check`);
  if (r.counts.checkedResources !== undefined) parts.push(`${count(r.counts.checkedResources)} resources checked`);
  if (r.counts.validatedConstructs !== undefined) parts.push(`${count(r.counts.validatedConstructs)} constructs validated`);
  parts.push(r.findAllCalls === 0 ? 'no findAll' : `${count(r.findAllCalls)} findAll (${count(r.findAllConstructs)} constructs)`);
  return parts.join(', ');
}

export function tableTitle(t: SynthTable): string {
  const app = { pinned: 'all pinned', unpinned: '1/3 of containers unpinned', owned: 'owned ECR repositories (`new ecr.Repository`, `fromEcrRepository`)' }[t.kind] ?? t.kind;
  return (
    `Synthesis, ${app}: ${count(t.taskDefinitions)} task definitions x 3 containers in ${t.stacks} stacks ` +
    `(${count(t.constructs)} constructs)${t.scale === 1 ? '' : `, ${t.scale}x`}; ${t.rounds} round${t.rounds === 1 ? '' : 's'}`
  );
}

export function synthMarkdown(t: SynthTable): string {
  const lines = [
    `**${tableTitle(t)}**`,
    '',
    '| Front door | CPU s | added vs baseline | IQR | min to max | wall s | errors | work counted | target |',
    '|---|---:|---:|---|---|---:|---:|---|---|',
  ];
  for (const r of t.rows) {
    const ratio = r.ratio;
    const over = r.capped ? '> ' : '';
    const once = r.rounds < t.rounds ? ` (${r.rounds} round${r.rounds === 1 ? '' : 's'})` : '';
    const spread = ratio && ratio.samples.length > 1;
    const cells = [
      `${r.label}${once}`,
      `${over}${seconds(r.cpu.median)}`,
      ratio ? `${over}${added(ratio.median)}` : '',
      spread ? addedRange(ratio.q1, ratio.q3) : '',
      spread ? addedRange(ratio.min, ratio.max) : '',
      Number.isNaN(r.wall.median) ? '' : seconds(r.wall.median),
      Number.isNaN(r.errors) ? '?' : `${count(r.errors)}${r.warnings ? ` (+${count(r.warnings)} warnings)` : ''}`,
      work(r),
      r.targets.map(verdict).join('; '),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

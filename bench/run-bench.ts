/**
 * Benchmark of the synthesis cost of the front doors (issue 10, section 7), printed as Markdown
 * tables for the README and written to `.bench/results.json`.
 *
 * Method: every measurement is one synthesis in a fresh process (synth-once.ts), measured in CPU
 * time (user + system) and, for reference, wall time. Every round runs each variant of a table
 * once, the order rotated by one each round, so drift in the machine's speed falls on every variant
 * alike. A variant's overhead is the median, over rounds, of its CPU time divided by the baseline's
 * (no aspect) in the same round; the spread is the interquartile range and the min to max of those
 * per-round ratios.
 *
 * Tables (apps from generated-app.ts, variants from front-doors.ts):
 *   pinned                       1,000 task definitions, every variant
 *   unpinned, owned              1,000 task definitions, every variant but the no-op aspect
 *   pinned-4x, owned-4x          4,000 task definitions: the baseline, the Aspect, the pack
 *
 * Budget: a variant over 3x the baseline in round 1 is not measured again (it is far from every
 * target), and a measurement's process is stopped at BENCH_CPU_CAP seconds of CPU, its figure then
 * a lower bound (today the Aspect and the pack on the owned-repository app at 4x need about 3 minutes each).
 *
 * Environment:
 *   BENCH_RUNS=2        rounds per table (2 keep the whole of `npm run bench` near 10 minutes on
 *                       the 2-core development machine; use 5 or more for figures to publish)
 *   BENCH_RUNS_4X=...   rounds of the 4x tables (default: BENCH_RUNS)
 *   BENCH_TABLES=...    comma-separated table ids (default: all)
 *   BENCH_QUICK=1       smoke run: apps a tenth of the size, 1 round, unless BENCH_RUNS says otherwise
 *   BENCH_CPU_CAP=45    CPU seconds per measurement process
 *   BENCH_TS_NODE=1     run the children under ts-node instead of compiled (see build.ts)
 *   BENCH_RESULTS=file  where to write the JSON (default .bench/results.json)
 */
import { spawnSync } from 'child_process';
import { buildBench, childCommand, ROOT } from './build';
import { VariantId, VARIANT_IDS, VARIANT_LABELS } from './front-doors';
import { AppKind, stacksOf, TASK_DEFINITIONS } from './generated-app';
import { describeMachine, load, machine } from './machine';
import { SynthRow, SynthTable, writeSection } from './results';
import { median, seconds, summarize } from './stats';
import type { SynthMeasurement } from './synth-once';
import { judge, synthMarkdown } from './synth-report';

interface TableSpec {
  readonly id: string;
  readonly kind: AppKind;
  readonly scale: number;
  readonly variants: readonly VariantId[];
}

/** Beside the all-pinned app, which runs every variant, the no-op aspect is left out: it only says what any aspect costs. */
const REFERENCES: readonly VariantId[] = VARIANT_IDS.filter((v) => v !== 'noop-aspect');
/**
 * At 4x, the front doors that walk the construct tree per resource today (their overhead could grow
 * with the app), and the baseline. The plugin reads the templates once; left out to keep the budget.
 */
const AT_SCALE: readonly VariantId[] = ['none', 'enforce', 'pack'];

const TABLES: readonly TableSpec[] = [
  { id: 'pinned', kind: 'pinned', scale: 1, variants: VARIANT_IDS },
  { id: 'unpinned', kind: 'unpinned', scale: 1, variants: REFERENCES },
  { id: 'owned', kind: 'owned', scale: 1, variants: REFERENCES },
  { id: 'pinned-4x', kind: 'pinned', scale: 4, variants: AT_SCALE },
  { id: 'owned-4x', kind: 'owned', scale: 4, variants: AT_SCALE },
];

/** The same flags for every child: garbage collection on the main thread, so CPU time is the work of the one thread, and a young generation large enough that the collector's share is steadier. */
export const NODE_FLAGS = ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=64'];

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 2));
const ROUNDS_4X = Number(process.env.BENCH_RUNS_4X ?? ROUNDS);
const SIZE = QUICK ? TASK_DEFINITIONS / 10 : TASK_DEFINITIONS;
/** CPU seconds a measurement's process may use; one that uses more is stopped and its figure is a lower bound. */
const CPU_CAP = Number(process.env.BENCH_CPU_CAP ?? 45);
/** A variant over this many times the baseline in round 1 is not measured again: it is far from every target. */
const ONCE_OVER = 3;
const SELECTED = process.env.BENCH_TABLES?.split(',').map((s) => s.trim()).filter(Boolean);

function synthOnce(kind: AppKind, taskDefinitions: number, variant: VariantId): SynthMeasurement {
  // `ulimit -t` stops the child with SIGXCPU once it has used CPU_CAP seconds of CPU.
  const command = childCommand('synth-once', NODE_FLAGS, [kind, String(taskDefinitions), variant]);
  const result = spawnSync('/bin/sh', ['-c', 'ulimit -t "$0" && exec "$@"', String(CPU_CAP), process.execPath, ...command], {
    cwd: ROOT,
    encoding: 'utf8',
    // The plugins print their whole report to stderr; keep it off the terminal, and never overflow.
    maxBuffer: 1024 ** 3,
  });
  const lines = result.stdout.trim().split('\n').filter(Boolean);
  if (result.signal === 'SIGXCPU' || result.signal === 'SIGKILL') {
    const started = lines.length > 0 ? (JSON.parse(lines[0]) as { synthStartCpuSeconds?: number }).synthStartCpuSeconds : undefined;
    if (started !== undefined) {
      return {
        capped: true,
        cpuSeconds: CPU_CAP - started,
        wallSeconds: NaN,
        buildCpuSeconds: started,
        constructs: 0,
        findAllCalls: NaN,
        findAllConstructs: NaN,
        counts: {},
        errors: NaN,
        warnings: NaN,
        validationFailed: false,
        maxRssMB: NaN,
      };
    }
  }
  if (result.status !== 0) {
    const why = result.error?.message ?? (result.signal ? `signal ${result.signal}` : `exit ${result.status}`);
    throw new Error(`synth-once ${kind} ${taskDefinitions} ${variant} failed (${why}):\n${result.stderr.slice(-4000)}`);
  }
  return JSON.parse(lines[lines.length - 1]) as SynthMeasurement;
}

function runTable(spec: TableSpec): SynthTable {
  const taskDefinitions = SIZE * spec.scale;
  const rounds = spec.scale === 1 ? ROUNDS : ROUNDS_4X;
  const samples = new Map<VariantId, SynthMeasurement[]>(spec.variants.map((v) => [v, []]));
  const baseline = samples.get('none');
  const stacks = stacksOf({ kind: spec.kind, taskDefinitions });
  console.log(`\n${spec.id}: ${taskDefinitions} task definitions in ${stacks} stacks, ${spec.variants.length} variants x ${rounds} rounds`);
  const once = new Set<VariantId>();
  for (let round = 0; round < rounds; round++) {
    const started = Date.now();
    // Rotated by one each round; round 1 starts with the baseline.
    const order = spec.variants.map((_, k) => spec.variants[(round + k) % spec.variants.length]).filter((v) => !once.has(v));
    for (const variant of order) {
      const m = synthOnce(spec.kind, taskDefinitions, variant);
      samples.get(variant)!.push(m);
      if (round === 0 && variant !== 'none' && (m.capped || (baseline?.[0] && m.cpuSeconds > ONCE_OVER * baseline[0].cpuSeconds))) {
        once.add(variant);
      }
    }
    const line = order.map((v) => `${v} ${samples.get(v)![samples.get(v)!.length - 1].capped ? '>' : ''}${seconds(samples.get(v)![samples.get(v)!.length - 1].cpuSeconds)}`).join(', ');
    console.log(`  round ${round + 1} (${Math.round((Date.now() - started) / 1000)} s, load ${load()}): CPU s ${line}`);
  }
  if (once.size > 0) {
    console.log(`  measured once (over ${ONCE_OVER}x the baseline, or stopped at the ${CPU_CAP} s CPU cap, in round 1): ${[...once].join(', ')}`);
  }
  const rows: SynthRow[] = spec.variants.map((variant) => {
    const ms = samples.get(variant)!;
    const full = ms.filter((m) => !m.capped);
    const counts: Record<string, number> = {};
    for (const key of new Set(full.flatMap((m) => Object.keys(m.counts)))) {
      counts[key] = median(full.map((m) => (m.counts as Record<string, number>)[key] ?? 0));
    }
    // Ratios to the baseline of the same round (measurements are in round order, the baseline has one every round).
    const ratios = baseline && variant !== 'none' ? ms.map((m, i) => m.cpuSeconds / baseline[i].cpuSeconds) : undefined;
    return {
      variant,
      label: VARIANT_LABELS[variant],
      rounds: ms.length,
      capped: ms.some((m) => m.capped),
      cpu: summarize(ms.map((m) => m.cpuSeconds)),
      wall: summarize(full.map((m) => m.wallSeconds)),
      ratio: ratios ? summarize(ratios) : undefined,
      buildCpuMedian: median(ms.map((m) => m.buildCpuSeconds)),
      findAllCalls: median(full.map((m) => m.findAllCalls)),
      findAllConstructs: median(full.map((m) => m.findAllConstructs)),
      counts,
      errors: full[0]?.errors ?? NaN,
      warnings: full[0]?.warnings ?? NaN,
      maxRssMB: Math.max(...full.map((m) => m.maxRssMB)),
      targets: [],
    };
  });
  const constructs = [...samples.values()].flat().find((m) => !m.capped)?.constructs ?? 0;
  return { id: spec.id, kind: spec.kind, scale: spec.scale, taskDefinitions, stacks, constructs, rounds, rows };
}

function main(): void {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const loadStart = load();
  const m = machine();
  const specs = TABLES.filter((t) => !SELECTED || SELECTED.includes(t.id));
  if (specs.length === 0) throw new Error(`BENCH_TABLES names no table; the tables are ${TABLES.map((t) => t.id).join(', ')}`);
  console.log(`Synthesis benchmark${QUICK ? ' (quick: apps a tenth of the size)' : ''}: ${specs.map((s) => s.id).join(', ')}; ${ROUNDS} rounds (${ROUNDS_4X} at 4x), CPU cap ${CPU_CAP} s`);
  console.log(`Machine: ${describeMachine(m)}; load at start ${loadStart}`);
  buildBench();
  const tables = specs.map(runTable);
  judge(tables);
  const loadEnd = load();
  const total = (Date.now() - started) / 1000;
  console.log('\nCPU time (user + system) of app.synth() in a fresh process per measurement; "added" is the median of per-round ratios to the baseline.');
  console.log(`Machine: ${describeMachine(m)}. Load ${loadStart} at start, ${loadEnd} at end; ${Math.round(total)} s in all.\n`);
  for (const table of tables) {
    console.log(`${synthMarkdown(table)}\n`);
  }
  const file = writeSection('synth', { startedAt, seconds: total, machine: m, loadStart, loadEnd, quick: QUICK, rounds: ROUNDS, cpuCapSeconds: CPU_CAP, nodeFlags: NODE_FLAGS, tables });
  console.log(`Results written to ${file} (${tables.length} tables).`);
}

main();

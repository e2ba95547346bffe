/**
 * Benchmarks, printed for the README:
 *
 * Synthesis cost of the Aspect: a generated app of 1,000 task definitions with 3 containers
 * each, synthesized with and without `ImagePinning.enforce`. Every run is a fresh process
 * (see synth-once.ts); runs alternate which variant goes first. Prints the median synth times
 * and their ratio (and those of the fastest runs). Target: the Aspect adds at most 5 %.
 *
 *   npm run bench              BENCH_RUNS=21 by default
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CONTAINERS_PER_TASK, TASK_DEFINITIONS } from './generated-app';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);

interface Measurement {
  readonly synthSeconds: number;
  readonly aspectSeconds: number;
}

type Variant = 'without' | 'noop' | 'with';

function synthOnce(variant: Variant): Measurement {
  const result = spawnSync(
    process.execPath,
    // The same V8 flags for every variant: garbage collection on the main thread and a larger
    // young generation make the collector's share of each run steadier on a shared 2-core machine.
    ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=64', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synth-once.ts'), variant],
    { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`synth-once ${variant} failed:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const percent = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`;

console.log(
  `Aspect: synthesizing ${TASK_DEFINITIONS} task definitions x ${CONTAINERS_PER_TASK} containers, ${RUNS} runs of each variant, one process per run...`,
);
const times: Record<Variant, number[]> = { without: [], noop: [], with: [] };
const inside: number[] = [];
const variants: Variant[] = ['without', 'noop', 'with'];
for (let run = 0; run < RUNS; run++) {
  // Rotate the order, so drift in the machine's speed affects every variant alike.
  for (let k = 0; k < variants.length; k++) {
    const variant = variants[(run + k) % variants.length];
    const m = synthOnce(variant);
    times[variant].push(m.synthSeconds);
    if (variant === 'with') inside.push(m.aspectSeconds);
  }
  console.log(
    `  run ${run + 1}: without ${times.without[run].toFixed(2)} s, no-op aspect ${times.noop[run].toFixed(2)} s, ` +
      `ImagePinning ${times.with[run].toFixed(2)} s (inside its visit ${(inside[run] * 1000).toFixed(0)} ms)`,
  );
}
const base = median(times.without);
const fastest = (v: Variant) => Math.min(...times[v]);
console.log(`median synth without any aspect:      ${base.toFixed(2)} s (fastest ${fastest('without').toFixed(2)} s)`);
console.log(
  `median synth with a no-op aspect:     ${median(times.noop).toFixed(2)} s (fastest ${fastest('noop').toFixed(2)} s; ` +
    `${percent(median(times.noop) / base)}: aws-cdk-lib's aspect machinery)`,
);
console.log(`median synth with ImagePinning:       ${median(times.with).toFixed(2)} s (fastest ${fastest('with').toFixed(2)} s)`);
console.log(`ratio of medians ImagePinning/without: ${(median(times.with) / base).toFixed(3)} (${percent(median(times.with) / base)} added; target <= 5 %)`);
// Noise on a shared machine only ever adds time, so the fastest runs are one steadier estimate;
// the variants of one run ran back to back, so the median of per-run ratios cancels slow drift.
console.log(`ratio of fastest runs ImagePinning/without: ${(fastest('with') / fastest('without')).toFixed(3)} (${percent(fastest('with') / fastest('without'))} added)`);
const paired = median(times.with.map((w, i) => w / times.without[i]));
const pairedNoop = median(times.noop.map((n, i) => n / times.without[i]));
console.log(`median of per-run ratios: ImagePinning ${percent(paired)} added, no-op aspect ${percent(pairedNoop)} added`);
console.log(`time inside ImagePinning's visit (median): ${(median(inside) * 1000).toFixed(0)} ms, including rendering the containers, which synthesis then reuses`);

/**
 * The results as JSON, in `.bench/results.json` (or `BENCH_RESULTS`), so two runs can be compared
 * (`bench/compare.ts`). Each entry point writes its own section and keeps the other's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Machine } from './machine';
import { Summary } from './stats';

export interface TargetCheck {
  readonly text: string;
  /** undefined when the figure it depends on was not measured in this run. */
  readonly met: boolean | undefined;
}

export interface SynthRow {
  readonly variant: string;
  readonly label: string;
  /** Rounds it was measured in: fewer than the table's when round 1 found it far over the baseline. */
  readonly rounds: number;
  /** Stopped at the CPU cap at least once: its CPU time and ratio are lower bounds. */
  readonly capped: boolean;
  /** CPU seconds (user + system) of `app.synth()`, one sample per round. */
  readonly cpu: Summary;
  readonly wall: Summary;
  /** Per-round ratio of CPU time to the baseline's in the same round. */
  readonly ratio?: Summary;
  readonly buildCpuMedian: number;
  readonly findAllCalls: number;
  readonly findAllConstructs: number;
  readonly counts: Record<string, number>;
  readonly errors: number;
  readonly warnings: number;
  readonly maxRssMB: number;
  targets: TargetCheck[];
}

export interface SynthTable {
  readonly id: string;
  readonly kind: string;
  readonly scale: number;
  readonly taskDefinitions: number;
  readonly stacks: number;
  readonly constructs: number;
  readonly rounds: number;
  readonly rows: SynthRow[];
}

export interface ScanRow {
  readonly id: string;
  /** For a row measuring the code of another revision (BENCH_SCAN_BASELINE): that revision. */
  readonly code?: string;
  readonly input: string;
  readonly mode: string;
  readonly templates: number;
  readonly images: number;
  readonly errors: number;
  /** CPU seconds of `runScan`, one sample per round. */
  readonly cpu: Summary;
  readonly wall: Summary;
  /** Templates per CPU second, one sample per round. */
  readonly rate: Summary;
  readonly rateWallMedian: number;
  /** Peak resident set of the whole process, MB. */
  readonly rssMB: Summary;
  targets: TargetCheck[];
}

export interface ScanTable {
  readonly id: string;
  readonly title: string;
  readonly megabytes: number;
  readonly rounds: number;
  readonly rows: ScanRow[];
}

export interface RunSection<T> {
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: Machine;
  readonly loadStart: string;
  readonly loadEnd: string;
  readonly quick: boolean;
  readonly rounds: number;
  readonly cpuCapSeconds?: number;
  readonly nodeFlags: readonly string[];
  readonly tables: T[];
}

export interface Results {
  synth?: RunSection<SynthTable>;
  scan?: RunSection<ScanTable>;
}

export function resultsFile(): string {
  return path.resolve(process.env.BENCH_RESULTS ?? path.join(__dirname, '..', '.bench', 'results.json'));
}

export function readResults(file: string): Results {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
}

/** Replaces one section of the results file, keeping the other. */
export function writeSection<K extends keyof Results>(key: K, section: NonNullable<Results[K]>): string {
  const file = resultsFile();
  let results: Results = {};
  try {
    results = readResults(file);
  } catch {
    // no earlier results, or unreadable ones: start afresh
  }
  results[key] = section;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, undefined, 1)}\n`);
  return file;
}

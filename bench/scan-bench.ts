/**
 * Benchmark of the command-line scanner (issue 10, section 7), printed as a Markdown table for the
 * README and written to `.bench/results.json` beside the synthesis tables.
 *
 * Inputs (scan-inputs.ts): 1,000 mixed templates (JSON as aws-cdk-lib writes them and YAML with
 * short-form tags) and a JSON-only cloud assembly of 1,000 stacks synthesized by aws-cdk-lib. Each
 * is scanned with the findings table (the default report) and with `--inventory` (a position for
 * every image). Every measurement is a fresh process (scan-once.ts) started as the CLI starts,
 * without extra node flags; every round runs each of the four once, the order rotated by one each
 * round. Printed: the median templates per CPU second (user + system, so a busy machine does not
 * flatter or hurt it), the same per wall second for reference, and the peak resident set.
 *
 *   ts-node --transpile-only bench/scan-bench.ts
 *
 * Environment: BENCH_SCAN_RUNS=3 rounds; BENCH_QUICK=1 for 100 templates and 1 round;
 * BENCH_TS_NODE=1 and BENCH_RESULTS as for run-bench.ts; BENCH_SCAN_BASELINE=<git revision> also
 * measures the scanner as it was at that revision (src/ only, today's bench/), each round running
 * both, the order rotated, so that before and after are measured on the same load, and prints the
 * median of the per-round ratios of CPU time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBaseline, buildBench, childCommand, ROOT } from './build';
import { describeMachine, load, machine } from './machine';
import { ScanRow, ScanTable, writeSection } from './results';
import { TEMPLATES, writeCloudAssembly, writeMixedTemplates, YAML_EVERY } from './scan-inputs';
import type { ScanMeasurement } from './scan-once';
import { judgeScan, scanMarkdown } from './scan-report';
import { count, median, summarize } from './stats';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_SCAN_RUNS ?? (QUICK ? 1 : 3));
const COUNT = QUICK ? TEMPLATES / 10 : TEMPLATES;
const BASELINE = process.env.BENCH_SCAN_BASELINE;

interface Case {
  readonly id: string;
  readonly input: 'mixed' | 'cloud-assembly';
  readonly mode: 'table' | 'inventory';
  readonly dir: string;
  /** The compiled tree of the code before the change, for a baseline case. */
  readonly baseline?: string;
}

function scanOnce(c: Case): ScanMeasurement {
  const command = c.baseline ? [path.join(c.baseline, 'bench', 'scan-once.js'), c.dir, c.mode] : childCommand('scan-once', [], [c.dir, c.mode]);
  const result = spawnSync(process.execPath, command, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1024 ** 3 });
  if (result.status !== 0) {
    throw new Error(`scan-once ${c.id} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr.slice(-4000)}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as ScanMeasurement;
}

function main(): void {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const loadStart = load();
  const m = machine();
  console.log(`Scanner benchmark${QUICK ? ' (quick)' : ''}: ${ROUNDS} rounds`);
  console.log(`Machine: ${describeMachine(m)}; load at start ${loadStart}`);
  buildBench();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-bench-'));
  try {
    const mixed = path.join(root, 'mixed');
    const mixedBytes = writeMixedTemplates(mixed, COUNT);
    const assembly = path.join(root, 'cdk.out');
    const assemblyBytes = writeCloudAssembly(assembly, COUNT);
    console.log(
      `Inputs: ${COUNT} mixed templates (${COUNT - COUNT / YAML_EVERY} JSON, ${COUNT / YAML_EVERY} YAML; ${(mixedBytes / 1e6).toFixed(1)} MB) and ` +
        `a cloud assembly of ${COUNT} stacks (${(assemblyBytes / 1e6).toFixed(1)} MB of templates)`,
    );
    const current: Case[] = [
      { id: 'mixed-table', input: 'mixed', mode: 'table', dir: mixed },
      { id: 'mixed-inventory', input: 'mixed', mode: 'inventory', dir: mixed },
      { id: 'cloud-assembly-table', input: 'cloud-assembly', mode: 'table', dir: assembly },
      { id: 'cloud-assembly-inventory', input: 'cloud-assembly', mode: 'inventory', dir: assembly },
    ];
    const baseline = BASELINE ? buildBaseline(BASELINE) : undefined;
    const cases: Case[] = baseline ? current.flatMap((c) => [c, { ...c, id: `${c.id}@${BASELINE}`, baseline }]) : current;
    const samples = new Map<string, ScanMeasurement[]>(cases.map((c) => [c.id, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = cases.map((_, k) => cases[(round + k) % cases.length]);
      for (const c of order) {
        const s = scanOnce(c);
        if (s.templates !== COUNT || s.problems > 0) {
          throw new Error(`${c.id}: expected ${COUNT} templates and no problems, got ${s.templates} and ${s.problems}`);
        }
        samples.get(c.id)!.push(s);
      }
      const line = cases.map((c) => `${c.id} ${Math.round(COUNT / samples.get(c.id)![round].cpuSeconds)}/s (wall ${Math.round(COUNT / samples.get(c.id)![round].wallSeconds)}/s)`).join(', ');
      console.log(`  round ${round + 1} (load ${load()}): ${line}`);
    }
    const rows: ScanRow[] = cases.map((c) => {
      const ms = samples.get(c.id)!;
      return {
        id: c.id,
        code: c.baseline ? BASELINE : undefined,
        input: c.input,
        mode: c.mode,
        templates: ms[0].templates,
        images: ms[0].images,
        errors: ms[0].errors,
        cpu: summarize(ms.map((s) => s.cpuSeconds)),
        wall: summarize(ms.map((s) => s.wallSeconds)),
        rate: summarize(ms.map((s) => s.templates / s.cpuSeconds)),
        rateWallMedian: median(ms.map((s) => s.templates / s.wallSeconds)),
        rssMB: summarize(ms.map((s) => s.maxRssMB)),
        targets: [],
      };
    });
    const table: ScanTable = {
      id: 'scan',
      title: `Scanner: ${count(COUNT)} mixed templates (${(mixedBytes / 1e6).toFixed(1)} MB) and a JSON-only cloud assembly of ${count(COUNT)} stacks (${(assemblyBytes / 1e6).toFixed(1)} MB)`,
      megabytes: mixedBytes / 1e6,
      rounds: ROUNDS,
      rows,
    };
    judgeScan(table);
    const loadEnd = load();
    const total = (Date.now() - started) / 1000;
    console.log('\nCPU time (user + system) of the scan in a fresh process per measurement; peak RSS of the whole process.');
    console.log(`Machine: ${describeMachine(m)}. Load ${loadStart} at start, ${loadEnd} at end; ${Math.round(total)} s in all.\n`);
    console.log(`${scanMarkdown(table)}\n`);
    if (baseline) {
      console.log(`Against ${BASELINE}, rounds interleaved: median of the per-round ratios (baseline CPU time / this code's), with their range.`);
      for (const c of current) {
        const now = samples.get(c.id)!;
        const before = samples.get(`${c.id}@${BASELINE}`)!;
        const ratios = summarize(now.map((s, k) => before[k].cpuSeconds / s.cpuSeconds));
        const walls = summarize(now.map((s, k) => before[k].wallSeconds / s.wallSeconds));
        console.log(
          `  ${c.id}: ${ratios.median.toFixed(2)}x as many templates per CPU second (${ratios.min.toFixed(2)} to ${ratios.max.toFixed(2)}), ` +
            `${walls.median.toFixed(2)}x per wall second (${walls.min.toFixed(2)} to ${walls.max.toFixed(2)}); peak RSS ` +
            `${Math.round(median(before.map((s) => s.maxRssMB)))} -> ${Math.round(median(now.map((s) => s.maxRssMB)))} MB`,
        );
      }
      console.log('');
    }
    const file = writeSection('scan', { startedAt, seconds: total, machine: m, loadStart, loadEnd, quick: QUICK, rounds: ROUNDS, nodeFlags: [], tables: [table] });
    console.log(`Results written to ${file}.`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();

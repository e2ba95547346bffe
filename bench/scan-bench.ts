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
 * BENCH_TS_NODE=1 and BENCH_RESULTS as for run-bench.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBench, childCommand, ROOT } from './build';
import { describeMachine, load, machine } from './machine';
import { ScanRow, ScanTable, writeSection } from './results';
import { TEMPLATES, writeCloudAssembly, writeMixedTemplates, YAML_EVERY } from './scan-inputs';
import type { ScanMeasurement } from './scan-once';
import { judgeScan, scanMarkdown } from './scan-report';
import { count, median, summarize } from './stats';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_SCAN_RUNS ?? (QUICK ? 1 : 3));
const COUNT = QUICK ? TEMPLATES / 10 : TEMPLATES;

interface Case {
  readonly id: string;
  readonly input: 'mixed' | 'cloud-assembly';
  readonly mode: 'table' | 'inventory';
  readonly dir: string;
}

function scanOnce(c: Case): ScanMeasurement {
  const result = spawnSync(process.execPath, childCommand('scan-once', [], [c.dir, c.mode]), { cwd: ROOT, encoding: 'utf8', maxBuffer: 1024 ** 3 });
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
    const cases: Case[] = [
      { id: 'mixed-table', input: 'mixed', mode: 'table', dir: mixed },
      { id: 'mixed-inventory', input: 'mixed', mode: 'inventory', dir: mixed },
      { id: 'cloud-assembly-table', input: 'cloud-assembly', mode: 'table', dir: assembly },
      { id: 'cloud-assembly-inventory', input: 'cloud-assembly', mode: 'inventory', dir: assembly },
    ];
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
      const line = cases.map((c) => `${c.id} ${Math.round(COUNT / samples.get(c.id)![round].cpuSeconds)}/s`).join(', ');
      console.log(`  round ${round + 1} (load ${load()}): ${line}`);
    }
    const rows: ScanRow[] = cases.map((c) => {
      const ms = samples.get(c.id)!;
      return {
        id: c.id,
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
    const file = writeSection('scan', { startedAt, seconds: total, machine: m, loadStart, loadEnd, quick: QUICK, rounds: ROUNDS, nodeFlags: [], tables: [table] });
    console.log(`Results written to ${file}.`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();

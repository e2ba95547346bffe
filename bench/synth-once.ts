/**
 * One measured synthesis, in a process of its own so no measurement inherits another's heap, JIT
 * state or aws-cdk-lib's global token registry. Its last line of output is a `SynthMeasurement` as JSON.
 *
 *   node --expose-gc --single-threaded-gc .bench/build/bench/synth-once.js <app kind> <task definitions> <variant>
 *
 * Prints one line before synthesis starts ({ synthStartCpuSeconds }) so a parent that stops it at a
 * CPU cap can still say how long synthesis ran.
 *
 * Measured: CPU time (user + system, `process.cpuUsage`) and wall time of `app.synth()` alone,
 * after building the app and adding the variant's check, and after a full garbage collection.
 * Counted during synthesis: `findAll` calls (the tree walks of aws-cdk-lib and of the check) and
 * the constructs they returned, and the variant's own counts. Counted after it, outside the
 * measurement: the errors and warnings the check reported, as annotations and in the validation
 * report, so the tables show that every variant found what it should.
 *
 * Findings never abort the measured synthesis in aws-cdk-lib 2.258: annotations are only read by
 * the CDK CLI; validation plugins (the packs and the plugin) print their report and set
 * `process.exitCode = 1` (context `@aws-cdk/core:failSynthOnValidationErrors`, left at its default
 * `true`, so the cost of printing the report is measured as a user pays it), which this process
 * records as `validationFailed` and resets; the minimal validation reports with annotations.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Node } from 'constructs';
import { applyVariant, VariantCounts, VariantId, VARIANT_IDS } from './front-doors';
import { AppKind, APP_KINDS, buildApp } from './generated-app';

export interface SynthMeasurement {
  /** Set by the parent when it stopped the process at its CPU cap: cpuSeconds is then a lower bound and the counts are missing. */
  readonly capped?: boolean;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** CPU time of building the app and adding the check, before synthesis. */
  readonly buildCpuSeconds: number;
  readonly constructs: number;
  readonly findAllCalls: number;
  readonly findAllConstructs: number;
  readonly counts: VariantCounts;
  readonly errors: number;
  readonly warnings: number;
  readonly validationFailed: boolean;
  readonly maxRssMB: number;
}

const [kind, size, variant] = process.argv.slice(2) as [AppKind, string, VariantId];
if (!APP_KINDS.includes(kind) || !(Number(size) > 0) || !VARIANT_IDS.includes(variant)) {
  throw new Error(`usage: synth-once <${APP_KINDS.join('|')}> <task definitions> <${VARIANT_IDS.join('|')}>`);
}

// Tree walks: every findAll during synthesis, aws-cdk-lib's own included.
let counting = false;
let findAllCalls = 0;
let findAllConstructs = 0;
const findAll = Node.prototype.findAll;
Node.prototype.findAll = function countedFindAll(this: Node, ...args: Parameters<Node['findAll']>) {
  const found = findAll.apply(this, args);
  if (counting) {
    findAllCalls++;
    findAllConstructs += found.length;
  }
  return found;
};

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-bench-'));
try {
  const buildStart = process.cpuUsage();
  const app = buildApp({ kind, taskDefinitions: Number(size) }, outdir);
  const counts: VariantCounts = {};
  applyVariant(variant, app, counts);
  const build = process.cpuUsage(buildStart);

  (global as { gc?: () => void }).gc?.();
  // Said before synthesis, so a parent that stops this process at its CPU cap knows how much of
  // the cap synthesis had (pipes are synchronous on Linux: the line is out before synth starts).
  const before = process.cpuUsage();
  console.log(JSON.stringify({ synthStartCpuSeconds: (before.user + before.system) / 1e6 }));
  counting = true;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  app.synth();
  const cpu = process.cpuUsage(cpuStart);
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  counting = false;

  const validationFailed = process.exitCode === 1;
  process.exitCode = 0;
  const all = findAll.call(app.node);
  let errors = 0;
  let warnings = 0;
  for (const construct of all) {
    for (const entry of construct.node.metadata) {
      if (entry.type === 'aws:cdk:error') errors++;
      if (entry.type === 'aws:cdk:warning') warnings++;
    }
  }
  const report = path.join(outdir, 'validation-report.json');
  if (fs.existsSync(report)) {
    const found = reportFindings(JSON.parse(fs.readFileSync(report, 'utf8')));
    errors += found.errors;
    warnings += found.warnings;
  }
  const measurement: SynthMeasurement = {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds,
    buildCpuSeconds: (build.user + build.system) / 1e6,
    constructs: all.length,
    findAllCalls,
    findAllConstructs,
    counts,
    errors,
    warnings,
    validationFailed,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(measurement));
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}

/** Violating constructs of the validation report (`validation-report.json`), by severity. */
function reportFindings(report: unknown): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  // Walk the report for violations ({ severity, violatingConstructs }) wherever the format puts them.
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      const v = value as { severity?: unknown; violatingConstructs?: unknown; violatingResources?: unknown };
      const where = v.violatingConstructs ?? v.violatingResources;
      if (typeof v.severity === 'string' && Array.isArray(where)) {
        if (v.severity === 'error') errors += where.length;
        if (v.severity === 'warning') warnings += where.length;
        return;
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(report);
  return { errors, warnings };
}

/**
 * Benchmark of what `cdk-image-pinning audit` does after reading the account: the shared check
 * over every configured image, drift, mixed deployments and version consistency against a lock
 * file, and the table, JSON and SARIF reports. On the account of bench/audit-bench.ts read with
 * `--all-revisions` (5,000 task definitions, 200 services, 2,000 tasks, 40 functions, 50 job
 * definitions), then the same account doubled: the CPU time should grow linearly with it.
 *
 *   ts-node --transpile-only bench/audit-report-bench.ts
 *
 * The account is read once per size (the reader is measured by bench/audit-bench.ts); each step
 * is then timed 7 times in CPU time and the median printed.
 */
import { AuditInventory, readAuditInventory, deployedImages, LockedImages } from '../src/audit';
import { compileOptions } from '../src/check/check-settings';
import { buildAuditReport } from '../src/cli/audit/audit-report';
import { formatAuditJson } from '../src/cli/audit/format-audit-json';
import { formatAuditSarif } from '../src/cli/audit/format-audit-sarif';
import { formatAuditTable } from '../src/cli/audit/format-audit-table';
import { painter } from '../src/cli/colour';
import { packageInfo } from '../src/cli/package-info';
import { lockKey } from '../src/lock/lock-file';
import { FakeAwsModel } from '../test/support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../test/support/aws/fake-aws-server';
import { AccountSize, generateRegion } from '../test/support/aws/generated-account';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const ROUNDS = 7;
const ONE_X: AccountSize = {
  families: 1000,
  revisionsPerFamily: 5,
  clusters: 4,
  services: 200,
  tasksPerService: 10,
  lambdaFunctions: 40,
  jobDefinitions: 50,
};

async function inventoryOf(factor: number): Promise<AuditInventory> {
  const model = new FakeAwsModel(ACCOUNT);
  generateRegion(model.region(ACCOUNT, REGION), {
    ...ONE_X,
    families: ONE_X.families * factor,
    services: ONE_X.services * factor,
    lambdaFunctions: ONE_X.lambdaFunctions * factor,
    jobDefinitions: ONE_X.jobDefinitions * factor,
  });
  const fake = await FakeAwsServer.start(model.data);
  const restore = applyEnv({ ...fake.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  try {
    const inventory = await readAuditInventory({ regions: [REGION], allRevisions: true });
    if (inventory.status !== 'complete') throw new Error(`the read was ${inventory.status}`);
    return inventory;
  } finally {
    restore();
    await fake.close();
  }
}

/** A lock of every tag that runs, at the digest ECS resolved for it: drift and mixes are computed in full, and find the rollouts. */
function lockOf(inventory: AuditInventory): LockedImages {
  const lock: Record<string, { digest: string }> = {};
  for (const use of deployedImages(inventory)) {
    const key = lockKey(use.image);
    if (use.digest && key !== undefined) lock[key] ??= { digest: use.digest };
  }
  return lock;
}

function cpuMs(work: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

async function main() {
  const settings = compileOptions({});
  const tool = packageInfo();
  const rows: Array<{ label: string; images: number; findings: number; steps: Record<string, number> }> = [];
  for (const factor of [1, 2]) {
    const inventory = await inventoryOf(factor);
    const lock = { file: 'bench.lock.json', images: lockOf(inventory) };
    const report = buildAuditReport(inventory, settings, lock);
    rows.push({
      label: `${factor}x`,
      images: report.images.length,
      findings: report.reported.length,
      steps: {
        'findings and report': cpuMs(() => buildAuditReport(inventory, settings, lock)),
        'table': cpuMs(() => formatAuditTable(report, { inventory: true, paint: painter(false) })),
        'JSON': cpuMs(() => formatAuditJson(report, { inventory: true, tool })),
        'SARIF': cpuMs(() => formatAuditSarif(report, { inventory: true, tool })),
      },
    });
  }
  console.log(`Audit report: the account of bench/audit-bench.ts read with --all-revisions, and doubled; median CPU time of ${ROUNDS} rounds`);
  for (const r of rows) console.log(`  ${r.label}: ${r.images} deployed images, ${r.findings} findings`);
  const steps = Object.keys(rows[0].steps);
  const width = Math.max(...steps.map((s) => s.length));
  console.log(`  ${'step'.padEnd(width)}  ${'1x ms'.padStart(8)}  ${'2x ms'.padStart(8)}  ratio`);
  for (const s of steps) {
    const [a, b] = [rows[0].steps[s], rows[1].steps[s]];
    console.log(`  ${s.padEnd(width)}  ${a.toFixed(1).padStart(8)}  ${b.toFixed(1).padStart(8)}  ${(b / a).toFixed(2)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

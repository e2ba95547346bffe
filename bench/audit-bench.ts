/**
 * Benchmark of the audit's account reader against the loopback AWS endpoint (the real SDK, signed
 * requests over HTTP): an account of 5,000 task definitions (1,000 families of 5 revisions),
 * 200 services on 4 clusters, 2,000 running tasks, 40 Lambda functions and 50 Batch job
 * definitions, then the same account doubled. Prints the API calls by operation, the wall and
 * CPU time of each read, and the ratio of calls at 2x to 1x: calls grow linearly with the account.
 *
 *   ts-node --transpile-only bench/audit-bench.ts         AUDIT_BENCH_LATENCY_MS=0 by default
 *
 * The default selection (latest revision of each family and the revisions in use) and
 * `--all-revisions` are both measured; the endpoint's latency can be set to mimic a real one.
 * The endpoint runs in a child process (this file, forked), so the CPU time is the reader's own.
 */
import { fork } from 'node:child_process';
import { readAuditInventory } from '../src/audit';
import { FakeAwsModel } from '../test/support/aws/fake-account';
import { applyEnv, FakeAwsServer, sdkEnv } from '../test/support/aws/fake-aws-server';
import { AccountSize, generateRegion } from '../test/support/aws/generated-account';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const LATENCY_MS = Number(process.env.AUDIT_BENCH_LATENCY_MS ?? 0);
const CONCURRENCY = 8;

const ONE_X: AccountSize = {
  families: 1000,
  revisionsPerFamily: 5,
  clusters: 4,
  services: 200,
  tasksPerService: 10,
  lambdaFunctions: 40,
  jobDefinitions: 50,
};

function scaled(size: AccountSize, factor: number): AccountSize {
  return {
    ...size,
    families: size.families * factor,
    services: size.services * factor,
    lambdaFunctions: size.lambdaFunctions * factor,
    jobDefinitions: size.jobDefinitions * factor,
  };
}

interface Measured {
  readonly calls: Record<string, number>;
  readonly total: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly counts: string;
}

/** The endpoint in a child process: this file run with `serve <factor>`. */
async function startEndpoint(factor: number) {
  const child = fork(__filename, ['serve', String(factor)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`the endpoint exited (${code})`)));
  });
  const { url } = await next();
  return {
    env: sdkEnv(url as string),
    async counts(): Promise<Record<string, number>> {
      child.send('counts');
      return (await next()).counts as Record<string, number>;
    },
    close() {
      child.kill();
    },
  };
}

async function serve(factor: number) {
  const model = new FakeAwsModel(ACCOUNT);
  generateRegion(model.region(ACCOUNT, REGION), scaled(ONE_X, factor));
  const fake = await FakeAwsServer.start(model.data, { latencyMs: LATENCY_MS });
  process.on('message', (m) => {
    if (m === 'counts') process.send!({ counts: fake.counts() });
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ url: fake.url });
}

async function measure(factor: number, allRevisions: boolean): Promise<Measured> {
  const endpoint = await startEndpoint(factor);
  const restore = applyEnv(endpoint.env);
  try {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const inventory = await readAuditInventory({ regions: [REGION], allRevisions, maxConcurrentCalls: CONCURRENCY });
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const region = inventory.accounts[0].regions[0];
    if (inventory.status !== 'complete') throw new Error(`the read was ${inventory.status}: ${JSON.stringify(region.errors.slice(0, 3))}`);
    const sorted = (counts: Record<string, number>) => JSON.stringify(Object.entries(counts).sort());
    const served = await endpoint.counts();
    if (sorted(served) !== sorted(inventory.calls)) {
      throw new Error(`the reader and the endpoint disagree on the calls made: ${sorted(served)} vs ${sorted(inventory.calls)}`);
    }
    return {
      calls: inventory.calls,
      total: Object.values(inventory.calls).reduce((a, b) => a + b, 0),
      wallSeconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      counts:
        `${region.taskDefinitions.length} task definitions read, ${region.services.length} services, ` +
        `${region.tasks.length} tasks, ${region.lambdaFunctions.length} functions, ${region.batchJobDefinitions.length} job definitions`,
    };
  } finally {
    restore();
    endpoint.close();
  }
}

async function main() {
  console.log(
    `Audit reader: ${ONE_X.families * ONE_X.revisionsPerFamily} task definitions, ${ONE_X.services} services, ` +
      `${ONE_X.services * ONE_X.tasksPerService} tasks, ${ONE_X.lambdaFunctions} functions, ${ONE_X.jobDefinitions} job definitions (1x), ` +
      `and 2x; ${CONCURRENCY} calls in flight, endpoint latency ${LATENCY_MS} ms`,
  );
  for (const allRevisions of [false, true]) {
    const one = await measure(1, allRevisions);
    const two = await measure(2, allRevisions);
    console.log(`\n${allRevisions ? '--all-revisions' : 'default selection (latest of each family + revisions in use)'}`);
    console.log(`  1x: ${one.counts}`);
    console.log(`  2x: ${two.counts}`);
    const ops = [...new Set([...Object.keys(one.calls), ...Object.keys(two.calls)])];
    const width = Math.max(...ops.map((o) => o.length));
    console.log(`  ${'operation'.padEnd(width)}  ${'1x'.padStart(6)}  ${'2x'.padStart(6)}  ratio`);
    for (const op of ops) {
      const a = one.calls[op] ?? 0;
      const b = two.calls[op] ?? 0;
      console.log(`  ${op.padEnd(width)}  ${String(a).padStart(6)}  ${String(b).padStart(6)}  ${a ? (b / a).toFixed(2) : '-'}`);
    }
    console.log(`  ${'total'.padEnd(width)}  ${String(one.total).padStart(6)}  ${String(two.total).padStart(6)}  ${(two.total / one.total).toFixed(2)}`);
    console.log(
      `  wall ${one.wallSeconds.toFixed(2)} s -> ${two.wallSeconds.toFixed(2)} s (x${(two.wallSeconds / one.wallSeconds).toFixed(2)}), ` +
        `reader CPU ${one.cpuSeconds.toFixed(2)} s -> ${two.cpuSeconds.toFixed(2)} s (x${(two.cpuSeconds / one.cpuSeconds).toFixed(2)}); ` +
        `${(1000 * one.cpuSeconds / one.total).toFixed(2)} ms CPU per call`,
    );
  }
}

const run = process.argv[2] === 'serve' ? serve(Number(process.argv[3])) : main();
run.catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

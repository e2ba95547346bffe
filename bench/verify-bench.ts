/**
 * Benchmark of `cdk-image-pinning verify` (issue 12, section 6): 1,000 images naming 300 distinct
 * references, verified against a real registry on loopback (Debian's docker-registry, started as
 * the tests start it), without and with a lock file. Each round runs both, the order alternating,
 * with a fresh registry client (nothing remembered between runs). Printed: the median time (wall
 * and CPU of this process; the registry is another process), the requests by kind (HEAD, GET,
 * token) and resolutions per second, and whether the targets hold: at most one HEAD per distinct
 * reference, and no GET for a reference already in the lock.
 *
 *   ts-node --transpile-only bench/verify-bench.ts
 *
 * Environment: BENCH_VERIFY_RUNS=5 rounds; BENCH_QUICK=1 for 1 round.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeMachine, load, machine } from './machine';
import { median } from './stats';
import { compileOptions } from '../src/check/check-settings';
import { lockUses, updateLock } from '../src/cli/lock/lock-images';
import { scan } from '../src/cli/scan';
import { VerifyResult, verifyImages } from '../src/cli/verify/verify-images';
import { LockFile } from '../src/lock/lock-file';
import { RegistryClient } from '../src/registry/registry-client';
import { LINUX_AMD64, LINUX_ARM64, pushImage, pushIndex } from '../test/support/registry/images';
import { startRegistry } from '../test/support/registry/local-registry';
import { RegistryPusher } from '../test/support/registry/push';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_VERIFY_RUNS ?? (QUICK ? 1 : 5));
const IMAGES = 1000;
const REPOSITORIES = 100;
const TAGS = 3; // 300 distinct references
const PER_TEMPLATE = 10;

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly result: VerifyResult;
}

async function verifyOnce(dir: string, lock: LockFile | undefined): Promise<Run> {
  const settings = compileOptions({});
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const scanned = scan([dir], { settings, cwd: dir });
  const result = await verifyImages(scanned, { client: new RegistryClient({ env: { DOCKER_CONFIG: path.join(dir, '.docker') } }), lock });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, result };
}

async function main(): Promise<void> {
  const m = machine();
  console.log(`verify benchmark${QUICK ? ' (quick)' : ''}: ${IMAGES} images, ${REPOSITORIES * TAGS} distinct references, ${ROUNDS} rounds`);
  console.log(`Machine: ${describeMachine(m)}; load at start ${load()}`);
  const registry = await startRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bench-'));
  try {
    fs.mkdirSync(path.join(dir, '.docker'));
    fs.writeFileSync(path.join(dir, '.docker', 'config.json'), '{}');
    const pushStarted = Date.now();
    const pusher = new RegistryPusher(registry.url);
    const references: Array<{ image: string; index: boolean }> = [];
    for (let repo = 0; repo < REPOSITORIES; repo++) {
      for (let tag = 0; tag < TAGS; tag++) {
        // Two in three are multi-architecture indexes (with attestations), one in three single amd64 images.
        references.push({ image: `${registry.host}/bench/app-${repo}:1.${tag}.0`, index: (repo + tag) % 3 !== 0 });
      }
    }
    const push = async (ref: { image: string; index: boolean }) => {
      const [name, version] = ref.image.slice(registry.host.length + 1).split(':');
      if (ref.index) await pushIndex(pusher, name, version, [LINUX_AMD64, LINUX_ARM64], { attestations: true });
      else await pushImage(pusher, name, version, LINUX_AMD64);
    };
    // In parallel across repositories, in turn within one (the registry races on a blob uploaded twice at once).
    for (let i = 0; i < references.length; i += TAGS * 8) {
      const batch = references.slice(i, i + TAGS * 8);
      await Promise.all(Array.from({ length: batch.length / TAGS }, async (_, r) => {
        for (const ref of batch.slice(r * TAGS, (r + 1) * TAGS)) await push(ref);
      }));
    }
    // 1,000 containers over 100 templates of 10 task definitions; ARM64 tasks only on indexes, so nothing fails.
    for (let t = 0; t < IMAGES / PER_TEMPLATE; t++) {
      const resources: Record<string, object> = {};
      for (let k = 0; k < PER_TEMPLATE; k++) {
        const i = t * PER_TEMPLATE + k;
        const ref = references[(i * 7) % references.length];
        resources[`Task${k}`] = {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            ContainerDefinitions: [{ Name: 'app', Image: ref.image }],
            ...(ref.index && i % 2 === 0 ? { RuntimePlatform: { CpuArchitecture: 'ARM64' } } : {}),
          },
        };
      }
      fs.writeFileSync(path.join(dir, `Stack${t}.template.json`), JSON.stringify({ Resources: resources }));
    }
    console.log(`Pushed ${references.length} references (${references.filter((r) => r.index).length} indexes) in ${((Date.now() - pushStarted) / 1000).toFixed(1)} s`);

    // The lock, as `cdk-image-pinning lock` writes it.
    const scanned = scan([dir], { settings: compileOptions({}), cwd: dir });
    const lock = (await updateLock({ lockfileVersion: 1, images: {} }, lockUses(scanned), new RegistryClient({ env: { DOCKER_CONFIG: path.join(dir, '.docker') } }))).lock;

    const runs: Record<'without' | 'with', Run[]> = { without: [], with: [] };
    await verifyOnce(dir, undefined); // warm-up: connections, JIT
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<'without' | 'with'> = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const kind of order) {
        const run = await verifyOnce(dir, kind === 'with' ? lock : undefined);
        const failed = run.result.images.filter((i) => i.status !== 'verified');
        if (run.result.images.length !== IMAGES || failed.length > 0) {
          throw new Error(`expected ${IMAGES} verified images, got ${run.result.images.length} with ${failed.length} not verified: ${failed[0]?.why ?? failed[0]?.findings[0]?.wording.message}`);
        }
        runs[kind].push(run);
      }
    }

    const distinct = new Set(references.map((r) => r.image)).size;
    const rows = (['without', 'with'] as const).map((kind) => {
      const samples = runs[kind];
      const requests = samples[0].result.requests;
      const wall = median(samples.map((s) => s.wallMs));
      const cpu = median(samples.map((s) => s.cpuMs));
      return { kind, wall, cpu, requests, perSecond: (IMAGES / wall) * 1000, distinctPerSecond: (distinct / wall) * 1000 };
    });
    console.log('');
    console.log(`| ${IMAGES} images, ${distinct} references | median wall | median CPU (verifier) | HEAD | GET | token | images/s | references/s |`);
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.kind === 'with' ? 'with --lock-file' : 'without a lock'} | ${(r.wall / 1000).toFixed(2)} s | ${(r.cpu / 1000).toFixed(2)} s | ` +
          `${r.requests.head} | ${r.requests.get} | ${r.requests.token} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${Math.round(r.distinctPerSecond).toLocaleString('en-US')} |`,
      );
    }
    const [without, withLock] = rows;
    const headTarget = without.requests.head <= distinct && withLock.requests.head <= distinct;
    const getTarget = withLock.requests.get === 0;
    console.log('');
    console.log(`At most one HEAD per distinct reference (${distinct}): ${headTarget ? 'met' : 'NOT MET'} (${without.requests.head} without a lock, ${withLock.requests.head} with).`);
    console.log(`No GET for a reference in the lock: ${getTarget ? 'met' : 'NOT MET'} (${withLock.requests.get} GETs with the lock, ${without.requests.get} without).`);
    console.log(`The lock saves ${(100 * (1 - withLock.wall / without.wall)).toFixed(0)} % of the wall time and ${without.requests.total - withLock.requests.total} of ${without.requests.total} requests.`);
    if (!headTarget || !getTarget) process.exitCode = 1;
  } finally {
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * The account the audit command's tests read, the lock file they compare it with, and how they
 * run the command: in process through `main` (with the SDK pointed at the loopback endpoint
 * through the environment), or as the spawned bin.
 *
 * eu-west-1 holds one case of each finding and of each image form; us-east-1 one unpinned image,
 * for the tests that deny a region.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { digest, FakeAwsModel } from '../../support/aws/fake-account';
import { BIN, temporaryDirectory } from '../cli-process';

export const ACCOUNT = '111111111111';
export const WEST = 'eu-west-1';
export const EAST = 'us-east-1';
export const ECR = `${ACCOUNT}.dkr.ecr.${WEST}.amazonaws.com`;

export const WEB_INDEX = digest('nginx 1.27.3 index');
export const WEB_AMD64 = digest('nginx 1.27.3 amd64');
export const WEB_ARM64 = digest('nginx 1.27.3 arm64');
export const PROXY = digest('envoy latest');
export const WORKER_LOCKED = digest('worker 2 as locked');
export const WORKER_REPUSHED = digest('worker 2 pushed again');
export const REDIS_LOCKED = digest('redis 7.2.4');
export const REDIS_OTHER = digest('redis 7.2.4 pushed again');
export const FN_INDEX = digest('fn v1 index');
export const FN_ARM64 = digest('fn v1 arm64');
export const FN_OLD = digest('fn v1 before');
export const BUSYBOX = digest('busybox');

export const tdArn = (region: string, familyRevision: string) => `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${familyRevision}`;

/** The lock file: nginx as an index with two platforms, worker, redis, and fn as an index. */
export const LOCK = {
  lockfileVersion: 1,
  images: {
    'docker.io/library/nginx:1.27.3': { digest: WEB_INDEX, platforms: { 'linux/amd64': WEB_AMD64, 'linux/arm64': WEB_ARM64 } },
    'docker.io/library/redis:7.2.4': { digest: REDIS_LOCKED },
    [`${ECR}/fn:v1`]: { digest: FN_INDEX, platforms: { 'linux/arm64': FN_ARM64 } },
    [`${ECR}/worker:2`]: { digest: WORKER_LOCKED },
  },
};

export function auditModel(): FakeAwsModel {
  const model = new FakeAwsModel(ACCOUNT);
  const r = model.region(ACCOUNT, WEST);
  // web: every task runs the locked index or one of its platform children; the proxy moves.
  const web = r.taskDefinition('web', [{ name: 'web', image: 'nginx:1.27.3' }, { name: 'proxy', image: 'envoyproxy/envoy:latest' }]);
  const webService = r.service('prod', 'web', web, { resolvedDigests: [{ web: WEB_INDEX, proxy: PROXY }], desiredCount: 3 });
  r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: WEB_INDEX }, { name: 'proxy', imageDigest: PROXY }] });
  r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: WEB_AMD64 }, { name: 'proxy', imageDigest: PROXY }] });
  r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: WEB_ARM64 }, { name: 'proxy', imageDigest: PROXY }], cpuArchitecture: 'arm64' });
  // worker: its tag was pushed again after it was locked, and the service runs the new digest.
  const worker = r.taskDefinition('worker', [{ name: 'worker', image: `${ECR}/worker:2` }]);
  const workerService = r.service('prod', 'worker', worker, { resolvedDigests: [{ worker: WORKER_REPUSHED }] });
  r.task('prod', worker, { service: workerService, containers: [{ name: 'worker', imageDigest: WORKER_REPUSHED }] });
  // cache: version consistency disabled, so tasks started at different times pulled different digests.
  const cache = r.taskDefinition('cache', [{ name: 'redis', image: 'redis:7.2.4', versionConsistency: 'disabled' }]);
  const cacheService = r.service('prod', 'cache', cache, { desiredCount: 3 });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: REDIS_LOCKED }] });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: REDIS_LOCKED }] });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: REDIS_OTHER }] });
  // api: a rollout from v1 to v2 in progress.
  const apiV1 = r.taskDefinition('api', [{ name: 'api', image: `${ECR}/api:v1` }]);
  const apiV2 = r.taskDefinition('api', [{ name: 'api', image: `${ECR}/api:v2` }]);
  const api = r.service('prod', 'api', apiV2, { olderDeployments: [apiV1], resolvedDigests: [{ api: digest('api v2') }, { api: digest('api v1') }] });
  r.task('prod', apiV1, { service: api, containers: [{ name: 'api', imageDigest: digest('api v1') }] });
  r.task('prod', apiV2, { service: api, containers: [{ name: 'api', imageDigest: digest('api v2') }] });
  // pinned: a standalone task of a digest reference, running the arm64 child of the locked index.
  const pinned = r.taskDefinition('pinned', [{ name: 'app', image: `nginx@${WEB_INDEX}` }], { cpuArchitecture: 'ARM64' });
  r.task('batch', pinned, { containers: [{ name: 'app', imageDigest: WEB_ARM64 }], cpuArchitecture: 'arm64' });
  // Registered, not running: a digest, and an unresolved dynamic reference.
  r.taskDefinition('digest-only', [{ name: 'tool', image: `busybox@${BUSYBOX}` }]);
  r.taskDefinition('ssm', [{ name: 'app', image: '{{resolve:ssm:/app/image}}' }]);
  // Lambda: one runs the locked arm64 child, one an older digest of the same tag, one a moving tag.
  r.lambdaFunction('fn', { imageUri: `${ECR}/fn:v1`, resolvedImageUri: `${ECR}/fn@${FN_ARM64}`, architectures: ['arm64'] });
  r.lambdaFunction('stale', { imageUri: `${ECR}/fn:v1`, resolvedImageUri: `${ECR}/fn@${FN_OLD}` });
  r.lambdaFunction('edge', { imageUri: `${ECR}/edge:latest`, resolvedImageUri: `${ECR}/edge@${digest('edge')}` });
  r.lambdaFunction('zip', { zip: true });
  // Batch: a pinned job, and a multinode job whose second node range floats.
  r.jobDefinition('nightly', ['busybox:1.36.1']);
  r.jobDefinition('mpi', ['mpi:1.0.0', 'mpi-worker:latest']);

  const east = model.region(ACCOUNT, EAST);
  const eastWeb = east.taskDefinition('web', [{ name: 'web', image: 'nginx:latest' }]);
  const eastService = east.service('prod', 'web', eastWeb, { resolvedDigests: [{ web: digest('nginx latest') }] });
  east.task('prod', eastWeb, { service: eastService, containers: [{ name: 'web', imageDigest: digest('nginx latest') }] });
  return model;
}

/** The lock file written to a temporary directory; returns its path. */
export function writeLock(lock: unknown = LOCK): string {
  const file = path.join(temporaryDirectory('image-pinning-audit-'), 'cdk-image-pinning.lock.json');
  fs.writeFileSync(file, `${JSON.stringify(lock, undefined, 2)}\n`);
  return file;
}

export interface AuditRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `cdk-image-pinning audit ...args` in this process (the SDK reads this process's environment). */
export async function runAudit(args: readonly string[], options: { stderrIsTTY?: boolean; cwd?: string } = {}): Promise<AuditRun> {
  let stdout = '';
  let stderr = '';
  // Without the colour variables (jest's workers may set FORCE_COLOR), so that only the flags and the TTY decide.
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...env } = process.env;
  const status = await main(['audit', ...args], {
    stdout: { isTTY: false, write: (t: string) => (stdout += t) },
    stderr: { isTTY: options.stderrIsTTY ?? false, write: (t: string) => (stderr += t) } as { isTTY: boolean; write(t: string): unknown },
    env,
    cwd: options.cwd ?? process.cwd(),
  });
  return { status, stdout, stderr };
}

/**
 * The real bin as a child process, without blocking this process (the loopback endpoint runs
 * here), with only the given environment on top of a clean one.
 */
export function spawnAudit(args: readonly string[], env: Record<string, string | undefined>, cwd?: string): Promise<AuditRun> {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, SYSTEMROOT: process.env.SYSTEMROOT };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'audit', ...args], { cwd: cwd ?? process.cwd(), env: base, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * Drift and mixed deployments, computed from an inventory read through the real SDK: running
 * digests that match the lock (the index or a platform child), that drifted, and the tasks of
 * one service running different digests of one container.
 */
import { AuditInventory, computeDrift, deployedImages, LockedImages, mixedDeployments, readAuditInventory } from '../../src/audit';
import { digest, FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const ECR = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;

const WEB_INDEX = digest('web index');
const WEB_AMD64 = digest('web amd64');
const WEB_ARM64 = digest('web arm64');
const WORKER_LOCKED = digest('worker 2 as locked');
const WORKER_REPUSHED = digest('worker 2 re-pushed');
const FN_ARM64 = digest('fn arm64');

const lock: LockedImages = {
  'docker.io/library/nginx:1.27.3': { digest: WEB_INDEX, platforms: { 'linux/amd64': WEB_AMD64, 'linux/arm64': WEB_ARM64 } },
  [`${ECR}/worker:2`]: { digest: WORKER_LOCKED },
  [`${ECR}/fn:v1`]: { digest: digest('fn index'), platforms: { 'linux/arm64': FN_ARM64 } },
};

let fake: FakeAwsServer;
let restoreEnv: () => void;
let inventory: AuditInventory;

beforeAll(async () => {
  const model = new FakeAwsModel(ACCOUNT);
  const r = model.region(ACCOUNT, REGION);
  // web: ECS reports the index for some tasks, the platform child for others; both match.
  const web = r.taskDefinition('web', [{ name: 'web', image: 'nginx:1.27.3' }]);
  const webService = r.service('prod', 'web', web, { resolvedDigests: [{ web: WEB_INDEX }], desiredCount: 3 });
  r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: WEB_INDEX }] });
  r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: WEB_AMD64 }] });
  r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: WEB_ARM64 }], cpuArchitecture: 'arm64' });
  // worker: the tag was re-pushed after the lock; the tasks run the new digest.
  const worker = r.taskDefinition('worker', [{ name: 'worker', image: `${ECR}/worker:2` }]);
  const workerService = r.service('prod', 'worker', worker, { resolvedDigests: [{ worker: WORKER_REPUSHED }] });
  r.task('prod', worker, { service: workerService, containers: [{ name: 'worker', imageDigest: WORKER_REPUSHED }] });
  // cache: version consistency disabled, tasks started at different times pulled different digests.
  const cache = r.taskDefinition('cache', [{ name: 'redis', image: 'redis:7', versionConsistency: 'disabled' }]);
  const cacheService = r.service('prod', 'cache', cache, { desiredCount: 3 });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: digest('redis a') }] });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: digest('redis a') }] });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: digest('redis b') }] });
  // api: a rollout from v1 to v2 in progress.
  const apiV1 = r.taskDefinition('api', [{ name: 'api', image: `${ECR}/api:v1` }]);
  const apiV2 = r.taskDefinition('api', [{ name: 'api', image: `${ECR}/api:v2` }]);
  const api = r.service('prod', 'api', apiV2, { olderDeployments: [apiV1] });
  r.task('prod', apiV1, { service: api, containers: [{ name: 'api', imageDigest: digest('api v1') }] });
  r.task('prod', apiV2, { service: api, containers: [{ name: 'api', imageDigest: digest('api v2') }] });
  // pinned: a digest reference whose task runs an unrelated digest.
  const pinned = r.taskDefinition('pinned', [{ name: 'app', image: `nginx@${WEB_INDEX}` }, { name: 'other', image: `busybox@${digest('busybox')}` }]);
  r.task('batch', pinned, { containers: [{ name: 'app', imageDigest: WEB_ARM64 }, { name: 'other', imageDigest: digest('not busybox') }] });
  // A task still pulling its image has no digest yet.
  r.task('batch', web, { containers: [{ name: 'web' }], lastStatus: 'PENDING' });
  r.lambdaFunction('fn', { imageUri: `${ECR}/fn:v1`, resolvedImageUri: `${ECR}/fn@${FN_ARM64}`, architectures: ['arm64'] });
  r.lambdaFunction('stale', { imageUri: `${ECR}/fn:v1`, resolvedImageUri: `${ECR}/fn@${digest('fn old')}` });

  fake = await FakeAwsServer.start(model.data);
  restoreEnv = applyEnv(fake.env());
  inventory = await readAuditInventory({ regions: [REGION], services: ['ecs', 'lambda'] });
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

describe('drift', () => {
  test('a running digest that is neither the locked one nor a platform child', () => {
    const result = computeDrift(inventory, lock);
    const drifted = result.drifted.map((d) => [d.use.kind, d.use.serviceName ?? d.use.subject.split(':').pop(), d.use.container, d.lockKey, d.running]);
    expect(drifted.sort()).toEqual([
      ['ecs-service-revision', 'worker', 'worker', `${ECR}/worker:2`, WORKER_REPUSHED],
      ['ecs-task', 'worker', 'worker', `${ECR}/worker:2`, WORKER_REPUSHED],
      ['ecs-task', expect.any(String), 'other', undefined, digest('not busybox')],
      ['lambda-function', 'stale', undefined, `${ECR}/fn:v1`, digest('fn old')],
    ].sort());
    const worker = result.drifted.find((d) => d.use.kind === 'ecs-task' && d.use.serviceName === 'worker')!;
    expect(worker.expected).toEqual([WORKER_LOCKED]);
    expect(worker.use).toMatchObject({ account: ACCOUNT, region: REGION, clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`, image: `${ECR}/worker:2` });
  });

  test('the index digest and each platform child both match; a digest reference matches its locked children', () => {
    const result = computeDrift(inventory, lock);
    // web: 3 tasks and 1 revision; pinned app: 1 task (the arm64 child of the referenced index); fn: 1.
    expect(result.matched).toBe(6);
  });

  test('what cannot be judged is listed, not counted as drift', () => {
    const result = computeDrift(inventory, lock);
    // The revisions of cache (version consistency disabled) and api (none resolved here), and a task still pulling.
    expect(result.withoutDigest.map((u) => [u.kind, u.container]).sort()).toEqual([
      ['ecs-service-revision', 'api'],
      ['ecs-service-revision', 'api'],
      ['ecs-service-revision', 'redis'],
      ['ecs-task', 'web'],
    ]);
    expect(new Set(result.unlocked.map((u) => u.image))).toEqual(new Set(['redis:7', `${ECR}/api:v1`, `${ECR}/api:v2`]));
    expect(result.unparsable).toEqual([]);
  });

  test('with an empty lock, nothing has drifted except digest references running another digest', () => {
    const result = computeDrift(inventory, {});
    expect(result.drifted.map((d) => d.use.container).sort()).toEqual(['app', 'other']);
  });

  test('an image that is not a reference is listed as unparsable', () => {
    const odd: AuditInventory = JSON.parse(JSON.stringify(inventory));
    odd.accounts[0].regions[0].tasks[0].containers[0] = { name: 'x', image: '{{resolve:ssm:/app/image}}', imageDigest: WEB_INDEX };
    expect(computeDrift(odd, lock).unparsable.map((u) => u.image)).toEqual(['{{resolve:ssm:/app/image}}']);
  });
});

describe('mixed deployments', () => {
  test('tasks of one service running different digests of one container', () => {
    const mixed = mixedDeployments(inventory).sort((a, b) => (a.serviceName < b.serviceName ? -1 : 1));
    const byDigest = (...ds: Array<[string, number]>) => ds.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect(mixed.map((m) => [m.serviceName, m.container, m.sameImage, m.inRollout, m.digests.map((d) => [d.digest, d.tasks.length])])).toEqual([
      // A rollout from v1 to v2: two images, expected while it lasts.
      ['api', 'api', false, true, byDigest([digest('api v1'), 1], [digest('api v2'), 1])],
      // One moving tag pulled at different times: what version consistency prevents.
      ['cache', 'redis', true, false, byDigest([digest('redis a'), 2], [digest('redis b'), 1])],
      // On x86_64 ECS reported the index for one task and the amd64 child for another: without
      // the lock nothing says they are one image (the arm64 task is not compared with them).
      ['web', 'web', true, false, byDigest([WEB_AMD64, 1], [WEB_INDEX, 1])],
    ]);
    expect(mixed.find((m) => m.serviceName === 'web')!.architecture).toBe('x86_64');
    const cache = mixed.find((m) => m.serviceName === 'cache')!;
    expect(cache).toMatchObject({ account: ACCOUNT, region: REGION, serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/cache` });
    expect(cache.digests[0].images).toEqual(['redis:7']);
    expect(cache.digests[0].taskDefinitions).toEqual([`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/cache:1`]);
  });

  test('with the lock, a platform child counts as its index: web is not mixed', () => {
    expect(mixedDeployments(inventory, lock).map((m) => m.serviceName).sort()).toEqual(['api', 'cache']);
  });

  test('a service whose tasks agree is not mixed; nor are standalone tasks', () => {
    const names = mixedDeployments(inventory).map((m) => m.serviceName);
    expect(names).not.toContain('worker');
    expect(names.every((n) => n !== undefined)).toBe(true);
  });
});

describe('deployed images', () => {
  test('one row per use, configured and running, with where it runs', () => {
    const uses = deployedImages(inventory);
    const kinds = uses.reduce<Record<string, number>>((acc, u) => ({ ...acc, [u.kind]: (acc[u.kind] ?? 0) + 1 }), {});
    // 7 task definition containers (web, worker, cache, api x2, pinned x2); 5 service revisions;
    // 12 task containers (web 3 and one still pulling, worker 1, cache 3, api 2, pinned 2); 2 functions.
    expect(kinds).toEqual({ 'ecs-task-definition': 7, 'ecs-service-revision': 5, 'ecs-task': 12, 'lambda-function': 2 });
    expect(uses.find((u) => u.kind === 'ecs-task-definition' && u.container === 'redis')).toMatchObject({ versionConsistency: 'disabled', image: 'redis:7' });
    expect(uses.find((u) => u.kind === 'lambda-function' && u.subject.endsWith(':fn'))).toMatchObject({ digest: FN_ARM64, architectures: ['arm64'] });
  });
});

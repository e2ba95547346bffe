/**
 * `cdk-image-pinning audit` against the loopback endpoint, through the real SDK: every kind of
 * finding, each image form of a task definition, running tasks that match the lock (no finding),
 * and the policy flags shared with `scan`.
 */
import {
  ACCOUNT,
  auditModel,
  ECR,
  FN_OLD,
  REDIS_LOCKED,
  REDIS_OTHER,
  runAudit,
  tdArn,
  WEST,
  WORKER_LOCKED,
  WORKER_REPUSHED,
  writeLock,
} from './audit-fixture';
import { applyEnv, FakeAwsServer } from '../../support/aws/fake-aws-server';
import { removeTemporaryDirectories } from '../cli-process';

let fake: FakeAwsServer;
let restoreEnv: () => void;
let lockFile: string;

beforeAll(async () => {
  fake = await FakeAwsServer.start(auditModel().data);
  restoreEnv = applyEnv(fake.env());
  lockFile = writeLock();
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
  removeTemporaryDirectories();
});

interface JsonFinding {
  ruleId: string;
  findingId: string;
  severity: string;
  message: string;
  reason: string;
  image: string;
  fix?: string;
  cluster?: string;
  service?: string;
  resource: string;
  resourceName: string;
  resourceKind: string;
  container: string;
  running?: string;
  expected?: string[];
  lockKey?: string;
  tasks?: string[];
}

async function findings(...args: string[]): Promise<{ status: number | null; findings: JsonFinding[] }> {
  const run = await runAudit(['--region', WEST, '--format', 'json', ...args]);
  expect(run.stderr).toBe('');
  return { status: run.status, findings: JSON.parse(run.stdout).findings };
}

const summary = (fs: JsonFinding[]) => fs.map((f) => `${f.severity} ${f.findingId} ${f.resourceName}${f.service ? ` (${f.cluster}/${f.service})` : ''}`);

describe('without a lock file: the shared check over every configured image', () => {
  test('unpinned images of task definitions, Lambda functions and Batch job definitions, and nothing about what runs', async () => {
    const { status, findings: found } = await findings();
    expect(status).toBe(1);
    expect(summary(found)).toEqual([
      'error ImagePinning-ECS1[proxy] web:1 (prod/web)',
      'error ImagePinning-ECS1[app] ssm:1',
      'error ImagePinning-LAMBDA1[Code.ImageUri] edge',
      'error ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.1.Container.Image] mpi:1',
    ]);
  });

  test('same rule ids and wording as scan', async () => {
    const { findings: found } = await findings();
    const proxy = found.find((f) => f.container === 'proxy')!;
    expect(proxy).toMatchObject({
      ruleId: 'ImagePinning-ECS1',
      reason: 'MOVING_TAG',
      image: 'envoyproxy/envoy:latest',
      resource: tdArn(WEST, 'web:1'),
      resourceKind: 'ecs-task-definition',
      message:
        '[ImagePinning-ECS1] Container "proxy": image "envoyproxy/envoy:latest" uses the moving tag "latest": the registry can point it at a different image ' +
        'at any time. Fix: replace ":latest" with a version tag, e.g. "envoyproxy/envoy:<version>", or add a digest: "envoyproxy/envoy@sha256:<digest>".',
    });
    const lambda = found.find((f) => f.ruleId === 'ImagePinning-LAMBDA1')!;
    expect(lambda.fix).toContain('with lambda.DockerImageCode.fromEcr(repo, { tagOrDigest }), the tag defaults to "latest"');
  });

  test('every image form of a task definition: literal, ECR, digest pass; an unresolved {{resolve:ssm:...}} is not a reference', async () => {
    const run = await runAudit(['--region', WEST, '--format', 'json', '--inventory']);
    type Row = { kind: string; status: string; resourceName: string; container?: string; image: string };
    const inventory: Row[] = JSON.parse(run.stdout).inventory;
    const configured = inventory.filter((i) => i.kind === 'ecs-task-definition').map((i) => `${i.resourceName} ${i.container} ${i.image} ${i.status}`);
    expect(configured).toEqual(expect.arrayContaining([
      'web:1 web nginx:1.27.3 pinned',
      `worker:1 worker ${ECR}/worker:2 pinned`,
      expect.stringMatching(/^pinned:1 app nginx@sha256:[0-9a-f]{64} pinned$/),
      expect.stringMatching(/^digest-only:1 tool busybox@sha256:[0-9a-f]{64} pinned$/),
      'ssm:1 app {{resolve:ssm:/app/image}} invalid',
    ]));
    const ssm = JSON.parse(run.stdout).findings.find((f: JsonFinding) => f.resourceName === 'ssm:1');
    expect(ssm).toMatchObject({ ruleId: 'ImagePinning-ECS1', reason: 'INVALID_REFERENCE', severity: 'error' });
  });

  test('the policy flags: --level digest fails tags; --allow and --exclude-resource-type narrow it', async () => {
    const digestLevel = await findings('--level', 'digest');
    expect(digestLevel.findings.filter((f) => f.reason === 'NO_DIGEST').map((f) => f.image)).toEqual(expect.arrayContaining(['nginx:1.27.3', `${ECR}/worker:2`, 'busybox:1.36.1']));
    const narrowed = await findings('--allow', 'docker.io/envoyproxy/envoy', '--exclude-resource-type', 'AWS::Batch::JobDefinition', '--exclude-resource-type', 'AWS::Lambda::Function');
    expect(summary(narrowed.findings)).toEqual(['error ImagePinning-ECS1[app] ssm:1']);
  });
});

describe('with the lock file: what runs against what was locked', () => {
  let all: JsonFinding[];
  let status: number | null;
  beforeAll(async () => {
    ({ status, findings: all } = await findings('--lock-file', lockFile));
  });

  test('each finding, grouped by place', async () => {
    expect(status).toBe(1);
    // With a lock file the shared check also reports the images it does not hold (<GROUP>3, a warning), as scan does.
    expect(summary(all)).toEqual([
      'warning ImagePinning-AUDIT2[api] api (prod/api)',
      'warning ImagePinning-ECS3[api] api:1 (prod/api)',
      'warning ImagePinning-ECS3[api] api:2 (prod/api)',
      'error ImagePinning-AUDIT1[redis] cache (prod/cache)',
      'error ImagePinning-AUDIT2[redis] cache (prod/cache)',
      'error ImagePinning-AUDIT3[redis] cache:1 (prod/cache)',
      'error ImagePinning-ECS1[proxy] web:1 (prod/web)',
      'warning ImagePinning-ECS3[proxy] web:1 (prod/web)',
      'error ImagePinning-AUDIT1[worker] worker (prod/worker)',
      'error ImagePinning-ECS1[app] ssm:1',
      'error ImagePinning-LAMBDA1[Code.ImageUri] edge',
      'warning ImagePinning-LAMBDA3[Code.ImageUri] edge',
      'error ImagePinning-AUDIT1[Code.ResolvedImageUri] stale',
      'warning ImagePinning-BATCH3[NodeProperties.NodeRangeProperties.0.Container.Image] mpi:1',
      'error ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.1.Container.Image] mpi:1',
      'warning ImagePinning-BATCH3[NodeProperties.NodeRangeProperties.1.Container.Image] mpi:1',
      'warning ImagePinning-BATCH3[ContainerProperties.Image] nightly:1',
    ]);
    // --unlocked ignore leaves the audit's own findings.
    expect(summary((await findings('--lock-file', lockFile, '--unlocked', 'ignore')).findings).filter((f) => /[A-Z]3\[/.test(f) && !f.includes('AUDIT'))).toEqual([]);
  });

  test('drift: a running digest that is neither the locked digest nor a platform child, once per service and container', () => {
    const worker = all.find((f) => f.findingId === 'ImagePinning-AUDIT1[worker]')!;
    expect(worker).toMatchObject({
      reason: 'DRIFT',
      image: `${ECR}/worker:2`,
      running: WORKER_REPUSHED,
      expected: [WORKER_LOCKED],
      lockKey: `${ECR}/worker:2`,
      resourceKind: 'ecs-service',
      resource: `arn:aws:ecs:${WEST}:${ACCOUNT}:service/prod/worker`,
    });
    expect(worker.tasks).toHaveLength(1);
    expect(worker.message).toBe(
      `[ImagePinning-AUDIT1] Container "worker": image "${ECR}/worker:2" runs ${WORKER_REPUSHED.slice(0, 19)} (1 running task and the service's current revision), ` +
        `which is not the digest locked for "${ECR}/worker:2" (${WORKER_LOCKED.slice(0, 19)}): what runs is not what was locked. ` +
        `Fix: deploy the locked image, e.g. "${ECR}/worker:2@${WORKER_LOCKED}", so that every task pulls it; if the running image is the one meant to run, lock its tag again.`,
    );
    // redis: two tasks run the locked digest, one does not; the revision has no digest (version consistency is off).
    const redis = all.find((f) => f.findingId === 'ImagePinning-AUDIT1[redis]')!;
    expect(redis).toMatchObject({ running: REDIS_OTHER, expected: [REDIS_LOCKED] });
    expect(redis.tasks).toHaveLength(1);
    // Lambda: the digest it resolved at deploy time.
    const stale = all.find((f) => f.findingId === 'ImagePinning-AUDIT1[Code.ResolvedImageUri]')!;
    expect(stale).toMatchObject({ running: FN_OLD, resourceKind: 'lambda-function', lockKey: `${ECR}/fn:v1` });
    expect(stale.message).toContain('Function "stale": image');
    expect(stale.message).toContain('nor one of its 1 platform digest');
  });

  test('no finding where the running digests match: the locked index, either platform child, a digest reference running its locked child', () => {
    expect(all.filter((f) => f.ruleId.startsWith('ImagePinning-AUDIT') && /web|pinned|fn$/.test(f.resourceName))).toEqual([]);
    expect(all.some((f) => f.resourceName === 'fn')).toBe(false);
  });

  test('mixed deployment: one tag resolved at different times is an error; a rollout is a warning', () => {
    const cache = all.find((f) => f.findingId === 'ImagePinning-AUDIT2[redis]')!;
    expect(cache.severity).toBe('error');
    expect(cache.message).toContain(
      `Container "redis": its 3 running tasks run 2 digests of "redis:7.2.4": ${REDIS_LOCKED.slice(0, 19)} (2 tasks), ${REDIS_OTHER.slice(0, 19)} (1 task); ` +
        'one tag was resolved to different images at different times',
    );
    expect(cache.fix).toBe(
      `pin the image by digest in the task definition ("docker.io/library/redis:7.2.4@${REDIS_LOCKED}"), keep version consistency enabled, and redeploy the service`,
    );
    const api = all.find((f) => f.findingId === 'ImagePinning-AUDIT2[api]')!;
    expect(api.severity).toBe('warning');
    expect(api.message).toContain('a deployment is rolling out');
    expect(api.message).toContain(`of "${ECR}/api:v1"`);
  });

  test('version consistency disabled with a tag-only image: the fix writes the locked digest', () => {
    const redis = all.find((f) => f.findingId === 'ImagePinning-AUDIT3[redis]')!;
    expect(redis).toMatchObject({ severity: 'error', reason: 'VERSION_CONSISTENCY_DISABLED', resource: tdArn(WEST, 'cache:1'), lockKey: 'docker.io/library/redis:7.2.4' });
    expect(redis.message).toContain('version consistency is disabled and image "redis:7.2.4" has no digest');
    expect(redis.fix).toContain(`"redis:7.2.4@${REDIS_LOCKED}"`);
  });

  test('an image allowed by the policy needs no digest, not even with version consistency disabled', async () => {
    const allowed = await findings('--lock-file', lockFile, '--allow', 'docker.io/library/redis');
    expect(allowed.findings.map((f) => f.findingId)).not.toContain('ImagePinning-AUDIT3[redis]');
  });

  test('a digest reference the lock does not list, running another digest, is a warning: it may be a platform child', async () => {
    const { findings: withEmptyLock } = await findings('--lock-file', writeLock({ lockfileVersion: 1, images: {} }));
    const pinned = withEmptyLock.find((f) => f.ruleId === 'ImagePinning-AUDIT1' && f.resourceName === 'pinned:1')!;
    expect(pinned).toMatchObject({ severity: 'warning', cluster: 'batch' });
    expect(pinned.message).toContain('it may be the platform digest of that index, which only a lock file entry lists');
    // Nothing locked, so nothing else drifted.
    expect(withEmptyLock.filter((f) => f.ruleId === 'ImagePinning-AUDIT1').map((f) => f.resourceName)).toEqual(['pinned:1']);
  });

  test('a bad lock file is a usage error naming the file and the key', async () => {
    const bad = writeLock({ lockfileVersion: 1, images: { 'nginx:1.27.3': { digest: 'sha256:abc' } } });
    const run = await runAudit(['--region', WEST, '--lock-file', bad]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`cdk-image-pinning: lock file ${bad}: images["nginx:1.27.3"]: the key must be written normalized, as "docker.io/library/nginx:1.27.3"\n`);
    const missing = await runAudit(['--region', WEST, '--lock-file', 'no-such.lock.json']);
    expect(missing.stderr).toBe('cdk-image-pinning: lock file no-such.lock.json: cannot be read (ENOENT); run `npx cdk-image-pinning lock` to write it\n');
    expect(missing.status).toBe(2);
  });
});

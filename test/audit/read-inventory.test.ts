/**
 * The account reader against the loopback endpoint through the real SDK: what it reads of ECS,
 * Lambda and Batch in one account, for every form an image takes, and which task definitions.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditInventory, AuditOptionsError, readAuditInventory, RegionInventory } from '../../src/audit';
import { CALLER_ACCESS_KEY_ID, CALLER_SECRET_ACCESS_KEY, digest, FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const ECR = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const tdArn = (familyRevision: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${familyRevision}`;

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(ACCOUNT);
  const r = model.region(ACCOUNT, REGION);
  // Every form an image takes in a task definition.
  r.taskDefinition('literal', [{ name: 'web', image: 'nginx:1.27.2' }]);
  r.taskDefinition('literal', [{ name: 'web', image: 'nginx:1.27.3' }]);
  r.taskDefinition('digest', [{ name: 'web', image: `nginx@${digest('nginx')}` }]);
  r.taskDefinition('ssm', [{ name: 'app', image: '{{resolve:ssm:/app/image}}' }]);
  r.taskDefinition('arm', [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:1.36' }], { cpuArchitecture: 'ARM64' });
  const apiV1 = r.taskDefinition('api', [{ name: 'api', image: r.ecrImage('api', 'v1') }, { name: 'sidecar', image: 'envoy:1.30', versionConsistency: 'enabled' }]);
  const apiV2 = r.taskDefinition('api', [{ name: 'api', image: r.ecrImage('api', 'v2') }, { name: 'sidecar', image: 'envoy:1.30', versionConsistency: 'enabled' }]);
  // A deregistered revision still running as a standalone task.
  const legacy = r.taskDefinition('legacy', [{ name: 'job', image: 'busybox:1.35' }], { status: 'INACTIVE' });
  r.taskDefinition('legacy', [{ name: 'job', image: 'busybox:1.36' }]);
  const floating = r.taskDefinition('cache', [{ name: 'redis', image: 'redis:7', versionConsistency: 'disabled' }]);

  const api = r.service('prod', 'api', apiV2, {
    olderDeployments: [apiV1],
    resolvedDigests: [{ api: digest('api-v2'), sidecar: digest('envoy') }, { api: digest('api-v1'), sidecar: digest('envoy') }],
    desiredCount: 2,
  });
  r.task('prod', apiV2, { service: api, containers: [{ name: 'api', imageDigest: digest('api-v2') }, { name: 'sidecar', imageDigest: digest('envoy') }] });
  r.task('prod', apiV2, { service: api, containers: [{ name: 'api', imageDigest: digest('api-v2') }, { name: 'sidecar', imageDigest: digest('envoy') }] });
  r.task('prod', apiV1, { service: api, containers: [{ name: 'api', imageDigest: digest('api-v1') }, { name: 'sidecar', imageDigest: digest('envoy') }] });
  const cache = r.service('prod', 'cache', floating);
  r.task('prod', floating, { service: cache, containers: [{ name: 'redis', imageDigest: digest('redis-a') }] });
  r.task('jobs', legacy, { containers: [{ name: 'job', imageDigest: digest('busybox-1.35') }], cpuArchitecture: 'arm64' });
  r.task('jobs', legacy, { lastStatus: 'STOPPED' });

  r.lambdaFunction('image-fn', { imageUri: r.ecrImage('fn', 'v1'), resolvedImageUri: r.ecrImage('fn', digest('fn-v1')), architectures: ['arm64'] });
  r.lambdaFunction('zip-fn', { zip: true });
  r.jobDefinition('nightly', ['busybox:1.36']);
  r.jobDefinition('old', ['busybox:1.30'], { status: 'INACTIVE' });
  r.jobDefinition('mpi', ['mpi:1', 'mpi-worker:1']);

  // Another region: a blue/green service deployed by CodeDeploy, with task sets instead of deployments.
  const frankfurt = model.region(ACCOUNT, 'eu-central-1');
  const blue = frankfurt.taskDefinition('bg', [{ name: 'app', image: 'nginx:1.27.3' }]);
  const green = frankfurt.taskDefinition('bg', [{ name: 'app', image: 'nginx:1.28.0' }]);
  const bg = frankfurt.service('prod', 'bg', green, { olderDeployments: [blue], codeDeploy: true });
  frankfurt.task('prod', blue, { service: bg, containers: [{ name: 'app', imageDigest: digest('nginx-1.27.3') }] });
  frankfurt.task('prod', green, { service: bg, containers: [{ name: 'app', imageDigest: digest('nginx-1.28.0') }] });

  fake = await FakeAwsServer.start(model.data);
  restoreEnv = applyEnv(fake.env());
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

beforeEach(() => fake.reset());

let inventory: AuditInventory;
let region: RegionInventory;
beforeAll(async () => {
  inventory = await readAuditInventory({ regions: [REGION] });
  region = inventory.accounts[0].regions[0];
});

describe('one account, one region', () => {
  test('names the caller, and reads everything completely', () => {
    expect(inventory.caller).toEqual({ account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/auditor`, partition: 'aws' });
    expect(inventory.status).toBe('complete');
    expect(inventory.accounts.map((a) => [a.accountId, a.status, a.roleArn])).toEqual([[ACCOUNT, 'complete', undefined]]);
    expect(region.coverage).toEqual({ ecs: 'complete', lambda: 'complete', batch: 'complete' });
    expect(region.errors).toEqual([]);
    expect(inventory.scope).toEqual({ regions: [REGION], services: ['ecs', 'lambda', 'batch'], allRevisions: false, clusters: [] });
  });

  test('task definitions: the latest ACTIVE revision of each family and every revision in use, and why', () => {
    expect(region.taskDefinitions.map((t) => [t.arn.slice(t.arn.indexOf('/') + 1), t.status, t.selectedBecause])).toEqual([
      ['api:1', 'ACTIVE', ['service', 'task']],
      ['api:2', 'ACTIVE', ['latest', 'service', 'task']],
      ['arm:1', 'ACTIVE', ['latest']],
      ['cache:1', 'ACTIVE', ['latest', 'service', 'task']],
      ['digest:1', 'ACTIVE', ['latest']],
      ['legacy:1', 'INACTIVE', ['task']],
      ['legacy:2', 'ACTIVE', ['latest']],
      ['literal:2', 'ACTIVE', ['latest']],
      ['ssm:1', 'ACTIVE', ['latest']],
    ]);
  });

  test('every image form is kept exactly as registered, with version consistency per container', () => {
    const images = Object.fromEntries(region.taskDefinitions.map((t) => [`${t.family}:${t.revision}`, t.containers]));
    expect(images['literal:2']).toEqual([{ name: 'web', image: 'nginx:1.27.3', versionConsistency: 'enabled', versionConsistencyExplicit: false, essential: true }]);
    expect(images['digest:1'][0].image).toBe(`nginx@${digest('nginx')}`);
    expect(images['ssm:1'][0].image).toBe('{{resolve:ssm:/app/image}}');
    expect(images['api:2'].map((c) => [c.image, c.versionConsistency, c.versionConsistencyExplicit])).toEqual([
      [`${ECR}/api:v2`, 'enabled', false],
      ['envoy:1.30', 'enabled', true],
    ]);
    expect(images['cache:1'][0]).toMatchObject({ image: 'redis:7', versionConsistency: 'disabled', versionConsistencyExplicit: true });
    expect(region.taskDefinitions.find((t) => t.family === 'arm')).toMatchObject({ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' });
  });

  test('where each task definition runs: services and tasks', () => {
    const api1 = region.taskDefinitions.find((t) => t.arn === tdArn('api:1'))!;
    expect(api1.usedBy.services).toEqual([`arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/api`]);
    expect(api1.usedBy.tasks).toHaveLength(1);
    expect(region.taskDefinitions.find((t) => t.arn === tdArn('api:2'))!.usedBy.tasks).toHaveLength(2);
    expect(region.taskDefinitions.find((t) => t.arn === tdArn('literal:2'))!.usedBy).toEqual({ services: [], tasks: [] });
  });

  test('clusters, services with their deployments and the digests ECS resolved per revision', () => {
    expect(region.clusters.map((c) => [c.name, c.status])).toEqual([['jobs', 'ACTIVE'], ['prod', 'ACTIVE']]);
    const api = region.services.find((s) => s.name === 'api')!;
    expect(api.taskDefinition).toBe(tdArn('api:2'));
    expect(api.deployments.map((d) => [d.kind, d.status, d.taskDefinition, d.rolloutState])).toEqual([
      ['deployment', 'PRIMARY', tdArn('api:2'), 'IN_PROGRESS'],
      ['deployment', 'ACTIVE', tdArn('api:1'), undefined],
    ]);
    expect(api.deployments[0].id).toMatch(/^ecs-svc\//);
    expect(api.deployments[0].createdAt).toBe('2025-02-01T00:00:00.000Z');
    expect(api.revisions.map((r) => [r.taskDefinition, r.containerImages])).toEqual([
      [tdArn('api:2'), [
        { containerName: 'api', image: `${ECR}/api:v2`, imageDigest: digest('api-v2') },
        { containerName: 'sidecar', image: 'envoy:1.30', imageDigest: digest('envoy') },
      ]],
      [tdArn('api:1'), [
        { containerName: 'api', image: `${ECR}/api:v1`, imageDigest: digest('api-v1') },
        { containerName: 'sidecar', image: 'envoy:1.30', imageDigest: digest('envoy') },
      ]],
    ]);
  });

  test('running tasks only, each container with its image and digest', () => {
    expect(region.tasks).toHaveLength(5);
    const standalone = region.tasks.find((t) => t.taskDefinitionArn === tdArn('legacy:1'))!;
    expect(standalone).toMatchObject({ group: 'family:legacy', lastStatus: 'RUNNING', cpuArchitecture: 'arm64' });
    expect(standalone.serviceName).toBeUndefined();
    expect(standalone.containers).toEqual([{ name: 'job', image: 'busybox:1.35', imageDigest: digest('busybox-1.35'), lastStatus: 'RUNNING' }]);
    const apiTasks = region.tasks.filter((t) => t.serviceName === 'api');
    expect(apiTasks.map((t) => t.containers.map((c) => c.imageDigest)).sort()).toEqual([
      [digest('api-v1'), digest('envoy')],
      [digest('api-v2'), digest('envoy')],
      [digest('api-v2'), digest('envoy')],
    ].sort());
    const startedBy = new Set(region.services.find((s) => s.name === 'api')!.deployments.map((d) => d.id));
    for (const t of apiTasks) expect(startedBy.has(t.startedBy!)).toBe(true);
  });

  test('Lambda: functions of package type Image only, with ImageUri, ResolvedImageUri and architectures', () => {
    expect(region.lambdaFunctions).toEqual([{
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:image-fn`,
      name: 'image-fn',
      imageUri: `${ECR}/fn:v1`,
      resolvedImageUri: `${ECR}/fn@${digest('fn-v1')}`,
      architectures: ['arm64'],
      lastModified: '2025-02-01T00:00:00.000+0000',
    }]);
  });

  test('Batch: ACTIVE job definitions with the image of every container', () => {
    expect(region.batchJobDefinitions.map((j) => [j.name, j.revision, j.type, j.containers])).toEqual([
      ['mpi', 1, 'multinode', [
        { path: 'nodeProperties.nodeRangeProperties[0].container', image: 'mpi:1' },
        { path: 'nodeProperties.nodeRangeProperties[1].container', image: 'mpi-worker:1' },
      ]],
      ['nightly', 1, 'container', [{ path: 'containerProperties', image: 'busybox:1.36' }]],
    ]);
  });

  test('the call counts of the inventory are what the endpoint received', () => {
    expect(inventory.calls).toEqual({
      'sts:GetCallerIdentity': 1,
      'ecs:ListTaskDefinitions': 1,
      'ecs:ListClusters': 1,
      'ecs:DescribeClusters': 1,
      'ecs:ListServices': 2,
      'ecs:ListTasks': 2,
      'ecs:DescribeServices': 1,
      'ecs:DescribeTasks': 2,
      'ecs:DescribeServiceRevisions': 1,
      'ecs:DescribeTaskDefinition': 9,
      'lambda:ListFunctions': 1,
      'lambda:GetFunction': 1,
      'batch:DescribeJobDefinitions': 1,
    });
    expect(region.calls).toEqual(Object.fromEntries(Object.entries(inventory.calls).filter(([op]) => !op.startsWith('sts:'))));
    expect(inventory.retries).toEqual({});
  });

  test('the inventory is plain JSON: it survives a round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(inventory))).toEqual(inventory);
  });
});

describe('blue/green services (CodeDeploy)', () => {
  test('their task sets are read as deployments, and the revisions they run are selected', async () => {
    const bg = await readAuditInventory({ regions: ['eu-central-1'], services: ['ecs'] });
    const r = bg.accounts[0].regions[0];
    const fra = (rev: string) => `arn:aws:ecs:eu-central-1:${ACCOUNT}:task-definition/bg:${rev}`;
    expect(r.services[0].deployments.map((d) => [d.kind, d.status, d.taskDefinition])).toEqual([
      ['task-set', 'PRIMARY', fra('2')],
      ['task-set', 'ACTIVE', fra('1')],
    ]);
    expect(r.taskDefinitions.map((t) => [t.revision, t.selectedBecause])).toEqual([
      [1, ['service', 'task']],
      [2, ['latest', 'service', 'task']],
    ]);
    const startedBy = new Set(r.services[0].deployments.map((d) => d.id));
    expect(r.tasks.every((t) => startedBy.has(t.startedBy!))).toBe(true);
  });
});

describe('options', () => {
  test('all revisions: every ACTIVE revision, plus the INACTIVE ones in use', async () => {
    const all = await readAuditInventory({ regions: [REGION], allRevisions: true, services: ['ecs'] });
    const arns = all.accounts[0].regions[0].taskDefinitions.map((t) => t.arn);
    expect(arns).toContain(tdArn('literal:1'));
    expect(arns).toContain(tdArn('legacy:1'));
    expect(arns).toHaveLength(10);
    expect(all.accounts[0].regions[0].taskDefinitions.find((t) => t.arn === tdArn('literal:1'))!.selectedBecause).toEqual(['all-revisions']);
  });

  test('a cluster filter reads only that cluster, and only the task definitions it uses', async () => {
    const one = await readAuditInventory({ regions: [REGION], clusters: ['jobs'], services: ['ecs'] });
    const r = one.accounts[0].regions[0];
    expect(r.clusters.map((c) => c.name)).toEqual(['jobs']);
    expect(r.services).toEqual([]);
    expect(r.tasks).toHaveLength(1);
    expect(r.taskDefinitions.map((t) => t.arn)).toEqual([tdArn('legacy:1')]);
    expect(one.calls['ecs:ListTaskDefinitions']).toBeUndefined();
    expect(one.calls['ecs:ListClusters']).toBeUndefined();
  });

  test('a cluster that does not exist is reported by name, not read as empty', async () => {
    const missing = await readAuditInventory({ regions: [REGION], clusters: ['prod', 'nope'], services: ['ecs'] });
    const r = missing.accounts[0].regions[0];
    expect(r.errors).toEqual([{
      account: ACCOUNT,
      region: REGION,
      operation: 'ecs:DescribeClusters',
      code: 'MISSING',
      message: 'MISSING',
      resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/nope`,
      throttled: false,
    }]);
    expect(r.coverage.ecs).toBe('partial');
    expect(r.services.map((s) => s.name)).toEqual(['api', 'cache']);
  });

  test('services narrow what is read, and the others are marked skipped', async () => {
    const lambdaOnly = await readAuditInventory({ regions: [REGION], services: ['lambda'] });
    expect(lambdaOnly.accounts[0].regions[0].coverage).toEqual({ ecs: 'skipped', lambda: 'complete', batch: 'skipped' });
    expect(Object.keys(lambdaOnly.calls).sort()).toEqual(['lambda:GetFunction', 'lambda:ListFunctions', 'sts:GetCallerIdentity']);
  });

  test('the region comes from AWS_REGION when none is given', async () => {
    const restore = applyEnv({ AWS_REGION: REGION });
    try {
      const fromEnv = await readAuditInventory({ services: ['batch'] });
      expect(fromEnv.scope.regions).toEqual([REGION]);
      expect(fromEnv.accounts[0].regions[0].batchJobDefinitions).toHaveLength(2);
    } finally {
      restore();
    }
  });

  test('no region at all is an options error, before any call', async () => {
    const error = await readAuditInventory({}).catch((e) => e);
    expect(AuditOptionsError.isAuditOptionsError(error)).toBe(true);
    expect(error.message).toBe('no region to read: give one with --region (repeatable) or set AWS_REGION');
    expect(fake.requests).toEqual([]);
  });

  test.each([
    [{ regions: ['Europe'] }, 'not a region name: "Europe" (e.g. eu-west-1)'],
    [{ regions: [REGION], accounts: ['12345'], assumeRoleName: 'Audit' }, 'not an AWS account id: "12345" (12 digits)'],
    [{ regions: [REGION], accounts: ['222222222222'] }, 'reading other accounts needs the name of the role to assume in each (--assume-role)'],
    [{ regions: [REGION], assumeRoleName: 'Audit' }, 'a role to assume needs the accounts to assume it in (--accounts or --organization)'],
    [{ regions: [REGION], accounts: ['222222222222'], organization: true, assumeRoleName: 'Audit' }, 'give either a list of accounts or the organization, not both'],
    [{ regions: [REGION], maxConcurrentCalls: 0 }, 'maxConcurrentCalls must be a positive integer, got 0'],
    [{ regions: [REGION], services: [] }, 'no service to read'],
  ])('%j is refused: %s', async (options, message) => {
    await expect(readAuditInventory(options)).rejects.toThrow(message);
    expect(fake.requests).toEqual([]);
  });

  test('a profile of the shared credentials file is the identity that reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-profile-'));
    const file = join(dir, 'credentials');
    const key = 'AKIAPROFILEEXAMPLE01';
    fake.model.accessKeys[key] = '444444444444';
    writeFileSync(file, `[audit]\naws_access_key_id = ${key}\naws_secret_access_key = profile-secret-example-value\n`);
    const restore = applyEnv({ AWS_SHARED_CREDENTIALS_FILE: file, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const viaProfile = await readAuditInventory({ regions: [REGION], profile: 'audit', services: ['ecs'] });
      expect(viaProfile.caller?.account).toBe('444444444444');
      expect(viaProfile.accounts.map((a) => a.accountId)).toEqual(['444444444444']);
      expect(new Set(fake.requests.map((r) => r.account))).toEqual(new Set(['444444444444']));
    } finally {
      restore();
    }
  });

  test('progress is told per region and account; the reader prints nothing itself', async () => {
    const events: unknown[] = [];
    const write = jest.spyOn(process.stderr, 'write');
    const log = jest.spyOn(console, 'log');
    await readAuditInventory({ regions: [REGION, 'us-east-1'], services: ['batch'], onProgress: (p) => events.push(p) });
    expect(events).toEqual(expect.arrayContaining([
      expect.objectContaining({ regionsDone: 2, regionsTotal: 2, accountsDone: 1, accountsTotal: 1, account: ACCOUNT }),
    ]));
    // Once per region and per account; between those, the calls made so far (no account named), at most ten a second.
    expect(events.filter((e) => (e as { account?: string }).account !== undefined)).toHaveLength(3);
    expect(write).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    write.mockRestore();
    log.mockRestore();
  });
});

describe('credentials', () => {
  test('none at all: the caller cannot be named, the inventory says it failed and why', async () => {
    const restore = applyEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const none = await readAuditInventory({ regions: [REGION], maxAttempts: 1 });
      expect(none.status).toBe('failed');
      expect(none.accounts).toEqual([]);
      expect(none.errors).toEqual([expect.objectContaining({ operation: 'sts:GetCallerIdentity', code: 'CredentialsProviderError' })]);
    } finally {
      restore();
    }
  });

  test('keys never reach the inventory, even when an error message quotes the request', async () => {
    fake.faults.push({ operation: 'ecs:ListClusters', error: 'AccessDenied', message: 'denied {accessKeyId} with {authorization}' });
    try {
      const quoted = await readAuditInventory({ regions: [REGION], services: ['ecs'] });
      const text = JSON.stringify(quoted);
      expect(quoted.accounts[0].regions[0].errors[0]).toMatchObject({ operation: 'ecs:ListClusters', code: 'AccessDeniedException' });
      expect(quoted.accounts[0].regions[0].errors[0].message).toMatch(/^denied \[redacted\] with AWS4-HMAC-SHA256 Credential=\[redacted\]/);
      expect(text).not.toContain(CALLER_ACCESS_KEY_ID);
      expect(text).not.toContain(CALLER_SECRET_ACCESS_KEY);
      expect(text).not.toMatch(/Signature=[0-9a-f]{8}/);
    } finally {
      fake.faults = [];
    }
  });
});

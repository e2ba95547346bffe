/**
 * A call that fails is recorded by account, region, operation and code, and the rest is still
 * read: throttling that the SDK's retries absorb, throttling that outlasts them, AccessDenied
 * for a region or a service. A region that could not be read never looks like an empty one.
 */
import { readAuditInventory } from '../../src/audit';
import { digest, FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';

const ACCOUNT = '111111111111';
const WEST = 'eu-west-1';
const EAST = 'us-east-1';

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(ACCOUNT);
  for (const region of [WEST, EAST]) {
    const r = model.region(ACCOUNT, region);
    const td = r.taskDefinition('web', [{ name: 'web', image: 'nginx:1.27.3' }]);
    for (const cluster of ['a', 'b']) {
      const service = r.service(cluster, 'web', td, { resolvedDigests: [{ web: digest('nginx') }] });
      r.task(cluster, td, { service, containers: [{ name: 'web', imageDigest: digest('nginx') }] });
    }
    r.lambdaFunction('fn', { imageUri: r.ecrImage('fn', 'v1'), resolvedImageUri: r.ecrImage('fn', digest('fn')) });
    r.jobDefinition('job', ['busybox:1.36']);
  }
  fake = await FakeAwsServer.start(model.data);
  restoreEnv = applyEnv(fake.env());
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  fake.faults = [];
});

test('throttling then success: retried by the SDK, everything read, the retries counted', async () => {
  fake.faults.push({ operation: 'ecs:DescribeTasks', error: 'Throttling', times: 1 });
  fake.faults.push({ operation: 'lambda:GetFunction', error: 'Throttling', times: 1 });
  const inventory = await readAuditInventory({ regions: [WEST], maxConcurrentCalls: 1 });
  const region = inventory.accounts[0].regions[0];
  expect(inventory.status).toBe('complete');
  expect(region.errors).toEqual([]);
  expect(region.tasks).toHaveLength(2);
  expect(region.lambdaFunctions).toHaveLength(1);
  expect(inventory.retries).toEqual({ 'ecs:DescribeTasks': 1, 'lambda:GetFunction': 1 });
  // Counted once per call, however many attempts.
  expect(inventory.calls['ecs:DescribeTasks']).toBe(2);
  expect(fake.counts()['ecs:DescribeTasks']).toBe(3);
});

test('throttling that outlasts the retries: recorded per cluster, the rest still read', async () => {
  fake.faults.push({ operation: 'ecs:ListTasks', error: 'Throttling' });
  const inventory = await readAuditInventory({ regions: [WEST], maxAttempts: 2, services: ['ecs'] });
  const region = inventory.accounts[0].regions[0];
  expect(region.errors).toEqual(['a', 'b'].map((cluster) => ({
    account: ACCOUNT,
    region: WEST,
    operation: 'ecs:ListTasks',
    code: 'ThrottlingException',
    message: 'Rate exceeded',
    resource: `arn:aws:ecs:${WEST}:${ACCOUNT}:cluster/${cluster}`,
    throttled: true,
  })));
  expect(region.coverage.ecs).toBe('partial');
  expect(inventory.status).toBe('partial');
  expect(region.tasks).toEqual([]);
  expect(region.services).toHaveLength(2);
  expect(region.taskDefinitions).toHaveLength(1);
  expect(fake.counts()['ecs:ListTasks']).toBe(4);
});

test('AccessDenied for one region: that region is failed by name, the other is read', async () => {
  fake.faults.push({ region: EAST, error: 'AccessDenied' });
  const inventory = await readAuditInventory({ regions: [WEST, EAST] });
  const [west, east] = inventory.accounts[0].regions;
  expect(west.region).toBe(WEST);
  expect(west.coverage).toEqual({ ecs: 'complete', lambda: 'complete', batch: 'complete' });
  expect(west.tasks).toHaveLength(2);
  expect(east.coverage).toEqual({ ecs: 'failed', lambda: 'failed', batch: 'failed' });
  expect(east.errors.map((e) => [e.region, e.operation, e.code])).toEqual([
    [EAST, 'batch:DescribeJobDefinitions', 'AccessDeniedException'],
    [EAST, 'ecs:ListClusters', 'AccessDeniedException'],
    [EAST, 'ecs:ListTaskDefinitions', 'AccessDeniedException'],
    [EAST, 'lambda:ListFunctions', 'AccessDeniedException'],
  ]);
  expect(east.errors[1].message).toBe(
    `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: ecs:ListClusters on resource: * because no identity-based policy allows the ecs:ListClusters action`,
  );
  expect(inventory.accounts[0].status).toBe('partial');
  expect(inventory.status).toBe('partial');
});

test('AccessDenied for one service, or one operation of it: the rest of the region is read', async () => {
  fake.faults.push({ operation: 'lambda:GetFunction', error: 'AccessDenied' });
  fake.faults.push({ operation: 'batch:*', error: 'AccessDenied' });
  const inventory = await readAuditInventory({ regions: [WEST] });
  const region = inventory.accounts[0].regions[0];
  expect(region.coverage).toEqual({ ecs: 'complete', lambda: 'partial', batch: 'failed' });
  expect(region.errors.map((e) => [e.operation, e.resource])).toEqual([
    ['batch:DescribeJobDefinitions', undefined],
    ['lambda:GetFunction', `arn:aws:lambda:${WEST}:${ACCOUNT}:function:fn`],
  ]);
  expect(region.lambdaFunctions).toEqual([]);
  expect(region.tasks).toHaveLength(2);
});

test('a failed page ends that list with what was read, and says so', async () => {
  fake.faults.push({ operation: 'ecs:DescribeTaskDefinition', error: 'Internal' });
  const inventory = await readAuditInventory({ regions: [WEST], maxAttempts: 1, services: ['ecs'] });
  const region = inventory.accounts[0].regions[0];
  expect(region.taskDefinitions).toEqual([]);
  expect(region.errors).toEqual([expect.objectContaining({
    operation: 'ecs:DescribeTaskDefinition',
    code: 'ServerException',
    resource: `arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/web:1`,
    throttled: false,
  })]);
  expect(region.coverage.ecs).toBe('partial');
});

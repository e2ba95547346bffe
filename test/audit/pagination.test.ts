/**
 * Every list is followed to its last page and every describe call is batched to its API limit:
 * the endpoint returns at most 7 items a page, and the call counts are what the sizes imply.
 */
import { readAuditInventory } from '../../src/audit';
import { FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';
import { generateRegion } from '../support/aws/generated-account';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(ACCOUNT);
  // 50 task definitions (25 families x 2), 23 services over 2 clusters (12 and 11), 10 tasks each:
  // 120 and 110 running tasks, more than one DescribeTasks call can take.
  generateRegion(model.region(ACCOUNT, REGION), {
    families: 25,
    revisionsPerFamily: 2,
    clusters: 2,
    services: 23,
    tasksPerService: 10,
    lambdaFunctions: 8,
    jobDefinitions: 9,
  });
  fake = await FakeAwsServer.start(model.data, { pageSizeCap: 7 });
  restoreEnv = applyEnv(fake.env());
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

test('reads every page and batches describe calls to their limits', async () => {
  const inventory = await readAuditInventory({ regions: [REGION], maxConcurrentCalls: 3 });
  const region = inventory.accounts[0].regions[0];
  expect(region.coverage).toEqual({ ecs: 'complete', lambda: 'complete', batch: 'complete' });
  expect(region.clusters).toHaveLength(2);
  expect(region.services).toHaveLength(23);
  expect(region.tasks).toHaveLength(230);
  // The latest of 25 families, and the previous revision of the two services still rolling out.
  expect(region.taskDefinitions).toHaveLength(27);
  expect(region.lambdaFunctions).toHaveLength(6);
  expect(region.batchJobDefinitions).toHaveLength(9);
  expect(inventory.calls).toEqual({
    'sts:GetCallerIdentity': 1,
    'ecs:ListClusters': 1,
    'ecs:DescribeClusters': 1,
    'ecs:ListServices': 2 + 2, // ceil(12/7) + ceil(11/7)
    'ecs:DescribeServices': 2 + 2, // ceil(12/10) + ceil(11/10)
    'ecs:DescribeServiceRevisions': 1 + 1, // 12 and 13 revisions, 20 a call
    'ecs:ListTasks': 18 + 16, // ceil(120/7) + ceil(110/7)
    'ecs:DescribeTasks': 2 + 2, // 100 a call
    'ecs:ListTaskDefinitions': 8, // ceil(50/7)
    'ecs:DescribeTaskDefinition': 27,
    'lambda:ListFunctions': 2, // ceil(8/7)
    'lambda:GetFunction': 6,
    'batch:DescribeJobDefinitions': 2, // ceil(9/7)
  });
  // What the reader counted is what the endpoint received.
  expect(fake.counts()).toEqual(inventory.calls);
});

test('calls in flight never exceed the bound, across clusters and services', async () => {
  fake.reset();
  // Answers that take a while, so that calls overlap as they do against AWS.
  fake.latencyMs = 5;
  await readAuditInventory({ regions: [REGION, 'us-east-1', 'us-west-2'], maxConcurrentCalls: 3 });
  fake.latencyMs = 0;
  expect(fake.maxInFlight).toBeLessThanOrEqual(3);
  expect(fake.maxInFlight).toBeGreaterThan(1);
});

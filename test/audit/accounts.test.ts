/**
 * Many accounts: a list of ids or the organization's ACTIVE accounts, each read through STS
 * AssumeRole into the named role, results and failures named per account.
 */
import { readAuditInventory } from '../../src/audit';
import { FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';

const MANAGEMENT = '111111111111';
const DEV = '222222222222';
const PROD = '333333333333';
const SANDBOX = '444444444444';
const CLOSED = '555555555555';
const REGION = 'eu-west-1';

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(MANAGEMENT);
  model.account(MANAGEMENT, ['Audit']);
  model.account(DEV, ['Audit']);
  model.account(PROD, ['Audit']);
  model.account(SANDBOX, ['SomethingElse']);
  model.account(CLOSED, ['Audit']);
  for (const account of [MANAGEMENT, DEV, PROD, SANDBOX, CLOSED]) {
    const r = model.region(account, REGION);
    r.taskDefinition(`app-${account}`, [{ name: 'app', image: r.ecrImage('app', 'v1') }]);
    r.jobDefinition(`job-${account}`, ['busybox:1.36']);
  }
  model.organization([
    { id: MANAGEMENT, name: 'management' },
    { id: DEV, name: 'dev' },
    { id: PROD, name: 'prod' },
    { id: SANDBOX, name: 'sandbox' },
    { id: CLOSED, name: 'closed', status: 'SUSPENDED' },
  ]);
  // Three accounts a page, so the organization's list takes two.
  fake = await FakeAwsServer.start(model.data, { pageSizeCap: 3 });
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

test('the organization: every ACTIVE account through the role, each failure named by account', async () => {
  // The role exists in prod but may not read ECS there.
  fake.faults.push({ account: PROD, operation: 'ecs:*', error: 'AccessDenied' });
  const inventory = await readAuditInventory({ regions: [REGION], organization: true, assumeRoleName: 'Audit', services: ['ecs', 'batch'] });
  expect(inventory.accounts.map((a) => [a.accountId, a.name, a.roleArn, a.status])).toEqual([
    [MANAGEMENT, 'management', `arn:aws:iam::${MANAGEMENT}:role/Audit`, 'complete'],
    [DEV, 'dev', `arn:aws:iam::${DEV}:role/Audit`, 'complete'],
    [PROD, 'prod', `arn:aws:iam::${PROD}:role/Audit`, 'partial'],
    [SANDBOX, 'sandbox', `arn:aws:iam::${SANDBOX}:role/Audit`, 'failed'],
  ]);
  const [management, dev, prod, sandbox] = inventory.accounts;
  // Each account's data is its own.
  expect(dev.regions[0].taskDefinitions.map((t) => t.arn)).toEqual([`arn:aws:ecs:${REGION}:${DEV}:task-definition/app-${DEV}:1`]);
  expect(management.regions[0].batchJobDefinitions.map((j) => j.name)).toEqual([`job-${MANAGEMENT}`]);
  // prod: ECS denied, Batch read.
  expect(prod.regions[0].coverage).toEqual({ ecs: 'failed', lambda: 'skipped', batch: 'complete' });
  expect(prod.regions[0].batchJobDefinitions).toHaveLength(1);
  expect(new Set(prod.regions[0].errors.map((e) => `${e.account} ${e.operation} ${e.code}`))).toEqual(new Set([
    `${PROD} ecs:ListClusters AccessDeniedException`,
    `${PROD} ecs:ListTaskDefinitions AccessDeniedException`,
  ]));
  // sandbox: the role could not be assumed; nothing was read and every region says so.
  expect(sandbox.errors).toEqual([{
    account: SANDBOX,
    operation: 'sts:AssumeRole',
    code: 'AccessDenied',
    message: `User: arn:aws:iam::${MANAGEMENT}:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${SANDBOX}:role/Audit`,
    resource: `arn:aws:iam::${SANDBOX}:role/Audit`,
    throttled: false,
  }]);
  expect(sandbox.regions.map((r) => [r.region, r.coverage])).toEqual([[REGION, { ecs: 'failed', lambda: 'skipped', batch: 'failed' }]]);
  expect(inventory.status).toBe('partial');
  expect(inventory.calls['organizations:ListAccounts']).toBe(2);
  expect(inventory.calls['sts:AssumeRole']).toBe(4);
  // Every read of a member account was made as that account, never as the caller.
  for (const r of fake.requests.filter((q) => q.operation.startsWith('ecs:') || q.operation.startsWith('batch:'))) {
    expect([MANAGEMENT, DEV, PROD]).toContain(r.account);
  }
  expect(fake.requests.filter((q) => q.operation === 'ecs:ListClusters').map((q) => q.account).sort()).toEqual([MANAGEMENT, DEV, PROD].sort());
  // The temporary credentials the endpoint issued appear nowhere in the inventory.
  const text = JSON.stringify(inventory);
  for (const secret of fake.identities.issuedSecrets) expect(text).not.toContain(secret);
});

test('a list of accounts; calls in flight bounded across accounts and regions', async () => {
  fake.latencyMs = 5;
  const inventory = await readAuditInventory({
    regions: [REGION, 'us-east-1'],
    accounts: [DEV, SANDBOX, PROD],
    assumeRoleName: 'Audit',
    maxConcurrentCalls: 2,
    maxConcurrentAccounts: 3,
  });
  fake.latencyMs = 0;
  expect(inventory.accounts.map((a) => [a.accountId, a.status, a.name])).toEqual([
    [DEV, 'complete', undefined],
    [SANDBOX, 'failed', undefined],
    [PROD, 'complete', undefined],
  ]);
  expect(inventory.accounts[0].regions.map((r) => r.region)).toEqual([REGION, 'us-east-1']);
  expect(inventory.calls['organizations:ListAccounts']).toBeUndefined();
  expect(fake.maxInFlight).toBeLessThanOrEqual(2);
  expect(fake.maxInFlight).toBe(2);
});

test('Organizations ListAccounts denied: said by name, no account read, never an empty success', async () => {
  fake.faults.push({ operation: 'organizations:ListAccounts', error: 'AccessDenied' });
  const inventory = await readAuditInventory({ regions: [REGION], organization: true, assumeRoleName: 'Audit' });
  expect(inventory.accounts).toEqual([]);
  expect(inventory.status).toBe('failed');
  expect(inventory.errors).toEqual([expect.objectContaining({ operation: 'organizations:ListAccounts', code: 'AccessDeniedException' })]);
});

test('the role session name and partition come from the options and the caller', async () => {
  const cn = new FakeAwsModel(MANAGEMENT, 'aws-cn');
  cn.account(DEV, ['Audit']);
  cn.region(DEV, 'cn-north-1').taskDefinition('app', [{ name: 'app', image: 'busybox:1.36' }]);
  const china = await FakeAwsServer.start(cn.data);
  const restore = applyEnv(china.env());
  try {
    const inventory = await readAuditInventory({
      regions: ['cn-north-1'],
      accounts: [DEV],
      assumeRoleName: 'Audit',
      roleSessionName: 'nightly-audit',
      services: ['ecs'],
    });
    expect(inventory.caller?.partition).toBe('aws-cn');
    expect(inventory.accounts[0].roleArn).toBe(`arn:aws-cn:iam::${DEV}:role/Audit`);
    expect(inventory.accounts[0].regions[0].taskDefinitions.map((t) => t.arn)).toEqual([`arn:aws-cn:ecs:cn-north-1:${DEV}:task-definition/app:1`]);
    expect(china.identities.issuedSecrets).toHaveLength(2);
  } finally {
    restore();
    await china.close();
  }
});

/**
 * Many accounts: `--accounts` and `--organization` with `--assume-role`, through STS AssumeRole
 * on the loopback endpoint; findings grouped and named per account, an account that could not be
 * read named on stderr and in the report while the others are audited (exit 2); `--profile`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAudit, WEST } from './audit-fixture';
import { FakeAwsModel } from '../../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../../support/aws/fake-aws-server';
import { removeTemporaryDirectories, temporaryDirectory } from '../cli-process';

const MANAGEMENT = '111111111111';
const DEV = '222222222222';
const PROD = '333333333333';
const SANDBOX = '444444444444';

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(MANAGEMENT);
  model.account(MANAGEMENT, ['Audit']);
  model.account(DEV, ['Audit']);
  model.account(PROD, ['Audit']);
  // The role does not exist in the sandbox: AssumeRole is denied there.
  model.account(SANDBOX, ['SomethingElse']);
  for (const account of [MANAGEMENT, DEV, PROD, SANDBOX]) {
    const r = model.region(account, WEST);
    const td = r.taskDefinition(`app-${account}`, [{ name: 'app', image: account === DEV ? 'app:latest' : 'app:1.2.3' }]);
    const service = r.service('main', 'app', td);
    r.task('main', td, { service });
  }
  model.organization([
    { id: MANAGEMENT, name: 'management' },
    { id: DEV, name: 'dev' },
    { id: PROD, name: 'prod' },
    { id: SANDBOX, name: 'sandbox' },
    { id: '555555555555', name: 'closed', status: 'SUSPENDED' },
  ]);
  fake = await FakeAwsServer.start(model.data, { pageSizeCap: 2 });
  restoreEnv = applyEnv(fake.env());
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
  removeTemporaryDirectories();
});

beforeEach(() => {
  fake.reset();
  fake.faults = [];
});

test('--accounts with --assume-role: each account through its role, findings named by account', async () => {
  const run = await runAudit(['--region', WEST, '--accounts', `${DEV},${PROD}`, '--assume-role', 'Audit', '--format', 'json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  const json = JSON.parse(run.stdout);
  expect(json.regions.map((r: { account: string; status: string }) => `${r.account} ${r.status}`)).toEqual([`${DEV} complete`, `${PROD} complete`]);
  expect(json.findings.map((f: { account: string; findingId: string }) => `${f.account} ${f.findingId}`)).toEqual([`${DEV} ImagePinning-ECS1[app]`]);
  const assumed = fake.requests.filter((r) => r.operation === 'sts:AssumeRole');
  expect(assumed).toHaveLength(2);
  // Each account was read with its own role's credentials.
  expect(new Set(fake.requests.filter((r) => r.operation === 'ecs:ListClusters').map((r) => r.account))).toEqual(new Set([DEV, PROD]));
});

test('--external-id is sent with every AssumeRole', async () => {
  fake.identities.assumeRoleRequests.length = 0;
  const run = await runAudit(['--region', WEST, '--accounts', DEV, '--assume-role', 'Audit', '--external-id', 'audit-7f3a', '--services', 'batch']);
  expect(run.stderr).toBe('');
  expect(fake.identities.assumeRoleRequests).toEqual([
    { RoleArn: `arn:aws:iam::${DEV}:role/Audit`, RoleSessionName: 'cdk-image-pinning-audit', ExternalId: 'audit-7f3a' },
  ]);
});

test('--organization: every ACTIVE account, named; AccessDenied for one account and a role that cannot be assumed are reported, the rest audited', async () => {
  fake.faults.push({ account: PROD, operation: 'ecs:*', error: 'AccessDenied' });
  const run = await runAudit(['--region', WEST, '--organization', '--assume-role', 'Audit', '--services', 'ecs']);
  expect(run.status).toBe(2);
  const stderr = run.stderr.trimEnd().split('\n');
  // In the organization's order, each by account, region and call.
  expect(stderr).toEqual([
    expect.stringMatching(new RegExp(`^cdk-image-pinning: ${PROD} ${WEST} ecs:ListClusters: AccessDeniedException: User: arn:aws:sts::${PROD}:assumed-role/Audit/`)),
    expect.stringMatching(new RegExp(`^cdk-image-pinning: ${PROD} ${WEST} ecs:ListTaskDefinitions: AccessDeniedException: `)),
    expect.stringMatching(new RegExp(`^cdk-image-pinning: ${SANDBOX} sts:AssumeRole \\(arn:aws:iam::${SANDBOX}:role/Audit\\): AccessDenied: `)),
  ]);
  // What was read: every account by name and how completely; the suspended one is not listed.
  expect(run.stdout).toContain(`Audited 4 accounts in 1 region (ECS) as arn:aws:iam::${MANAGEMENT}:user/auditor:`);
  expect(run.stdout).toMatch(new RegExp(`${MANAGEMENT} \\(management\\)\\s+${WEST}\\s+3 images\\s+read completely`));
  expect(run.stdout).toMatch(new RegExp(`${PROD} \\(prod\\)\\s+${WEST}\\s+-\\s+NOT READ: ECS could not be read`));
  expect(run.stdout).toMatch(new RegExp(`${SANDBOX} \\(sandbox\\)\\s+${WEST}\\s+-\\s+NOT READ: ECS could not be read`));
  expect(run.stdout).not.toContain('555555555555');
  // The findings of dev, under its heading.
  expect(run.stdout).toContain(`${DEV} (dev) ${WEST}\n  cluster main, service app\n    task definition app-${DEV}:1`);
  expect(run.stdout).toContain('3 calls failed: 2 regions not read completely, 1 account not read (listed above and on stderr).');
});

test('--print-iam-policy for --organization names the role in every account; for --accounts, in those', async () => {
  const org = await runAudit(['--organization', '--assume-role', 'Audit', '--print-iam-policy', '--format', 'json']);
  expect(org.status).toBe(0);
  expect(JSON.parse(org.stdout).caller.Statement.map((s: { Action: string[]; Resource: unknown }) => [s.Action, s.Resource])).toEqual([
    [['sts:AssumeRole'], ['arn:aws:iam::*:role/Audit']],
    [['organizations:ListAccounts'], '*'],
  ]);
  const listed = await runAudit(['--accounts', PROD, '--accounts', DEV, '--assume-role', 'Audit', '--print-iam-policy', '--format', 'json']);
  expect(JSON.parse(listed.stdout).caller.Statement[0].Resource).toEqual([`arn:aws:iam::${DEV}:role/Audit`, `arn:aws:iam::${PROD}:role/Audit`]);
  expect(fake.requests).toEqual([]);
});

test('usage errors name the option: a bad account id, --organization without a role, a role without accounts', async () => {
  const bad = await runAudit(['--accounts', '12345']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('option \'--accounts <ids>\' argument \'12345\' is invalid. "12345" is not an AWS account id (12 digits).');
  const noRole = await runAudit(['--organization', '--region', WEST]);
  expect(noRole.stderr).toBe('cdk-image-pinning: reading other accounts needs the name of the role to assume in each (--assume-role)\n');
  expect(noRole.status).toBe(2);
  const noAccounts = await runAudit(['--assume-role', 'Audit', '--region', WEST]);
  expect(noAccounts.stderr).toBe('cdk-image-pinning: a role to assume needs the accounts to assume it in (--accounts or --organization)\n');
  expect(fake.requests).toEqual([]);
});

test('--profile: the shared config files\' profile is the identity that reads, with its region', async () => {
  const dir = temporaryDirectory('image-pinning-audit-profile-');
  const key = 'AKIAPROFILEEXAMPLE01';
  fake.model.accessKeys[key] = PROD;
  fs.writeFileSync(path.join(dir, 'credentials'), `[audit]\naws_access_key_id = ${key}\naws_secret_access_key = profile-secret-example-value\n`);
  fs.writeFileSync(path.join(dir, 'config'), `[profile audit]\nregion = ${WEST}\n`);
  const restore = applyEnv({
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
  });
  try {
    const run = await runAudit(['--profile', 'audit', '--format', 'json', '--services', 'ecs']);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    expect(json.caller.account).toBe(PROD);
    expect(json.scope.regions).toEqual([WEST]);
    expect(json.regions.map((r: { account: string }) => r.account)).toEqual([PROD]);
    expect(run.stdout).not.toContain('profile-secret-example-value');
  } finally {
    restore();
  }
});

/**
 * End to end: the real bin, spawned, with the SDK's standard configuration pointed at the loopback
 * endpoint through the service-specific variables (`AWS_ENDPOINT_URL_ECS`, `_LAMBDA`, `_BATCH`,
 * `_STS`, `_ORGANIZATIONS`, no `AWS_ENDPOINT_URL`), static test credentials, and no instance
 * metadata. No credential, static or assumed, appears in any output, even when an error message
 * quotes the request's access key and signature. The SDK's Node 20 notice is not printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCOUNT, auditModel, spawnAudit, WEST, writeLock } from './audit-fixture';
import { CALLER_ACCESS_KEY_ID, CALLER_SECRET_ACCESS_KEY } from '../../support/aws/fake-account';
import { FakeAwsServer } from '../../support/aws/fake-aws-server';
import { expectCleanOutput, removeTemporaryDirectories, temporaryDirectory } from '../cli-process';

const DEV = '222222222222';

let fake: FakeAwsServer;

beforeAll(async () => {
  const model = auditModel();
  model.account(ACCOUNT, ['Audit']);
  model.account(DEV, ['Audit']);
  const dev = model.region(DEV, WEST);
  const td = dev.taskDefinition('app', [{ name: 'app', image: 'app:latest' }]);
  dev.task('main', td);
  model.organization([{ id: ACCOUNT, name: 'management' }, { id: DEV, name: 'dev' }]);
  fake = await FakeAwsServer.start(model.data);
});

afterAll(async () => {
  await fake.close();
  removeTemporaryDirectories();
});

beforeEach(() => {
  fake.reset();
  fake.faults = [];
});

/** Each service's own endpoint variable, the static credentials, nothing from this machine's AWS setup. */
function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_ECS: fake.url,
    AWS_ENDPOINT_URL_LAMBDA: fake.url,
    AWS_ENDPOINT_URL_BATCH: fake.url,
    AWS_ENDPOINT_URL_STS: fake.url,
    AWS_ENDPOINT_URL_ORGANIZATIONS: fake.url,
    AWS_ACCESS_KEY_ID: CALLER_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: CALLER_SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_REGION: WEST,
    ...extra,
  };
}

function expectNoCredentials(...outputs: string[]) {
  const secrets = [CALLER_ACCESS_KEY_ID, CALLER_SECRET_ACCESS_KEY, ...fake.identities.issuedSecrets];
  for (const output of outputs) {
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/);
    expect(output).not.toMatch(/Signature=[0-9a-f]{16,}/);
  }
}

test('the bin audits the account through each service\'s endpoint variable: findings, exit 1, nothing on stderr', async () => {
  const run = await spawnAudit(['--lock-file', writeLock()], env());
  expectCleanOutput(run);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(`  ${ACCOUNT}  ${WEST}  34 images  read completely`);
  for (const rule of ['ECS1', 'LAMBDA1', 'BATCH1', 'AUDIT1', 'AUDIT2', 'AUDIT3']) expect(run.stdout).toContain(`ImagePinning-${rule} `);
  expect(run.stdout).toContain('9 errors and 8 warnings (34 images audited in 1 region of 1 account).');
  const services = new Set(fake.requests.map((r) => r.operation.split(':')[0]));
  expect(services).toEqual(new Set(['sts', 'ecs', 'lambda', 'batch']));
  expect(fake.requests.every((r) => r.status === 200 && r.region === WEST)).toBe(true);
  expectNoCredentials(run.stdout, run.stderr);
});

test('the SDK\'s Node version notice is not printed, unless the environment asks for it', async () => {
  const run = await spawnAudit(['--format', 'json'], env());
  expect(run.stderr).not.toContain('NodeVersionSupportWarning');
  if (Number(process.versions.node.split('.')[0]) < 22) {
    const shown = await spawnAudit(['--format', 'json'], env({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' }));
    expect(shown.stderr).toContain('NodeVersionSupportWarning');
  }
});

test('the organization through STS and Organizations; an error that quotes the request\'s key and signature is redacted; exit 2', async () => {
  fake.faults.push({
    account: DEV,
    operation: 'ecs:ListTasks',
    error: 'AccessDenied',
    message: 'Denied for {accessKeyId}; the request was signed with {authorization}',
  });
  const run = await spawnAudit(['--organization', '--assume-role', 'Audit', '--format', 'json'], env());
  expect(run.status).toBe(2);
  const json = JSON.parse(run.stdout);
  expect(json.regions.map((r: { account: string; accountName: string; status: string }) => `${r.account} ${r.accountName} ${r.status}`)).toEqual([
    `${ACCOUNT} management complete`,
    `${DEV} dev partial`,
  ]);
  expect(json.readErrors).toEqual([expect.objectContaining({ account: DEV, region: WEST, operation: 'ecs:ListTasks', code: 'AccessDeniedException' })]);
  expect(json.readErrors[0].message).toContain('Denied for [redacted]');
  expect(run.stderr).toMatch(new RegExp(`^cdk-image-pinning: ${DEV} ${WEST} ecs:ListTasks \\(arn:aws:ecs:${WEST}:${DEV}:cluster/main\\): AccessDeniedException: Denied for \\[redacted\\]`));
  expect(fake.identities.issuedSecrets.length).toBeGreaterThan(0);
  expect(fake.requests.some((r) => r.operation === 'organizations:ListAccounts')).toBe(true);
  expect(fake.requests.filter((r) => r.operation === 'sts:AssumeRole')).toHaveLength(2);
  expectNoCredentials(run.stdout, run.stderr);
  // The table says the same.
  const table = await spawnAudit(['--organization', '--assume-role', 'Audit'], env());
  expect(table.status).toBe(2);
  expectNoCredentials(table.stdout, table.stderr);
});

test('--print-iam-policy makes no call and exits 0', async () => {
  const run = await spawnAudit(['--print-iam-policy', '--organization', '--assume-role', 'Audit'], env());
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('"organizations:ListAccounts"');
  expect(run.stdout).toContain('"ecs:DescribeTasks"');
  expect(fake.requests).toEqual([]);
});

test('a bad value is a usage error that names the option, before any call', async () => {
  const run = await spawnAudit(['--region', 'not-a-region'], env());
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('option \'--region <region>\' argument \'not-a-region\' is invalid. not a region name (e.g. eu-west-1).');
  expect(fake.requests).toEqual([]);
});

test('without the SDK installed: one line names every package to install, exit 2; --print-iam-policy needs none', async () => {
  // Preloaded into the bin's process: every @aws-sdk/* package is unresolvable, as where it is not installed.
  const hide = path.join(temporaryDirectory('image-pinning-audit-nosdk-'), 'hide-sdk.js');
  fs.writeFileSync(hide, `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request.startsWith('@aws-sdk/')) {
        const e = new Error("Cannot find module '" + request + "'");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      }
      return resolve.call(this, request, ...rest);
    };
  `);
  const run = await spawnAudit(['--organization', '--assume-role', 'Audit'], env({ NODE_OPTIONS: `--require ${hide}` }));
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'cdk-image-pinning: audit needs the AWS SDK packages @aws-sdk/client-sts, @aws-sdk/client-ecs, @aws-sdk/client-lambda, @aws-sdk/client-batch, ' +
      '@aws-sdk/client-organizations, which are not installed: run `npm install --save-dev @aws-sdk/client-sts @aws-sdk/client-ecs @aws-sdk/client-lambda ' +
      '@aws-sdk/client-batch @aws-sdk/client-organizations` next to cdk-image-pinning (or `npx -p cdk-image-pinning -p @aws-sdk/client-sts -p @aws-sdk/client-ecs ' +
      '-p @aws-sdk/client-lambda -p @aws-sdk/client-batch -p @aws-sdk/client-organizations cdk-image-pinning ...`)\n',
  );
  const policy = await spawnAudit(['--print-iam-policy'], env({ NODE_OPTIONS: `--require ${hide}` }));
  expect(policy.status).toBe(0);
  expect(policy.stdout).toContain('"ecs:ListClusters"');
  expect(fake.requests).toEqual([]);
});

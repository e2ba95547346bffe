/**
 * What the audit command does when calls fail: throttling that the SDK's retries absorb (exit as
 * if nothing happened), AccessDenied for one region (that region reported by name, on stderr and
 * in every format, the other audited, exit 2, never "0 images" for it), and pagination of every
 * list on an endpoint that returns two items a page.
 */
import { auditModel, EAST, runAudit, WEST, writeLock } from './audit-fixture';
import { FakeAwsModel } from '../../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../../support/aws/fake-aws-server';
import { removeTemporaryDirectories } from '../cli-process';

afterAll(removeTemporaryDirectories);

describe('failures', () => {
  let fake: FakeAwsServer;
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = await FakeAwsServer.start(auditModel().data);
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

  test('throttling then success: retried by the SDK, the same report as without, exit 1 for the findings only', async () => {
    const calm = await runAudit(['--region', WEST, '--format', 'json']);
    fake.faults.push({ operation: 'ecs:DescribeTasks', error: 'Throttling', times: 1 });
    fake.faults.push({ operation: 'lambda:ListFunctions', error: 'Throttling', times: 1 });
    const throttled = await runAudit(['--region', WEST, '--format', 'json']);
    expect(throttled.stderr).toBe('');
    expect(throttled.status).toBe(1);
    const [a, b] = [JSON.parse(calm.stdout), JSON.parse(throttled.stdout)];
    expect(b.findings).toEqual(a.findings);
    expect(b.readErrors).toEqual([]);
    expect(b.retries).toEqual({ 'ecs:DescribeTasks': 1, 'lambda:ListFunctions': 1 });
    expect(b.calls).toEqual(a.calls);
  });

  test('throttling that outlasts the retries: the call is named, marked throttled, and the exit code is 2', async () => {
    fake.faults.push({ operation: 'batch:DescribeJobDefinitions', error: 'Throttling' });
    const run = await runAudit(['--region', WEST, '--max-attempts', '2']);
    expect(run.status).toBe(2);
    expect(fake.counts()['batch:DescribeJobDefinitions']).toBe(2);
    expect(run.stderr).toBe(
      `cdk-image-pinning: 111111111111 ${WEST} batch:DescribeJobDefinitions: TooManyRequestsException: Rate exceeded (throttled; the retries ran out)\n`,
    );
    expect(run.stdout).toContain(`111111111111  ${WEST}`);
    expect(run.stdout).toContain('INCOMPLETE: Batch could not be read');
    // The rest was audited: the findings of ECS and Lambda are there.
    expect(run.stdout).toContain('ImagePinning-ECS1');
    expect(run.stdout).toContain('ImagePinning-LAMBDA1');
    expect(run.stdout).not.toContain('ImagePinning-BATCH1');
  });

  test('AccessDenied for one region: named on stderr and in the report, the other region audited, exit 2', async () => {
    fake.faults.push({ region: EAST, error: 'AccessDenied' });
    const run = await runAudit(['--region', WEST, '--region', EAST]);
    expect(run.status).toBe(2);
    const stderr = run.stderr.trimEnd().split('\n');
    expect(stderr.map((l) => l.split(': ')[1])).toEqual([
      `111111111111 ${EAST} batch:DescribeJobDefinitions`,
      `111111111111 ${EAST} ecs:ListClusters`,
      `111111111111 ${EAST} ecs:ListTaskDefinitions`,
      `111111111111 ${EAST} lambda:ListFunctions`,
    ]);
    expect(stderr[1]).toBe(
      `cdk-image-pinning: 111111111111 ${EAST} ecs:ListClusters: AccessDeniedException: User: arn:aws:iam::111111111111:user/auditor is not authorized to ` +
        'perform: ecs:ListClusters on resource: * because no identity-based policy allows the ecs:ListClusters action',
    );
    // The region is never an empty one.
    expect(run.stdout).toMatch(new RegExp(`111111111111  ${EAST}  -\\s+NOT READ: ECS, Lambda, Batch could not be read`));
    expect(run.stdout).not.toMatch(new RegExp(`${EAST}\\s+0 images`));
    expect(run.stdout).toContain('Could not read (4 calls failed; everything else was audited):');
    expect(run.stdout).toContain('4 calls failed: 1 region not read completely (listed above and on stderr).');
    expect(run.stdout).toContain('audited; 1 of 2 regions of 1 account read');
    // eu-west-1 is reported in full; us-east-1's unpinned nginx:latest could not be seen.
    expect(run.stdout).toContain('ImagePinning-ECS1');
    expect(run.stdout).not.toContain('nginx:latest');

    const json = JSON.parse((await runAudit(['--region', WEST, '--region', EAST, '--format', 'json'])).stdout);
    expect(json.summary).toMatchObject({ exitCode: 2, regions: 2, regionsNotReadCompletely: 1, readErrors: 4 });
    expect(json.regions.find((r: { region: string }) => r.region === EAST)).toMatchObject({
      status: 'failed',
      coverage: { ecs: 'failed', lambda: 'failed', batch: 'failed' },
    });
    expect(json.readErrors[1]).toEqual({
      account: '111111111111',
      region: EAST,
      operation: 'ecs:ListClusters',
      code: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: ecs:ListClusters'),
      throttled: false,
    });
  });

  test('services that could not be described: what their tasks run is still compared with the lock, exit 2', async () => {
    fake.faults.push({ operation: 'ecs:DescribeServices', error: 'AccessDenied' });
    const run = await runAudit(['--region', WEST, '--lock-file', writeLock(), '--format', 'json', '--services', 'ecs']);
    expect(run.status).toBe(2);
    const json = JSON.parse(run.stdout);
    expect(json.readErrors.map((e: { operation: string }) => e.operation)).toEqual(['ecs:DescribeServices']);
    const worker = json.findings.find((f: { findingId: string }) => f.findingId === 'ImagePinning-AUDIT1[worker]');
    expect(worker).toMatchObject({ service: 'worker', resource: `arn:aws:ecs:${WEST}:111111111111:service/prod/worker`, tasks: [expect.any(String)] });
  });

  test('without the region the whole run failed for, the exit code is that of the findings', async () => {
    fake.faults.push({ region: EAST, error: 'AccessDenied' });
    const run = await runAudit(['--region', WEST]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
  });

  test('no credentials that work: the caller cannot be named, nothing is read, exit 2', async () => {
    fake.faults.push({ operation: 'sts:GetCallerIdentity', error: 'AccessDenied' });
    const run = await runAudit(['--region', WEST]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^cdk-image-pinning: sts:GetCallerIdentity: AccessDenied: /);
    expect(run.stdout).toContain(`Nothing could be audited in ${WEST} (ECS, Lambda, Batch): no account could be read (see below).`);
    expect(run.stdout).toContain('Nothing was audited.');
    expect(run.stdout).not.toMatch(/No findings|0 images/);
  });
});

describe('pagination', () => {
  let fake: FakeAwsServer;
  let restoreEnv: () => void;
  const FAMILIES = 23;
  const SERVICES = 13;

  beforeAll(async () => {
    const model = new FakeAwsModel('111111111111');
    const r = model.region('111111111111', WEST);
    for (let f = 0; f < FAMILIES; f++) {
      r.taskDefinition(`family-${f}`, [{ name: 'app', image: `app-${f}:1.0.0` }]);
      r.taskDefinition(`family-${f}`, [{ name: 'app', image: `app-${f}:latest` }]);
    }
    const td = r.taskDefinition('svc', [{ name: 'web', image: 'nginx:1.27.3' }]);
    for (let s = 0; s < SERVICES; s++) {
      const service = r.service(`cluster-${s % 3}`, `service-${s}`, td);
      r.task(`cluster-${s % 3}`, td, { service });
    }
    for (let i = 0; i < 5; i++) r.lambdaFunction(`fn-${i}`, { imageUri: `${r.ecrImage(`fn-${i}`, 'latest')}` });
    for (let i = 0; i < 5; i++) r.jobDefinition(`job-${i}`, ['busybox']);
    fake = await FakeAwsServer.start(model.data, { pageSizeCap: 2 });
    restoreEnv = applyEnv(fake.env());
  });

  afterAll(async () => {
    restoreEnv();
    await fake.close();
  });

  test('every list is followed to its last page: every latest revision, service, task, function and job definition is audited', async () => {
    const run = await runAudit(['--region', WEST, '--format', 'json', '--inventory']);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    const findings: Array<{ ruleId: string; resourceName: string }> = json.findings;
    expect(findings.filter((f) => f.ruleId === 'ImagePinning-ECS1').map((f) => f.resourceName).sort())
      .toEqual(Array.from({ length: FAMILIES }, (_, f) => `family-${f}:2`).sort());
    expect(findings.filter((f) => f.ruleId === 'ImagePinning-LAMBDA1')).toHaveLength(5);
    expect(findings.filter((f) => f.ruleId === 'ImagePinning-BATCH1')).toHaveLength(5);
    const tasks = json.inventory.filter((i: { kind: string }) => i.kind === 'ecs-task');
    expect(tasks).toHaveLength(SERVICES);
    // 47 ACTIVE revisions at 2 a page: 24 pages; 3 clusters at 2 a page: 2 pages.
    expect(json.calls['ecs:ListTaskDefinitions']).toBe(24);
    expect(json.calls['ecs:ListClusters']).toBe(2);
    expect(json.calls['lambda:ListFunctions']).toBe(3);
    expect(json.calls['batch:DescribeJobDefinitions']).toBe(3);
    expect(fake.counts()['ecs:ListTaskDefinitions']).toBe(24);
  });
});

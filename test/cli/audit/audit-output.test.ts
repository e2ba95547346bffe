/**
 * The audit command's outputs: the table grouped by account, region, cluster and service; SARIF
 * valid against the SARIF 2.1.0 schema (as `scan`'s is checked); `--inventory`; `--output`;
 * `--print-iam-policy` without any AWS call; progress on stderr only for a terminal; the help.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ACCOUNT, auditModel, EAST, ECR, runAudit, WEST, writeLock } from './audit-fixture';
import { auditIamPolicies } from '../../../src/audit';
import { CLI_OPTIONS } from '../../../src/cli/policy-options';
import { allRuleIds, auditRuleIds } from '../../../src/rules/rule-ids';
import { FakeAwsModel } from '../../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../../support/aws/fake-aws-server';
import { removeTemporaryDirectories, temporaryDirectory } from '../cli-process';

/** The SARIF 2.1.0 schema that @microsoft/jest-sarif ships, read by ajv 8 as scan's tests read it. */
function sarifValidator() {
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { id, $schema: _draft04, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: id, $schema: 'http://json-schema.org/draft-07/schema#' });
}
const validate = sarifValidator();

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

beforeEach(() => {
  fake.reset();
  fake.faults = [];
});

describe('table', () => {
  test('what was read, then findings by account and region, cluster and service, resource; then the summary', async () => {
    const run = await runAudit(['--region', WEST, '--lock-file', lockFile]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `Audited 1 account in 1 region (ECS, Lambda, Batch) as arn:aws:iam::${ACCOUNT}:user/auditor, against the lock file ${lockFile}:`,
      `  ${ACCOUNT}  ${WEST}  34 images  read completely`,
    ]);
    // Headings in order, each finding under its resource.
    const headings = lines.filter((l) => /^\S/.test(l) || /^ {2}\S/.test(l) || /^ {4}\S/.test(l));
    expect(headings.slice(2)).toEqual([
      `${ACCOUNT} ${WEST}`,
      '  cluster prod, service api',
      `    service api arn:aws:ecs:${WEST}:${ACCOUNT}:service/prod/api`,
      `    task definition api:1 arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/api:1`,
      `    task definition api:2 arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/api:2`,
      '  cluster prod, service cache',
      `    service cache arn:aws:ecs:${WEST}:${ACCOUNT}:service/prod/cache`,
      `    task definition cache:1 arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/cache:1`,
      '  cluster prod, service web',
      `    task definition web:1 arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/web:1`,
      '  cluster prod, service worker',
      `    service worker arn:aws:ecs:${WEST}:${ACCOUNT}:service/prod/worker`,
      '  task definitions that no service or running task uses',
      `    task definition ssm:1 arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/ssm:1`,
      '  Lambda functions',
      `    function edge arn:aws:lambda:${WEST}:${ACCOUNT}:function:edge`,
      `    function stale arn:aws:lambda:${WEST}:${ACCOUNT}:function:stale`,
      '  Batch job definitions',
      `    job definition mpi:1 arn:aws:batch:${WEST}:${ACCOUNT}:job-definition/mpi:1`,
      `    job definition nightly:1 arn:aws:batch:${WEST}:${ACCOUNT}:job-definition/nightly:1`,
      '9 errors and 8 warnings (34 images audited in 1 region of 1 account).',
    ]);
    // Rule ids padded to the longest (ImagePinning-LAMBDA1), fixes aligned under the statement.
    const worker = lines.findIndex((l) => /ImagePinning-AUDIT1 +Container "worker"/.test(l));
    expect(lines[worker]).toMatch(/^ {6}error {4}ImagePinning-AUDIT1 {3}Container "worker": image ".*\/worker:2" runs sha256:[0-9a-f]{12} \(1 running task/);
    expect(lines[worker + 1]).toMatch(/^ {37}Fix: deploy the locked image, e\.g\. ".*\/worker:2@sha256:[0-9a-f]{64}"/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  test('--inventory: every deployed image, where it is configured or runs, and its digest', async () => {
    const run = await runAudit(['--region', WEST, '--lock-file', lockFile, '--inventory']);
    const lines = run.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('STATUS'));
    expect(lines[header]).toMatch(/^STATUS\s+ACCOUNT\s+REGION\s+WHERE\s+CONTAINER\s+IMAGE\s+DIGEST$/);
    const rows = lines.slice(header + 1, lines.indexOf('', header)).map((l) => l.split(/\s{2,}/));
    expect(rows).toHaveLength(34);
    expect(rows).toEqual(expect.arrayContaining([
      ['pinned', ACCOUNT, WEST, 'prod/web task definition web:1', 'web', 'nginx:1.27.3', '-'],
      ['unpinned', ACCOUNT, WEST, 'prod/web task definition web:1', 'proxy', 'envoyproxy/envoy:latest', '-'],
      ['drifted', ACCOUNT, WEST, expect.stringMatching(/^prod\/worker task [0-9a-f]{32}$/), 'worker', `${ECR}/worker:2`, expect.stringMatching(/^sha256:[0-9a-f]{12}\.\.\.$/)],
      ['locked', ACCOUNT, WEST, expect.stringMatching(/^batch task /), 'app', expect.stringMatching(/^nginx@sha256:/), expect.any(String)],
      ['no-digest', ACCOUNT, WEST, expect.stringMatching(/^prod\/cache revision \d+$/), 'redis', 'redis:7.2.4', '-'],
      ['not-locked', ACCOUNT, WEST, 'function edge', '-', `${ECR}/edge:latest`, expect.any(String)],
      ['invalid', ACCOUNT, WEST, 'task definition ssm:1', 'app', '{{resolve:ssm:/app/image}}', '-'],
      ['pinned', ACCOUNT, WEST, 'job definition nightly:1', 'containerProperties', 'busybox:1.36.1', '-'],
    ]));
  });

  test('colour only on a terminal, and never with --no-color; --color colours a pipe, as for scan', async () => {
    const plain = await runAudit(['--region', WEST, '--no-color']);
    expect(plain.stdout).not.toContain('\u001b[');
    expect((await runAudit(['--region', WEST])).stdout).not.toContain('\u001b[');
    expect((await runAudit(['--region', WEST, '--color'])).stdout).toContain('\u001b[');
  });
});

describe('JSON', () => {
  test('summary, what was read, findings, the calls made; --inventory adds every image', async () => {
    const json = JSON.parse((await runAudit(['--region', WEST, '--lock-file', lockFile, '--format', 'json', '--inventory'])).stdout);
    expect(json.summary).toEqual({
      exitCode: 1,
      accounts: 1,
      regions: 1,
      regionsNotReadCompletely: 0,
      images: 34,
      errors: 9,
      warnings: 8,
      readErrors: 0,
      apiCalls: expect.any(Number),
    });
    expect(json.summary.apiCalls).toBe(Object.values(fake.counts()).reduce((a, b) => a + b, 0));
    expect(json.calls).toEqual(fake.counts());
    expect(json.lockFile).toBe(lockFile);
    expect(json.inventory).toHaveLength(34);
    expect(json.inventory.find((i: { kind: string; resourceName: string }) => i.kind === 'lambda-function' && i.resourceName === 'fn')).toEqual({
      kind: 'lambda-function',
      status: 'locked',
      account: ACCOUNT,
      region: WEST,
      resource: `arn:aws:lambda:${WEST}:${ACCOUNT}:function:fn`,
      resourceName: 'fn',
      image: `${ECR}/fn:v1`,
      digest: expect.stringMatching(/^sha256:/),
      registry: `${ACCOUNT}.dkr.ecr.${WEST}.amazonaws.com`,
      repository: 'fn',
      tag: 'v1',
      architectures: ['arm64'],
    });
  });
});

describe('SARIF', () => {
  test('valid SARIF 2.1.0, with every rule, each result located by ARN and by account/region/cluster/service', async () => {
    const run = await runAudit(['--region', WEST, '--lock-file', lockFile, '--format', 'sarif']);
    const log = JSON.parse(run.stdout);
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const driver = log.runs[0].tool.driver;
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual([...allRuleIds(), ...auditRuleIds()]);
    expect(driver.rules.find((r: { id: string }) => r.id === 'ImagePinning-AUDIT2')).toMatchObject({
      shortDescription: { text: 'The tasks of one service must run one digest of each container' },
      defaultConfiguration: { level: 'error' },
    });
    const results = log.runs[0].results;
    // 10 of the fixture's findings, and the 7 images the lock does not hold (ImagePinning-<GROUP>3, as scan reports them).
    expect(results).toHaveLength(17);
    const worker = results.find((r: { properties: { findingId: string } }) => r.properties.findingId === 'ImagePinning-AUDIT1[worker]');
    expect(worker).toMatchObject({
      ruleId: 'ImagePinning-AUDIT1',
      ruleIndex: allRuleIds().length,
      kind: 'fail',
      level: 'error',
      locations: [{
        physicalLocation: { artifactLocation: { uri: `arn:aws:ecs:${WEST}:${ACCOUNT}:service/prod/worker` } },
        logicalLocations: [{ name: 'worker', fullyQualifiedName: `${ACCOUNT}/${WEST}/prod/worker/worker/worker`, kind: 'resource' }],
      }],
    });
    expect(log.runs[0].invocations[0]).toMatchObject({ executionSuccessful: true, exitCode: 1, toolExecutionNotifications: [] });
    // The validator does reject a broken log.
    const broken = JSON.parse(run.stdout);
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  test('a region that could not be read is a tool execution notification, the invocation not successful; --inventory adds passes', async () => {
    fake.faults.push({ region: EAST, operation: 'ecs:*', error: 'AccessDenied' });
    const run = await runAudit(['--region', WEST, '--region', EAST, '--format', 'sarif', '--inventory']);
    expect(run.status).toBe(2);
    const log = JSON.parse(run.stdout);
    expect(validate(log)).toBe(true);
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.exitCode).toBe(2);
    expect(invocation.toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text.split(': ')[0])).toEqual([
      `${ACCOUNT} ${EAST} ecs:ListClusters`,
      `${ACCOUNT} ${EAST} ecs:ListTaskDefinitions`,
    ]);
    const kinds = log.runs[0].results.map((r: { kind: string }) => r.kind);
    expect(kinds.filter((k: string) => k === 'pass').length).toBeGreaterThan(5);
  });
});

interface FingerprintedResult {
  readonly properties: { findingId: string; resource: string };
  readonly partialFingerprints: Record<string, string>;
}

describe('SARIF fingerprints', () => {
  const printsOf = (stdout: string): Array<[string, string]> =>
    JSON.parse(stdout).runs[0].results.map((r: FingerprintedResult) => [
      `${r.properties.findingId} ${r.properties.resource}`,
      r.partialFingerprints['cdkImagePinning/v1'],
    ]);

  test('every result has one: distinct within the run, and the same on the next run', async () => {
    const args = ['--region', WEST, '--lock-file', lockFile, '--format', 'sarif'];
    const first = printsOf((await runAudit(args)).stdout);
    expect(first.length).toBeGreaterThan(10);
    first.forEach(([, print]) => expect(print).toMatch(/^[0-9a-f]{32}(:\d+)?$/));
    expect(new Set(first.map(([, print]) => print)).size).toBe(first.length);
    expect(printsOf((await runAudit(args)).stdout)).toEqual(first);
  });

  test('a new revision of the task definition keeps the alert: the revision is not part of it', async () => {
    const printOf = async (revisions: number) => {
      const model = new FakeAwsModel(ACCOUNT);
      const region = model.region(ACCOUNT, WEST);
      for (let i = 0; i < revisions; i++) region.taskDefinition('edge', [{ name: 'proxy', image: 'envoyproxy/envoy:latest' }]);
      const server = await FakeAwsServer.start(model.data);
      const restore = applyEnv(server.env());
      try {
        const prints = printsOf((await runAudit(['--region', WEST, '--format', 'sarif'])).stdout);
        expect(prints.map(([what]) => what)).toEqual([`ImagePinning-ECS1[proxy] arn:aws:ecs:${WEST}:${ACCOUNT}:task-definition/edge:${revisions}`]);
        return prints[0][1];
      } finally {
        restore();
        await server.close();
      }
    };
    expect(await printOf(3)).toBe(await printOf(1));
  });
});

describe('--output', () => {
  test('writes the report to a file; an unwritable one is exit 2', async () => {
    const dir = temporaryDirectory('image-pinning-audit-out-');
    const run = await runAudit(['--region', WEST, '--format', 'json', '-o', 'audit.json'], { cwd: dir });
    expect(run.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'audit.json'), 'utf8')).summary.exitCode).toBe(1);
    expect(run.status).toBe(1);
    const bad = await runAudit(['--region', WEST, '-o', path.join(dir, 'missing', 'audit.txt')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^cdk-image-pinning: cannot write the report to .*audit\.txt \(ENOENT\)\n$/);
  });
});

describe('--print-iam-policy', () => {
  test('prints the read-only policy the caller needs and exits 0, without any AWS call', async () => {
    const run = await runAudit(['--print-iam-policy']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(fake.requests).toEqual([]);
    const [comment, ...json] = run.stdout.split('\n');
    expect(comment).toBe('# The identity that runs the audit (your credentials\' user or role) needs this policy; all its actions only read:');
    expect(JSON.parse(json.join('\n'))).toEqual(auditIamPolicies().caller);
    const actions: string[] = auditIamPolicies().caller.Statement.flatMap((s) => s.Action);
    expect(actions.every((a) => /^[a-z]+:(List|Describe|Get)[A-Za-z]+$/.test(a))).toBe(true);
  });

  test('with --assume-role: the caller may assume the role, the role may read; --services narrows it; the partition follows the region', async () => {
    const run = await runAudit(['--print-iam-policy', '--accounts', '222222222222', '--assume-role', 'Audit', '--services', 'ecs', '--region', 'cn-north-1']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('# The role Audit in each audited account needs this policy (all its actions only read), and a trust policy');
    const json = JSON.parse((await runAudit(['--print-iam-policy', '--accounts', '222222222222', '--assume-role', 'Audit', '--services', 'ecs', '--region', 'cn-north-1', '--format', 'json'])).stdout);
    expect(json).toEqual(auditIamPolicies({ assumeRoleName: 'Audit', accounts: ['222222222222'], services: ['ecs'], partition: 'aws-cn' }));
    expect(json.caller.Statement[0].Resource).toEqual(['arn:aws-cn:iam::222222222222:role/Audit']);
    expect(json.assumedRole.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['ReadEcs']);
    expect(fake.requests).toEqual([]);
  });

  test('not as SARIF', async () => {
    const run = await runAudit(['--print-iam-policy', '--format', 'sarif']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: --print-iam-policy prints the policy as text or JSON (--format table or json), not SARIF\n');
  });
});

describe('progress and help', () => {
  test('progress on stderr when it is a terminal, cleared at the end; nothing when it is not', async () => {
    const tty = await runAudit(['--region', WEST], { stderrIsTTY: true });
    expect(tty.stderr).toContain('\r\u001b[2Kaudit: 1/1 accounts, 1/1 regions, ');
    expect(tty.stderr.endsWith('\r\u001b[2K')).toBe(true);
    const pipe = await runAudit(['--region', WEST]);
    expect(pipe.stderr).toBe('');
  });

  test('within a region, the count of calls moves on while it is read', async () => {
    fake.latencyMs = 30;
    try {
      const tty = await runAudit(['--region', WEST, '--services', 'ecs'], { stderrIsTTY: true });
      const counts = [...tty.stderr.matchAll(/0\/1 regions, (\d+) API calls/g)].map((m) => Number(m[1]));
      expect(counts.length).toBeGreaterThan(1);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
    } finally {
      fake.latencyMs = 0;
    }
  });

  test('the help lists every policy option of scan, and the exit codes', async () => {
    const run = await runAudit(['--help']);
    expect(run.status).toBe(0);
    for (const { option } of Object.values(CLI_OPTIONS)) {
      for (const flag of option.includes('[no-]') ? [option.replace('[no-]', ''), option.replace('[no-]', 'no-')] : [option]) {
        expect(run.stdout).toContain(`${flag} `);
      }
    }
    for (const flag of ['--profile', '--region', '--accounts', '--organization', '--assume-role', '--external-id', '--all-revisions', '--cluster', '--lock-file', '--print-iam-policy', '--inventory']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('Exit codes:');
  });

  test('--cluster narrows ECS to one cluster; --all-revisions reads every ACTIVE revision', async () => {
    const one = JSON.parse((await runAudit(['--region', WEST, '--cluster', 'batch', '--services', 'ecs', '--format', 'json', '--inventory'])).stdout);
    expect([...new Set(one.inventory.map((i: { resourceName: string; kind: string }) => i.kind === 'ecs-task-definition' && i.resourceName).filter(Boolean))]).toEqual(['pinned:1']);
    const all = JSON.parse((await runAudit(['--region', WEST, '--all-revisions', '--services', 'ecs', '--format', 'json', '--inventory'])).stdout);
    const revisions = all.inventory.filter((i: { kind: string }) => i.kind === 'ecs-task-definition').map((i: { resourceName: string }) => i.resourceName);
    expect(revisions).toEqual(expect.arrayContaining(['api:1', 'api:2']));
    expect(all.scope.allRevisions).toBe(true);
  });
});

describe('terminal safety', () => {
  test('control characters in what the account holds are written as escapes in the table and on stderr, kept in JSON', async () => {
    const model = new FakeAwsModel(ACCOUNT);
    const r = model.region(ACCOUNT, WEST);
    r.taskDefinition('odd', [{ name: 'web\u001b[2K\rok', image: 'nginx:latest' }]);
    const odd = await FakeAwsServer.start(model.data);
    const restore = applyEnv(odd.env());
    try {
      odd.faults.push({ operation: 'lambda:ListFunctions', error: 'AccessDenied', message: 'denied\u001b[31m\nfor you' });
      const run = await runAudit(['--region', WEST]);
      expect(run.stdout).toContain('Container "web\\x1b[2K\\rok"');
      expect(run.stdout).not.toContain('\u001b');
      expect(run.stderr).toContain('AccessDeniedException: denied\\x1b[31m for you');
      expect(run.stderr).not.toContain('\u001b');
      const json = JSON.parse((await runAudit(['--region', WEST, '--format', 'json'])).stdout);
      expect(json.findings[0].container).toBe('web\u001b[2K\rok');
    } finally {
      restore();
      await odd.close();
    }
  });
});

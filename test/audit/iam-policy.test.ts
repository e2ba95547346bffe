/**
 * The least-privilege policy is complete and minimal: every operation the reader calls against
 * the endpoint is in it (or needs no permission), every action in it is called, all are reads.
 */
import { AUDIT_OPERATIONS, auditIamPolicies, IamPolicyDocument, readAuditInventory } from '../../src/audit';
import { digest, FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(MANAGEMENT);
  model.account(MEMBER, ['Audit']);
  // Something of every kind in both accounts, so that every operation is needed.
  for (const account of [MANAGEMENT, MEMBER]) {
    const r = model.region(account, REGION);
    const td = r.taskDefinition('web', [{ name: 'web', image: 'nginx:1.27.3' }]);
    const service = r.service('prod', 'web', td, { resolvedDigests: [{ web: digest('nginx') }] });
    r.task('prod', td, { service, containers: [{ name: 'web', imageDigest: digest('nginx') }] });
    r.lambdaFunction('fn', { imageUri: r.ecrImage('fn', 'v1'), resolvedImageUri: r.ecrImage('fn', digest('fn')) });
    r.jobDefinition('job', ['busybox:1.36']);
  }
  model.organization([{ id: MEMBER, name: 'member' }]);
  fake = await FakeAwsServer.start(model.data);
  restoreEnv = applyEnv(fake.env());
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

beforeEach(() => fake.reset());

const actions = (policy: IamPolicyDocument | undefined) => new Set(policy?.Statement.flatMap((s) => s.Action) ?? []);
const needsPermission = (op: string) => AUDIT_OPERATIONS[op as keyof typeof AUDIT_OPERATIONS]?.needsPermission !== false;

test('one account: the caller policy holds exactly the operations called', async () => {
  await readAuditInventory({ regions: [REGION] });
  const called = new Set(fake.requests.map((r) => r.operation));
  const policy = actions(auditIamPolicies().caller);
  expect(new Set([...called].filter(needsPermission))).toEqual(policy);
  expect([...called].filter((op) => !needsPermission(op))).toEqual(['sts:GetCallerIdentity']);
});

test('an organization: the caller assumes and lists, the assumed role reads; nothing more, nothing less', async () => {
  const inventory = await readAuditInventory({ regions: [REGION], organization: true, assumeRoleName: 'Audit' });
  expect(inventory.status).toBe('complete');
  const policies = auditIamPolicies({ assumeRoleName: 'Audit', organization: true });
  const byCaller = new Set(fake.requests.filter((r) => r.account === MANAGEMENT).map((r) => r.operation).filter(needsPermission));
  const byRole = new Set(fake.requests.filter((r) => r.account === MEMBER).map((r) => r.operation));
  expect(byCaller).toEqual(actions(policies.caller));
  expect(byRole).toEqual(actions(policies.assumedRole));
  // The table of operations is exactly what was called: no operation listed that is never used.
  expect(new Set(fake.requests.map((r) => r.operation))).toEqual(new Set(Object.keys(AUDIT_OPERATIONS)));
  // And on the wire: every X-Amz-Target, REST route and query Action was a read.
  for (const r of fake.requests) {
    expect(r.target).toMatch(/^\w+\.(Describe|List|Get)\w+$|^GET \/2015-03-31\/functions|^POST \/v1\/describejobdefinitions$|^Action=(GetCallerIdentity|AssumeRole)$/);
  }
});

test('every operation is a read', () => {
  for (const op of Object.keys(AUDIT_OPERATIONS)) {
    expect(op).toMatch(/^[a-z]+:(Describe|List|Get)[A-Za-z]+$|^sts:AssumeRole$/);
  }
});

test('the policies as printed', () => {
  expect(auditIamPolicies({ assumeRoleName: 'Audit', accounts: ['333333333333', '222222222222'], partition: 'aws-cn', services: ['ecs', 'lambda'] })).toEqual({
    caller: {
      Version: '2012-10-17',
      Statement: [{
        Sid: 'AssumeAuditRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: ['arn:aws-cn:iam::222222222222:role/Audit', 'arn:aws-cn:iam::333333333333:role/Audit'],
      }],
    },
    assumedRole: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadEcs',
          Effect: 'Allow',
          Action: [
            'ecs:DescribeClusters',
            'ecs:DescribeServiceRevisions',
            'ecs:DescribeServices',
            'ecs:DescribeTaskDefinition',
            'ecs:DescribeTasks',
            'ecs:ListClusters',
            'ecs:ListServices',
            'ecs:ListTaskDefinitions',
            'ecs:ListTasks',
          ],
          Resource: '*',
        },
        { Sid: 'ReadLambdaImageFunctions', Effect: 'Allow', Action: ['lambda:GetFunction', 'lambda:ListFunctions'], Resource: '*' },
      ],
    },
  });
  expect(auditIamPolicies({ assumeRoleName: 'Audit', organization: true }).caller.Statement).toEqual([
    { Sid: 'AssumeAuditRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: ['arn:aws:iam::*:role/Audit'] },
    { Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: ['organizations:ListAccounts'], Resource: '*' },
  ]);
});

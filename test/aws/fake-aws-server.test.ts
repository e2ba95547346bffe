/**
 * The fake AWS endpoint, through the real SDK clients: each protocol's requests and errors are
 * understood by the SDK as it understands AWS's, so the audit tests exercise the SDK for real.
 */
import * as batch from '@aws-sdk/client-batch';
import * as ecr from '@aws-sdk/client-ecr';
import * as ecs from '@aws-sdk/client-ecs';
import * as lambda from '@aws-sdk/client-lambda';
import * as organizations from '@aws-sdk/client-organizations';
import * as sts from '@aws-sdk/client-sts';
import { digest, FakeAwsModel } from '../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../support/aws/fake-aws-server';

const CALLER = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';

let fake: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  const model = new FakeAwsModel(CALLER);
  model.account(MEMBER, ['Audit']);
  const r = model.region(CALLER, REGION);
  for (let i = 0; i < 7; i++) r.taskDefinition(`family-${i}`, [{ name: 'app', image: `nginx:1.27.${i}` }]);
  r.taskDefinition('family-0', [{ name: 'app', image: 'nginx:1.28.0' }]);
  const td = r.taskDefinition('web', [{ name: 'web', image: r.ecrImage('web', 'v1'), versionConsistency: 'disabled' }]);
  const svc = r.service('prod', 'web', td, { resolvedDigests: [{ web: digest('web-v1') }] });
  r.task('prod', td, { service: svc, containers: [{ name: 'web', imageDigest: digest('web-v1') }] });
  r.lambdaFunction('image-fn', { imageUri: r.ecrImage('fn', 'v1'), resolvedImageUri: r.ecrImage('fn', digest('fn-v1')), architectures: ['arm64'] });
  r.lambdaFunction('zip-fn', { zip: true });
  r.jobDefinition('job', ['busybox:1.36']);
  r.jobDefinition('mpi', ['mpi:1', 'mpi-worker:1']);
  r.repository('web', [{ digest: digest('web-v1'), tags: ['v1'] }], 'IMMUTABLE');
  model.region(MEMBER, REGION).taskDefinition('member-app', [{ name: 'app', image: 'busybox:1.36' }]);
  model.organization([{ id: MEMBER, name: 'member' }, { id: '333333333333', name: 'gone', status: 'SUSPENDED' }]);
  fake = await FakeAwsServer.start(model.data, { pageSizeCap: 3 });
  restoreEnv = applyEnv(fake.env({ AWS_REGION: REGION }));
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  fake.faults = [];
});

function asCredentials(c: sts.Credentials | undefined) {
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken };
}

function clients() {
  return { ecs: new ecs.ECSClient({}), lambda: new lambda.LambdaClient({}), batch: new batch.BatchClient({}), sts: new sts.STSClient({}) };
}

describe('awsJson1.1 (ECS, ECR, Organizations)', () => {
  test('dispatches on X-Amz-Target and pages with nextToken, never more than asked', async () => {
    const { ecs: client } = clients();
    const arns: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ecs.ListTaskDefinitionsCommand({ maxResults: 100, nextToken }));
      arns.push(...page.taskDefinitionArns!);
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(arns).toHaveLength(9);
    expect(pages).toBe(3);
    expect(arns[0]).toBe(`arn:aws:ecs:${REGION}:${CALLER}:task-definition/family-0:1`);
    expect(fake.requests.map((r) => r.target)).toEqual(Array(3).fill('AmazonEC2ContainerServiceV20141113.ListTaskDefinitions'));
  });

  test('a family alone describes its latest ACTIVE revision; dates are read back as Dates', async () => {
    const { ecs: client } = clients();
    const { taskDefinition } = await client.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition: 'family-0' }));
    expect(taskDefinition?.revision).toBe(2);
    expect(taskDefinition?.containerDefinitions?.[0].image).toBe('nginx:1.28.0');
    expect(taskDefinition?.registeredAt).toEqual(new Date('2025-01-01T00:00:00Z'));
  });

  test('services, revisions and tasks carry what ECS resolved', async () => {
    const { ecs: client } = clients();
    const { services } = await client.send(new ecs.DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    const revisionArn = services![0].currentServiceRevisions![0].arn!;
    const { serviceRevisions } = await client.send(new ecs.DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }));
    expect(serviceRevisions![0].containerImages).toEqual([{ containerName: 'web', image: expect.stringContaining('/web:v1'), imageDigest: digest('web-v1') }]);
    const { taskArns } = await client.send(new ecs.ListTasksCommand({ cluster: 'prod' }));
    const { tasks } = await client.send(new ecs.DescribeTasksCommand({ cluster: 'prod', tasks: taskArns }));
    expect(tasks![0].containers![0].imageDigest).toBe(digest('web-v1'));
    expect(tasks![0].startedBy).toBe(services![0].deployments![0].id);
  });

  test('the documented batch limits are enforced as ECS does: more than 100 tasks is a validation error', async () => {
    const { ecs: client } = clients();
    const tooMany = Array.from({ length: 101 }, (_, i) => `task-${i}`);
    await expect(client.send(new ecs.DescribeTasksCommand({ cluster: 'prod', tasks: tooMany }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new ecs.DescribeServicesCommand({ cluster: 'prod', services: Array(11).fill('web') }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(client.send(new ecs.ListServicesCommand({ cluster: 'nope' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });

  test('ECR repositories and images', async () => {
    const client = new ecr.ECRClient({});
    const { repositories } = await client.send(new ecr.DescribeRepositoriesCommand({ repositoryNames: ['web'] }));
    expect(repositories![0].imageTagMutability).toBe('IMMUTABLE');
    const { imageDetails } = await client.send(new ecr.DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] }));
    expect(imageDetails![0].imageDigest).toBe(digest('web-v1'));
    await expect(client.send(new ecr.DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'v2' }] }))).rejects.toMatchObject({
      name: 'ImageNotFoundException',
    });
  });

  test('Organizations ListAccounts pages by NextToken', async () => {
    const client = new organizations.OrganizationsClient({});
    const first = await client.send(new organizations.ListAccountsCommand({ MaxResults: 1 }));
    const second = await client.send(new organizations.ListAccountsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect([...first.Accounts!, ...second.Accounts!].map((a) => [a.Id, a.Status])).toEqual([[MEMBER, 'ACTIVE'], ['333333333333', 'SUSPENDED']]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('restJson1 (Lambda, Batch)', () => {
  test('Lambda ListFunctions pages by Marker; GetFunction gives ImageUri and ResolvedImageUri', async () => {
    const { lambda: client } = clients();
    const list = await client.send(new lambda.ListFunctionsCommand({ MaxItems: 1 }));
    expect(list.Functions!.map((f) => f.FunctionName)).toEqual(['image-fn']);
    const next = await client.send(new lambda.ListFunctionsCommand({ MaxItems: 1, Marker: list.NextMarker }));
    expect(next.Functions!.map((f) => f.PackageType)).toEqual(['Zip']);
    const fn = await client.send(new lambda.GetFunctionCommand({ FunctionName: 'image-fn' }));
    expect(fn.Code).toMatchObject({ ImageUri: expect.stringContaining('/fn:v1'), ResolvedImageUri: expect.stringContaining(`/fn@${digest('fn-v1')}`) });
    expect(fn.Configuration?.Architectures).toEqual(['arm64']);
    expect(fake.requests.map((r) => r.target)).toEqual(['GET /2015-03-31/functions', 'GET /2015-03-31/functions', 'GET /2015-03-31/functions/image-fn']);
    await expect(client.send(new lambda.GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('Batch DescribeJobDefinitions', async () => {
    const { batch: client } = clients();
    const { jobDefinitions } = await client.send(new batch.DescribeJobDefinitionsCommand({ status: 'ACTIVE' }));
    const images = jobDefinitions!.map((j) => j.containerProperties?.image ?? j.nodeProperties?.nodeRangeProperties?.map((n) => n.container?.image));
    expect(images).toEqual([
      'busybox:1.36',
      ['mpi:1', 'mpi-worker:1'],
    ]);
  });
});

describe('awsQuery (STS) and identities', () => {
  test('GetCallerIdentity names the caller; AssumeRole gives credentials that read the other account', async () => {
    const { sts: client } = clients();
    expect(await client.send(new sts.GetCallerIdentityCommand({}))).toMatchObject({ Account: CALLER, Arn: `arn:aws:iam::${CALLER}:user/auditor` });
    const { Credentials } = await client.send(new sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'test' }));
    expect(Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now());
    const credentials = asCredentials(Credentials);
    const member = new ecs.ECSClient({ credentials });
    const { taskDefinitionArns } = await member.send(new ecs.ListTaskDefinitionsCommand({}));
    expect(taskDefinitionArns).toEqual([`arn:aws:ecs:${REGION}:${MEMBER}:task-definition/member-app:1`]);
    // Without its session token the temporary key is refused, as AWS refuses it.
    const tokenless = new ecs.ECSClient({ credentials: { ...credentials, sessionToken: undefined } });
    await expect(tokenless.send(new ecs.ListTaskDefinitionsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  test('AssumeRole into an account without that role is AccessDenied (403, awsQuery error)', async () => {
    const { sts: client } = clients();
    await expect(client.send(new sts.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::333333333333:role/Audit', RoleSessionName: 'test' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${CALLER}:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/Audit`,
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('faults, counters and the request log', () => {
  test('throttling once then success: the SDK retries and the second attempt answers', async () => {
    fake.faults.push({ operation: 'ecs:ListClusters', error: 'Throttling', times: 1 });
    const { ecs: client } = clients();
    const result = await client.send(new ecs.ListClustersCommand({}));
    expect(result.clusterArns).toEqual([`arn:aws:ecs:${REGION}:${CALLER}:cluster/prod`]);
    expect(result.$metadata.attempts).toBe(2);
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  test('Lambda throttling is 429 TooManyRequestsException, retried too', async () => {
    fake.faults.push({ operation: 'lambda:ListFunctions', error: 'Throttling', times: 1 });
    const result = await clients().lambda.send(new lambda.ListFunctionsCommand({}));
    expect(result.$metadata.attempts).toBe(2);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  test('AccessDenied for one region only, by service error code and status', async () => {
    fake.faults.push({ operation: 'ecs:*', region: 'us-east-1', error: 'AccessDenied' });
    const east = new ecs.ECSClient({ region: 'us-east-1' });
    await expect(east.send(new ecs.ListClustersCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { attempts: 1 } });
    await expect(clients().ecs.send(new ecs.ListClustersCommand({}))).resolves.toBeDefined();
    fake.faults.push({ operation: 'batch:*', error: 'AccessDenied' });
    await expect(clients().batch.send(new batch.DescribeJobDefinitionsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('AccessDenied for one account: its reads fail, the caller\'s do not', async () => {
    fake.faults.push({ account: MEMBER, operation: 'ecs:*', error: 'AccessDenied' });
    const { Credentials } = await clients().sts.send(new sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'test' }));
    const member = new ecs.ECSClient({
      credentials: asCredentials(Credentials),
    });
    await expect(member.send(new ecs.ListClustersCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(clients().ecs.send(new ecs.ListClustersCommand({}))).resolves.toBeDefined();
    expect(fake.requests.map((r) => [r.operation, r.account, r.status])).toEqual([
      ['sts:AssumeRole', CALLER, 200],
      ['ecs:ListClusters', MEMBER, 400],
      ['ecs:ListClusters', CALLER, 200],
    ]);
  });

  test('counts calls per operation, with the region of the signature', async () => {
    const west = clients().ecs;
    const east = new ecs.ECSClient({ region: 'us-east-1' });
    await west.send(new ecs.ListClustersCommand({}));
    await east.send(new ecs.ListClustersCommand({}));
    await west.send(new ecs.ListTaskDefinitionsCommand({}));
    expect(fake.counts()).toEqual({ 'ecs:ListClusters': 2, 'ecs:ListTaskDefinitions': 1 });
    expect(fake.requests.map((r) => r.region)).toEqual([REGION, 'us-east-1', REGION]);
    // A region with nothing deployed answers empty lists, as AWS does.
    expect((await east.send(new ecs.ListTaskDefinitionsCommand({}))).taskDefinitionArns).toEqual([]);
  });

  test('AWS_ENDPOINT_URL_ECS alone points ECS here', async () => {
    const restore = applyEnv({ AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_ECS: fake.url });
    try {
      await new ecs.ECSClient({}).send(new ecs.ListClustersCommand({}));
      expect(fake.counts()).toEqual({ 'ecs:ListClusters': 1 });
    } finally {
      restore();
    }
  });
});

import { CALLER_SECRET_ACCESS_KEY, FakeAwsModel } from '../../support/aws/fake-account';
import { FakeAwsServer } from '../../support/aws/fake-aws-server';
import { runCliAsync } from '../../support/online/run';
import { ecsTask, writeTemplate } from '../../support/online/templates';
import { DockerEnv, dockerEnv } from '../../support/registry/docker-env';
import { LINUX_AMD64, PushedImage, pushImage } from '../../support/registry/images';
import { LocalRegistry, startRegistry } from '../../support/registry/local-registry';
import { RegistryPusher } from '../../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../../support/registry/tools';
import { expectCleanOutput, removeTemporaryDirectories, stdoutJson, temporaryDirectory } from '../cli-process';

/**
 * ECR through the real AWS SDK: the registry's credentials from `ecr:GetAuthorizationToken` and
 * each repository's tag mutability from `ecr:DescribeRepositories`, both on the loopback AWS
 * endpoint (`AWS_ENDPOINT_URL`), the ECR host mirrored to a real registry with Basic auth for
 * user AWS. REG4 warns about tag-pinned images in repositories whose tags are mutable.
 */

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ECR = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const ECR_PASSWORD = `fake-ecr-password-${ACCOUNT}`; // what the fake's GetAuthorizationToken answers

let registry: LocalRegistry;
let aws: FakeAwsServer;
let docker: DockerEnv;
let dir: string;
let app: PushedImage;

beforeAll(async () => {
  registry = await startRegistry({ auth: { kind: 'htpasswd', users: { AWS: ECR_PASSWORD } } });
  const pusher = new RegistryPusher(registry.url, { username: 'AWS', password: ECR_PASSWORD });
  app = await pushImage(pusher, 'team/app', 'v1.2.3', LINUX_AMD64);
  await pushImage(pusher, 'team/locked', 'v1.0.0', LINUX_AMD64);
  await pushImage(pusher, 'team/excl', 'build-101', LINUX_AMD64);
  await pushImage(pusher, 'team/excl', 'v2', LINUX_AMD64);
  const model = new FakeAwsModel(ACCOUNT);
  const region = model.region(ACCOUNT, REGION);
  region.repository('team/app', [], 'MUTABLE');
  region.repository('team/locked', [], 'IMMUTABLE');
  region.repository('team/excl', [], 'IMMUTABLE');
  Object.assign(region.data.repositories[2].repository, {
    imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
    imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'build-*' }],
  });
  aws = await FakeAwsServer.start(model.data);
  docker = dockerEnv({}); // no Docker credential source for ECR: the SDK is asked
  dir = temporaryDirectory('image-pinning-verify-ecr-');
  writeTemplate(dir, 'App.template.json', {
    App: ecsTask([`${ECR}/team/app:v1.2.3`]),
    Locked: ecsTask([`${ECR}/team/locked:v1.0.0`]),
    Dev: ecsTask([`${ECR}/team/excl:build-101`]),
    Release: ecsTask([`${ECR}/team/excl:v2`]),
    Digest: ecsTask([`${ECR}/team/app@${app.digest}`]),
  });
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  await aws?.close();
  docker?.remove();
  removeTemporaryDirectories();
});

beforeEach(() => {
  aws.reset();
  aws.faults = [];
});

const verify = (...args: string[]) =>
  runCliAsync(['verify', '--registry-mirror', `${ECR}=${registry.url}`, '--format', 'json', ...args, 'App.template.json'], {
    cwd: dir,
    env: { ...docker.env, ...aws.env() },
  });

test('REG4 for tags that can move; none for immutable tags or digests; one token and one DescribeRepositories per repository, signed for the region', async () => {
  const run = await verify();
  expect(run.status).toBe(0); // warnings only
  expect(run.stderr).toBe('');
  const findings = stdoutJson(run).findings;
  expect(findings.map((f: { resource: string; ruleId: string; reason: string }) => `${f.resource} ${f.ruleId} ${f.reason}`)).toEqual([
    'App ImagePinning-REG4 MUTABLE_TAG',
    'Dev ImagePinning-REG4 MUTABLE_TAG',
  ]);
  expect(findings[0]).toMatchObject({ severity: 'warning', digest: app.digest });
  expect(findings[0].message).toContain('is pinned by a tag in the ECR repository team/app, whose tags are mutable (imageTagMutability MUTABLE)');
  expect(findings[0].fix).toBe(`pin the digest, "${ECR}/team/app@${app.digest}", or set the repository's imageTagMutability to IMMUTABLE`);
  expect(findings[1].message).toContain('(imageTagMutability IMMUTABLE_WITH_EXCLUSION (exclusion filters "build-*"))');
  expect(aws.counts()).toEqual({ 'ecr:GetAuthorizationToken': 1, 'ecr:DescribeRepositories': 3 });
  expect(new Set(aws.requests.map((r) => r.region))).toEqual(new Set([REGION]));
  expect(stdoutJson(run).summary).toMatchObject({ verified: 5, ecrDescribeRepositories: 3 });
});

test('only reads go to AWS, and no credential is printed', async () => {
  const run = await verify('--inventory');
  expect(aws.requests.every((r) => /^ecr:(Get|Describe|BatchGet|List)/.test(r.operation))).toBe(true);
  for (const secret of [ECR_PASSWORD, CALLER_SECRET_ACCESS_KEY, Buffer.from(`AWS:${ECR_PASSWORD}`).toString('base64')]) {
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
  }
});

test('DescribeRepositories denied: tag mutability is not checked, said once per repository, and nothing else changes', async () => {
  aws.faults = [{ operation: 'ecr:DescribeRepositories', error: 'AccessDenied' }];
  const run = await verify();
  expect(run.status).toBe(0);
  const json = stdoutJson(run);
  expect(json.findings).toEqual([]);
  expect(json.notices).toHaveLength(3);
  expect(json.notices[0]).toMatch(/^tag mutability not checked: ecr:DescribeRepositories for team\/\w+ in 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com \(region eu-west-1\) failed: AccessDeniedException: /);
  expect(json.summary.verified).toBe(5);
});

test('GetAuthorizationToken denied: REG1, not authorized, naming the call', async () => {
  aws.faults = [{ operation: 'ecr:GetAuthorizationToken', error: 'AccessDenied' }];
  const run = await verify();
  expect(run.status).toBe(1);
  expectCleanOutput(run);
  const findings = stdoutJson(run).findings;
  expect(findings.every((f: { ruleId: string; reason: string }) => f.ruleId === 'ImagePinning-REG1' && f.reason === 'NOT_AUTHORIZED')).toBe(true);
  expect(findings[0].message).toContain(`ecr:GetAuthorizationToken for ${ECR} (region ${REGION}) failed: AccessDeniedException`);
});

test('the SDK\'s Node 20 notice about its future releases stays off stderr unless asked for', async () => {
  const quiet = await verify();
  expect(quiet.stderr).not.toContain('NodeVersionSupportWarning');
  const shown = await runCliAsync(['verify', '--registry-mirror', `${ECR}=${registry.url}`, 'App.template.json'], {
    cwd: dir,
    env: { ...docker.env, ...aws.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' },
  });
  expect(shown.stderr).toContain(process.versions.node.startsWith('20.') ? 'NodeVersionSupportWarning' : '');
});

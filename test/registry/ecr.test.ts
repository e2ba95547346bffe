import { ImageReference } from '../../src/reference/image-reference';
import { EcrHost } from '../../src/registry/ecr-host';
import { EcrAuthorization, EcrTokenSource } from '../../src/registry/ecr-token';
import { RegistryClient, RegistryClientOptions } from '../../src/registry/registry-client';
import { DockerEnv, dockerEnv } from '../support/registry/docker-env';
import { EcrEndpoint, GET_AUTHORIZATION_TOKEN, startEcrEndpoint } from '../support/registry/ecr-endpoint';
import { LINUX_AMD64, PushedImage, pushImage } from '../support/registry/images';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { RegistryPusher } from '../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../support/registry/tools';

/**
 * ECR registries: the real AWS SDK (`@aws-sdk/client-ecr`, default credential chain from the
 * environment) calls GetAuthorizationToken on a loopback awsJson1.1 endpoint (AWS_ENDPOINT_URL_ECR),
 * and the ECR host is mirrored to a real registry with htpasswd Basic auth for user AWS.
 */

const ECR_PASSWORD = 'ecr-authorization-password-0f1e2d';
const SECRET_KEY = 'test-secret-access-key-do-not-print';
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ECR_FIPS = '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com';
const ECR_DUAL = '123456789012.dkr-ecr.ap-south-1.on.aws';

let registry: LocalRegistry;
let endpoint: EcrEndpoint;
let image: PushedImage;
let env: DockerEnv;
const savedEnv = { ...process.env };

beforeAll(async () => {
  registry = await startRegistry({ auth: { kind: 'htpasswd', users: { AWS: ECR_PASSWORD } } });
  const pusher = new RegistryPusher(registry.url, { username: 'AWS', password: ECR_PASSWORD });
  image = await pushImage(pusher, 'team/app', 'v1.2.3', LINUX_AMD64);
  await pushImage(pusher, 'team/worker', 'v1.0.0', LINUX_AMD64);
  endpoint = await startEcrEndpoint(ECR_PASSWORD);
  env = dockerEnv({}); // an empty Docker config: no docker credential source for ECR
  // The SDK's default credential chain reads these; nothing may reach a real AWS endpoint or IMDS.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_ECR: endpoint.url,
    AWS_ACCESS_KEY_ID: 'AKIATESTECRKEY000001',
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: `${env.dir}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${env.dir}/no-aws-credentials`,
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  process.env = savedEnv;
  await registry?.stop();
  await endpoint?.stop();
  env?.remove();
});

beforeEach(() => {
  endpoint.calls.length = 0;
  endpoint.answer = { password: ECR_PASSWORD };
});

function client(options: RegistryClientOptions = {}): RegistryClient {
  return new RegistryClient({
    env: env.env,
    retries: 0,
    registryMirrors: [ECR, ECR_FIPS, ECR_DUAL].map((host) => `${host}=${registry.url}`),
    ...options,
  });
}

test('ecr:GetAuthorizationToken through the AWS SDK, signed for the registry\'s region, cached per registry', async () => {
  const c = client();
  expect(await c.resolve(ImageReference.parse(`${ECR}/team/app:v1.2.3`))).toMatchObject({ kind: 'found', digest: image.digest, registry: ECR });
  expect(await c.resolve(ImageReference.parse(`${ECR}/team/worker:v1.0.0`))).toMatchObject({ kind: 'found' });
  expect(await c.resolve(ImageReference.parse(`${ECR}/team/app:v1.2.3`), { platforms: true })).toMatchObject({ kind: 'found', platform: LINUX_AMD64 });
  expect(endpoint.calls).toEqual([{ target: GET_AUTHORIZATION_TOKEN, accessKeyId: 'AKIATESTECRKEY000001', region: 'eu-west-1', service: 'ecr' }]);
});

test.each([
  [ECR_FIPS, 'us-east-1'],
  [ECR_DUAL, 'ap-south-1'],
])('%s: the token is asked for in %s', async (host, region) => {
  expect(await client().resolve(ImageReference.parse(`${host}/team/app:v1.2.3`))).toMatchObject({ kind: 'found' });
  expect(endpoint.calls).toEqual([expect.objectContaining({ region })]);
});

test('a docker credential source for the ECR host wins: no AWS call', async () => {
  const withHelper = dockerEnv({ credHelpers: { [ECR]: 'ecr-login' } }, [{ name: 'ecr-login', answers: { [ECR]: { Username: 'AWS', Secret: ECR_PASSWORD } } }]);
  try {
    const c = client({ env: withHelper.env });
    expect(await c.resolve(ImageReference.parse(`${ECR}/team/app:v1.2.3`))).toMatchObject({ kind: 'found' });
    expect(endpoint.calls).toEqual([]);
    expect(withHelper.helperCalls('ecr-login')).toEqual([ECR]);
  } finally {
    withHelper.remove();
  }
});

test('AccessDenied from ECR: unauthorized, naming the call and the error, with no secret', async () => {
  endpoint.answer = { errorType: 'AccessDeniedException', message: 'User is not authorized to perform: ecr:GetAuthorizationToken' };
  const resolution = await client().resolve(ImageReference.parse(`${ECR}/team/app:v1.2.3`));
  expect(resolution.kind).toBe('unauthorized');
  const message = (resolution as { message: string }).message;
  expect(message).toContain(`ecr:GetAuthorizationToken for ${ECR} (region eu-west-1) failed: AccessDeniedException: User is not authorized`);
  expect(message).toContain(`(via ${registry.url})`);
  expect(JSON.stringify(resolution)).not.toContain(SECRET_KEY);
});

test('the token source is injectable', async () => {
  const asked: EcrHost[] = [];
  const source: EcrTokenSource = {
    getAuthorizationToken: async (host): Promise<EcrAuthorization> => {
      asked.push(host);
      return { username: 'AWS', password: ECR_PASSWORD, expiresAt: new Date(Date.now() + 3600_000) };
    },
  };
  const c = client({ ecrTokenSource: source });
  expect(await c.resolve(ImageReference.parse(`${ECR}/team/app:v1.2.3`))).toMatchObject({ kind: 'found' });
  expect(await c.resolve(ImageReference.parse(`${ECR}/team/worker:v1.0.0`))).toMatchObject({ kind: 'found' });
  expect(asked).toEqual([{ host: ECR, accountId: '123456789012', region: 'eu-west-1', fips: false, dualStack: false }]);
  expect(endpoint.calls).toEqual([]);
});

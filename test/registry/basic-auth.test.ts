import { ImageReference } from '../../src/reference/image-reference';
import { RegistryClient } from '../../src/registry/registry-client';
import { basicAuth, DockerEnv, dockerEnv } from '../support/registry/docker-env';
import { LINUX_AMD64, PushedImage, pushImage } from '../support/registry/images';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { RegistryPusher } from '../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../support/registry/tools';

/** The client against the real registry with htpasswd Basic auth; credentials from a real Docker config and helper. */

const PASSWORD = 'correct-horse-battery-staple';
let registry: LocalRegistry;
let image: PushedImage;
const envs: DockerEnv[] = [];

beforeAll(async () => {
  registry = await startRegistry({ auth: { kind: 'htpasswd', users: { alice: PASSWORD } } });
  const pusher = new RegistryPusher(registry.url, { username: 'alice', password: PASSWORD });
  image = await pushImage(pusher, 'private/app', '1.0.0', LINUX_AMD64);
  await pushImage(pusher, 'private/other', '1.0.0', LINUX_AMD64);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  envs.forEach((e) => e.remove());
});

function clientWith(config: object, helpers: Parameters<typeof dockerEnv>[1] = []): { client: RegistryClient; env: DockerEnv } {
  const env = dockerEnv(config, helpers);
  envs.push(env);
  return { client: new RegistryClient({ env: env.env, retries: 0 }), env };
}

const ref = (text: string) => ImageReference.parse(`${registry.host}/${text}`);

test('without credentials: unauthorized (not "not found"), saying how to log in', async () => {
  const { client } = clientWith({});
  const resolution = await client.resolve(ref('private/app:1.0.0'));
  expect(resolution.kind).toBe('unauthorized');
  expect((resolution as { message: string }).message).toContain(`no credentials for ${registry.host} were found in the Docker config; run \`docker login ${registry.host}\``);
});

test.each<[string, () => object, Parameters<typeof dockerEnv>[1]]>([
  ['auths with auth', () => ({ auths: { [registry.host]: { auth: basicAuth('alice', PASSWORD) } } }), []],
  ['auths keyed by URL', () => ({ auths: { [`http://${registry.host}/v2/`]: { auth: basicAuth('alice', PASSWORD) } } }), []],
  ['a credential helper', () => ({ credHelpers: { [registry.host]: 'test' } }), []],
  ['credsStore', () => ({ credsStore: 'test' }), []],
])('credentials from %s', async (_name, config) => {
  const helpers = [{ name: 'test', answers: { [registry.host]: { Username: 'alice', Secret: PASSWORD } } }];
  const { client } = clientWith(config(), helpers);
  const resolution = await client.resolve(ref('private/app:1.0.0'));
  expect(resolution).toMatchObject({ kind: 'found', digest: image.digest });
});

test('the first request learns Basic; later repositories send it at once; the helper runs once', async () => {
  const { client, env } = clientWith({ credHelpers: { [registry.host]: 'test' } }, [
    { name: 'test', answers: { [registry.host]: { Username: 'alice', Secret: PASSWORD } } },
  ]);
  await client.resolve(ref('private/app:1.0.0'));
  expect(client.requestCounts()).toMatchObject({ head: 2 }); // 401, then with Basic
  await client.resolve(ref('private/other:1.0.0'));
  await client.resolve(ref('private/app:1.0.0'), { platforms: true });
  expect(client.requestCounts()).toMatchObject({ head: 3, get: 2, token: 0 });
  expect(env.helperCalls('test')).toEqual([registry.host]);
});

test('a wrong password: unauthorized, and the message holds neither the password nor its Basic form', async () => {
  const wrong = 'wrong-password-do-not-print';
  const { client } = clientWith({ auths: { [registry.host]: { auth: basicAuth('alice', wrong) } } });
  const resolution = await client.resolve(ref('private/app:1.0.0'));
  expect(resolution.kind).toBe('unauthorized');
  const text = JSON.stringify(resolution);
  expect(text).toContain('rejected the credentials from auths in');
  expect(text).not.toContain(wrong);
  expect(text).not.toContain(basicAuth('alice', wrong));
});

test('an identity token cannot answer a Basic challenge: unauthorized', async () => {
  const { client } = clientWith({ auths: { [registry.host]: { identitytoken: 'some-refresh-token' } } });
  const resolution = await client.resolve(ref('private/app:1.0.0'));
  expect(resolution.kind).toBe('unauthorized');
  expect(JSON.stringify(resolution)).not.toContain('some-refresh-token');
});

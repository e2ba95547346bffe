import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageReference } from '../../src/reference/image-reference';
import { RegistryClient, RegistryClientOptions } from '../../src/registry/registry-client';
import { makeTokenSigningCert } from '../support/registry/certificates';
import { basicAuth, DockerEnv, dockerEnv } from '../support/registry/docker-env';
import { LINUX_AMD64, PushedImage, pushImage } from '../support/registry/images';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { RegistryPusher } from '../support/registry/push';
import { startTokenServer, TokenServer, TokenServerOptions } from '../support/registry/token-server';
import { INSTALL_TIMEOUT_MS } from '../support/registry/tools';

/**
 * The Bearer token flow against the real registry with token auth: a token server signing ES256
 * JWTs (x5c header) that the registry trusts through its rootcertbundle.
 */

const SERVICE = 'test-registry';
const ISSUER = 'test-issuer';
const ALICE = 'alice-password-0123';
const BOB = 'bob-password-4567';
const IDENTITY_TOKEN = 'refresh-token-for-alice-89ab';

let dir: string;
let tokens: TokenServer;
let registry: LocalRegistry;
let publicImage: PushedImage;
let privateImage: PushedImage;
const envs: DockerEnv[] = [];

function tokenOptions(signer: ReturnType<typeof makeTokenSigningCert>, extra: Partial<TokenServerOptions> = {}): TokenServerOptions {
  return {
    signer,
    service: SERVICE,
    issuer: ISSUER,
    users: { alice: { password: ALICE, pull: ['*'], push: ['*'] }, bob: { password: BOB, pull: ['team/bob'] } },
    anonymousPull: ['public/app', 'public/other'],
    identityTokens: { [IDENTITY_TOKEN]: 'alice' },
    ...extra,
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-token-'));
  const signer = makeTokenSigningCert(dir);
  tokens = await startTokenServer(tokenOptions(signer));
  registry = await startRegistry({ auth: { kind: 'token', realm: tokens.realm, service: SERVICE, issuer: ISSUER, signer } });
  const pusher = new RegistryPusher(registry.url, { username: 'alice', password: ALICE });
  publicImage = await pushImage(pusher, 'public/app', '1.0.0', LINUX_AMD64);
  await pushImage(pusher, 'public/other', '1.0.0', LINUX_AMD64);
  privateImage = await pushImage(pusher, 'private/app', '1.0.0', LINUX_AMD64);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  await tokens?.stop();
  envs.forEach((e) => e.remove());
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  tokens.requests.length = 0;
});

function clientWith(config: object, options: RegistryClientOptions = {}): RegistryClient {
  const env = dockerEnv(config);
  envs.push(env);
  return new RegistryClient({ env: env.env, retries: 0, ...options });
}

const ref = (text: string) => ImageReference.parse(`${registry.host}/${text}`);

test('anonymous pull of a public repository: 401, an anonymous token, the HEAD again', async () => {
  const client = clientWith({});
  expect(await client.resolve(ref('public/app:1.0.0'))).toMatchObject({ kind: 'found', digest: publicImage.digest });
  expect(client.requestCounts()).toMatchObject({ head: 2, token: 1 });
  expect(tokens.requests).toEqual([expect.objectContaining({ method: 'GET', authorization: undefined, scope: 'repository:public/app:pull', service: SERVICE })]);
});

test('the next repository gets its token before the registry asks: no second 401', async () => {
  const client = clientWith({});
  await client.resolve(ref('public/app:1.0.0'));
  await client.resolve(ref('public/other:1.0.0'));
  expect(client.requestCounts()).toMatchObject({ head: 3, token: 2 });
});

test('one token per repository, shared by concurrent requests', async () => {
  const client = clientWith({});
  await client.resolve(ref('public/app:1.0.0'));
  await Promise.all([
    client.resolve(ref('public/app:1.0.0'), { platforms: true }),
    client.resolve(ref(`public/app@${publicImage.digest}`)),
    client.resolve(ref('public/app:nope')),
  ]);
  expect(client.requestCounts().token).toBe(1);
});

test.each<[string, () => object, string]>([
  ['anonymous, private repository', () => ({}), 'insufficient_scope'],
  ['bob, who may pull only team/bob', () => ({ auths: { [registry.host]: { auth: basicAuth('bob', BOB) } } }), 'insufficient_scope'],
])('%s: unauthorized (the image exists), not not-found', async (_name, config, message) => {
  const resolution = await clientWith(config()).resolve(ref('private/app:1.0.0'));
  expect(resolution.kind).toBe('unauthorized');
  expect((resolution as { message: string }).message).toContain(message);
  expect(JSON.stringify(resolution)).not.toContain(BOB);
});

test.each<[string, () => object, string | undefined]>([
  ['Basic user and password', () => ({ auths: { [registry.host]: { auth: basicAuth('alice', ALICE) } } }), undefined],
  ['an identity token (OAuth2 refresh_token grant)', () => ({ auths: { [registry.host]: { identitytoken: IDENTITY_TOKEN } } }), 'refresh_token'],
])('alice with %s pulls the private repository', async (_name, config, grantType) => {
  const client = clientWith(config());
  expect(await client.resolve(ref('private/app:1.0.0'))).toMatchObject({ kind: 'found', digest: privateImage.digest });
  expect(tokens.requests.at(-1)).toMatchObject({ user: 'alice', grantType, method: grantType ? 'POST' : 'GET' });
});

test('a wrong password: the token service refuses; unauthorized, and no secret in the message', async () => {
  const wrong = 'not-alices-password-xyz';
  const resolution = await clientWith({ auths: { [registry.host]: { auth: basicAuth('alice', wrong) } } }).resolve(ref('private/app:1.0.0'));
  expect(resolution.kind).toBe('unauthorized');
  expect((resolution as { message: string }).message).toContain('refused a token (401): the credentials were rejected');
  expect(JSON.stringify(resolution)).not.toContain(wrong);
  expect(JSON.stringify(resolution)).not.toContain(basicAuth('alice', wrong));
});

describe('tokens expire', () => {
  let shortTokens: TokenServer;
  let shortRegistry: LocalRegistry;
  beforeAll(async () => {
    const signer = makeTokenSigningCert(fs.mkdtempSync(path.join(dir, 'short-')));
    shortTokens = await startTokenServer(tokenOptions(signer, { expiresInSeconds: 11 })); // usable 1 s (10 s margin)
    shortRegistry = await startRegistry({ auth: { kind: 'token', realm: shortTokens.realm, service: SERVICE, issuer: ISSUER, signer } });
    const pusher = new RegistryPusher(shortRegistry.url, { username: 'alice', password: ALICE });
    await pushImage(pusher, 'public/app', '1.0.0', LINUX_AMD64);
    await pushImage(pusher, 'public/app', '1.0.1', LINUX_AMD64);
  });
  afterAll(async () => {
    await shortRegistry?.stop();
    await shortTokens?.stop();
  });

  test('an expired token is fetched again', async () => {
    const client = clientWith({});
    await client.resolve(ImageReference.parse(`${shortRegistry.host}/public/app:1.0.0`));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await client.resolve(ImageReference.parse(`${shortRegistry.host}/public/app:1.0.1`))).toMatchObject({ kind: 'found' });
    expect(client.requestCounts().token).toBe(2);
  });
});

describe('a token realm on another host', () => {
  let foreignTokens: TokenServer;
  let foreignRegistry: LocalRegistry;
  beforeAll(async () => {
    const signer = makeTokenSigningCert(fs.mkdtempSync(path.join(dir, 'foreign-')));
    foreignTokens = await startTokenServer({ ...tokenOptions(signer), address: '127.0.0.2' });
    foreignRegistry = await startRegistry({ auth: { kind: 'token', realm: foreignTokens.realm, service: SERVICE, issuer: ISSUER, signer } });
    const pusher = new RegistryPusher(foreignRegistry.url, { username: 'alice', password: ALICE });
    await pushImage(pusher, 'public/app', '1.0.0', LINUX_AMD64);
    await pushImage(pusher, 'private/app', '1.0.0', LINUX_AMD64);
    foreignTokens.requests.length = 0;
  });
  afterAll(async () => {
    await foreignRegistry?.stop();
    await foreignTokens?.stop();
  });

  const config = () => ({ auths: { [foreignRegistry.host]: { auth: basicAuth('alice', ALICE) } } });
  const foreignRef = (text: string) => ImageReference.parse(`${foreignRegistry.host}/${text}`);

  test('gets no credentials: a public image still resolves, a private one is unauthorized and says why', async () => {
    const client = clientWith(config());
    expect(await client.resolve(foreignRef('public/app:1.0.0'))).toMatchObject({ kind: 'found' });
    const resolution = await client.resolve(foreignRef('private/app:1.0.0'));
    expect(resolution.kind).toBe('unauthorized');
    expect((resolution as { message: string }).message).toContain(`credentials, if any, were not sent: the token service http://${new URL(foreignTokens.realm).host} is on another host`);
    expect(foreignTokens.requests.length).toBeGreaterThan(0);
    expect(foreignTokens.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  test('named in authHosts, it is trusted with them', async () => {
    const client = clientWith(config(), { authHosts: { [foreignRegistry.host]: ['127.0.0.2'] } });
    expect(await client.resolve(foreignRef('private/app:1.0.0'))).toMatchObject({ kind: 'found' });
    expect(foreignTokens.requests.at(-1)).toMatchObject({ user: 'alice' });
  });
});

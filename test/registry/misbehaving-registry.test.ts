import * as http from 'http';
import { ImageReference } from '../../src/reference/image-reference';
import { RegistryClient, RegistryClientOptions } from '../../src/registry/registry-client';
import { basicAuth, DockerEnv, dockerEnv } from '../support/registry/docker-env';
import { close, listen } from '../support/registry/loopback';
import { Faults, MisbehavingServer, ServedImage, startMisbehavingServer } from '../support/registry/misbehaving-server';
import { sha256 } from '../support/registry/push';

/** What the real registry never does, through a loopback server that misbehaves on purpose. */

const PASSWORD = 'misbehaving-secret-42';
let server: MisbehavingServer;
let other: MisbehavingServer; // 127.0.0.2: "another host"
let image: ServedImage;
let env: DockerEnv;

beforeAll(async () => {
  server = await startMisbehavingServer();
  other = await startMisbehavingServer({}, '127.0.0.2');
  image = server.addImage('team/app', '1.0.0');
  server.addImage('team/app2', '1.0.0');
  server.addImage('library/nginx', '1.27.3');
  server.addImage('library/redis', '7.4.0');
  server.addImage('library/postgres', '17.2');
  env = dockerEnv({ auths: { [server.host]: { auth: basicAuth('alice', PASSWORD) }, 'https://index.docker.io/v1/': { auth: basicAuth('hub', PASSWORD) } } });
});

afterAll(async () => {
  await server?.stop();
  await other?.stop();
  env?.remove();
});

beforeEach(() => {
  server.faults = {};
  server.requests.length = 0;
  other.requests.length = 0;
});

const FAST: RegistryClientOptions = { retries: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };
const client = (options: RegistryClientOptions = {}) => new RegistryClient({ env: env.env, ...FAST, ...options });
const ref = (text: string) => ImageReference.parse(`${server.host}/${text}`);

describe('retries', () => {
  test('503s, then success: found after three HEADs', async () => {
    server.faults = { status503: { times: 2 } };
    const c = client();
    expect(await c.resolve(ref('team/app:1.0.0'))).toMatchObject({ kind: 'found', digest: image.digest });
    expect(c.requestCounts()).toMatchObject({ head: 3, retries: 2 });
  });

  test('503s beyond the retries: unreachable, saying how often it tried', async () => {
    server.faults = { status503: { times: 10 } };
    const resolution = await client().resolve(ref('team/app:1.0.0'));
    expect(resolution).toMatchObject({ kind: 'unreachable', reason: 'server-error' });
    expect((resolution as { message: string }).message).toBe(`${server.host}/team/app:1.0.0: the registry answered 503 after 3 attempts`);
  });

  test('429 with Retry-After: 1 is waited out', async () => {
    server.faults = { status429: { times: 1, retryAfter: '1' } };
    const start = Date.now();
    expect(await client().resolve(ref('team/app:1.0.0'))).toMatchObject({ kind: 'found' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
  });

  test('429 with a Retry-After longer than we wait: rate-limited at once', async () => {
    server.faults = { status429: { times: 10, retryAfter: '3600' } };
    const resolution = await client().resolve(ref('team/app:1.0.0'));
    expect(resolution).toMatchObject({ kind: 'rate-limited', pullLimit: false, retryAfterSeconds: 3600 });
    expect(server.requests).toHaveLength(1);
  });

  test('a registry that never answers: unreachable, timed out; its other images are not tried again', async () => {
    server.faults = { neverAnswer: true };
    const c = client({ timeoutMs: 150, retries: 1 });
    const resolution = await c.resolve(ref('team/app:1.0.0'));
    expect(resolution).toMatchObject({ kind: 'unreachable', reason: 'timeout' });
    expect((resolution as { message: string }).message).toContain('no answer within 150 ms (2 attempts)');
    const start = Date.now();
    const next = await c.resolve(ref('team/app2:1.0.0'));
    expect(next).toMatchObject({ kind: 'unreachable', reason: 'timeout' });
    expect((next as { message: string }).message).toContain('not tried: the registry could not be reached earlier in this run');
    expect(Date.now() - start).toBeLessThan(100);
    expect(server.requests).toHaveLength(2);
  });
});

describe('bodies are trusted only when they match their digest', () => {
  test('HEAD without Docker-Content-Digest: one GET by tag, its hash is the digest, and it serves the platforms too', async () => {
    server.faults = { noDigestHeader: true };
    const c = client();
    expect(await c.resolve(ref('team/app:1.0.0'), { platforms: true })).toMatchObject({
      kind: 'found', digest: image.digest, platform: { os: 'linux', architecture: 'amd64' },
    });
    expect(c.requestCounts()).toMatchObject({ head: 1, get: 2 }); // the manifest by tag, the config blob
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'HEAD /v2/team/app/manifests/1.0.0',
      'GET /v2/team/app/manifests/1.0.0',
      `GET /v2/team/app/blobs/${image.configDigest}`,
    ]);
  });

  test.each<[string, Faults, () => string]>([
    ['a manifest body that is not the digest asked for (GET by digest)', { wrongBody: true }, () => `the manifest asked for ${image.digest} hashes to`],
    ['a manifest body that is not the digest announced (GET by tag)', { wrongBody: true, noDigestOnHead: true }, () => `the manifest announced as ${image.digest} hashes to`],
    ['a config blob that is not its digest', { wrongBlob: true }, () => `the config blob ${image.configDigest} hashes to`],
  ])('%s: invalid-response', async (_name, faults, message) => {
    server.faults = faults;
    const resolution = await client().resolve(ref('team/app:1.0.0'), { platforms: true });
    expect(resolution).toMatchObject({ kind: 'invalid-response', reason: 'digest-mismatch' });
    expect((resolution as { message: string }).message).toContain(message());
  });

  test('every manifest request sends the full Accept list', async () => {
    await client().resolve(ref('team/app:1.0.0'), { platforms: true });
    const manifestRequests = server.requests.filter((r) => r.path.includes('/manifests/'));
    expect(manifestRequests).toHaveLength(2);
    for (const request of manifestRequests) {
      expect(request.accept?.split(', ')).toEqual([
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ]);
    }
  });

  test.each([
    ['declared', true],
    ['streamed', false],
  ])('a huge manifest (%s): invalid-response, not an out-of-memory', async (_name, declareLength) => {
    server.faults = { hugeManifest: { bytes: 64 * 1024 * 1024, declareLength } };
    const before = process.memoryUsage().rss;
    const resolution = await client({ maxBodyBytes: 1024 * 1024 }).resolve(ref('team/app:1.0.0'), { platforms: true });
    expect(resolution).toMatchObject({ kind: 'invalid-response', reason: 'too-large' });
    expect((resolution as { message: string }).message).toContain('larger than 1048576 bytes');
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });
});

describe('credentials stay with their host', () => {
  test('a blob redirected to another host is fetched without the credentials', async () => {
    server.faults = { basic: { username: 'alice', password: PASSWORD }, redirectBlobsTo: other.url };
    other.addImage('team/app', '1.0.0'); // so the redirected config blob exists there
    const resolution = await client().resolve(ref('team/app:1.0.0'), { platforms: true });
    expect(resolution).toMatchObject({ kind: 'found', platform: { architecture: 'amd64' } });
    const authorized = server.requests.filter((r) => r.authorization !== undefined);
    expect(authorized.length).toBeGreaterThan(0);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]).toMatchObject({ path: `/redirected/v2/team/app/blobs/${image.configDigest}`, authorization: undefined });
  });

  test('a token realm on another host gets no credentials: unauthorized, saying so', async () => {
    const realmSeen: Array<string | undefined> = [];
    const realm = http.createServer((req, res) => {
      realmSeen.push(req.headers.authorization);
      res.end(JSON.stringify({ token: req.headers.authorization ? 'token-for-credentials' : 'anonymous-token' }));
    });
    const realmHost = await listen(realm, '127.0.0.2');
    try {
      server.faults = { bearer: { realm: `http://${realmHost}/token`, service: 'misbehaving', acceptTokens: ['token-for-credentials'] } };
      const resolution = await client().resolve(ref('team/app:1.0.0'));
      expect(resolution.kind).toBe('unauthorized');
      expect((resolution as { message: string }).message).toContain(`credentials, if any, were not sent: the token service http://${realmHost} is on another host`);
      expect(realmSeen).toEqual([undefined]);
    } finally {
      await close(realm);
    }
  });

  test('a registry that echoes the Authorization header: the message is redacted', async () => {
    const wrong = 'echoed-wrong-password';
    const echoEnv = dockerEnv({ auths: { [server.host]: { auth: basicAuth('alice', wrong) } } });
    try {
      server.faults = { basic: { username: 'alice', password: PASSWORD }, echoAuthorization: true };
      const resolution = await new RegistryClient({ env: echoEnv.env, ...FAST }).resolve(ref('team/app:1.0.0'), { platforms: true });
      expect(resolution.kind).toBe('unauthorized');
      const text = JSON.stringify(resolution);
      expect(text).not.toContain(basicAuth('alice', wrong));
      expect(text).not.toContain(wrong);
    } finally {
      echoEnv.remove();
    }
  });
});

describe("Docker Hub's pull limit", () => {
  const hub = (options: RegistryClientOptions = {}) => client({ registryMirrors: [`docker.io=${server.url}`], ...options });

  test('a 429 TOOMANYREQUESTS on a GET: not retried, no more pulls, HEADs go on, one notice', async () => {
    server.faults = { pullLimit: 'get' };
    const c = hub();
    const first = await c.resolve(ImageReference.parse('nginx:1.27.3'), { platforms: true });
    expect(first).toMatchObject({ kind: 'rate-limited', pullLimit: true });
    const second = await c.resolve(ImageReference.parse('redis:7.4.0'), { platforms: true });
    expect(second).toMatchObject({ kind: 'rate-limited', pullLimit: true });
    expect(await c.resolve(ImageReference.parse('postgres:17.2'))).toMatchObject({ kind: 'found' }); // HEAD is not a pull
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    expect(c.requestCounts().retries).toBe(0);
    const notices = c.pullLimitNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0].references).toEqual(['docker.io/library/nginx:1.27.3', 'docker.io/library/redis:7.4.0']);
    expect(notices[0].message).toBe(
      "Docker Hub's pull rate limit was reached (429 TOOMANYREQUESTS from docker.io): 2 images not verified: " +
        'docker.io/library/nginx:1.27.3, docker.io/library/redis:7.4.0. Nothing more was pulled from Docker Hub in this run. ' +
        'Log in (`docker login`) for a higher limit, or run again later.',
    );
  });

  test('reported on a HEAD (ratelimit-remaining: 0): nothing more is sent to Docker Hub', async () => {
    server.faults = { pullLimit: 'head-and-get' };
    const c = hub();
    const results = await Promise.all(['nginx:1.27.3', 'redis:7.4.0', 'postgres:17.2'].map((r) => c.resolve(ImageReference.parse(r))));
    expect(results.every((r) => r.kind === 'rate-limited')).toBe(true);
    expect(server.requests.length).toBeLessThanOrEqual(3); // at most the HEADs already in flight
    await c.resolve(ImageReference.parse('alpine:3.21.0'));
    expect(server.requests.length).toBeLessThanOrEqual(3);
    expect(c.pullLimitNotices()[0].references).toHaveLength(4);
  });

  test('the same 429 from another registry is throttling: retried', async () => {
    server.faults = { pullLimit: 'get' };
    const c = client();
    expect(await c.resolve(ref('team/app:1.0.0'), { platforms: true })).toMatchObject({ kind: 'rate-limited', pullLimit: false });
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
    expect(c.pullLimitNotices()).toEqual([]);
  });
});

test('sha256 of the served bytes is the served digest (the fixture itself is honest)', () => {
  expect(sha256(image.bytes)).toBe(image.digest);
  expect(sha256(image.config)).toBe(image.configDigest);
});

describe('answers that are neither found nor not-found', () => {
  test.each<[string, Faults, 'platforms' | 'digest', object]>([
    ['403', { status: 403 }, 'digest', { kind: 'unauthorized', message: expect.stringContaining('access denied (403)') }],
    ['400', { status: 400 }, 'digest', { kind: 'invalid-response', reason: 'unexpected-status', message: expect.stringContaining('the registry answered 400') }],
    ['a HEAD for another digest', { lieDigestOnHead: true }, 'digest', { kind: 'invalid-response', reason: 'digest-mismatch' }],
    ['a missing config blob', { missingBlob: true }, 'platforms', { kind: 'invalid-response', message: expect.stringContaining('the image is incomplete') }],
  ])('%s', async (_name, faults, what, expected) => {
    server.faults = faults;
    const reference = what === 'digest' ? `team/app@${image.digest}` : 'team/app:1.0.0';
    expect(await client().resolve(ref(reference), { platforms: what === 'platforms' })).toMatchObject(expected);
  });

  test.each<[string, string, string, object]>([
    ['a schema 1 manifest: found, no platforms', 'application/vnd.docker.distribution.manifest.v1+prettyjws', '{"schemaVersion":1,"fsLayers":[]}', { kind: 'found', index: false }],
    ['a manifest that is not JSON', 'application/vnd.oci.image.manifest.v1+json', 'not json', { kind: 'invalid-response', reason: 'malformed' }],
  ])('%s', async (_name, mediaType, body, expected) => {
    const digest = server.addManifest('team/odd', _name.length.toString(), mediaType, Buffer.from(body));
    const resolution = await client().resolve(ref(`team/odd:${_name.length}`), { platforms: true });
    expect(resolution).toMatchObject({ ...expected, ...(resolution.kind === 'found' ? { digest } : {}) });
    expect((resolution as { platforms?: unknown }).platforms).toBeUndefined();
  });
});

describe('the token service misbehaves', () => {
  let realm: http.Server;
  let realmHost: string;
  let mode = 'ok';
  let issued = 0;
  const realmRequests: Array<string | undefined> = [];
  beforeAll(async () => {
    realm = http.createServer((req, res) => {
      realmRequests.push(req.headers.authorization);
      issued++;
      if (mode === '500') {
        res.writeHead(500);
        res.end();
      } else if (mode === 'html') {
        res.end('<html>login</html>');
      } else if (mode === 'empty') {
        res.end('{}');
      } else {
        res.end(JSON.stringify({ access_token: `t${issued}`, expires_in: 300 }));
      }
    });
    realmHost = await listen(realm, '127.0.0.1');
  });
  afterAll(() => close(realm));
  beforeEach(() => {
    mode = 'ok';
    issued = 0;
    realmRequests.length = 0;
  });
  const bearer = (realmUrl: string, acceptTokens: string[] = ['t1']) => ({ bearer: { realm: realmUrl, service: 'svc', acceptTokens } });

  test.each<[string, string, () => string, object]>([
    ['answers 500 (retried)', '500', () => `http://${realmHost}/token`, { kind: 'unreachable', reason: 'token-service', message: expect.stringContaining('answered 500') }],
    ['answers HTML', 'html', () => `http://${realmHost}/token`, { kind: 'unreachable', message: expect.stringContaining('not JSON') }],
    ['answers no token', 'empty', () => `http://${realmHost}/token`, { kind: 'unreachable', message: expect.stringContaining('without a token') }],
    ['is not a URL', 'ok', () => 'not a url', { kind: 'unreachable', message: expect.stringContaining('is not a URL') }],
    ['uses plain HTTP off loopback (refused before connecting)', 'ok', () => 'http://token.example.com/token', {
      kind: 'unauthorized', message: expect.stringContaining('no token requested: the token service http://token.example.com uses plain HTTP'),
    }],
  ])('%s', async (_name, m, realmUrl, expected) => {
    mode = m;
    server.faults = bearer(realmUrl());
    expect(await client().resolve(ref('team/app:1.0.0'))).toMatchObject(expected);
    expect(realmRequests.length).toBe(m === '500' ? 3 : realmUrl().includes(realmHost) ? 1 : 0);
  });

  test('a registry token from the Docker config is sent as the bearer, with no exchange', async () => {
    const tokenEnv = dockerEnv({ auths: { [server.host]: { registrytoken: 'my-registry-token' } } });
    try {
      server.faults = bearer(`http://${realmHost}/token`, ['my-registry-token']);
      const resolution = await new RegistryClient({ env: tokenEnv.env, ...FAST }).resolve(ref('team/app:1.0.0'));
      expect(resolution).toMatchObject({ kind: 'found' });
      expect(realmRequests).toEqual([]);
    } finally {
      tokenEnv.remove();
    }
  });

  test('a cached token the registry stops accepting is replaced once', async () => {
    server.faults = bearer(`http://${realmHost}/token`, ['t1']);
    const c = client();
    expect(await c.resolve(ref('team/app:1.0.0'))).toMatchObject({ kind: 'found' });
    server.faults = bearer(`http://${realmHost}/token`, ['t2']); // t1 revoked
    expect(await c.resolve(ref(`team/app@${image.digest}`))).toMatchObject({ kind: 'found' });
    expect(c.requestCounts().token).toBe(2);
  });
});

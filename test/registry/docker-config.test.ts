import * as fs from 'fs';
import * as path from 'path';
import {
  authEntryFor, convertToHostname, credentialHelperFor, credentialOfAuthEntry, DOCKER_HUB_CONFIG_KEY, DockerConfig,
  dockerConfigFile, dockerConfigKey, readDockerConfig,
} from '../../src/registry/docker-config';
import { DockerCredentialSource } from '../../src/registry/docker-credentials';
import { basicAuth, dockerEnv } from '../support/registry/docker-env';

function config(partial: Partial<DockerConfig>): DockerConfig {
  return { file: 'config.json', auths: {}, credHelpers: {}, ...partial };
}

describe('where the Docker config is', () => {
  test.each<[NodeJS.ProcessEnv, string]>([
    [{ DOCKER_CONFIG: '/etc/docker-ci' }, '/etc/docker-ci/config.json'],
    [{}, '/home/me/.docker/config.json'],
    [{ DOCKER_CONFIG: '' }, '/home/me/.docker/config.json'],
  ])('%p -> %s', (env, expected) => {
    expect(dockerConfigFile(env, '/home/me')).toBe(expected);
  });
});

describe('config keys', () => {
  test.each([
    ['docker.io', DOCKER_HUB_CONFIG_KEY],
    ['ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
  ])('%s is keyed %s', (registry, key) => {
    expect(dockerConfigKey(registry)).toBe(key);
  });

  test.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['http://registry.example.com:5000/v2/', 'registry.example.com:5000'],
    ['Registry.Example.com', 'registry.example.com'],
  ])('%s has host %s', (key, host) => {
    expect(convertToHostname(key)).toBe(host);
  });
});

describe('which source Docker uses for a registry', () => {
  const cfg = config({
    credHelpers: { 'ghcr.io': 'gh', '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login' },
    credsStore: 'desktop',
    auths: {
      'https://index.docker.io/v1/': { auth: basicAuth('hubuser', 'hubpass') },
      'https://registry.example.com/v1/': { identitytoken: 'idtok' },
      'quay.io': { username: 'q', password: 'qp' },
      'empty.example.com': {},
    },
  });

  test.each<[string, { helper: string; from: string } | undefined]>([
    ['ghcr.io', { helper: 'gh', from: 'credHelpers' }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', { helper: 'ecr-login', from: 'credHelpers' }],
    ['docker.io', { helper: 'desktop', from: 'credsStore' }],
  ])('%s -> helper %p', (registry, expected) => {
    expect(credentialHelperFor(cfg, registry)).toEqual(expected);
  });

  test('no helper without credHelpers or credsStore', () => {
    expect(credentialHelperFor(config({}), 'ghcr.io')).toBeUndefined();
  });

  test.each<[string, object | undefined]>([
    ['docker.io', { kind: 'basic', username: 'hubuser', password: 'hubpass' }],
    ['registry.example.com', { kind: 'identity-token', token: 'idtok' }],
    ['quay.io', { kind: 'basic', username: 'q', password: 'qp' }],
    ['empty.example.com', undefined],
    ['other.example.com', undefined],
  ])('auths for %s -> %p', (registry, expected) => {
    const entry = authEntryFor(cfg, registry);
    expect(entry === undefined ? undefined : credentialOfAuthEntry(entry)).toEqual(expected);
  });

  test.each<[object, object | undefined]>([
    [{ auth: basicAuth('u', 'p:with:colons') }, { kind: 'basic', username: 'u', password: 'p:with:colons' }],
    [{ auth: Buffer.from('nocolon').toString('base64') }, undefined],
    [{ registrytoken: 'rt' }, { kind: 'registry-token', token: 'rt' }],
    [{ identitytoken: 'it', auth: basicAuth('u', 'p') }, { kind: 'identity-token', token: 'it' }],
  ])('entry %p -> %p', (entry, expected) => {
    expect(credentialOfAuthEntry(entry)).toEqual(expected);
  });
});

describe('readDockerConfig', () => {
  const env = dockerEnv({});
  afterAll(() => env.remove());

  test.each<[string, string | undefined, string]>([
    ['missing.json', undefined, 'undefined'],
    ['bad.json', '{ "auths": ', 'is not valid JSON'],
    ['array.json', '[]', 'is not a JSON object'],
  ])('%s', (name, content, expected) => {
    const file = path.join(env.dir, name);
    if (content !== undefined) {
      fs.writeFileSync(file, content);
    }
    const result = readDockerConfig(file);
    if (expected === 'undefined') {
      expect(result).toBeUndefined();
    } else {
      expect((result as { problem: string }).problem).toContain(expected);
      expect((result as { problem: string }).problem).toContain(file);
    }
  });

  test('a malformed file is reported without quoting its content (it holds secrets)', () => {
    const file = path.join(env.dir, 'secret.json');
    fs.writeFileSync(file, '{"auths":{"x":{"auth":"c2VjcmV0LXBhc3N3b3Jk"}');
    expect(JSON.stringify(readDockerConfig(file))).not.toContain('c2VjcmV0');
  });
});

describe('DockerCredentialSource with real helper programs', () => {
  const env = dockerEnv(
    {
      credHelpers: { 'ghcr.io': 'gh', 'broken.example.com': 'broken', 'absent.example.com': 'nosuchhelper' },
      credsStore: 'store',
      auths: { 'fallback.example.com': { auth: basicAuth('fb', 'fbpass') }, 'broken.example.com': { auth: basicAuth('b', 'bpass') } },
    },
    [
      { name: 'gh', answers: { 'ghcr.io': { Username: 'octocat', Secret: 'ghp_secret' } } },
      {
        name: 'store',
        answers: {
          'https://index.docker.io/v1/': { Username: '<token>', Secret: 'hub-identity-token' },
          'registry.example.com': { Username: 'me', Secret: 'store-secret' },
        },
      },
      { name: 'broken', fail: { code: 2, stderr: 'keychain locked' } },
    ],
  );
  afterAll(() => env.remove());
  const source = new DockerCredentialSource({ env: env.env });

  test.each<[string, object]>([
    ['ghcr.io', { credential: { kind: 'basic', username: 'octocat', password: 'ghp_secret' }, source: 'credHelpers (docker-credential-gh)' }],
    ['docker.io', { credential: { kind: 'identity-token', token: 'hub-identity-token' }, source: 'credsStore (docker-credential-store)' }],
    ['registry.example.com', { credential: { kind: 'basic', username: 'me', password: 'store-secret' } }],
    // The store has nothing: the auths entry is used, as Docker's native store falls back to the file.
    ['fallback.example.com', { credential: { kind: 'basic', username: 'fb', password: 'fbpass' } }],
    // A failing helper: the problem is kept, and the file entry still serves.
    ['broken.example.com', { credential: { kind: 'basic', username: 'b' }, problem: expect.stringContaining('docker-credential-broken get exited with 2: keychain locked') }],
    ['absent.example.com', { problem: expect.stringContaining('docker-credential-nosuchhelper is not on the PATH') }],
    ['nothing.example.com', {}],
  ])('%s', async (registry, expected) => {
    expect(await source.lookup(registry)).toMatchObject(expected);
  });

  test('helpers are asked for the server Docker asks for (Docker Hub by its v1 URL)', () => {
    expect(env.helperCalls('store')).toEqual(expect.arrayContaining(['https://index.docker.io/v1/', 'registry.example.com']));
    expect(env.helperCalls('gh')).toEqual(['ghcr.io']);
  });

  test('no Docker config at all means anonymous', async () => {
    const none = new DockerCredentialSource({ configFile: path.join(env.dir, 'does-not-exist.json') });
    expect(await none.lookup('ghcr.io')).toEqual({});
  });
});

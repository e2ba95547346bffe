import { parseImageConfigPlatform, parseManifest } from '../../src/registry/manifest';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from '../../src/registry/media-types';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const entry = (digest: string, platform?: object, annotations?: object) => ({ mediaType: OCI_MANIFEST, digest, size: 1, platform, annotations });

describe('parseManifest: indexes', () => {
  test.each<[string, object, string | undefined, Record<string, string>, number]>([
    [
      'OCI index with attestations',
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          entry(D('a'), { os: 'linux', architecture: 'amd64' }),
          entry(D('b'), { os: 'linux', architecture: 'arm64', variant: 'v8' }),
          entry(D('c'), { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D('a') }),
          entry(D('d'), { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D('b') }),
        ],
      },
      undefined,
      { 'linux/amd64': D('a'), 'linux/arm64': D('b') },
      2,
    ],
    [
      'Docker manifest list with arm/v7 and arm/v6',
      {
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST_LIST,
        manifests: [
          entry(D('a'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
          entry(D('b'), { os: 'linux', architecture: 'arm', variant: 'v6' }),
          entry(D('c'), { os: 'linux', architecture: 's390x' }),
        ],
      },
      undefined,
      { 'linux/arm/v7': D('a'), 'linux/arm/v6': D('b'), 'linux/s390x': D('c') },
      0,
    ],
    [
      'OCI index without mediaType field: Content-Type decides',
      { schemaVersion: 2, manifests: [entry(D('a'), { os: 'linux', architecture: 'amd64' })] },
      OCI_INDEX,
      { 'linux/amd64': D('a') },
      0,
    ],
    [
      'Windows per OS version: the first entry of a platform wins',
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          entry(D('a'), { 'os': 'windows', 'architecture': 'amd64', 'os.version': '10.0.20348.1' }),
          entry(D('b'), { 'os': 'windows', 'architecture': 'amd64', 'os.version': '10.0.17763.1' }),
        ],
      },
      undefined,
      { 'windows/amd64': D('a') },
      0,
    ],
    [
      'an entry without platform is not a platform',
      { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(D('a'))] },
      undefined,
      {},
      1,
    ],
  ])('%s', (_name, body, contentType, platforms, skipped) => {
    const parsed = parseManifest(bytes(body), contentType);
    expect(parsed).toMatchObject({ kind: 'index', platforms, skipped });
  });
});

describe('parseManifest: image manifests and the rest', () => {
  test.each<[string, unknown, string | undefined, object]>([
    ['OCI manifest', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: D('e') }, layers: [] }, undefined, { kind: 'image', mediaType: OCI_MANIFEST, configDigest: D('e') }],
    ['Docker v2 manifest', { schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { digest: D('f') }, layers: [] }, DOCKER_MANIFEST, { kind: 'image', configDigest: D('f') }],
    ['OCI manifest without mediaType field', { schemaVersion: 2, config: { digest: D('e') }, layers: [] }, undefined, { kind: 'image', mediaType: OCI_MANIFEST }],
    ['schema 1', { schemaVersion: 1, name: 'x', fsLayers: [] }, 'application/vnd.docker.distribution.manifest.v1+prettyjws', { kind: 'unsupported' }],
    ['config digest not sha256', { mediaType: OCI_MANIFEST, config: { digest: 'sha512:abc' }, layers: [] }, undefined, { kind: 'malformed' }],
    ['index entry without digest', { mediaType: OCI_INDEX, manifests: [{ platform: { os: 'linux', architecture: 'amd64' } }] }, undefined, { kind: 'malformed' }],
    ['index without manifests', { mediaType: OCI_INDEX }, undefined, { kind: 'malformed' }],
    ['not JSON', 'not json', undefined, { kind: 'malformed', problem: 'the manifest is not valid JSON' }],
    ['a JSON array', [], undefined, { kind: 'malformed', problem: 'the manifest is not a JSON object' }],
  ])('%s', (_name, body, contentType, expected) => {
    const raw = typeof body === 'string' ? Buffer.from(body) : bytes(body);
    expect(parseManifest(raw, contentType)).toMatchObject(expected);
  });
});

describe('parseImageConfigPlatform', () => {
  test.each<[unknown, object | undefined]>([
    [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'amd64' }],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    [{ os: 'linux', architecture: 'arm', variant: '' }, { os: 'linux', architecture: 'arm' }],
    [{ os: 'linux' }, undefined],
    [{ architecture: 'amd64' }, undefined],
    ['nope', undefined],
  ])('%p -> %p', (config, expected) => {
    expect(parseImageConfigPlatform(typeof config === 'string' ? Buffer.from(config) : bytes(config))).toEqual(expected);
  });
});

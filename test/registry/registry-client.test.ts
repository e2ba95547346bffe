import { ImageReference } from '../../src/reference/image-reference';
import { RegistryClient } from '../../src/registry/registry-client';
import { Found, Resolution } from '../../src/registry/resolution';
import { LINUX_AMD64, LINUX_ARM64, LINUX_ARM_V7, moveTag, PushedImage, PushedIndex, pushImage, pushIndex } from '../support/registry/images';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { RegistryPusher } from '../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../support/registry/tools';

/** The client against the real registry (distribution 2.8), anonymous access. */

let registry: LocalRegistry;
let pusher: RegistryPusher;
let ociImage: PushedImage;
let dockerImage: PushedImage;
let ociIndex: PushedIndex;
let dockerList: PushedIndex;

beforeAll(async () => {
  registry = await startRegistry();
  pusher = new RegistryPusher(registry.url);
  ociImage = await pushImage(pusher, 'team/app', '1.0.0', LINUX_AMD64, 'oci');
  dockerImage = await pushImage(pusher, 'team/legacy', '2.0.0', LINUX_ARM64, 'docker');
  ociIndex = await pushIndex(pusher, 'team/multi', '3.0.0', [LINUX_AMD64, LINUX_ARM64], { format: 'oci', attestations: true });
  dockerList = await pushIndex(pusher, 'team/list', '4.0.0', [LINUX_AMD64, LINUX_ARM64, LINUX_ARM_V7], { format: 'docker' });
  await pushImage(pusher, 'team/app', 'latest', LINUX_AMD64, 'oci');
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
});

function ref(text: string): ImageReference {
  return ImageReference.parse(`${registry.host}/${text}`);
}

function client(): RegistryClient {
  return new RegistryClient({ retries: 0 });
}

function found(resolution: Resolution): Found {
  if (resolution.kind !== 'found') {
    throw new Error(`expected found, got ${JSON.stringify(resolution)}`);
  }
  return resolution;
}

describe('tag to digest with one HEAD', () => {
  test.each<[string, () => string, string]>([
    ['an OCI image', () => ociImage.digest, 'team/app:1.0.0'],
    ['a Docker v2 image', () => dockerImage.digest, 'team/legacy:2.0.0'],
    ['an OCI index (with attestations)', () => ociIndex.digest, 'team/multi:3.0.0'],
    ['a Docker manifest list', () => dockerList.digest, 'team/list:4.0.0'],
  ])('%s', async (_name, digest, reference) => {
    const c = client();
    const resolution = found(await c.resolve(ref(reference)));
    expect(resolution.digest).toBe(digest());
    expect(c.requestCounts()).toMatchObject({ head: 1, get: 0, token: 0, total: 1 });
  });

  test('the media type says whether it is an index', async () => {
    const c = client();
    expect(found(await c.resolve(ref('team/multi:3.0.0')))).toMatchObject({ mediaType: ociIndex.mediaType, index: true });
    expect(found(await c.resolve(ref('team/app:1.0.0')))).toMatchObject({ mediaType: ociImage.mediaType, index: false });
  });

  test('without tag or digest, latest is resolved, as Docker does', async () => {
    const resolution = found(await client().resolve(ref('team/app')));
    expect(resolution.reference).toBe(`${registry.host}/team/app`);
    expect(resolution.digest).not.toBe(ociImage.digest);
  });

  test('the full Accept list is what makes an OCI index visible: distribution 2.8 hides it from a short one', async () => {
    const short = await fetch(`${registry.url}/v2/team/multi/manifests/3.0.0`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(short.status).toBe(404);
    expect(found(await client().resolve(ref('team/multi:3.0.0'))).digest).toBe(ociIndex.digest);
  });
});

describe('platforms, with a GET by digest only when asked', () => {
  test('an OCI index: its platforms, attestation entries skipped; one HEAD and one GET', async () => {
    const c = client();
    const resolution = found(await c.resolve(ref('team/multi:3.0.0'), { platforms: true }));
    expect(resolution.platforms).toEqual(ociIndex.children);
    expect(Object.keys(resolution.platforms!)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(ociIndex.attestationDigests).toHaveLength(2);
    expect(c.requestCounts()).toMatchObject({ head: 1, get: 1 });
  });

  test('a Docker manifest list with arm/v7', async () => {
    const resolution = found(await client().resolve(ref('team/list:4.0.0'), { platforms: true }));
    expect(resolution).toMatchObject({ index: true, platforms: dockerList.children });
    expect(resolution.platforms!['linux/arm/v7']).toBe(dockerList.children['linux/arm/v7']);
  });

  test.each<[string, () => PushedImage, object]>([
    ['an OCI image: its config says linux/amd64', () => ociImage, { os: 'linux', architecture: 'amd64' }],
    ['a Docker image: its config says linux/arm64/v8', () => dockerImage, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
  ])('%s; one HEAD and two GETs (manifest, config)', async (_name, image, platform) => {
    const c = client();
    const reference = image() === ociImage ? 'team/app:1.0.0' : 'team/legacy:2.0.0';
    const resolution = found(await c.resolve(ref(reference), { platforms: true }));
    expect(resolution).toMatchObject({ digest: image().digest, index: false, platform });
    expect(resolution.platforms).toBeUndefined();
    expect(c.requestCounts()).toMatchObject({ head: 1, get: 2 });
  });

  test('a child of an index, by digest, is a single-platform image', async () => {
    const child = ociIndex.children['linux/arm64'];
    const resolution = found(await client().resolve(ref(`team/multi@${child}`), { platforms: true }));
    expect(resolution).toMatchObject({ digest: child, index: false, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
  });
});

describe('digests', () => {
  test('name@digest is checked with a HEAD by digest', async () => {
    const c = client();
    expect(found(await c.resolve(ref(`team/app@${ociImage.digest}`))).digest).toBe(ociImage.digest);
    expect(c.requestCounts()).toMatchObject({ head: 1, get: 0 });
  });

  test('name:tag@digest: the digest decides, whatever the tag points at', async () => {
    const resolution = found(await client().resolve(ref(`team/app:latest@${ociImage.digest}`)));
    expect(resolution.digest).toBe(ociImage.digest);
  });
});

describe('what does not exist', () => {
  test.each<[string, () => string, 'tag' | 'digest', () => string]>([
    ['a tag that was never pushed', () => 'team/app:1.27.33', 'tag', () => 'the tag 1.27.33 does not exist'],
    ['a repository that does not exist', () => 'team/nope:1.0.0', 'tag', () => 'the tag 1.0.0 does not exist'],
    ['a digest not in the repository', () => `team/app@${ociIndex.digest}`, 'digest', () => `the digest ${ociIndex.digest} does not exist`],
  ])('%s is not-found', async (_name, reference, missing, message) => {
    const resolution = await client().resolve(ref(reference()));
    expect(resolution).toMatchObject({ kind: 'not-found', missing, registry: registry.host });
    expect((resolution as { message: string }).message).toContain(message());
    expect((resolution as { message: string }).message).toContain(`${registry.host}/${reference()}`);
  });

  test('a deleted manifest is not-found by digest', async () => {
    const doomed = await pushImage(pusher, 'team/doomed', '1.0.0', LINUX_AMD64);
    expect(found(await client().resolve(ref('team/doomed:1.0.0'))).digest).toBe(doomed.digest);
    await pusher.deleteManifest('team/doomed', doomed.digest);
    expect(await client().resolve(ref(`team/doomed@${doomed.digest}`))).toMatchObject({ kind: 'not-found', missing: 'digest' });
  });
});

describe('once per run', () => {
  test('concurrent and repeated resolutions of one reference make one HEAD', async () => {
    const c = client();
    const all = await Promise.all(Array.from({ length: 50 }, () => c.resolve(ref('team/app:1.0.0'))));
    await c.resolve(ImageReference.parse(`${registry.host}/team/app:1.0.0`));
    expect(new Set(all.map((r) => found(r).digest))).toEqual(new Set([ociImage.digest]));
    expect(c.requestCounts()).toMatchObject({ head: 1, get: 0, total: 1 });
  });

  test('asking for platforms after the digest reuses the HEAD; tag and digest share one manifest GET', async () => {
    const c = client();
    await c.resolve(ref('team/multi:3.0.0'));
    await c.resolve(ref('team/multi:3.0.0'), { platforms: true });
    await c.resolve(ref(`team/multi@${ociIndex.digest}`), { platforms: true });
    expect(c.requestCounts()).toMatchObject({ head: 2, get: 1 });
  });

  test('a moved tag: a new run sees the new digest; the same run keeps what it resolved', async () => {
    const first = await pushImage(pusher, 'team/moving', 'stable', LINUX_AMD64);
    const second = await pushImage(pusher, 'team/moving', undefined, LINUX_AMD64);
    const c = client();
    expect(found(await c.resolve(ref('team/moving:stable'))).digest).toBe(first.digest);
    await moveTag(pusher, 'team/moving', 'stable', second);
    expect(found(await c.resolve(ref('team/moving:stable'))).digest).toBe(first.digest);
    expect(found(await client().resolve(ref('team/moving:stable'))).digest).toBe(second.digest);
  });

  test('1,000 uses of 60 distinct references cost 60 HEADs and no GET', async () => {
    const repos = Array.from({ length: 6 }, (_, i) => `bench/r${i}`);
    await Promise.all(repos.map(async (repo) => {
      const image = await pushImage(pusher, repo, 'v0', LINUX_AMD64);
      await Promise.all(Array.from({ length: 9 }, (_, t) => moveTag(pusher, repo, `v${t + 1}`, image)));
    }));
    const references = repos.flatMap((repo) => Array.from({ length: 10 }, (_, t) => `${repo}:v${t}`));
    const uses = Array.from({ length: 1000 }, (_, i) => references[(i * 7) % references.length]);
    const c = client();
    const start = process.hrtime.bigint();
    const results = await Promise.all(uses.map((u) => c.resolve(ref(u))));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(results.every((r) => r.kind === 'found')).toBe(true);
    expect(c.requestCounts()).toMatchObject({ head: 60, get: 0, token: 0 });
    // eslint-disable-next-line no-console
    console.log(`1,000 uses / 60 references resolved in ${ms.toFixed(0)} ms (${(60 / (ms / 1000)).toFixed(0)} resolutions/s); registry started in ${registry.startMs} ms`);
  });
});

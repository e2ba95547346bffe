import { randomBytes } from 'crypto';
import { RegistryPusher, sha256 } from './push';

/**
 * Test images, built as the bytes a registry stores and pushed with {@link RegistryPusher}:
 * single-platform images (a config stating os/architecture and one layer), multi-platform OCI
 * indexes and Docker manifest lists, optionally with BuildKit-style attestation entries
 * (`unknown/unknown`, annotated `vnd.docker.reference.type: attestation-manifest`). Every image gets
 * a random label, so two pushes never share a digest unless a test says so.
 */

export type ManifestFormat = 'oci' | 'docker';

export interface TestPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface PushedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface PushedImage extends PushedManifest {
  readonly configDigest: string;
}

export interface PushedIndex extends PushedManifest {
  /** Platform key (`linux/amd64`, `linux/arm/v7`) to child digest. */
  readonly children: Readonly<Record<string, string>>;
  readonly attestationDigests: readonly string[];
}

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
} as const;

export const LINUX_AMD64: TestPlatform = { os: 'linux', architecture: 'amd64' };
export const LINUX_ARM64: TestPlatform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
export const LINUX_ARM_V7: TestPlatform = { os: 'linux', architecture: 'arm', variant: 'v7' };

/** The key the client reports a platform under (arm64/v8 is plain arm64). */
export function keyOf(platform: TestPlatform): string {
  const variant = platform.architecture === 'arm64' && platform.variant === 'v8' ? undefined : platform.variant;
  return `${platform.os}/${platform.architecture}${variant ? `/${variant}` : ''}`;
}

/** Pushes a single-platform image; tags it when `tag` is given (else it is reachable by digest only). */
export async function pushImage(pusher: RegistryPusher, repository: string, tag: string | undefined, platform: TestPlatform, format: ManifestFormat = 'oci'): Promise<PushedImage> {
  const config = Buffer.from(JSON.stringify({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Labels: { 'test.seed': randomBytes(8).toString('hex') } },
    rootfs: { type: 'layers', diff_ids: [] },
  }));
  const layer = randomBytes(64);
  const configDigest = await pusher.pushBlob(repository, config);
  const layerDigest = await pusher.pushBlob(repository, layer);
  const mediaType = format === 'oci' ? MEDIA.ociManifest : MEDIA.dockerManifest;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: format === 'oci' ? MEDIA.ociConfig : MEDIA.dockerConfig, digest: configDigest, size: config.length },
    layers: [{ mediaType: format === 'oci' ? MEDIA.ociLayer : MEDIA.dockerLayer, digest: layerDigest, size: layer.length }],
  }));
  const digest = await pusher.pushManifest(repository, tag ?? sha256(manifest), mediaType, manifest);
  return { digest, mediaType, bytes: manifest, configDigest };
}

/** Pushes one image per platform (by digest), then an index of them under `tag`, children first. */
export async function pushIndex(
  pusher: RegistryPusher,
  repository: string,
  tag: string,
  platforms: readonly TestPlatform[],
  options: { readonly format?: ManifestFormat; readonly attestations?: boolean } = {},
): Promise<PushedIndex> {
  const format = options.format ?? 'oci';
  const entries: object[] = [];
  const children: Record<string, string> = {};
  const attestationDigests: string[] = [];
  for (const platform of platforms) {
    const image = await pushImage(pusher, repository, undefined, platform, format);
    children[keyOf(platform)] = image.digest;
    entries.push({ mediaType: image.mediaType, digest: image.digest, size: image.bytes.length, platform });
  }
  if (options.attestations) {
    for (const child of Object.values(children)) {
      const attestation = await pushAttestation(pusher, repository);
      attestationDigests.push(attestation.digest);
      entries.push({
        mediaType: attestation.mediaType,
        digest: attestation.digest,
        size: attestation.bytes.length,
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: { 'vnd.docker.reference.digest': child, 'vnd.docker.reference.type': 'attestation-manifest' },
      });
    }
  }
  const mediaType = format === 'oci' ? MEDIA.ociIndex : MEDIA.dockerList;
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: entries }));
  const digest = await pusher.pushManifest(repository, tag, mediaType, bytes);
  return { digest, mediaType, bytes, children, attestationDigests };
}

/** Points `tag` at an already pushed manifest (moves the tag). */
export async function moveTag(pusher: RegistryPusher, repository: string, tag: string, to: PushedManifest): Promise<void> {
  await pusher.pushManifest(repository, tag, to.mediaType, to.bytes);
}

/** A BuildKit-style attestation manifest: an OCI manifest of in-toto layers. */
async function pushAttestation(pusher: RegistryPusher, repository: string): Promise<PushedManifest> {
  const config = Buffer.from(JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [] } }));
  const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', seed: randomBytes(8).toString('hex') }));
  const configDigest = await pusher.pushBlob(repository, config);
  const layerDigest = await pusher.pushBlob(repository, statement);
  const bytes = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
    layers: [{ mediaType: MEDIA.inToto, digest: layerDigest, size: statement.length, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
  }));
  const digest = await pusher.pushManifest(repository, sha256(bytes), MEDIA.ociManifest, bytes);
  return { digest, mediaType: MEDIA.ociManifest, bytes };
}

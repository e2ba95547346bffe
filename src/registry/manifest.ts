import { isSha256Digest } from './digest';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, isImageManifestMediaType, isIndexMediaType, OCI_INDEX, OCI_MANIFEST } from './media-types';
import { Platform, platformKey } from './platform';

/**
 * Manifest bodies, read for what the client needs and nothing more:
 *
 * - an index (OCI image index, Docker manifest list): its platforms, each to its child digest.
 *   Entries for `unknown/unknown`, or annotated `vnd.docker.reference.type: attestation-manifest`,
 *   are build attestations (BuildKit provenance and SBOMs), not platforms, and are skipped. When two
 *   entries name one platform (Windows images per OS version), the first wins, as `docker pull`
 *   picks it.
 * - an image manifest (OCI, Docker schema 2): its config blob's digest, whose JSON states the
 *   image's os, architecture and variant.
 *
 * The media type is the body's own `mediaType` when it has one (OCI makes it optional), else the
 * response's `Content-Type`.
 */

export type ParsedManifest =
  | { readonly kind: 'index'; readonly mediaType: string; readonly platforms: Readonly<Record<string, string>>; readonly skipped: number }
  | { readonly kind: 'image'; readonly mediaType: string; readonly configDigest: string }
  | { readonly kind: 'unsupported'; readonly mediaType: string | undefined }
  | { readonly kind: 'malformed'; readonly problem: string };

const ATTESTATION_ANNOTATION = 'vnd.docker.reference.type';

interface IndexEntry {
  readonly digest?: unknown;
  readonly platform?: { readonly os?: unknown; readonly architecture?: unknown; readonly variant?: unknown };
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** Parses a manifest body. Never throws. */
export function parseManifest(body: Uint8Array, contentType: string | undefined): ParsedManifest {
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { kind: 'malformed', problem: 'the manifest is not a JSON object' };
    }
    json = parsed as Record<string, unknown>;
  } catch {
    return { kind: 'malformed', problem: 'the manifest is not valid JSON' };
  }
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : inferMediaType(json, contentType);
  if (isIndexMediaType(mediaType)) {
    return parseIndex(json, mediaType!);
  }
  if (isImageManifestMediaType(mediaType)) {
    const config = json.config as { digest?: unknown } | undefined;
    if (!isSha256Digest(typeof config?.digest === 'string' ? config.digest : undefined)) {
      return { kind: 'malformed', problem: 'the image manifest has no sha256 config digest' };
    }
    return { kind: 'image', mediaType: mediaType!, configDigest: config!.digest as string };
  }
  return { kind: 'unsupported', mediaType };
}

/** The platform an image config states, or undefined when it states none. */
export function parseImageConfigPlatform(body: Uint8Array): Platform | undefined {
  let json: { os?: unknown; architecture?: unknown; variant?: unknown };
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json?.os !== 'string' || typeof json.architecture !== 'string' || json.os === '' || json.architecture === '') {
    return undefined;
  }
  return {
    os: json.os,
    architecture: json.architecture,
    ...(typeof json.variant === 'string' && json.variant !== '' ? { variant: json.variant } : {}),
  };
}

function parseIndex(json: Record<string, unknown>, mediaType: string): ParsedManifest {
  if (!Array.isArray(json.manifests)) {
    return { kind: 'malformed', problem: 'the index has no manifests list' };
  }
  const platforms: Record<string, string> = {};
  let skipped = 0;
  for (const entry of json.manifests as unknown[]) {
    const e = entry as IndexEntry;
    if (typeof e !== 'object' || e === null || !isSha256Digest(typeof e.digest === 'string' ? e.digest : undefined)) {
      return { kind: 'malformed', problem: 'an index entry has no sha256 digest' };
    }
    const os = e.platform?.os;
    const architecture = e.platform?.architecture;
    if (
      e.annotations?.[ATTESTATION_ANNOTATION] === 'attestation-manifest' ||
      (os === 'unknown' && architecture === 'unknown') ||
      typeof os !== 'string' ||
      typeof architecture !== 'string'
    ) {
      skipped++;
      continue;
    }
    const key = platformKey({ os, architecture, variant: typeof e.platform?.variant === 'string' ? e.platform.variant : undefined });
    if (!(key in platforms)) {
      platforms[key] = e.digest as string;
    }
  }
  return { kind: 'index', mediaType, platforms, skipped };
}

/** Without a `mediaType` field: the Content-Type, else the shape (OCI allows the field to be absent). */
function inferMediaType(json: Record<string, unknown>, contentType: string | undefined): string | undefined {
  if (contentType && [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].includes(contentType)) {
    return contentType;
  }
  if (Array.isArray(json.manifests)) {
    return OCI_INDEX;
  }
  if (typeof json.config === 'object' && json.config !== null && Array.isArray(json.layers)) {
    return OCI_MANIFEST;
  }
  return contentType;
}

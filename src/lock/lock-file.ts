import { ImageReference } from '../reference/image-reference';

/**
 * The lock file: tag to digest, written by `cdk-image-pinning lock`, committed, and applied by the
 * library at synthesis, offline.
 *
 *   {
 *     "lockfileVersion": 1,
 *     "images": {
 *       "docker.io/library/nginx:1.27.3": {
 *         "digest": "sha256:…",
 *         "mediaType": "application/vnd.oci.image.index.v1+json",
 *         "platforms": { "linux/amd64": "sha256:…", "linux/arm64": "sha256:…" }
 *       }
 *     }
 *   }
 *
 * Keyed by the normalized reference (`docker.io/library/nginx:1.27.3`: Docker's normalization,
 * so `nginx:1.27.3` and `docker.io/library/nginx:1.27.3` are one entry), sorted, with no
 * timestamps: writing the same images twice gives the same bytes.
 */

export const LOCKFILE_VERSION = 1;
/** The default file name, beside the app (`cdk.json`'s directory). */
export const DEFAULT_LOCK_FILE = 'cdk-image-pinning.lock.json';
/** The CDK context key naming a lock file: `"cdk-image-pinning:lockFile": "cdk-image-pinning.lock.json"`. */
export const LOCK_FILE_CONTEXT = 'cdk-image-pinning:lockFile';
/** Where the JSON Schema of the lock file is in the package. */
export const LOCK_FILE_SCHEMA_PATH = 'schemas/lock-file.schema.json';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** `linux/amd64`, `linux/arm64/v8`, `windows/amd64`. */
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const ENTRY_FIELDS = ['digest', 'mediaType', 'platforms', 'platform'];

/** One locked image: the digest its tag pointed at when locked. */
export interface LockEntry {
  /** The manifest digest (an index's digest for a multi-platform image). */
  readonly digest: string;
  /** The manifest's media type, when the registry said. */
  readonly mediaType?: string;
  /** For a multi-platform index: platform (`linux/amd64`) to the child manifest's digest (build attestations left out). */
  readonly platforms?: Readonly<Record<string, string>>;
  /** For a single-platform image: the platform its config states (`linux/amd64`), so that `verify` needs no GET to check it. */
  readonly platform?: string;
}

export interface LockFile {
  /** The JSON Schema editors validate the file with; kept as written. */
  readonly $schema?: string;
  readonly lockfileVersion: typeof LOCKFILE_VERSION;
  /** Normalized reference with tag (`docker.io/library/nginx:1.27.3`) to its entry. */
  readonly images: Readonly<Record<string, LockEntry>>;
}

/** A lock file that cannot be used: the message names the file, the key and the field. */
export class LockFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockFileError';
  }
}

/**
 * The key of an image in the lock file: its normalized name and tag, digest left out (an image
 * written `name:tag@digest` is locked by its tag). Undefined for an image without a tag or not a
 * valid reference: those cannot be locked.
 */
export function lockKey(image: string): string | undefined {
  let reference: ImageReference;
  try {
    reference = ImageReference.parse(image);
  } catch {
    return undefined;
  }
  return reference.tag === undefined ? undefined : `${reference.name}:${reference.tag}`;
}

/**
 * Parses and checks a lock file's text.
 *
 * @param file the file's name, for messages
 * @throws LockFileError naming the file, the key and the field that are wrong
 */
export function parseLockFile(text: string, file: string): LockFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new LockFileError(`lock file ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed)) {
    throw new LockFileError(`lock file ${file}: must hold a JSON object with "lockfileVersion" and "images"`);
  }
  const unknownKey = Object.keys(parsed).find((k) => k !== 'lockfileVersion' && k !== 'images' && k !== '$schema');
  if (unknownKey !== undefined) {
    throw new LockFileError(`lock file ${file}: unknown key ${JSON.stringify(unknownKey)} (allowed: $schema, lockfileVersion, images)`);
  }
  if (parsed.lockfileVersion !== LOCKFILE_VERSION) {
    throw new LockFileError(`lock file ${file}: lockfileVersion must be ${LOCKFILE_VERSION}, got ${JSON.stringify(parsed.lockfileVersion)}`);
  }
  if (parsed.$schema !== undefined && typeof parsed.$schema !== 'string') {
    throw new LockFileError(`lock file ${file}: "$schema" must be a string, got ${JSON.stringify(parsed.$schema)}`);
  }
  if (!isObject(parsed.images)) {
    throw new LockFileError(`lock file ${file}: "images" must be an object of image references to entries`);
  }
  const images: Record<string, LockEntry> = {};
  for (const [key, entry] of Object.entries(parsed.images)) {
    const at = `lock file ${file}: images[${JSON.stringify(key)}]`;
    const normalized = lockKey(key);
    if (normalized === undefined) {
      throw new LockFileError(`${at}: the key must be an image reference with a tag, e.g. "docker.io/library/nginx:1.27.3"`);
    }
    if (normalized !== key) {
      throw new LockFileError(`${at}: the key must be written normalized, as ${JSON.stringify(normalized)}`);
    }
    images[key] = checkEntry(entry, at);
  }
  return { ...(parsed.$schema !== undefined ? { $schema: parsed.$schema as string } : {}), lockfileVersion: LOCKFILE_VERSION, images };
}

function checkEntry(entry: unknown, at: string): LockEntry {
  if (!isObject(entry)) {
    throw new LockFileError(`${at}: must be an object with "digest"`);
  }
  const unknownField = Object.keys(entry).find((k) => !ENTRY_FIELDS.includes(k));
  if (unknownField !== undefined) {
    throw new LockFileError(`${at}.${unknownField}: unknown field (allowed: ${ENTRY_FIELDS.join(', ')})`);
  }
  if (typeof entry.digest !== 'string' || !DIGEST.test(entry.digest)) {
    throw new LockFileError(`${at}.digest: must be "sha256:" and 64 lowercase hexadecimal characters, got ${JSON.stringify(entry.digest)}`);
  }
  if (entry.mediaType !== undefined && typeof entry.mediaType !== 'string') {
    throw new LockFileError(`${at}.mediaType: must be a string, got ${JSON.stringify(entry.mediaType)}`);
  }
  let platforms: Record<string, string> | undefined;
  if (entry.platforms !== undefined) {
    if (!isObject(entry.platforms)) {
      throw new LockFileError(`${at}.platforms: must be an object of platforms (e.g. "linux/amd64") to digests`);
    }
    platforms = {};
    for (const [platform, digest] of Object.entries(entry.platforms)) {
      if (!PLATFORM.test(platform)) {
        throw new LockFileError(`${at}.platforms[${JSON.stringify(platform)}]: not a platform, write it os/architecture[/variant], e.g. "linux/arm64"`);
      }
      if (typeof digest !== 'string' || !DIGEST.test(digest)) {
        throw new LockFileError(`${at}.platforms[${JSON.stringify(platform)}]: must be a sha256 digest, got ${JSON.stringify(digest)}`);
      }
      platforms[platform] = digest;
    }
  }
  if (entry.platform !== undefined && (typeof entry.platform !== 'string' || !PLATFORM.test(entry.platform))) {
    throw new LockFileError(`${at}.platform: not a platform, write it os/architecture[/variant], e.g. "linux/arm64", got ${JSON.stringify(entry.platform)}`);
  }
  if (entry.platform !== undefined && platforms !== undefined) {
    throw new LockFileError(`${at}: an entry has "platforms" (an index) or "platform" (a single image), not both`);
  }
  const platform = entry.platform !== undefined ? { platform: entry.platform as string } : {};
  return { digest: entry.digest, mediaType: entry.mediaType, platforms, ...platform };
}

/** The lock file's text: `$schema` first, keys sorted at every level, two-space indents, a final newline; no timestamps. */
export function serializeLockFile(lock: LockFile): string {
  const images: Record<string, unknown> = {};
  for (const key of Object.keys(lock.images).sort()) {
    const entry = lock.images[key];
    images[key] = {
      digest: entry.digest,
      ...(entry.mediaType !== undefined ? { mediaType: entry.mediaType } : {}),
      ...(entry.platforms ? { platforms: Object.fromEntries(Object.keys(entry.platforms).sort().map((p) => [p, entry.platforms![p]])) } : {}),
      ...(entry.platform !== undefined ? { platform: entry.platform } : {}),
    };
  }
  const schema = lock.$schema !== undefined ? { $schema: lock.$schema } : {};
  return `${JSON.stringify({ ...schema, lockfileVersion: LOCKFILE_VERSION, images }, undefined, 2)}\n`;
}

/** The digest an image is locked to for a platform: the platform's child when the entry has one, else the entry's digest. */
export function lockedDigest(entry: LockEntry, platform?: string): string {
  return (platform && entry.platforms?.[platform]) || entry.digest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

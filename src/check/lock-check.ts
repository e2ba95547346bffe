import { LoadedLock } from './check-settings';
import { lockedDigest, lockKey, LockEntry } from '../lock/lock-file';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import * as text from '../policy/verdict-text';
import { ImageValue } from '../value/image-value';
import { readReference } from '../value/partial-reference';

/**
 * What the lock file says about an image: the lock applies to literal images with a tag (with or
 * without a digest); asset images and images only partly known at synth time are not locked.
 */
export interface LockState {
  /** The image's key in the lock file (`docker.io/library/nginx:1.27.3`). */
  readonly key: string;
  /** Its entry, when the lock has one. */
  readonly entry?: LockEntry;
}

/** Where synthesis rewrote a locked image, and from what: so the tag stays visible. */
export interface LockedImage {
  /** The image as written, e.g. `nginx:1.27.3`. */
  readonly from: string;
  /** The image synthesized, e.g. `nginx@sha256:…`. */
  readonly to: string;
  /** The lock file it came from. */
  readonly lockFile: string;
}

export function lockStateOf(value: ImageValue, lock: LoadedLock | undefined): LockState | undefined {
  const literal = value.literalText;
  if (!lock || literal === undefined) {
    return undefined;
  }
  const key = lockKey(literal);
  return key === undefined ? undefined : { key, entry: lock.lock.images[key] };
}

/**
 * The image pinned to its locked digest: `name@digest`, the name as written. ECS, Lambda and
 * GameLift document `repository@digest` and `repository:tag`, not both at once, so the tag is left
 * out (and kept in the resource's metadata). For a platform (Lambda's architecture), the child
 * digest of a multi-platform index: Lambda rejects an index.
 */
export function pinnedToLock(image: string, entry: LockEntry, platform: string | undefined): string {
  const read = readReference(ImageValue.literal(image));
  const name = read.ok && read.parts.writtenName !== undefined ? read.parts.writtenName : image.split(/[:@]/)[0];
  return `${name}@${lockedDigest(entry, platform)}`;
}

/** The verdict on an image the lock file does not hold: reported as `unlockedImages` says. */
export function notLockedVerdict(value: ImageValue, lockFile: string): ImageVerdict {
  const image = value.toString();
  const read = readReference(value);
  const parts = read.ok ? read.parts : undefined;
  const t = text.notLocked(image, lockFile);
  return {
    compliant: false,
    reason: PinningReason.NOT_LOCKED,
    image,
    message: t.message,
    fix: t.fix,
    name: parts?.name,
    registry: parts?.registry,
    repository: parts?.repository,
    tag: parts?.tag,
    digest: parts?.digest,
    reference: parts?.reference,
  };
}

import { lockKey } from '../../lock/lock-file';
import { PinningReason } from '../../policy/image-verdict';
import { ImageReference } from '../../reference/image-reference';
import { ScannedImage } from '../scan';

/**
 * What an image found by the scan means for the registry and the lock:
 *
 * - `name:tag` (or `name`, which is `latest`): resolved by its tag; locked under `name:tag`.
 * - `name@digest`: resolved by its digest; not in the lock.
 * - `name:tag@digest` written so: the digest decides what runs; the tag is checked for having moved.
 * - an image synthesis pinned from the lock: `name@digest` or `name:tag@digest` whose resource's
 *   metadata `cdk-image-pinning:locked` names the image as written (`{ "ContainerDefinitions.0.Image":
 *   "nginx:1.27.3" }`; the shared check reads it into `finding.locked`). It is the lock entry of that
 *   image's key, pinned to the digest synthesis wrote (the entry's digest, or for Lambda the child
 *   of its architecture).
 * - anything not fully known at synthesis (asset images, parameters, imports) or invalid: not looked up.
 */
export type RegistryUse =
  | { readonly kind: 'not-checked'; readonly reason: NotCheckedReason }
  | {
    readonly kind: 'image';
    /** The image as the resource has it: what runs. */
    readonly reference: ImageReference;
    /** `name:tag` of an image with a tag and a digest (written so, or pinned by synthesis): the tag to check. */
    readonly tagReference?: ImageReference;
    /** The lock key of the image: for a tag, `name:tag`; for an image synthesis pinned, the key it was pinned by. */
    readonly lockKey?: string;
    /** The image as written before synthesis pinned it from the lock. */
    readonly lockedFrom?: string;
  };

/** Why an image is not looked up in a registry. */
export type NotCheckedReason = 'asset' | 'unresolved' | 'invalid' | 'other';

const NOT_CHECKED: Partial<Record<PinningReason, NotCheckedReason>> = {
  [PinningReason.ASSET]: 'asset',
  [PinningReason.INVALID_REFERENCE]: 'invalid',
  [PinningReason.UNRESOLVED]: 'unresolved',
};

/** What the image means for the registry and the lock. */
export function registryUse(image: ScannedImage): RegistryUse {
  const verdict = image.finding.verdict;
  // Only a literal image is looked up: for one with unknown parts the verdict may hold its name alone.
  const reference = image.finding.value.isLiteral ? verdict.reference : undefined;
  if (!reference) {
    const reason = NOT_CHECKED[verdict.reason] ?? (image.finding.value.isLiteral ? 'other' : 'unresolved');
    return { kind: 'not-checked', reason };
  }
  if (reference.digest === undefined) {
    return { kind: 'image', reference, lockKey: lockKey(reference.toString()) };
  }
  // The shared check reads the metadata synthesis leaves on an image it pinned (`finding.locked`).
  const lockedFrom = image.finding.locked?.from;
  const original = lockedFrom === undefined ? undefined : parse(lockedFrom);
  if (original && original.tag !== undefined && original.digest === undefined && original.name === reference.name) {
    return { kind: 'image', reference, tagReference: parse(`${original.name}:${original.tag}`), lockKey: lockKey(lockedFrom!), lockedFrom };
  }
  if (reference.tag !== undefined) {
    return { kind: 'image', reference, tagReference: parse(`${reference.name}:${reference.tag}`), lockKey: lockKey(reference.toString()) };
  }
  return { kind: 'image', reference };
}

function parse(image: string): ImageReference | undefined {
  try {
    return ImageReference.parse(image);
  } catch {
    return undefined;
  }
}

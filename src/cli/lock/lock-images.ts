import { LockEntry, LockFile } from '../../lock/lock-file';
import { Glob } from '../../policy/glob';
import { PinningReason } from '../../policy/image-verdict';
import { ImageReference } from '../../reference/image-reference';
import { platformKey } from '../../registry/platform';
import { RequestCounts } from '../../registry/request-counters';
import { Found, Resolution } from '../../registry/resolution';
import { lockCheckFailure } from '../../report/registry-text';
import { registryUse } from '../online/image-use';
import { ScannedImage, ScanResult } from '../scan';

/**
 * What `lock` does with the images a scan found: which lock keys they use, the new lock file
 * (entries added, updated, pruned), and for `--check` why the lock does not hold what is used.
 *
 * A key is *required* when an image runs it by its tag (`nginx:1.27.3`), or synthesis pinned the
 * image from that key (`nginx@sha256:…` with the `cdk-image-pinning:locked` metadata). An image
 * written `name:tag@digest` by hand uses its key (prune keeps the entry) but does not require it:
 * its digest already pins it. Images with no tag or not known at synthesis cannot be locked.
 */

/** The uses of one lock key. */
export interface KeyUse {
  readonly key: string;
  /** `name:tag`, what the key resolves. */
  readonly tagReference: ImageReference;
  readonly images: ScannedImage[];
  /** An image runs it by tag, or synthesis pinned an image from it. */
  required: boolean;
  /** Digests synthesis pinned images of this key to, with those images. */
  readonly synthesized: Map<string, ScannedImage[]>;
}

export interface LockUses {
  readonly keys: ReadonlyMap<string, KeyUse>;
  /** Images that cannot be locked, and why. */
  readonly unlockable: ReadonlyArray<{ readonly image: ScannedImage; readonly why: 'no-tag' | 'not-known' }>;
}

/** What the registry client must offer `lock`. */
export interface LockResolver {
  resolve(reference: ImageReference, options?: { platforms?: boolean }): Promise<Resolution>;
  requestCounts(): RequestCounts;
}

/** A key `lock` could not resolve. */
export interface LockProblem {
  readonly key: string;
  /** `error`: the registry says the tag is not there, or refused us; `not-checked`: no usable answer. */
  readonly severity: 'error' | 'not-checked';
  readonly message: string;
}

export interface LockChange {
  readonly kind: 'added' | 'updated' | 'removed';
  readonly key: string;
  readonly before?: string;
  readonly after?: string;
}

export interface LockUpdate {
  readonly lock: LockFile;
  readonly changes: readonly LockChange[];
  readonly problems: readonly LockProblem[];
  /** Entries kept as they were. */
  readonly kept: number;
}

export interface LockUpdateOptions {
  /** `true`: re-resolve every entry; a pattern: those whose key it matches (`*` is a wildcard); absent: only add. */
  readonly update?: boolean | string;
  /** Drop the entries no image uses. */
  readonly prune?: boolean;
}

/** The keys the images use. */
export function lockUses(scan: ScanResult): LockUses {
  const keys = new Map<string, KeyUse>();
  const unlockable: Array<{ image: ScannedImage; why: 'no-tag' | 'not-known' }> = [];
  for (const image of scan.images) {
    if (image.finding.reason === PinningReason.NOT_LOCKED) continue; // the lock's own finding on an image listed beside it
    const use = registryUse(image);
    if (use.kind === 'not-checked') {
      unlockable.push({ image, why: 'not-known' });
      continue;
    }
    if (use.lockKey === undefined) {
      if (use.reference.digest === undefined) unlockable.push({ image, why: 'no-tag' });
      continue; // name@digest: pinned, nothing to lock
    }
    const reference = use.reference;
    const tagReference = use.tagReference ?? reference;
    let entry = keys.get(use.lockKey);
    if (!entry) {
      entry = { key: use.lockKey, tagReference, images: [], required: false, synthesized: new Map() };
      keys.set(use.lockKey, entry);
    }
    entry.images.push(image);
    if (reference.digest === undefined) {
      entry.required = true;
    } else if (use.lockedFrom !== undefined) {
      entry.required = true;
      const same = entry.synthesized.get(reference.digest) ?? [];
      same.push(image);
      entry.synthesized.set(reference.digest, same);
    }
  }
  return { keys, unlockable };
}

/**
 * The lock file after adding the required keys it lacks, re-resolving those `update` selects, and
 * with `prune` dropping entries no image uses. An entry that cannot be resolved keeps its old value.
 */
export async function updateLock(existing: LockFile, uses: LockUses, client: LockResolver, options: LockUpdateOptions = {}): Promise<LockUpdate> {
  const pattern = typeof options.update === 'string' ? new Glob(options.update) : undefined;
  const selected = (key: string) => options.update === true || (pattern !== undefined && pattern.matches(key));
  const toResolve = new Map<string, ImageReference>();
  for (const use of uses.keys.values()) {
    if ((use.required && !(use.key in existing.images)) || (use.key in existing.images && selected(use.key))) {
      toResolve.set(use.key, use.tagReference);
    }
  }
  for (const key of Object.keys(existing.images)) {
    if (!toResolve.has(key) && selected(key) && (!options.prune || uses.keys.has(key))) {
      toResolve.set(key, ImageReference.parse(key));
    }
  }
  const resolved = await Promise.all(
    [...toResolve].map(async ([key, reference]) => ({ key, resolution: await client.resolve(reference, { platforms: true }) })),
  );

  const images: Record<string, LockEntry> = {};
  const changes: LockChange[] = [];
  const problems: LockProblem[] = [];
  let kept = 0;
  for (const [key, entry] of Object.entries(existing.images)) {
    if (options.prune && !uses.keys.has(key)) {
      changes.push({ kind: 'removed', key, before: entry.digest });
    } else {
      images[key] = entry;
    }
  }
  for (const { key, resolution } of resolved) {
    if (resolution.kind !== 'found') {
      problems.push(problemOf(key, resolution));
      continue;
    }
    const entry = entryOf(resolution);
    const before = images[key];
    images[key] = entry;
    if (!before) {
      changes.push({ kind: 'added', key, after: entry.digest });
    } else if (before.digest !== entry.digest) {
      changes.push({ kind: 'updated', key, before: before.digest, after: entry.digest });
    }
  }
  kept = Object.keys(images).length - changes.filter((c) => c.kind !== 'removed').length;
  return { lock: { ...(existing.$schema !== undefined ? { $schema: existing.$schema } : {}), lockfileVersion: 1, images }, changes, problems, kept };
}

/** One reason `lock --check` fails, with the images it concerns. */
export interface CheckFailure {
  readonly kind: 'not-locked' | 'synthesized-stale' | 'tag-moved' | 'tag-gone' | 'digest-gone' | 'not-authorized';
  readonly key: string;
  readonly message: string;
  readonly images: readonly ScannedImage[];
}

export interface LockCheck {
  readonly failures: readonly CheckFailure[];
  /** Keys whose registry gave no usable answer: not judged. */
  readonly notChecked: readonly LockProblem[];
  /** Entries no image uses. */
  readonly unused: readonly string[];
  /** Keys checked against their registry. */
  readonly checkedOnline: number;
}

/**
 * Does the lock hold what the images use? Offline: every required key is locked, and images
 * synthesis pinned carry the digest the lock holds. Online (with a client): for each used key in
 * the lock, its tag still points at the locked digest (one HEAD), and if not, that the locked
 * digest still exists (a second HEAD).
 */
export async function checkLock(lock: LockFile, uses: LockUses, client?: LockResolver): Promise<LockCheck> {
  const failures: CheckFailure[] = [];
  const online: KeyUse[] = [];
  for (const use of uses.keys.values()) {
    const entry = lock.images[use.key];
    if (!entry) {
      if (use.required) {
        failures.push({ kind: 'not-locked', key: use.key, message: lockCheckFailure({ kind: 'not-locked', key: use.key }), images: use.images });
      }
      continue;
    }
    const lockedDigests = new Set([entry.digest, ...Object.values(entry.platforms ?? {})]);
    for (const [digest, images] of use.synthesized) {
      if (!lockedDigests.has(digest)) {
        failures.push({
          kind: 'synthesized-stale',
          key: use.key,
          message: lockCheckFailure({ kind: 'synthesized-stale', key: use.key, synthesized: digest, locked: entry.digest }),
          images,
        });
      }
    }
    online.push(use);
  }
  const notChecked: LockProblem[] = [];
  if (client) {
    await Promise.all(online.map(async (use) => {
      const entry = lock.images[use.key];
      const fail = (failure: Omit<CheckFailure, 'images' | 'key'>) => failures.push({ ...failure, key: use.key, images: use.images });
      const head = await client.resolve(use.tagReference);
      if (head.kind === 'found' && head.digest === entry.digest) return;
      if (head.kind === 'found') {
        fail({ kind: 'tag-moved', message: lockCheckFailure({ kind: 'tag-moved', key: use.key, locked: entry.digest, now: head.digest }) });
      } else if (head.kind === 'not-found') {
        fail({ kind: 'tag-gone', message: lockCheckFailure({ kind: 'tag-gone', key: use.key, locked: entry.digest }) });
      } else if (head.kind === 'unauthorized') {
        fail({ kind: 'not-authorized', message: lockCheckFailure({ kind: 'not-authorized', key: use.key, detail: head.message }) });
        return;
      } else {
        notChecked.push(problemOf(use.key, head));
        return;
      }
      const locked = ImageReference.parse(`${use.tagReference.name}@${entry.digest}`);
      const digest = await client.resolve(locked);
      if (digest.kind === 'not-found') {
        fail({ kind: 'digest-gone', message: lockCheckFailure({ kind: 'digest-gone', key: use.key, locked: entry.digest }) });
      } else if (digest.kind !== 'found' && digest.kind !== 'unauthorized') {
        notChecked.push(problemOf(use.key, digest));
      }
    }));
  }
  failures.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    failures,
    notChecked,
    unused: Object.keys(lock.images).filter((k) => !uses.keys.has(k)).sort(),
    checkedOnline: client ? online.length : 0,
  };
}

/** The lock entry of what a tag resolved to: the digest, the media type, and the platforms. */
export function entryOf(found: Found): LockEntry {
  return {
    digest: found.digest,
    ...(found.mediaType !== undefined ? { mediaType: found.mediaType } : {}),
    ...(found.index === true && found.platforms ? { platforms: found.platforms } : {}),
    ...(found.index !== true && found.platform ? { platform: platformKey(found.platform) } : {}),
  };
}

function problemOf(key: string, resolution: Exclude<Resolution, Found>): LockProblem {
  const severity = resolution.kind === 'not-found' || resolution.kind === 'unauthorized' ? 'error' : 'not-checked';
  return { key, severity, message: resolution.message };
}

/**
 * Drift: a running digest that is neither the digest locked for its image nor one of that
 * digest's platform children (a multi-architecture index runs as the child of the host's
 * platform; which of the two ECS reports is not documented, so either is accepted).
 *
 * Running means what AWS reports it resolved: the digest of each running task's container, of
 * each current service revision's container (what the next task will pull), and of a Lambda
 * function's `ResolvedImageUri`. Pure: the lock is given as data, keyed like the lock file by the
 * normalized reference `docker.io/library/nginx:1.27.3`.
 */
import { DeployedImage, deployedImages } from './image-uses';
import { AuditInventory } from './model';
import { ImageReference } from '../reference/image-reference';

export interface LockedImage {
  readonly digest: string;
  /** Platform (`linux/amd64`) to child digest, for an index. */
  readonly platforms?: Readonly<Record<string, string>>;
}

/** Normalized `name:tag` to its locked digest, as the lock file's `images`. */
export type LockedImages = Readonly<Record<string, LockedImage>>;

export interface DriftRecord {
  readonly use: DeployedImage;
  /** The lock entry compared against, or undefined when the image names its own digest and is not locked. */
  readonly lockKey?: string;
  /** The digests it may run: the locked (or referenced) digest and its platform children. */
  readonly expected: string[];
  readonly running: string;
}

export interface DriftResult {
  /** Running digests that match nothing expected. */
  readonly drifted: DriftRecord[];
  /** Running images that matched. */
  readonly matched: number;
  /** Running images with a tag that the lock does not hold: nothing to compare with. */
  readonly unlocked: DeployedImage[];
  /** Images AWS reported no digest for (a task still pulling, version consistency disabled). */
  readonly withoutDigest: DeployedImage[];
  /** Images that are not references (an unresolved `{{resolve:...}}`, a typo). */
  readonly unparsable: DeployedImage[];
}

const RUNNING_KINDS = new Set(['ecs-task', 'ecs-service-revision', 'lambda-function']);

/** The lock key of a reference: normalized `name:tag`, or undefined when it has no tag. */
export function lockKeyOf(reference: ImageReference): string | undefined {
  return reference.tag === undefined ? undefined : `${reference.name}:${reference.tag}`;
}

function expectedDigests(entry: LockedImage): string[] {
  return [entry.digest, ...Object.values(entry.platforms ?? {})];
}

export function computeDrift(inventory: AuditInventory, lock: LockedImages): DriftResult {
  const drifted: DriftRecord[] = [];
  const unlocked: DeployedImage[] = [];
  const withoutDigest: DeployedImage[] = [];
  const unparsable: DeployedImage[] = [];
  let matched = 0;
  // A digest-pinned reference is compared with its own digest and, if it is a locked index, its children.
  const childrenOf = new Map<string, string[]>();
  for (const entry of Object.values(lock)) childrenOf.set(entry.digest, expectedDigests(entry));

  for (const use of deployedImages(inventory)) {
    if (!RUNNING_KINDS.has(use.kind)) continue;
    let reference: ImageReference;
    try {
      reference = ImageReference.parse(use.image);
    } catch {
      unparsable.push(use);
      continue;
    }
    if (!use.digest) {
      withoutDigest.push(use);
      continue;
    }
    const key = lockKeyOf(reference);
    const entry = key === undefined ? undefined : lock[key];
    let expected: string[];
    if (entry) {
      expected = expectedDigests(entry);
    } else if (reference.digest) {
      expected = childrenOf.get(reference.digest) ?? [reference.digest];
    } else {
      unlocked.push(use);
      continue;
    }
    if (expected.includes(use.digest)) matched += 1;
    else drifted.push({ use, ...(entry ? { lockKey: key } : {}), expected, running: use.digest });
  }
  return { drifted, matched, unlocked, withoutDigest, unparsable };
}

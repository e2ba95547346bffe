import { LockEntry, LockFile } from '../../lock/lock-file';
import { PinningReason } from '../../policy/image-verdict';
import { ImageReference } from '../../reference/image-reference';
import { parseEcrHost } from '../../registry/ecr-host';
import { isIndexMediaType } from '../../registry/media-types';
import { findPlatform, platformKey } from '../../registry/platform';
import { RequestCounts } from '../../registry/request-counters';
import { Found, Resolution } from '../../registry/resolution';
import {
  digestNotFound,
  lambdaIndex,
  mutableTag,
  notAuthorized,
  notCheckedReason,
  platformMissing,
  tagMoved,
  tagNotFound,
  Wording,
} from '../../report/registry-text';
import { REGISTRY_RULES, RegistryRule } from '../../rules/registry-rules';
import { findingIdOf } from '../../rules/rule-ids';
import { PlatformRequirement, platformRequirement, takesSinglePlatformImagesOnly } from '../../rules/runtime-platform';
import { TagMutabilitySource, tagCanMove } from '../online/ecr-repositories';
import { RegistryUse, registryUse } from '../online/image-use';
import { ResourceFactsReader } from '../online/resource-facts';
import { ScannedImage, ScanResult } from '../scan';

/**
 * The registry half of `verify`: for each image the scan found whose registry, repository and tag
 * or digest are known at synthesis, what its registry says, judged by the registry rules
 * (`ImagePinning-REG1` to `REG4`). Findings are data; the formatters word and lay them out.
 *
 * Requests: one HEAD per distinct reference (the client memoizes); a GET by digest only when the
 * platforms are needed (the resource states a platform, or takes single-platform images only) and
 * the lock does not already hold them; with a lock entry whose digest the tag still points at, no GET.
 */

/** A finding of a registry rule on one image. */
export interface RegistryFinding {
  readonly rule: RegistryRule;
  /** `ImagePinning-REG1`. */
  readonly ruleId: string;
  /** `ImagePinning-REG1[web]`. */
  readonly findingId: string;
  readonly level: 'error' | 'warning';
  /** Why, as a code: `TAG_NOT_FOUND`, `DIGEST_NOT_FOUND`, `NOT_AUTHORIZED`, `PLATFORM_MISSING`, `LAMBDA_INDEX`, `MUTABLE_TAG`, `TAG_MOVED`. */
  readonly reason: RegistryReason;
  readonly wording: Wording;
}

export type RegistryReason = 'TAG_NOT_FOUND' | 'DIGEST_NOT_FOUND' | 'NOT_AUTHORIZED' | 'PLATFORM_MISSING' | 'LAMBDA_INDEX' | 'MUTABLE_TAG' | 'TAG_MOVED';

/**
 * How an image stands after verification:
 * `verified` (the registry has it, and nothing it says is an error), `failed` (a registry rule's
 * error), `not-verified` (the registry could not be reached, limited the requests, or gave an
 * answer that is refused: nothing judged), `not-checked` (not known at synthesis: assets,
 * parameters, invalid references).
 */
export type VerificationStatus = 'verified' | 'failed' | 'not-verified' | 'not-checked';

export interface VerifiedImage {
  readonly scanned: ScannedImage;
  readonly status: VerificationStatus;
  /** For `not-checked` and `not-verified`: why, in words. */
  readonly why?: string;
  /** The reference looked up (canonical). */
  readonly reference?: string;
  /** The digest the image resolves to: the tag's digest now, or the digest it names. */
  readonly digest?: string;
  /** The platform the resource runs the image on, when it states one. */
  readonly platform?: string;
  /** The platform facts came from the lock file, without a GET. */
  readonly fromLock: boolean;
  readonly findings: readonly RegistryFinding[];
}

/** A reference that was not verified, with every use of it. */
export interface NotVerified {
  readonly reference: string;
  readonly kind: 'unreachable' | 'rate-limited' | 'invalid-response';
  readonly message: string;
  readonly uses: number;
}

export interface VerifyResult {
  readonly scan: ScanResult;
  /**
   * One per image of the scan, in its order; the lock's own findings on an image (`NOT_LOCKED`,
   * which the scan lists beside the image's finding) are reported with that image.
   */
  readonly images: readonly VerifiedImage[];
  readonly notVerified: readonly NotVerified[];
  /** Other things the run could not do (pull limits, tag mutability not read), one line each. */
  readonly notices: readonly string[];
  readonly requests: RequestCounts;
  /** `ecr:DescribeRepositories` calls. */
  readonly ecrCalls: number;
}

/** What verification needs of the registry client. */
export interface Resolver {
  resolve(reference: ImageReference, options?: { platforms?: boolean }): Promise<Resolution>;
  requestCounts(): RequestCounts;
  pullLimitNotices(): Array<{ message: string }>;
}

export interface VerifyOptions {
  readonly client: Resolver;
  /** Images in the lock are checked against it: a HEAD of the tag, platforms from the entry. */
  readonly lock?: LockFile;
  /** Tag mutability of ECR repositories (REG4); without it, not checked. */
  readonly ecr?: TagMutabilitySource;
  readonly facts?: ResourceFactsReader;
}

/** What is known of the manifest an image resolves to. */
interface ManifestFacts {
  readonly digest: string;
  readonly index?: boolean;
  /** An index's platforms, attestations left out. */
  readonly platforms?: Readonly<Record<string, string>>;
  /** A single image's platform key. */
  readonly platform?: string;
  readonly fromLock: boolean;
}

/** Verifies every image of a scan against its registry. Never throws for anything a registry does. */
export async function verifyImages(scan: ScanResult, options: VerifyOptions): Promise<VerifyResult> {
  const facts = options.facts ?? new ResourceFactsReader();
  const notices = new Set<string>();
  const problems = new Map<string, { kind: NotVerified['kind']; message: string; uses: number }>();
  const images = await Promise.all(
    scan.images.filter((image) => !isLockFinding(image)).map((image) => new ImageVerification(image, facts, options, notices, problems).run()),
  );
  for (const notice of options.client.pullLimitNotices()) notices.add(notice.message);
  return {
    scan,
    images,
    notVerified: [...problems].map(([reference, p]) => ({ reference, ...p })),
    notices: [...notices],
    requests: options.client.requestCounts(),
    ecrCalls: options.ecr?.calls() ?? 0,
  };
}

/** Is this the lock's finding on an image (`ImagePinning-<GROUP>3`: not in the lock), listed beside the image's own? */
export function isLockFinding(image: ScannedImage): boolean {
  return image.finding.reason === PinningReason.NOT_LOCKED;
}

/** Exit code 2 when an input could not be scanned or an image could not be verified; 1 for an error; else 0. */
export function verifyExitCode(result: VerifyResult): number {
  if (result.scan.problems.length > 0 || result.notVerified.length > 0) return 2;
  const scanError = result.scan.images.some((i) => i.finding.outcome.kind === 'reported' && i.finding.outcome.level === 'error');
  const registryError = result.images.some((i) => i.findings.some((f) => f.level === 'error'));
  return scanError || registryError ? 1 : 0;
}

class ImageVerification {
  private readonly findings: RegistryFinding[] = [];
  private unverified?: { reference: string; kind: NotVerified['kind']; message: string };

  constructor(
    private readonly image: ScannedImage,
    private readonly facts: ResourceFactsReader,
    private readonly options: VerifyOptions,
    private readonly notices: Set<string>,
    private readonly problems: Map<string, { kind: NotVerified['kind']; message: string; uses: number }>,
  ) {}

  public async run(): Promise<VerifiedImage> {
    const resource = this.facts.of(this.image);
    const use = registryUse(this.image);
    if (use.kind === 'not-checked') {
      return { scanned: this.image, status: 'not-checked', why: notCheckedReason(use.reason), fromLock: false, findings: [] };
    }
    const found = this.image.finding.found;
    const requirement = platformRequirement({
      resourceType: this.image.resourceType,
      properties: resource?.properties,
      propertyPath: found.propertyPath,
      globals: resource?.globals,
    });
    const singleOnly = takesSinglePlatformImagesOnly(this.image.resourceType);
    const wantPlatforms = requirement.kind === 'platform' || singleOnly;
    const manifest = await this.resolveImage(use, wantPlatforms);
    if (manifest) {
      this.judgePlatform(use.reference, manifest, requirement, singleOnly);
      await this.judgeTag(use, manifest);
      await this.judgeMutability(use.reference, manifest.digest);
    }
    const base = {
      scanned: this.image,
      reference: use.reference.toString(),
      digest: manifest?.digest,
      platform: requirement.kind === 'platform' ? requirement.platform : undefined,
      fromLock: manifest?.fromLock ?? false,
      findings: this.findings,
    };
    if (this.unverified) {
      const p = this.problems.get(this.unverified.reference);
      if (p) p.uses++;
      else this.problems.set(this.unverified.reference, { kind: this.unverified.kind, message: this.unverified.message, uses: 1 });
      return { ...base, status: 'not-verified', why: this.unverified.message };
    }
    return { ...base, status: this.findings.some((f) => f.level === 'error') ? 'failed' : 'verified' };
  }

  /** The manifest the image runs: from the lock when the tag still points at the locked digest, else from the registry. */
  private async resolveImage(use: Extract<RegistryUse, { kind: 'image' }>, wantPlatforms: boolean): Promise<ManifestFacts | undefined> {
    const { reference } = use;
    const client = this.options.client;
    const entry = use.lockKey === undefined ? undefined : this.options.lock?.images[use.lockKey];
    if (reference.digest !== undefined) {
      const fromEntry = entry && usable(entryFacts(entry, reference.digest), wantPlatforms);
      if (fromEntry && use.tagReference) {
        // Pinned by synthesis (or written `name:tag@digest`): while the tag still points at the digest,
        // the tag's HEAD (which judgeTag needs anyway) shows the digest exists, and one HEAD is enough.
        const tag = await client.resolve(use.tagReference);
        if (tag.kind === 'found' && tag.digest === reference.digest) return fromEntry;
      }
      const resolution = await client.resolve(reference, { platforms: wantPlatforms && !fromEntry });
      if (resolution.kind !== 'found') return this.failed(reference, resolution);
      return fromEntry ?? foundFacts(resolution);
    }
    if (entry) {
      const head = await client.resolve(reference);
      if (head.kind !== 'found') return this.failed(reference, head);
      const fromEntry = head.digest === entry.digest ? usable(entryFacts(entry, head.digest), wantPlatforms) : undefined;
      if (fromEntry) return fromEntry;
      // The tag moved since it was locked: what runs (the tag, unpinned here) is the new image.
      if (head.digest !== entry.digest) {
        const tag = reference.tag ?? 'latest';
        this.add('REG4', 'TAG_MOVED', tagMoved({ image: this.image.finding.image, tag, name: reference.name, pinned: entry.digest, now: head.digest, locked: true }));
      }
    }
    const resolution = await client.resolve(reference, { platforms: wantPlatforms });
    if (resolution.kind !== 'found') return this.failed(reference, resolution);
    return foundFacts(resolution);
  }

  /** REG2 and REG3. */
  private judgePlatform(reference: ImageReference, manifest: ManifestFacts, requirement: PlatformRequirement, singleOnly: boolean): void {
    const required = requirement.kind === 'platform' ? requirement.platform : undefined;
    const resourceKind = singleOnly ? 'function' : this.image.resourceType === 'AWS::ECS::TaskDefinition' ? 'task' : 'resource';
    if (manifest.index === true && manifest.platforms) {
      const available = Object.keys(manifest.platforms).sort();
      const child = required === undefined ? undefined : findPlatform(manifest.platforms, required);
      if (required !== undefined && child === undefined) {
        this.add('REG2', 'PLATFORM_MISSING', platformMissing({ image: this.image.finding.image, platform: required, source: sourceOf(requirement), available, resourceKind }));
      }
      if (singleOnly) {
        this.add('REG3', 'LAMBDA_INDEX', lambdaIndex({ image: this.image.finding.image, name: reference.name, platform: required ?? 'the function\'s architecture', child, available }));
      }
      return;
    }
    if (manifest.index === true && singleOnly) {
      this.add('REG3', 'LAMBDA_INDEX', lambdaIndex({ image: this.image.finding.image, name: reference.name, platform: required ?? 'the function\'s architecture', available: [] }));
      return;
    }
    if (required !== undefined && manifest.platform !== undefined && findPlatform({ [manifest.platform]: manifest.digest }, required) === undefined) {
      this.add('REG2', 'PLATFORM_MISSING', platformMissing({ image: this.image.finding.image, platform: required, source: sourceOf(requirement), available: [manifest.platform], resourceKind }));
    }
  }

  /** REG4 for `name:tag@digest` (or an image synthesis pinned from the lock) whose tag now points elsewhere. */
  private async judgeTag(use: Extract<RegistryUse, { kind: 'image' }>, manifest: ManifestFacts): Promise<void> {
    const tagReference = use.tagReference;
    if (!tagReference) return;
    const client = this.options.client;
    const head = await client.resolve(tagReference);
    if (head.kind === 'not-found' || head.kind === 'unauthorized') {
      return; // the digest decides what runs, and it exists; `lock --check` reports a tag that is gone
    }
    if (head.kind !== 'found') {
      this.failed(tagReference, head);
      return;
    }
    const pinned = use.reference.digest!;
    if (head.digest === pinned) return;
    const entry = use.lockKey === undefined ? undefined : this.options.lock?.images[use.lockKey];
    if (entry && head.digest === entry.digest && entryFacts(entry, pinned)) return; // synthesis pinned the child of the locked index
    if (!entry && manifest.index !== true) {
      // A Lambda function's image pinned to the child of an index the tag still names is not a move.
      const withPlatforms = await client.resolve(tagReference, { platforms: true });
      if (withPlatforms.kind === 'found' && Object.values(withPlatforms.platforms ?? {}).includes(pinned)) return;
    }
    this.add('REG4', 'TAG_MOVED', tagMoved({ image: this.image.finding.image, tag: tagReference.tag!, name: tagReference.name, pinned, now: head.digest, locked: use.lockedFrom !== undefined }));
  }

  /** REG4 for a tag-pinned image in an ECR repository whose tags are mutable. */
  private async judgeMutability(reference: ImageReference, digest: string): Promise<void> {
    const host = parseEcrHost(reference.registry);
    if (!host || reference.tag === undefined || reference.digest !== undefined || !this.options.ecr) return;
    const answer = await this.options.ecr.mutability(host, reference.repository);
    if (answer.kind === 'failed') {
      this.notices.add(`tag mutability not checked: ${answer.message}`);
      return;
    }
    if (tagCanMove(answer.mutability, answer.exclusionFilters, reference.tag) === true) {
      this.add('REG4', 'MUTABLE_TAG', mutableTag({
        image: this.image.finding.image,
        repository: reference.repository,
        mutability: answer.mutability,
        filters: answer.exclusionFilters,
        name: reference.name,
        digest,
      }));
    }
  }

  /** REG1 for a registry's answer that the image is not there; otherwise the image is not verified. */
  private failed(reference: ImageReference, resolution: Exclude<Resolution, Found>): undefined {
    const image = this.image.finding.image;
    switch (resolution.kind) {
      case 'not-found':
        if (resolution.missing === 'digest') {
          this.add('REG1', 'DIGEST_NOT_FOUND', digestNotFound({ image, digest: reference.digest ?? '?', name: reference.name, tag: reference.tag }));
        } else {
          this.add('REG1', 'TAG_NOT_FOUND', tagNotFound({ image, tag: reference.tag ?? 'latest', name: reference.name }));
        }
        return undefined;
      case 'unauthorized':
        this.add('REG1', 'NOT_AUTHORIZED', notAuthorized({ image, registry: reference.registry, name: reference.name, detail: resolution.message }));
        return undefined;
      default:
        this.unverified ??= { reference: resolution.reference, kind: resolution.kind, message: resolution.message };
        return undefined;
    }
  }

  private add(rule: RegistryRule, reason: RegistryReason, wording: Wording): void {
    const info = REGISTRY_RULES[rule];
    this.findings.push({ rule, ruleId: info.id, findingId: findingIdOf(info.id, this.image.finding.label), level: info.level, reason, wording });
  }
}

/** The manifest facts a lock entry holds for a digest: the entry's own digest, or one of its children; undefined otherwise. */
function entryFacts(entry: LockEntry, digest: string): ManifestFacts | undefined {
  if (digest === entry.digest) {
    const index = entry.platforms !== undefined || isIndexMediaType(entry.mediaType);
    return { digest, index, platforms: entry.platforms, platform: entry.platform, fromLock: true };
  }
  const child = Object.entries(entry.platforms ?? {}).find(([, d]) => d === digest);
  return child ? { digest, index: false, platform: child[0], fromLock: true } : undefined;
}

/** The lock's facts, when they tell what the check needs: with platforms wanted, an index's platforms or an image's platform. */
function usable(facts: ManifestFacts | undefined, wantPlatforms: boolean): ManifestFacts | undefined {
  if (!facts || !wantPlatforms) return facts;
  return (facts.index === true && facts.platforms) || facts.platform !== undefined ? facts : undefined;
}

function foundFacts(found: Found): ManifestFacts {
  return {
    digest: found.digest,
    index: found.index,
    platforms: found.platforms,
    platform: found.platform ? platformKey(found.platform) : undefined,
    fromLock: false,
  };
}

function sourceOf(requirement: PlatformRequirement): string {
  return requirement.kind === 'platform' ? requirement.source : '';
}

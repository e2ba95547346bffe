import { Glob } from './glob';
import { FindingSeverity, ImageVerdict, PinningReason } from './image-verdict';
import { DEFAULT_MOVING_TAGS } from './moving-tags';
import { PinningLevel, UnresolvedImageAction } from './pinning-level';
import { readPolicyFile } from './policy-file';
import { CompiledPolicyOptions, compilePolicyOptions, ImagePinningPolicyProps } from './policy-options';
import * as text from './verdict-text';
import { isExactVersionTag } from './version-tag';
import { DOCKER_HUB } from '../reference/docker-hub';
import { formatReferenceError, ImageReference } from '../reference/image-reference';
import { scanImageReference, ScannedReference } from '../reference/scanner';
import { ImageTemplate } from '../template/image-template';

/**
 * Repositories the CDK synthesizers push asset images to: the default synthesizer's
 * `cdk-<qualifier>-container-assets-<account>-<region>` and the legacy synthesizer's `aws-cdk/assets`.
 */
const ASSET_REPOSITORIES = [new Glob('cdk-*-container-assets-*'), new Glob('aws-cdk/assets')];
/** Asset images are tagged with the sha256 of their content. */
const ASSET_TAG = /^[0-9a-f]{64}$/;

/** What the rules look at, with everything derived from the scan computed once. */
interface ImageFacts {
  readonly image: string;
  /** The name as written (for fixes), e.g. `nginx`; undefined when part of it is unknown. */
  readonly writtenName?: string;
  /** The name to match `allowedImages` against: normalized when fully known. */
  readonly name: string;
  /** The repository path as written, unknown parts shown readably. */
  readonly writtenPath: string;
  /** Registry and repository, when known (normalized) or partly known (as written). */
  readonly registry?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly reference?: ImageReference;
  /** Why tags of this image cannot move, when they cannot (and the policy trusts that). */
  readonly immutableBecause?: string;
}

/** What the check knows about an image beyond its reference. */
export interface ImageCircumstances {
  /** Why the image's tags cannot move, e.g. its ECR repository has immutable tags. */
  readonly immutableTagsBecause?: string;
  /** References that the platform stores under immutable versions (Lightsail). */
  readonly versionedPattern?: RegExp;
}

/**
 * Decides whether a container image is pinned.
 *
 * @example
 * const policy = new ImagePinningPolicy({ level: PinningLevel.VERSION });
 * policy.evaluate('node:20').reason; // PinningReason.FLOATING_TAG
 */
export class ImagePinningPolicy {
  /**
   * Reads a policy file: a JSON object with the policy options (`level`, `movingTags`,
   * `additionalMovingTags`, `allowedImages`, `unresolvedImages`, `allowAssetImages`), the same
   * file the command-line scanner reads with `--policy`.
   *
   * `ImagePinning.enforce` and `ImagePinningChecks` read it by themselves when the CDK context
   * key `cdk-image-pinning:policyFile` names it; options given in code override the file's.
   *
   * @param file path to the JSON file
   * @throws Error naming the file and the key, when the file cannot be read or holds a bad option
   */
  public static readPolicyFile(file: string): ImagePinningPolicyProps {
    return readPolicyFile(file);
  }

  /**
   * The built-in moving tags (channel words such as `latest`, `stable`, `nightly`).
   */
  public static defaultMovingTags(): string[] {
    return [...DEFAULT_MOVING_TAGS];
  }

  /**
   * The pinning level this policy enforces.
   */
  public readonly level: PinningLevel;

  private readonly options: CompiledPolicyOptions;

  /**
   * @throws Error naming the option, when an option is invalid (an unknown level, a malformed pattern)
   */
  constructor(props: ImagePinningPolicyProps = {}) {
    this.options = compilePolicyOptions(props);
    this.level = this.options.level;
  }

  /**
   * Whether this policy checks resources of a type (`excludeResourceTypes` turns types off).
   *
   * @internal
   */
  public _checksResourceType(resourceType: string): boolean {
    return !this.options.excludeResourceTypes.has(resourceType);
  }

  /**
   * Judges one image, written as a plain string (no tokens). Never throws: a malformed image
   * is an `INVALID_REFERENCE` verdict that says what is wrong.
   */
  public evaluate(image: string): ImageVerdict {
    if (typeof image !== 'string') {
      // Reachable from JavaScript and from other jsii languages' null values.
      const shown = `<${image === null ? 'null' : typeof image}>`;
      return this.verdict(PinningReason.INVALID_REFERENCE, false, shown, text.invalid(`the image is not a string (got ${shown})`));
    }
    return this._evaluateTemplate(ImageTemplate.literal(image));
  }

  /**
   * Judges an image whose parts may only be known at deploy time.
   *
   * @internal
   */
  public _evaluateTemplate(template: ImageTemplate, circumstances: ImageCircumstances = {}): ImageVerdict {
    const image = template.toString();
    const literal = template.literalText;
    if (literal !== undefined && circumstances.versionedPattern?.test(literal)) {
      return this.versioned(image);
    }
    if (!template.isLiteral) {
      const fromSsm = this.movingSsmParameter(template, image);
      if (fromSsm) {
        return fromSsm;
      }
      // Whatever follows the last unknown part decides: without a '/', ':' or '@' there, the
      // unknown part may itself carry the tag or digest.
      if (!/[/:@]/.test(template.literalSuffix)) {
        return this.unresolved(template, image);
      }
    }

    const skeleton = template.skeleton();
    const scan = scanImageReference(skeleton.text);
    if (!scan.ok) {
      const t = text.invalid(formatReferenceError(image, { ...scan.error, index: skeleton.toDisplayIndex(scan.error.index) }));
      return this.verdict(PinningReason.INVALID_REFERENCE, false, image, t);
    }
    const facts = this.facts(template, image, scan.reference, skeleton, circumstances);
    return this.allowIfListed(this.classify(facts), facts.name);
  }

  private versioned(image: string): ImageVerdict {
    if (this.options.level === PinningLevel.DIGEST && !this.options.trustImmutableTags) {
      return this.verdict(PinningReason.NO_DIGEST, false, image, text.noDigest(image, undefined, 'trustImmutableTags is false'));
    }
    return this.verdict(PinningReason.IMMUTABLE_TAG, true, image, text.versionedImage(image));
  }

  private facts(
    template: ImageTemplate,
    image: string,
    scanned: ScannedReference,
    skeleton: { readonly text: string; readonly toDisplayIndex: (i: number) => number },
    circumstances: ImageCircumstances,
  ): ImageFacts {
    const parts = nameParts(template, scanned, skeleton);
    const reference = template.isLiteral ? parts.reference : undefined;
    return {
      image,
      writtenName: template.isLiteral ? parts.displayedName : undefined,
      name: parts.normalizedName,
      writtenPath: parts.writtenPath,
      registry: parts.registry,
      repository: parts.repository,
      tag: scanned.tag,
      digest: scanned.digest,
      reference,
      immutableBecause: this.options.trustImmutableTags ? circumstances.immutableTagsBecause : undefined,
    };
  }

  private classify(f: ImageFacts): ImageVerdict {
    const level = this.options.level;
    if (f.digest !== undefined) {
      return this.verdict(PinningReason.PINNED_DIGEST, true, f, text.pinnedDigest(f.image));
    }
    const nameAndTag = f.writtenName === undefined || f.tag === undefined ? f.writtenName : `${f.writtenName}:${f.tag}`;
    if (f.tag !== undefined && ASSET_TAG.test(f.tag) && ASSET_REPOSITORIES.some((g) => g.matches(f.writtenPath))) {
      if (level === PinningLevel.DIGEST && !this.options.allowAssetImages) {
        return this.verdict(PinningReason.NO_DIGEST, false, f, text.noDigest(f.image, nameAndTag, 'it is a CDK asset image and allowAssetImages is false'));
      }
      return this.verdict(PinningReason.ASSET, true, f, text.asset(f.image));
    }
    if (f.tag !== undefined && f.immutableBecause) {
      return this.verdict(PinningReason.IMMUTABLE_TAG, true, f, text.immutableTag(f.image, f.tag, f.immutableBecause));
    }
    if (f.tag === undefined) {
      return level === PinningLevel.DIGEST
        ? this.verdict(PinningReason.NO_DIGEST, false, f, text.noDigest(f.image, f.writtenName, 'it has no tag either'))
        : this.verdict(PinningReason.NO_TAG, false, f, text.noTag(f.image, f.writtenName));
    }
    if (this.isMovingTag(f.tag)) {
      return level === PinningLevel.DIGEST
        ? this.verdict(PinningReason.NO_DIGEST, false, f, text.noDigest(f.image, nameAndTag, `"${f.tag}" is a moving tag`))
        : this.verdict(PinningReason.MOVING_TAG, false, f, text.movingTag(f.image, f.writtenName, f.tag));
    }
    if (level === PinningLevel.DIGEST) {
      return this.verdict(PinningReason.NO_DIGEST, false, f, text.noDigest(f.image, nameAndTag, ''));
    }
    if (level === PinningLevel.VERSION && !isExactVersionTag(f.tag)) {
      return this.verdict(PinningReason.FLOATING_TAG, false, f, text.floatingTag(f.image, f.writtenName, f.tag));
    }
    return this.verdict(PinningReason.PINNED_TAG, true, f, text.pinnedTag(f.image, f.tag));
  }

  /** An SSM parameter whose name ends in a moving tag, such as FireLens's `/aws/service/aws-for-fluent-bit/latest`. */
  private movingSsmParameter(template: ImageTemplate, image: string): ImageVerdict | undefined {
    const [only] = template.unknowns;
    if (template.segments.length !== 1 || !only || only.unknown.kind !== 'ssm-parameter' || !only.unknown.name) {
      return undefined;
    }
    const parameterName = only.unknown.name;
    const last = parameterName.slice(parameterName.lastIndexOf('/') + 1);
    if (!this.isMovingTag(last)) {
      return undefined;
    }
    // Its only name is the parameter's, shown as `<ssm:/aws/service/...>`: patterns match that.
    return this.allowIfListed(this.verdict(PinningReason.MOVING_TAG, false, image, text.movingSsmParameter(image, parameterName, last)), image);
  }

  private unresolved(template: ImageTemplate, image: string): ImageVerdict {
    const t = text.unresolved(image, template.unknowns[template.unknowns.length - 1].display);
    const parts = namePartsBeforeUnknownTag(template);
    const verdict = this.verdict(PinningReason.UNRESOLVED, false, { image, ...parts, name: parts?.normalizedName }, t);
    return parts ? this.allowIfListed(verdict, parts.normalizedName) : verdict;
  }

  private allowIfListed(verdict: ImageVerdict, name: string): ImageVerdict {
    if (verdict.compliant) {
      return verdict;
    }
    const pattern = this.options.allowedImages.find((g) => g.matches(name));
    if (!pattern) {
      return verdict;
    }
    return {
      ...verdict,
      ...text.allowed(verdict.message, pattern.pattern),
      compliant: true,
      reason: PinningReason.ALLOWED,
      severity: FindingSeverity.NONE,
      fix: undefined,
    };
  }

  private isMovingTag(tag: string): boolean {
    return this.options.movingTags.some((g) => g.matches(tag));
  }

  private verdict(
    reason: PinningReason,
    compliant: boolean,
    facts: string | Partial<ImageFacts> & { image: string },
    t: { message: string; fix?: string },
  ): ImageVerdict {
    const f = typeof facts === 'string' ? { image: facts } : facts;
    return {
      compliant,
      reason,
      severity: compliant ? FindingSeverity.NONE : this.severityOf(reason),
      image: f.image,
      message: t.message,
      fix: compliant ? undefined : t.fix,
      name: f.name,
      registry: f.registry,
      repository: f.repository,
      tag: f.tag,
      digest: f.digest,
      reference: f.reference,
    };
  }

  private severityOf(reason: PinningReason): FindingSeverity {
    if (reason !== PinningReason.UNRESOLVED) {
      return FindingSeverity.ERROR;
    }
    switch (this.options.unresolvedImages) {
      case UnresolvedImageAction.ERROR:
        return FindingSeverity.ERROR;
      case UnresolvedImageAction.IGNORE:
        return FindingSeverity.NONE;
      default:
        return FindingSeverity.WARNING;
    }
  }
}

/** The parts of an image's name: normalized when the name is literal, as displayed otherwise. */
interface NameParts {
  /** For allowedImages and the verdict: `docker.io/library/nginx`, or `<account>.dkr.ecr.<region>.<urlsuffix>/app`. */
  readonly normalizedName: string;
  /** The name as displayed, for fixes. */
  readonly displayedName: string;
  /** The repository path as displayed (no `library/` added), for asset detection. */
  readonly writtenPath: string;
  readonly registry?: string;
  readonly repository?: string;
  /** The parsed name (with tag and digest), when the name is literal. */
  readonly reference?: ImageReference;
}

function nameParts(
  template: ImageTemplate,
  scanned: ScannedReference,
  skeleton: { readonly text: string; readonly toDisplayIndex: (i: number) => number },
): NameParts {
  const image = template.toString();
  const toDisplay = skeleton.toDisplayIndex;
  const pathStart = scanned.domain === undefined ? 0 : scanned.domain.length + 1;
  const writtenPath = image.slice(toDisplay(pathStart), toDisplay(scanned.nameEnd));
  const displayedName = image.slice(0, toDisplay(scanned.nameEnd));
  if (template.literalPrefix.length >= scanned.nameEnd) {
    const reference = ImageReference._fromScanned(scanned);
    return { normalizedName: reference.name, displayedName, writtenPath, registry: reference.registry, repository: reference.repository, reference };
  }
  // Without a registry host, the name is on Docker Hub only if its first component is literal:
  // an unknown part there may itself hold a host.
  const firstSlash = skeleton.text.indexOf('/');
  const onHub = scanned.domain === undefined && firstSlash !== -1 && firstSlash < scanned.nameEnd && template.literalPrefix.length > firstSlash;
  return {
    normalizedName: displayedName,
    displayedName,
    writtenPath,
    registry: scanned.domain !== undefined ? image.slice(0, toDisplay(scanned.domain.length)) : onHub ? DOCKER_HUB : undefined,
    repository: scanned.domain !== undefined || onHub ? writtenPath : undefined,
  };
}

/**
 * The name of an image whose tag or digest is unknown (`nginx:${Tag}`,
 * `<account>.dkr.ecr.<region>.<urlsuffix>/base:${Tag}`), so allowedImages can still apply.
 */
function namePartsBeforeUnknownTag(template: ImageTemplate): NameParts | undefined {
  const skeleton = template.skeleton();
  // Placeholders hold no ':', '/' or '@', so the separators found here are literal.
  const at = skeleton.text.indexOf('@');
  const colon = skeleton.text.lastIndexOf(':');
  const separator = at !== -1 ? at : colon > skeleton.text.lastIndexOf('/') ? colon : -1;
  if (separator <= 0) {
    return undefined;
  }
  const scan = scanImageReference(skeleton.text.slice(0, separator));
  return scan.ok ? nameParts(template, scan.reference, skeleton) : undefined;
}

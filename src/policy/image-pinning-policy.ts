import { ImageVerdict, PinningReason } from './image-verdict';
import { DEFAULT_MOVING_TAGS } from './moving-tags';
import { PinningLevel, UnresolvedImageAction } from './pinning-level';
import { CompiledPolicyOptions, compilePolicyOptions, ImagePinningPolicyProps } from './policy-options';
import * as text from './verdict-text';
import { exactVersionIndex, namesAVersion, releaseLine, tagComponents } from './version-tag';
import { ImageValue } from '../value/image-value';
import { nameBeforeUnknownTag, readReference, ReferenceParts } from '../value/partial-reference';

/** Asset images are tagged with the sha256 of their content. */
const ASSET_TAG = /^[0-9a-f]{64}$/;
/** Docker Official Images (`docker.io/library/*`) publish each release line as an alias of its newest release. */
const OFFICIAL_NAMESPACE = 'library/';
/**
 * Official images whose exact versions have two parts, from the major version given on: a
 * major.minor tag of these names one release (`postgres:16.4`).
 */
const TWO_PART_VERSIONS: Readonly<Record<string, number>> = { 'library/postgres': 10 };

/** What the check knows about an image beyond its reference. */
export interface ImageCircumstances {
  /** Why the image's tags cannot move, e.g. its ECR repository has immutable tags. */
  readonly immutableTagsBecause?: string;
  /** References that the platform stores under immutable versions (Lightsail). */
  readonly versionedPattern?: RegExp;
  /** The image is in the asset repository of its stack's own bootstrap, tagged with its content's hash. */
  readonly stackAssetImage?: boolean;
}

/** What the verdict says about the image: its displayed text, or the parts read from it. */
type Facts = Partial<ReferenceParts> & { readonly image: string };

/**
 * Decides whether a container image is pinned. It answers only that: which resources run
 * images, and how a verdict is reported, are decided elsewhere.
 *
 * @example
 * const policy = new ImagePinningPolicy({ level: PinningLevel.VERSION });
 * policy.evaluate('node:20').reason; // PinningReason.FLOATING_TAG
 */
export class ImagePinningPolicy {
  /**
   * The built-in moving tags (channel words such as `latest`, `stable`, `nightly`).
   */
  public static defaultMovingTags(): string[] {
    return [...DEFAULT_MOVING_TAGS];
  }

  /**
   * A policy from options already checked (with the option names errors should use).
   *
   * @internal
   */
  public static _fromCompiled(options: CompiledPolicyOptions): ImagePinningPolicy {
    const policy = Object.create(ImagePinningPolicy.prototype) as ImagePinningPolicy;
    (policy as unknown as { options: CompiledPolicyOptions }).options = options;
    return policy;
  }

  private readonly options: CompiledPolicyOptions;

  /**
   * @throws Error naming the option, when an option is invalid (an unknown level, a malformed pattern)
   */
  constructor(props: ImagePinningPolicyProps = {}) {
    this.options = compilePolicyOptions(props);
  }

  /**
   * The pinning level this policy enforces.
   */
  public get level(): PinningLevel {
    return this.options.level;
  }

  /**
   * What to do with images whose tag or digest is only known at deploy time.
   */
  public get unresolvedImages(): UnresolvedImageAction {
    return this.options.unresolvedImages;
  }

  /**
   * Judges one image, written as a plain string (no tokens). Never throws: a malformed image
   * is an `INVALID_REFERENCE` verdict that says what is wrong.
   */
  public evaluate(image: string): ImageVerdict {
    if (typeof image !== 'string') {
      // Reachable from JavaScript and from other jsii languages' null values.
      const shown = `<${image === null ? 'null' : typeof image}>`;
      return this.verdict(PinningReason.INVALID_REFERENCE, false, { image: shown }, text.invalid(`the image is not a string (got ${shown})`));
    }
    return this._evaluateValue(ImageValue.literal(image));
  }

  /**
   * Judges an image whose parts may only be known at deploy time.
   *
   * @internal
   */
  public _evaluateValue(value: ImageValue, circumstances: ImageCircumstances = {}): ImageVerdict {
    const image = value.toString();
    const literal = value.literalText;
    if (literal !== undefined && circumstances.versionedPattern?.test(literal)) {
      return this.versioned(image);
    }
    if (!value.isLiteral) {
      const fromSsm = this.movingSsmParameter(value, image);
      if (fromSsm) {
        return fromSsm;
      }
      // Whatever follows the last unknown part decides: without a '/', ':' or '@' there, the
      // unknown part may itself carry the tag or digest.
      if (!/[/:@]/.test(value.literalSuffix)) {
        return this.unresolved(value, image);
      }
    }
    const read = readReference(value);
    if (!read.ok) {
      return this.verdict(PinningReason.INVALID_REFERENCE, false, { image }, text.invalid(read.message));
    }
    const immutableBecause = this.options.trustImmutableTags ? circumstances.immutableTagsBecause : undefined;
    return this.allowIfListed(this.classify(read.parts, immutableBecause, circumstances.stackAssetImage === true), read.parts.name);
  }

  private versioned(image: string): ImageVerdict {
    if (this.options.level === PinningLevel.DIGEST && !this.options.trustImmutableTags) {
      return this.verdict(PinningReason.NO_DIGEST, false, { image }, text.noDigest(image, undefined, 'trustImmutableTags is false'));
    }
    return this.verdict(PinningReason.IMMUTABLE_TAG, true, { image }, text.versionedImage(image));
  }

  /** The pinning rules, in order: digest, asset, immutable tag, no tag, moving tag, level. */
  private classify(f: ReferenceParts, immutableBecause: string | undefined, stackAssetImage: boolean): ImageVerdict {
    const level = this.options.level;
    if (f.digest !== undefined) {
      return this.verdict(PinningReason.PINNED_DIGEST, true, f, text.pinnedDigest(f.image));
    }
    const nameAndTag = f.writtenName === undefined || f.tag === undefined ? f.writtenName : `${f.writtenName}:${f.tag}`;
    // Content-pinned only where the stack's own bootstrap keeps its assets: a 64-hex tag on any other repository is just a tag.
    if (f.tag !== undefined && ASSET_TAG.test(f.tag) && stackAssetImage) {
      if (level === PinningLevel.DIGEST && !this.options.allowAssetImages) {
        return this.verdict(PinningReason.NO_DIGEST, false, f, text.noDigest(f.image, nameAndTag, 'it is a CDK asset image and allowAssetImages is false'));
      }
      return this.verdict(PinningReason.ASSET, true, f, text.asset(f.image));
    }
    if (f.tag !== undefined && immutableBecause) {
      return this.verdict(PinningReason.IMMUTABLE_TAG, true, f, text.immutableTag(f.image, f.tag, immutableBecause));
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
    if (level === PinningLevel.VERSION) {
      const exactAt = exactVersionIndex(f.tag);
      if (exactAt === -1 && this.isTwoPartRelease(f)) {
        return this.verdict(PinningReason.PINNED_TAG, true, f, text.pinnedTag(f.image, f.tag));
      }
      if (exactAt === -1) {
        return this.verdict(PinningReason.FLOATING_TAG, false, f, text.floatingTag(f.image, f.writtenName, f.tag));
      }
      // A pre-release channel after the version (`1.2.3-SNAPSHOT`, `1.2.3-nightly`) is rebuilt under the same tag.
      const channel = tagComponents(f.tag).find((c) => c.index > exactAt && this.options.channelWords.has(c.text.toLowerCase()));
      if (channel) {
        return this.verdict(PinningReason.FLOATING_TAG, false, f, text.channelAfterVersion(f.image, f.writtenName, f.tag, channel.text));
      }
      return this.verdict(PinningReason.PINNED_TAG, true, f, text.pinnedTag(f.image, f.tag));
    }
    if (!namesAVersion(f.tag)) {
      return this.verdict(PinningReason.NO_VERSION, false, f, text.noVersion(f.image, f.writtenName, f.tag));
    }
    if (this.isOfficialReleaseLine(f)) {
      return this.verdict(PinningReason.FLOATING_TAG, false, f, text.officialReleaseLine(f.image, f.writtenName, f.tag));
    }
    return this.verdict(PinningReason.PINNED_TAG, true, f, text.pinnedTag(f.image, f.tag));
  }

  /** An SSM parameter whose name ends in a moving tag, such as FireLens's `/aws/service/aws-for-fluent-bit/latest`. */
  private movingSsmParameter(value: ImageValue, image: string): ImageVerdict | undefined {
    const [only] = value.unknowns;
    if (value.segments.length !== 1 || !only || only.unknown.kind !== 'ssm-parameter' || !only.unknown.name) {
      return undefined;
    }
    const parameterName = only.unknown.name;
    const last = parameterName.slice(parameterName.lastIndexOf('/') + 1);
    if (!this.isMovingTag(last)) {
      return undefined;
    }
    // Its only name is the parameter's, shown as `<ssm:/aws/service/...>`: patterns match that.
    return this.allowIfListed(this.verdict(PinningReason.MOVING_TAG, false, { image }, text.movingSsmParameter(image, parameterName, last)), image);
  }

  private unresolved(value: ImageValue, image: string): ImageVerdict {
    const last = value.unknowns[value.unknowns.length - 1];
    const t =
      last.unknown.kind === 'unreadable' ? text.unreadable(last.unknown.name)
        : last.unknown.kind === 'limit' ? text.beyondLimit(image, last.unknown.name)
          : text.unresolved(image, last.display);
    const name = nameBeforeUnknownTag(value);
    const verdict = this.verdict(PinningReason.UNRESOLVED, false, name ?? { image }, t);
    return name ? this.allowIfListed(verdict, name.name) : verdict;
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
      fix: undefined,
      templateFix: undefined,
    };
  }

  /**
   * A moving tag: one the moving-tag patterns match as a whole (`latest`, `*-snapshot`), or one
   * with a channel word as a component (`latest-arm64v8`, `stable-alpine`, `lts-alpine`) that names
   * no exact version besides.
   */
  private isMovingTag(tag: string): boolean {
    if (this.options.movingTags.some((g) => g.matches(tag))) {
      return true;
    }
    const words = this.options.channelWords;
    return words.size > 0 && tagComponents(tag).some((c) => words.has(c.text.toLowerCase())) && exactVersionIndex(tag) === -1;
  }

  /** `node:20`, `python:3.12-slim`: a release line of a Docker Official Image, which moves with each release. */
  private isOfficialReleaseLine(f: ReferenceParts): boolean {
    const line = f.tag === undefined ? undefined : releaseLine(f.tag);
    if (!line || f.registry !== 'docker.io' || !f.repository?.startsWith(OFFICIAL_NAMESPACE)) {
      return false;
    }
    return !this.isTwoPartRelease(f);
  }

  /** `postgres:16.4`: an official image whose exact versions have two parts. */
  private isTwoPartRelease(f: ReferenceParts): boolean {
    const line = f.tag === undefined ? undefined : releaseLine(f.tag);
    const twoPartFrom = f.registry === 'docker.io' && f.repository ? TWO_PART_VERSIONS[f.repository] : undefined;
    return line !== undefined && twoPartFrom !== undefined && line.minor !== undefined && line.major >= twoPartFrom;
  }

  private verdict(reason: PinningReason, compliant: boolean, f: Facts, t: { message: string; fix?: string; templateFix?: string }): ImageVerdict {
    return {
      compliant,
      reason,
      image: f.image,
      message: t.message,
      fix: compliant ? undefined : t.fix,
      templateFix: compliant ? undefined : t.templateFix,
      name: f.name,
      registry: f.registry,
      repository: f.repository,
      tag: f.tag,
      digest: f.digest,
      reference: f.reference,
    };
  }
}

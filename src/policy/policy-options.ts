import { Glob } from './glob';
import { DEFAULT_MOVING_TAGS } from './moving-tags';
import { PinningLevel, UnresolvedImageAction } from './pinning-level';

/**
 * Options of the pinning policy: what counts as pinned. Every front door takes them (as part of
 * `ImagePinningOptions`), and so does the policy file.
 */
export interface ImagePinningPolicyProps {
  /**
   * How strictly images must be pinned.
   *
   * @default PinningLevel.TAG
   */
  readonly level?: PinningLevel;

  /**
   * Tags that move, replacing the built-in list. Matched case-insensitively; `*` matches any
   * characters (e.g. `*-latest`).
   *
   * @default - the channel words `latest`, `stable`, `mainline`, `edge`, `nightly`, `current`, `lts`,
   * `rolling`, `devel`, `testing`, `unstable`, `sid`, `main`, `master`, `develop`, `dev`, `canary`, `snapshot`
   */
  readonly movingTags?: string[];

  /**
   * Tags that move, in addition to `movingTags` (or the built-in list).
   *
   * @default - none
   */
  readonly additionalMovingTags?: string[];

  /**
   * Image names that need not be pinned. Each pattern is matched against the normalized name
   * without tag or digest (`docker.io/library/nginx`, `public.ecr.aws/aws-observability/aws-for-fluent-bit`);
   * `*` matches any characters, including `/`. Parts of a name only known at deploy time are
   * matched as written, e.g. `<account>.dkr.ecr.<region>.<urlsuffix>/base`.
   *
   * @default - none
   */
  readonly allowedImages?: string[];

  /**
   * What to do when an image's tag or digest is only known at deploy time.
   *
   * @default UnresolvedImageAction.WARN
   */
  readonly unresolvedImages?: UnresolvedImageAction;

  /**
   * Whether CDK asset images (built by `cdk deploy`, tagged with the hash of their content)
   * pass at `PinningLevel.DIGEST`. They always pass at TAG and VERSION.
   *
   * @default true
   */
  readonly allowAssetImages?: boolean;

  /**
   * Whether a tag counts as pinned when tags cannot move: the image's repository is an ECR
   * repository of the same app with `imageTagMutability: IMMUTABLE`, or a Lightsail image pushed to
   * its container service (`:service.label.3`). Such tags then pass at every level, `DIGEST` included.
   *
   * @default true
   */
  readonly trustImmutableTags?: boolean;
}

/** Options checked and compiled once, at construction. */
export interface CompiledPolicyOptions {
  readonly level: PinningLevel;
  readonly movingTags: readonly Glob[];
  readonly allowedImages: readonly Glob[];
  readonly unresolvedImages: UnresolvedImageAction;
  readonly allowAssetImages: boolean;
  readonly trustImmutableTags: boolean;
  /** The plain words of the moving tags (no `*`), lowercase: a tag with one as a component moves too (`latest-alpine`). */
  readonly channelWords: ReadonlySet<string>;
}

/** Characters of a tag, plus the wildcard. */
const TAG_PATTERN = /^[\w*][\w.*-]*$/;
/** Characters of an image name (registry host, port, path; uppercase only in a host), plus the wildcard. */
const NAME_PATTERN = /^[A-Za-z0-9._\-/:[\]*<>]+$/;

/**
 * Checks every option and compiles the patterns.
 *
 * @throws Error naming the option and what is wrong with it
 */
export function compilePolicyOptions(props: ImagePinningPolicyProps = {}, prefix = ''): CompiledPolicyOptions {
  const level = enumOption(PinningLevel, props.level, PinningLevel.TAG, `${prefix}level`);
  const unresolvedImages = enumOption(UnresolvedImageAction, props.unresolvedImages, UnresolvedImageAction.WARN, `${prefix}unresolvedImages`);
  for (const flag of ['allowAssetImages', 'trustImmutableTags'] as const) {
    if (props[flag] !== undefined && typeof props[flag] !== 'boolean') {
      throw new Error(`${prefix}${flag} must be true or false, got ${JSON.stringify(props[flag])}`);
    }
  }
  const movingTags = [
    ...stringList(props.movingTags ?? [...DEFAULT_MOVING_TAGS], `${prefix}movingTags`, checkTagPattern),
    ...stringList(props.additionalMovingTags ?? [], `${prefix}additionalMovingTags`, checkTagPattern),
  ].map((tag) => new Glob(tag, { caseInsensitive: true }));
  const allowedImages = stringList(props.allowedImages ?? [], `${prefix}allowedImages`, checkNamePattern).map((p) => new Glob(p));
  const channelWords = new Set(movingTags.map((g) => g.pattern).filter((p) => /^[a-z0-9]+$/.test(p)));
  return {
    level,
    movingTags,
    allowedImages,
    unresolvedImages,
    allowAssetImages: props.allowAssetImages ?? true,
    trustImmutableTags: props.trustImmutableTags ?? true,
    channelWords,
  };
}

export function enumOption<T extends string>(values: Record<string, T>, value: T | undefined, fallback: T, option: string): T {
  if (value === undefined) {
    return fallback;
  }
  const allowed = Object.values(values);
  if (!allowed.includes(value)) {
    throw new Error(`${option} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function stringList(value: unknown, option: string, check: (item: string) => string | undefined): string[] {
  if (!Array.isArray(value)) {
    throw new Error(`${option} must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return value.map((item, i) => {
    const problem = typeof item !== 'string' ? 'is not a string' : check(item);
    if (problem) {
      throw new Error(`${option}[${i}] (${JSON.stringify(item)}) ${problem}`);
    }
    return item as string;
  });
}

function checkTagPattern(tag: string): string | undefined {
  if (tag.length === 0) return 'is empty';
  if (tag.length > 128) return 'is longer than a tag can be (128 characters)';
  if (!TAG_PATTERN.test(tag)) return "is not a tag pattern: use letters, digits, '_', '.', '-' and '*', starting with a letter, digit, '_' or '*'";
  return undefined;
}

function checkNamePattern(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  if (pattern.includes('@')) return 'has a digest; patterns match the image name without tag or digest';
  const lastSlash = pattern.lastIndexOf('/');
  if (pattern.lastIndexOf(':') > lastSlash && lastSlash !== -1) {
    return 'has a tag; patterns match the image name without tag or digest';
  }
  if (!NAME_PATTERN.test(pattern)) {
    return "is not an image name pattern: use the characters of an image name and '*'";
  }
  if (lastSlash === -1 && !pattern.includes('*')) {
    return `matches no normalized name: write the full name, e.g. "docker.io/library/${pattern.split(':')[0]}"`;
  }
  return undefined;
}

import { ImageReference } from '../reference/image-reference';

/**
 * Why an image is, or is not, pinned.
 */
export enum PinningReason {
  /** The image has no tag and no digest, so it runs whatever `latest` points to. Not compliant. */
  NO_TAG = 'NO_TAG',
  /** The tag is a moving tag such as `latest` or `stable` (or an SSM parameter ending in one). Not compliant. */
  MOVING_TAG = 'MOVING_TAG',
  /**
   * The tag names a release line or a variant, not one version: at `PinningLevel.VERSION`, any tag
   * that names no exact version (`20`, `1.27`, `1.2.3-SNAPSHOT`); at `PinningLevel.TAG`, a release
   * line of a Docker Official Image (`node:20`, `python:3.12-slim`). Not compliant.
   */
  FLOATING_TAG = 'FLOATING_TAG',
  /** The tag holds no digit, so it names no version at all (`alpine`, `bookworm`, `slim`): an alias that moves with each release. Not compliant. */
  NO_VERSION = 'NO_VERSION',
  /** The image has no digest. Not compliant at `PinningLevel.DIGEST`. */
  NO_DIGEST = 'NO_DIGEST',
  /** The image is not a valid reference; the message says what is wrong. Not compliant. */
  INVALID_REFERENCE = 'INVALID_REFERENCE',
  /** The tag or digest is only known at deploy time (a parameter, an SSM parameter, an import). */
  UNRESOLVED = 'UNRESOLVED',
  /** The image has a tag that passes the pinning level. Compliant. */
  PINNED_TAG = 'PINNED_TAG',
  /**
   * The tag cannot move: the image is in an ECR repository with immutable tags, or is a Lightsail
   * image pushed to its container service. Compliant while `trustImmutableTags` is on.
   */
  IMMUTABLE_TAG = 'IMMUTABLE_TAG',
  /** The image has a valid sha256 digest. Compliant. */
  PINNED_DIGEST = 'PINNED_DIGEST',
  /** A CDK asset image, tagged with the hash of its content. Compliant unless asset images are disallowed at `PinningLevel.DIGEST`. */
  ASSET = 'ASSET',
  /** A lock file is used and the image's tag is not in it, so synthesis cannot pin it to a digest. Reported as `unlockedImages` says. */
  NOT_LOCKED = 'NOT_LOCKED',
  /** The image is not pinned, but its name matches an `allowedImages` pattern. Compliant. */
  ALLOWED = 'ALLOWED',
}

/**
 * The policy's judgement of one image.
 */
export interface ImageVerdict {
  /**
   * True when the image is pinned well enough (or allowed).
   */
  readonly compliant: boolean;

  /**
   * Why the image is or is not pinned.
   */
  readonly reason: PinningReason;

  /**
   * The image as written. Parts only known at deploy time are shown readably, e.g.
   * `<account>.dkr.ecr.<region>.<urlsuffix>/<ref:Repo>:latest`.
   */
  readonly image: string;

  /**
   * What is wrong, or why the image passes, in one sentence.
   */
  readonly message: string;

  /**
   * How to pin the image.
   *
   * @default - none: the image is compliant
   */
  readonly fix?: string;

  /**
   * How to pin the image where it is written in a CloudFormation template or an ECS task
   * definition file, when that differs from `fix`, which is written for CDK apps (a fix that names
   * aws-cdk-lib's API, or CDK context).
   *
   * @default - `fix` holds for every kind of input
   */
  readonly templateFix?: string;

  /**
   * The image name without tag or digest: normalized (`docker.io/library/nginx`) when fully known,
   * as written with readable unknown parts otherwise.
   *
   * @default - unknown: the image is invalid or entirely unknown
   */
  readonly name?: string;

  /**
   * The registry (`docker.io` for Docker Hub), as written with readable unknown parts when it is
   * only partly known (`<account>.dkr.ecr.<region>.<urlsuffix>`).
   *
   * @default - unknown: the image is invalid, or its registry is only known at deploy time
   */
  readonly registry?: string;

  /**
   * The repository within the registry (`library/nginx`), as written with readable unknown parts
   * when it is only partly known.
   *
   * @default - unknown: the image is invalid, or its repository is only known at deploy time
   */
  readonly repository?: string;

  /**
   * The tag, when it is known.
   *
   * @default - no tag, or not known
   */
  readonly tag?: string;

  /**
   * The digest, when it is known.
   *
   * @default - no digest, or not known
   */
  readonly digest?: string;

  /**
   * The parsed reference, when the image is fully known and valid.
   *
   * @default - the image has unknown parts or is invalid
   */
  readonly reference?: ImageReference;
}

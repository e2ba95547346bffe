/**
 * How strictly an image must be pinned.
 */
export enum PinningLevel {
  /**
   * An explicit tag that is not a moving tag (`latest`, `stable`, ...), or a digest.
   */
  TAG = 'TAG',

  /**
   * A tag that names one exact version: a full version (`1.27.3`, `v2.4.1-alpine3.20`), a date
   * stamp (`jammy-20260810`) or a commit hash; or a digest. Release lines such as `20`, `1.27`,
   * `2.x` and variant or codename tags such as `alpine` and `bookworm` fail.
   */
  VERSION = 'VERSION',

  /**
   * A valid `sha256` digest. A tag may accompany it (`app:1.2.3@sha256:...`); the digest decides what runs.
   */
  DIGEST = 'DIGEST',
}

/**
 * What to do with an image whose tag is not in the lock file (when a lock file is used).
 */
export enum UnlockedImageAction {
  /** Report an error: synthesis fails until the image is locked. */
  ERROR = 'ERROR',
  /** Report a warning that can be acknowledged: a new image does not break synthesis before `lock` runs. */
  WARN = 'WARN',
  /** Report nothing. */
  IGNORE = 'IGNORE',
}

/**
 * What to do with an image whose tag or digest is only known at deploy time
 * (a CloudFormation parameter, an SSM parameter, an import).
 */
export enum UnresolvedImageAction {
  /** Report an error: synthesis fails. */
  ERROR = 'ERROR',
  /** Report a warning that can be acknowledged. */
  WARN = 'WARN',
  /** Report nothing. */
  IGNORE = 'IGNORE',
}

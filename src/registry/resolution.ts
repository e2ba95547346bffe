import { Platform } from './platform';

/**
 * What the registry said about one image reference: data, never an exception. Every kind but
 * `found` carries a message that names the reference and the registry and says what happened; no
 * message holds a credential.
 *
 * - `found`: the digest (an index's digest for a multi-platform tag), its media type, and with
 *   `platforms: true` the index's platforms (`linux/amd64` to child digest, attestations skipped)
 *   or the single manifest's platform.
 * - `not-found`: the registry says the tag or digest does not exist.
 * - `unauthorized`: the registry refused us (no credentials, rejected ones, `insufficient_scope`,
 *   403). Distinct from `not-found`: the image may well exist.
 * - `unreachable`: no usable answer (network, timeout, TLS, 5xx after retries, token service down).
 * - `rate-limited`: 429 after retries, a `Retry-After` longer than we wait, or Docker Hub's pull
 *   limit (`pullLimit`), after which the client sends no more pulls to that registry.
 * - `invalid-response`: an answer we refuse to trust (a body whose sha256 is not its digest, a body
 *   over the size cap, malformed JSON, a refused redirect, an unexpected status).
 */
export type Resolution = Found | NotFound | Unauthorized | Unreachable | RateLimited | InvalidResponse;

/** The kinds of {@link Resolution}. */
export type ResolutionKind = Resolution['kind'];

interface ResolutionBase {
  /** The reference resolved, canonical: `docker.io/library/nginx:1.27.3`. */
  readonly reference: string;
  /** The registry as named in the reference: `docker.io`, `localhost:5000`, an ECR host. */
  readonly registry: string;
  readonly repository: string;
}

export interface Found extends ResolutionBase {
  readonly kind: 'found';
  /** The manifest digest: what `name@digest` pins. For a multi-platform tag, the index digest. */
  readonly digest: string;
  /** The manifest's media type. @default - unknown when the registry did not say */
  readonly mediaType?: string;
  /** Is the manifest a multi-platform index? Undefined when only a HEAD without media type was made. */
  readonly index?: boolean;
  /** For an index resolved with `platforms: true`: platform (`linux/amd64`) to child manifest digest. */
  readonly platforms?: Readonly<Record<string, string>>;
  /** For a single manifest resolved with `platforms: true`: the platform its config states. */
  readonly platform?: Platform;
}

export interface NotFound extends ResolutionBase {
  readonly kind: 'not-found';
  /** What does not exist: the tag, or the digest asked for. */
  readonly missing: 'tag' | 'digest';
  readonly message: string;
}

export interface Unauthorized extends ResolutionBase {
  readonly kind: 'unauthorized';
  readonly message: string;
}

export interface Unreachable extends ResolutionBase {
  readonly kind: 'unreachable';
  readonly reason: 'network' | 'timeout' | 'tls' | 'server-error' | 'token-service';
  readonly message: string;
}

export interface RateLimited extends ResolutionBase {
  readonly kind: 'rate-limited';
  /** Docker Hub's pull limit: nothing more was pulled from this registry in this run. */
  readonly pullLimit: boolean;
  /** What `Retry-After` asked for, when it did. */
  readonly retryAfterSeconds?: number;
  readonly message: string;
}

export interface InvalidResponse extends ResolutionBase {
  readonly kind: 'invalid-response';
  readonly reason: 'digest-mismatch' | 'too-large' | 'malformed' | 'redirect' | 'unexpected-status';
  readonly message: string;
}

/** A failed resolution without its reference: what the steps of a resolution return, shared between references. */
export type Problem =
  | Omit<NotFound, keyof ResolutionBase>
  | Omit<Unauthorized, keyof ResolutionBase>
  | Omit<Unreachable, keyof ResolutionBase>
  | Omit<RateLimited, keyof ResolutionBase>
  | Omit<InvalidResponse, keyof ResolutionBase>;

/** Is this resolution a registry answer about the image (found, not found, not authorized), rather than no answer? */
export function isJudged(resolution: Resolution): boolean {
  return resolution.kind === 'found' || resolution.kind === 'not-found' || resolution.kind === 'unauthorized';
}

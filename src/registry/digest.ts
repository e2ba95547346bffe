import { createHash } from 'crypto';

/**
 * Content digests. A registry body is trusted only when its sha256 equals the digest it was asked
 * for or announced as: that is what makes a digest a pin, and what catches a proxy or cache that
 * serves the wrong bytes.
 */

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The `sha256:<hex>` digest of these bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Is this a well-formed sha256 digest, lowercase as go-digest requires? */
export function isSha256Digest(value: string | null | undefined): value is string {
  return typeof value === 'string' && SHA256_DIGEST.test(value);
}

/** Do these bytes hash to this digest? */
export function matchesDigest(bytes: Uint8Array, digest: string): boolean {
  return sha256Digest(bytes) === digest;
}

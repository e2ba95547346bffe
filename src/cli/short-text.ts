import { ImageVerdict, PinningReason } from '../policy/image-verdict';

/**
 * Images as the tables show them: digests and CDK asset hashes shortened to their first 12 hex
 * digits (`sha256:3e5d6e79a1a0…`, `7f3d9c1b2a4e…`), which tell images apart as `docker images`
 * does. JSON and SARIF keep them whole.
 */

const ELLIPSIS = '…';
const SHOWN_HEX = 12;
const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([0-9a-fA-F]{32,})$/;
/** What aws-cdk-lib tags an asset image with: the 64 hex digits of its content hash. */
const HASH_TAG = /^[0-9a-f]{64}$/;

/** `sha256:3e5d6e79a1a0…`; a digest that is not long hex is left as it is. */
export function shortDigest(digest: string): string {
  const match = DIGEST.exec(digest);
  return match ? `${match[1]}:${match[2].slice(0, SHOWN_HEX)}${ELLIPSIS}` : digest;
}

/** A 64-hex tag (an asset's content hash) to its first 12 digits; any other tag as it is. */
export function shortTag(tag: string): string {
  return HASH_TAG.test(tag) ? `${tag.slice(0, SHOWN_HEX)}${ELLIPSIS}` : tag;
}

/**
 * The image for a table: its normalized name (`docker.io/library/nginx`) with the tag and digest
 * shortened, when it is fully known and valid; else (an unresolved tag included) as written,
 * unknown parts readable (`ghcr.io/example/api:<param:ImageTag>`), with its known tag and digest
 * shortened.
 */
export function tableImage(verdict: ImageVerdict): string {
  const { tag, digest } = verdict;
  const known = verdict.reason !== PinningReason.UNRESOLVED;
  if (known && verdict.reference && verdict.registry !== undefined && verdict.repository !== undefined) {
    return `${verdict.registry}/${verdict.repository}${tag === undefined ? '' : `:${shortTag(tag)}`}${digest === undefined ? '' : `@${shortDigest(digest)}`}`;
  }
  let image = verdict.image;
  if (digest !== undefined && image.endsWith(`@${digest}`)) {
    image = `${image.slice(0, image.length - digest.length)}${shortDigest(digest)}`;
  }
  if (tag !== undefined && HASH_TAG.test(tag)) {
    const at = image.lastIndexOf(`:${tag}`);
    if (at !== -1) image = `${image.slice(0, at + 1)}${shortTag(tag)}${image.slice(at + 1 + tag.length)}`;
  }
  return image;
}

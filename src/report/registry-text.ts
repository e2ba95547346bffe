/**
 * The wording of the registry findings of `verify` (`ImagePinning-REG1` to `REG4`) and of `lock`,
 * built from plain parts at the edge, in the shape of the pinning findings: what is wrong in one
 * sentence, and a fix with the corrected image written out. Nothing parses these strings back.
 */

/** A sentence and its fix. */
export interface Wording {
  /** What is wrong, one sentence without a final period. */
  readonly message: string;
  /** How to fix it, without the `Fix:` label and final period. */
  readonly fix: string;
}

/** `Container "web" (when IsProd is true): message.`, as finding-text.ts frames a pinning finding. */
export function registryStatement(subject: string, when: string | undefined, message: string): string {
  return `${subject}${when ? ` (when ${when})` : ''}: ${message}.`;
}

/** `Fix: fix.` */
export function registryFixSentence(fix: string): string {
  return `Fix: ${fix}.`;
}

/** `[ImagePinning-REG1] Container "web": ... Fix: ... .` */
export function registryFindingMessage(ruleId: string, subject: string, when: string | undefined, wording: Wording): string {
  return `[${ruleId}] ${registryStatement(subject, when, wording.message)} ${registryFixSentence(wording.fix)}`;
}

/** REG1: the tag does not exist. `name` is the normalized name, `registry` as the image names it. */
export function tagNotFound(p: { image: string; tag: string; name: string }): Wording {
  return {
    message: `the tag "${p.tag}" of image "${p.image}" does not exist in ${p.name}`,
    fix: `push ${p.name}:${p.tag}, or use a tag that exists in ${p.name}`,
  };
}

/** REG1: the digest does not exist. */
export function digestNotFound(p: { image: string; digest: string; name: string; tag?: string }): Wording {
  const tag = p.tag === undefined ? '' : ` (if "${p.tag}" is the tag you want, its digest today is what \`cdk-image-pinning lock --update\` records)`;
  return {
    message: `the digest ${p.digest} of image "${p.image}" does not exist in ${p.name}: it was deleted, or never pushed there`,
    fix: `pin a digest that exists in ${p.name}${tag}`,
  };
}

/** REG1, distinct: the registry refused to say. */
export function notAuthorized(p: { image: string; registry: string; name: string; detail: string }): Wording {
  return {
    message: `image "${p.image}" could not be read: ${p.registry} did not authorize the request, so whether it exists is not known (${p.detail})`,
    fix:
      `give the credentials verify runs with pull access to ${p.name}: \`docker login ${p.registry}\`, a credential helper in the Docker config, ` +
      'or for ECR AWS credentials allowed ecr:GetAuthorizationToken and ecr:BatchGetImage',
  };
}

/** REG2: the platform the resource runs on is not in the image. */
export function platformMissing(p: { image: string; platform: string; source: string; available: readonly string[]; resourceKind: string }): Wording {
  const has = p.available.length === 0 ? 'no platform it states' : p.available.join(', ');
  return {
    message: `image "${p.image}" has no ${p.platform} variant (it has ${has}), but the ${p.resourceKind} runs on ${p.platform} (${p.source})`,
    fix: `use an image built for ${p.platform}, or run the ${p.resourceKind} on ${p.available.length > 0 ? p.available.join(' or ') : 'the image\'s platform'}`,
  };
}

/** REG3: a Lambda function's image is an index. */
export function lambdaIndex(p: { image: string; name: string; platform: string; child?: string; available: readonly string[] }): Wording {
  const has = p.available.length === 0 ? '' : ` (${p.available.join(', ')})`;
  return {
    message: `image "${p.image}" is a multi-architecture index${has}, which Lambda rejects at deployment`,
    fix: p.child
      ? `pin the ${p.platform} image of the index: "${p.name}@${p.child}"`
      : `pin a single-platform image built for ${p.platform}: the index has none`,
  };
}

/** REG4: a tag-pinned image in an ECR repository whose tags are mutable. */
export function mutableTag(p: {
  image: string;
  repository: string;
  mutability: string;
  filters: readonly string[];
  name: string;
  digest?: string;
}): Wording {
  const filters = p.filters.length > 0 ? ` (exclusion filters ${p.filters.map((f) => `"${f}"`).join(', ')})` : '';
  return {
    message:
      `image "${p.image}" is pinned by a tag in the ECR repository ${p.repository}, whose tags are mutable (imageTagMutability ${p.mutability}${filters}): ` +
      'the tag can be pushed again and point at another image',
    fix: p.digest
      ? `pin the digest, "${p.name}@${p.digest}", or set the repository's imageTagMutability to IMMUTABLE`
      : 'pin a digest, or set the repository\'s imageTagMutability to IMMUTABLE',
  };
}

/** REG4: `name:tag@digest` (or an image the lock pinned) whose tag now points elsewhere. */
export function tagMoved(p: { image: string; tag: string; name: string; pinned: string; now: string; locked: boolean }): Wording {
  const key = `${p.name}:${p.tag}`;
  return {
    message: `the tag "${p.tag}" of image "${p.image}" now points at ${p.now}, not at ${p.pinned}${p.locked ? ', the digest in the lock file' : ''}`,
    fix: p.locked
      ? `if the new image is wanted, run \`cdk-image-pinning lock --update '${key}'\` and synthesize again; if not, push ${p.pinned} back under the tag`
      : `if the new image is wanted, pin "${key}@${p.now}"; if not, push ${p.pinned} back under the tag`,
  };
}

/** Why an image was not looked up in a registry. */
export function notCheckedReason(reason: 'asset' | 'unresolved' | 'invalid' | 'other'): string {
  switch (reason) {
    case 'asset':
      return 'a CDK asset image: it is built and pushed at deployment';
    case 'unresolved':
      return 'its registry, repository, tag or digest is only known at deployment';
    case 'invalid':
      return 'not a valid image reference';
    default:
      return 'not a reference a registry can be asked about (an image the service keeps itself, such as a Lightsail image pushed to its service)';
  }
}

/** The summary of what could not be verified, for the report's last lines and stderr. */
export function notVerifiedLine(reference: string, message: string, uses: number): string {
  return `not verified: ${reference} (${uses} use${uses === 1 ? '' : 's'}): ${message}`;
}

// The lock command: what `lock` did to an entry, and why `lock --check` fails.

/** `lock`: an entry was added, updated or removed. */
export function lockChangeLine(kind: 'added' | 'updated' | 'removed', key: string, before?: string, after?: string): string {
  switch (kind) {
    case 'added':
      return `added    ${key} ${after}`;
    case 'updated':
      return `updated  ${key} ${before} -> ${after}`;
    default:
      return `removed  ${key} (no image uses it)`;
  }
}

/** Why `lock --check` fails for one key. */
export function lockCheckFailure(
  p:
    | { kind: 'not-locked'; key: string }
    | { kind: 'synthesized-stale'; key: string; synthesized: string; locked: string }
    | { kind: 'tag-moved'; key: string; locked: string; now: string }
    | { kind: 'tag-gone'; key: string; locked: string }
    | { kind: 'digest-gone'; key: string; locked: string }
    | { kind: 'not-authorized'; key: string; detail: string },
): string {
  switch (p.kind) {
    case 'not-locked':
      return `${p.key} is used but not locked: run \`cdk-image-pinning lock\` and commit the lock file`;
    case 'synthesized-stale':
      return `${p.key} was synthesized pinned to ${p.synthesized}, but the lock holds ${p.locked}: synthesize again with the lock file`;
    case 'tag-moved':
      return `the tag of ${p.key} moved: it points at ${p.now}, the lock holds ${p.locked}; if the new image is wanted, run \`cdk-image-pinning lock --update '${p.key}'\``;
    case 'tag-gone':
      return `the tag of ${p.key} no longer exists in the registry (the lock holds ${p.locked}); push it again, or use another tag and run \`cdk-image-pinning lock\``;
    case 'digest-gone':
      return `the locked digest ${p.locked} of ${p.key} no longer exists in the registry; run \`cdk-image-pinning lock --update '${p.key}'\``;
    default:
      return `${p.key} could not be read from its registry, so the lock entry is not confirmed: ${p.detail}`;
  }
}

/** Where an image is used, for lock messages: the first use and how many more. */
export function usedInText(uses: readonly string[]): string {
  if (uses.length === 0) return '';
  return `used in ${uses[0]}${uses.length > 1 ? ` and ${uses.length - 1} more` : ''}`;
}

import { EcrRepositoryFacts, RepositoryRef, TemplateContext } from '../cfn/template-context';
import { Glob } from '../policy/glob';
import { ImageValue, UnknownOrigin } from '../value/image-value';

/**
 * Why an image's tag cannot move, if it cannot: the image is in an ECR repository of the same app
 * (or template) whose tags are immutable, and the image is written so that it can only be that
 * repository:
 *
 * - the registry is that repository's own ECR host: `<account>.dkr.ecr.<region>.<suffix>`, where
 *   the account and region are the fields of the repository's own ARN (what aws-cdk-lib writes),
 *   pseudo parameters of the stack that declares the repository, or the literal account and
 *   region of that stack;
 * - the repository is the image's whole path (`Ref` to it, an import of that `Ref`, or its literal
 *   name), and the tag is literal;
 * - its mutability makes that tag immutable: `IMMUTABLE`; `IMMUTABLE_WITH_EXCLUSION` for a tag no
 *   exclusion filter matches; `MUTABLE_WITH_EXCLUSION` for a tag an exclusion filter matches.
 *
 * A repository name anywhere else in the string (`ghcr.io/evil/${Repo}:latest`), a tag built from
 * it, or the literal host of another account vouches for nothing.
 */

/** Unknown parts are written as `\u0001<index>\u0002` in the shape the pattern below reads. */
const OPEN = '\u0001';
const CLOSE = '\u0002';
const PART = `${OPEN}\\d+${CLOSE}`;
const ECR_SHAPE = new RegExp(
  `^(?<account>\\d{12}|${PART})\\.dkr\\.ecr(?:-fips)?\\.(?<region>[a-z0-9-]+|${PART})\\.(?<suffix>amazonaws\\.com(?:\\.cn)?|${PART})` +
    `/(?<path>[a-z0-9._/-]+|${PART}):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$`,
);
/** Only an ECR image can be in an ECR repository: most images are rejected by this before any lookup. */
const MAYBE_ECR = /\.dkr\.ecr(?:-fips)?\./;

export function immutableTagsBecause(value: ImageValue, context: TemplateContext): string | undefined {
  if (!context.ecrRepository) {
    return undefined;
  }
  const unknowns: UnknownOrigin[] = [];
  const shape = value.segments.map((s) => ('literal' in s ? s.literal : `${OPEN}${unknowns.push(s.unknown) - 1}${CLOSE}`)).join('');
  if (!MAYBE_ECR.test(shape)) {
    return undefined;
  }
  const match = ECR_SHAPE.exec(shape);
  if (!match?.groups) {
    return undefined;
  }
  const { account, region, suffix, path, tag } = match.groups;
  const unknownAt = (part: string): UnknownOrigin | undefined => (part.startsWith(OPEN) ? unknowns[Number(part.slice(1, -1))] : undefined);

  const pathUnknown = unknownAt(path);
  const ref: RepositoryRef | undefined = pathUnknown
    ? refOf(pathUnknown)
    : { name: path };
  const repository = ref && context.ecrRepository(ref);
  if (!repository) {
    return undefined;
  }
  const ownHost =
    isOwn(account, unknownAt(account), 'AWS::AccountId', repository.account, repository, context) &&
    isOwn(region, unknownAt(region), 'AWS::Region', repository.region, repository, context) &&
    (unknownAt(suffix) === undefined || isPseudo(unknownAt(suffix), 'AWS::URLSuffix'));
  if (!ownHost || !tagIsImmutable(repository, tag)) {
    return undefined;
  }
  const shown = pathUnknown ? value.unknowns.find((u) => u.unknown === pathUnknown)?.display : `"${path}"`;
  return `the ECR repository ${shown}, ${describeMutability(repository)}`;
}

/** The repository a path unknown names: a `Ref` to it, or an import of one. */
function refOf(origin: UnknownOrigin): RepositoryRef | undefined {
  if (origin.kind === 'resource') return { logicalId: origin.name };
  if (origin.kind === 'import' && origin.name) return { exportName: origin.name };
  return undefined;
}

/**
 * Is this part of the registry host the repository's own account (or region)? A field of the
 * repository's own ARN; a pseudo parameter of the stack that declares it; or its stack's literal value.
 */
function isOwn(
  part: string,
  unknown: UnknownOrigin | undefined,
  pseudo: string,
  literal: string | undefined,
  repository: EcrRepositoryFacts,
  context: TemplateContext,
): boolean {
  if (!unknown) {
    return literal !== undefined && part === literal;
  }
  if (isPseudo(unknown, pseudo)) {
    return repository.sameStack;
  }
  if (unknown.kind === 'arn-field' && unknown.of) {
    const arnOf = unknown.of.kind === 'attribute' && unknown.of.name.endsWith('.Arn')
      ? { logicalId: unknown.of.name.slice(0, -'.Arn'.length) }
      : refOf(unknown.of);
    return arnOf !== undefined && context.ecrRepository!(arnOf)?.id === repository.id;
  }
  return false;
}

function isPseudo(unknown: UnknownOrigin | undefined, name: string): boolean {
  return unknown?.kind === 'pseudo' && unknown.name === name;
}

function tagIsImmutable(repository: EcrRepositoryFacts, tag: string): boolean {
  const filters = repository.exclusionFilters;
  switch (repository.mutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      // Tags an exclusion filter matches stay mutable.
      return filters !== undefined && !filters.some((f) => new Glob(f).matches(tag));
    case 'MUTABLE_WITH_EXCLUSION':
      // Tags an exclusion filter matches are the immutable ones.
      return filters !== undefined && filters.some((f) => new Glob(f).matches(tag));
    default:
      return false;
  }
}

function describeMutability(repository: EcrRepositoryFacts): string {
  if (repository.mutability === 'IMMUTABLE') return 'whose tags are immutable';
  const filters = (repository.exclusionFilters ?? []).map((f) => `"${f}"`).join(', ');
  return repository.mutability === 'IMMUTABLE_WITH_EXCLUSION'
    ? `whose tags are immutable except those matching ${filters}`
    : `whose tags matching ${filters} are immutable`;
}

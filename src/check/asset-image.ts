import { TemplateContext } from '../cfn/template-context';
import { ImageValue } from '../value/image-value';

/**
 * Is the image a CDK asset of its own stack: in the ECR repository its stack's synthesizer pushes
 * container assets to (the stack's bootstrap), on the stack's own ECR host, tagged with a content
 * hash? Only then does the tag pin the content; a 64-hex tag on any other repository is a tag.
 *
 * The image and the repository names are compared in one canonical form: pseudo parameters as
 * `${AWS::AccountId}`, `${AWS::Region}`, `${AWS::URLSuffix}`, and the stack's literal account and
 * region written the same way, so `Fn::Sub` of an environment-agnostic stack and the literal host
 * of a stack with an environment both match.
 */
const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::URLSuffix']);
const HOST = /^\$\{AWS::AccountId\}\.dkr\.ecr\.\$\{AWS::Region\}\.(?:\$\{AWS::URLSuffix\}|amazonaws\.com|amazonaws\.com\.cn)$/;
const CONTENT_HASH = /^[0-9a-f]{64}$/;

export function isStackAssetImage(value: ImageValue, context: TemplateContext): boolean {
  // Cheap tests first: most images are not tagged with a content hash, and one with a digest is
  // pinned by it whatever its tag (the policy looks at the digest before the asset tag).
  if (!/:[0-9a-f]{64}$/.test(value.literalSuffix) || value.literalSuffix.includes('@')) {
    return false;
  }
  const repositories = context.assetRepositories?.();
  if (!repositories || repositories.names.length === 0) {
    return false;
  }
  let canonical = '';
  for (const segment of value.segments) {
    if ('literal' in segment) {
      canonical += segment.literal;
    } else if (segment.unknown.kind === 'pseudo' && PSEUDO.has(segment.unknown.name)) {
      canonical += `\${${segment.unknown.name}}`;
    } else {
      return false; // any other unknown part could be anything
    }
  }
  const written = withPlaceholders(canonical, repositories.account, repositories.region);
  const slash = written.indexOf('/');
  const colon = written.lastIndexOf(':');
  if (slash === -1 || colon < slash) {
    return false;
  }
  const [host, path, tag] = [written.slice(0, slash), written.slice(slash + 1, colon), written.slice(colon + 1)];
  const isStackRepository = (name: string) => withPlaceholders(name, repositories.account, repositories.region) === path;
  return HOST.test(host) && CONTENT_HASH.test(tag) && repositories.names.some(isStackRepository);
}

/** Text with the stack's literal account and region written as the pseudo parameters they stand for. */
function withPlaceholders(text: string, account: string | undefined, region: string | undefined): string {
  let result = text;
  if (account) result = result.split(account).join('${AWS::AccountId}');
  if (region) result = result.split(region).join('${AWS::Region}');
  return result;
}

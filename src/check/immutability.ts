import { TemplateContext } from '../cfn/template-context';
import { scanImageReference } from '../reference/scanner';
import { ImageValue } from '../value/image-value';

/** ECR registry hosts: `<account>.dkr.ecr.<region>.amazonaws.com` (and the China partition's). */
const ECR_HOST = /\.dkr\.ecr\./;

/**
 * Why an image's tags cannot move, if they cannot: the image names an ECR repository, of the
 * same app, whose tags are immutable. The repository is found through a `Ref` to it (what
 * `fromEcrRepository` writes), an import of such a `Ref` from another stack, or its literal name.
 */
export function immutableTagsBecause(value: ImageValue, context: TemplateContext): string | undefined {
  if (!context.immutableRepository) {
    return undefined;
  }
  for (const { unknown, display } of value.unknowns) {
    if (unknown.kind === 'resource' && context.immutableRepository({ logicalId: unknown.name })) {
      return `the ECR repository ${display}, whose tags are immutable`;
    }
    if (unknown.kind === 'import' && unknown.name && context.immutableRepository({ exportName: unknown.name })) {
      return `the ECR repository ${display}, whose tags are immutable`;
    }
  }
  const literal = value.literalText;
  // Only an ECR image can name an ECR repository: look for its host before parsing anything.
  if (literal !== undefined && ECR_HOST.test(literal)) {
    const scan = scanImageReference(literal);
    if (scan.ok && scan.reference.domain && ECR_HOST.test(scan.reference.domain) && context.immutableRepository({ name: scan.reference.path })) {
      return `the ECR repository "${scan.reference.path}", whose tags are immutable`;
    }
  }
  return undefined;
}

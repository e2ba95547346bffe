import { RULE_ID_PREFIX } from './rule-ids';

/**
 * The rules of `cdk-image-pinning verify`: what the registry says about an image, beside the
 * rules of the sources table (which judge the image as written). Their ids are
 * `ImagePinning-REG<n>`; a finding id is `<rule id>[<label>]` as for every other rule.
 *
 *   REG1  error    the tag or digest does not exist, or the registry refused to say
 *   REG2  error    the platform the resource runs on is not in the image
 *   REG3  error    a Lambda function's image is a multi-architecture index
 *   REG4  warning  the tag can move: an ECR repository with mutable tags, or `name:tag@digest` whose tag moved
 */

/** The registry rules, by their short name. */
export type RegistryRule = 'REG1' | 'REG2' | 'REG3' | 'REG4';

export interface RegistryRuleInfo {
  /** `ImagePinning-REG1`. */
  readonly id: string;
  readonly level: 'error' | 'warning';
  /** What the rule checks, for rule metadata (SARIF's short description). */
  readonly description: string;
  /** What its results say and why it matters (SARIF's help). */
  readonly help: string;
}

export const REGISTRY_RULES: { readonly [R in RegistryRule]: RegistryRuleInfo } = {
  REG1: {
    id: `${RULE_ID_PREFIX}REG1`,
    level: 'error',
    description: 'Images must exist in their registry',
    help:
      'The tag or digest was looked up in the registry (a HEAD request, which is not a pull) and does not exist, or the registry refused the ' +
      'credentials verify ran with. A typo, a tag deleted by a lifecycle policy or a missing push fails the deployment, or worse, the next task start.',
  },
  REG2: {
    id: `${RULE_ID_PREFIX}REG2`,
    level: 'error',
    description: 'Images must have a variant for the platform the resource runs on',
    help:
      'The platform comes from the resource (ECS RuntimePlatform, default X86_64 on Linux; Lambda Architectures, default x86_64; AWS Batch on ' +
      'Fargate; CodeBuild environment types; EMR Serverless Architecture) and the image\'s platforms from its index or image config.',
  },
  REG3: {
    id: `${RULE_ID_PREFIX}REG3`,
    level: 'error',
    description: 'Lambda functions must use a single-platform image, not a multi-architecture index',
    help: 'Lambda rejects an image index at deployment. Pin the child image of the function\'s architecture by its digest; the fix names it.',
  },
  REG4: {
    id: `${RULE_ID_PREFIX}REG4`,
    level: 'warning',
    description: 'Tags should not be able to move',
    help:
      'A tag-pinned image in an ECR repository whose tags are mutable (DescribeRepositories: the live counterpart of the synth-time immutable-tag ' +
      'rule) can be pushed again under the same tag; an image written name:tag@digest whose tag now points at another digest no longer runs what its tag says.',
  },
};

/** Every registry rule id, in order. */
export function registryRuleIds(): string[] {
  return Object.values(REGISTRY_RULES).map((r) => r.id);
}

/** The registry rule of a rule id, or undefined when it is not one. */
export function registryRule(ruleId: string): RegistryRuleInfo | undefined {
  return Object.values(REGISTRY_RULES).find((r) => r.id === ruleId);
}

import { IMAGE_SOURCES } from '../rules/catalog';
import { parseRuleId, TEMPLATE_RULE_ID } from '../rules/rule-ids';

/**
 * What a rule's reports say beyond each finding: the fix in general, for CDK apps and for
 * templates and task definition files (SARIF's rule help), and a few words for each rule (the
 * table's counts per rule). Each finding's own fix, with its image written out, is in its message.
 */

/** How to fix what the rule finds: the fix text of SARIF's rule `help`. */
export function ruleFix(ruleId: string): string {
  if (ruleId === TEMPLATE_RULE_ID) {
    return 'Scan the template CloudFormation deploys: `aws cloudformation get-template --template-stage Processed --stack-name <stack>` ' +
      'prints it with every macro run; scan the templates of nested stacks with their parents.';
  }
  const rule = parseRuleId(ruleId);
  switch (rule?.kind) {
    case 'unresolved':
      return 'In a CDK app, pass the tag or digest as a literal at synth time (from CDK context or an environment variable). ' +
        'In a template, write it as a literal. If every deployment supplies an immutable tag or digest, acknowledge the finding ' +
        '(CDK) or set unresolvedImages to IGNORE in the policy file (`--unresolved ignore`).';
    case 'unlocked':
      return 'Run `npx cdk-image-pinning lock` to record the digest each tag points at in the lock file, and commit the file.';
    case 'unpinned': {
      const helpers = [...new Set(IMAGE_SOURCES.filter((s) => s.ruleGroup === rule.group).map((s) => s.ecrHint?.cdk).filter((h) => h !== undefined))];
      return 'Pin the image to a version tag that is never moved (`nginx:1.27.3`) or to a digest (`nginx@sha256:<digest>`; ' +
        '`docker buildx imagetools inspect nginx:1.27.3` prints it). In a CDK app, write it in the image you pass ' +
        `(\`ecs.ContainerImage.fromRegistry('nginx:1.27.3')\`)${helpers.length > 0 ? `; ${helpers.join('; ')}` : ''}. ` +
        'In a CloudFormation template or an ECS task definition file, write it in the image value. ' +
        'An image that need not be pinned can be allowed by name (allowedImages, `--allow`).';
    }
    default:
      return 'See the finding\'s message.';
  }
}

/** A few words for what the rule finds: `not pinned`, for the table's counts per rule. */
export function ruleShortText(ruleId: string): string {
  if (ruleId === TEMPLATE_RULE_ID) {
    return 'left to deployment by a macro or an unread nested stack';
  }
  switch (parseRuleId(ruleId)?.kind) {
    case 'unresolved':
      return 'only known at deploy time';
    case 'unlocked':
      return 'not in the lock file';
    case 'unpinned':
      return 'not pinned';
    default:
      return ruleId;
  }
}

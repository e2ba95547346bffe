import { RULE_GROUPS } from './catalog';
import { AuditRule, auditRuleOf, parseRuleId, TEMPLATE_RULE_ID } from './rule-ids';

/** The audit's rules (`ImagePinning-AUDIT1` to `3`): what each checks, what its results say, and its level. */
const AUDIT_RULES: Readonly<Record<AuditRule, { description: string; note: string; level: 'error' | 'warning' }>> = {
  'drift': {
    description: 'What runs must be what was locked: a running image digest must be the locked digest or one of its platform children',
    note: 'Each result names where the image runs, the digest it runs, the digest the lock file holds for its tag, and how to deploy the locked one. ' +
      'A digest reference that the lock file does not list is a warning: its platform digests are not known.',
    level: 'error',
  },
  'mixed-deployment': {
    description: 'The tasks of one service must run one digest of each container',
    note: 'Each result names the service, the container and each digest with its tasks. A warning while a deployment rolls out, an error otherwise.',
    level: 'error',
  },
  'version-consistency-disabled': {
    description: 'A container with ECS version consistency disabled must name its image by digest',
    note: 'With versionConsistency "disabled", each task pulls whatever the tag points to when it starts: nothing holds the digest steady. ' +
      'Each result names the container and the digest to pin.',
    level: 'error',
  },
};

/** What a rule checks, for reports and rule metadata. */
export function ruleDescription(ruleId: string): string {
  const audit = auditRuleOf(ruleId);
  if (audit) return AUDIT_RULES[audit].description;
  if (ruleId === TEMPLATE_RULE_ID) {
    return 'Templates should hold their resources at synth time, so their images can be checked: macros and nested stacks whose template is not read';
  }
  const rule = parseRuleId(ruleId);
  const group = rule ? RULE_GROUPS[rule.group] : undefined;
  if (!rule || !group) {
    return ruleId;
  }
  switch (rule.kind) {
    case 'unpinned':
      return `Images must be pinned to a version tag or digest: ${group}`;
    case 'unresolved':
      return `Images should be known at synth time, so their pinning can be checked: ${group}`;
    default:
      return `Images should be in the lock file, so synthesis pins them to digests: ${group}`;
  }
}

/** Why the rules exist: the explanation cdk-nag shows in verbose mode. */
export const RULE_EXPLANATION =
  'An image that is not pinned runs whatever the registry holds when a task starts: two tasks of one service can run different code, ' +
  'a rollback rolls back nothing, and nobody can say what ran. Pin a version tag that is never moved, or better a digest.';

/** What a rule's results say, beyond the description (SARIF's rule help). */
export function ruleResultNote(ruleId: string): string {
  const audit = auditRuleOf(ruleId);
  if (audit) return AUDIT_RULES[audit].note;
  if (ruleId === TEMPLATE_RULE_ID) {
    return 'A macro (a template-level Transform, or Fn::Transform over resources) rewrites the template when it is deployed, and a nested ' +
      'stack\'s template may not be among the files scanned: what they deploy is only known then. Reported as a warning unless the ' +
      'policy sets unresolvedImages to ERROR (--unresolved error), or not at all with IGNORE.';
  }
  if (parseRuleId(ruleId)?.kind === 'unlocked') {
    return 'A lock file is used and the image\'s tag is not in it. Reported as a warning unless the policy sets unlockedImages to ERROR, or not at all with IGNORE; `cdk-image-pinning lock` adds it.';
  }
  return parseRuleId(ruleId)?.kind === 'unresolved'
    ? 'The image\'s tag or digest comes from a parameter, an SSM parameter or an import, so only deployment decides what runs. ' +
        'Reported as a warning unless the policy sets unresolvedImages to ERROR (--unresolved error), or not at all with IGNORE.'
    : 'Each result names the container, the image, why it is not pinned and how to pin it.';
}

/** The level a rule reports at unless the policy says otherwise. */
export function ruleDefaultLevel(ruleId: string): 'error' | 'warning' {
  const audit = auditRuleOf(ruleId);
  if (audit) return AUDIT_RULES[audit].level;
  return parseRuleId(ruleId)?.kind === 'unpinned' ? 'error' : 'warning';
}

import { IMAGE_SOURCES, TEMPLATE_RULE_GROUP } from './catalog';
import { PinningReason } from '../policy/image-verdict';

/**
 * Rule ids and finding ids: the one place that builds and reads them.
 *
 *   rule id     ImagePinning-<GROUP><1|2>          ImagePinning-ECS1
 *   finding id  <rule id>[<label>]                  ImagePinning-ECS1[web]
 *
 * `1`: the image is not pinned (or not a valid reference). `2`: its tag or digest is only known
 * at deploy time, so synthesis cannot check it. `3`: a lock file is used, and the image's tag is not
 * in it. The group comes from the sources table.
 */

/** Prefix of every rule id, e.g. `ImagePinning-ECS1`. */
export const RULE_ID_PREFIX = 'ImagePinning-';

/** The cdk-nag pack name: cdk-nag writes rule ids as `<pack>-<suffix>`. */
export const NAG_PACK_NAME = 'ImagePinning';

/** The roll-up of errors inside nested Stages; not a finding of any one image. */
export const STAGES_RULE_ID = `${RULE_ID_PREFIX}Stages`;

/** A synthesized template the template front doors could not read: none of its images is checked. */
export const UNREADABLE_TEMPLATE_RULE_ID = `${RULE_ID_PREFIX}Template`;

/** What a rule is about: an image that is not pinned, or one only known at deploy time. */
export type RuleKind = 'unpinned' | 'unresolved' | 'unlocked';

const KIND_DIGIT: Record<RuleKind, string> = { unpinned: '1', unresolved: '2', unlocked: '3' };
const KIND_OF_DIGIT: Record<string, RuleKind> = { 1: 'unpinned', 2: 'unresolved', 3: 'unlocked' };
const RULE_ID = new RegExp(`^${RULE_ID_PREFIX}([A-Z]+)([123])$`);

/** The kind of rule a verdict's reason falls under. */
export function ruleKindOf(reason: PinningReason): RuleKind {
  return reason === PinningReason.UNRESOLVED ? 'unresolved' : reason === PinningReason.NOT_LOCKED ? 'unlocked' : 'unpinned';
}

/** `ImagePinning-ECS1` for the group `ECS` and kind `unpinned`. */
export function ruleIdOf(group: string, kind: RuleKind): string {
  return `${RULE_ID_PREFIX}${group}${KIND_DIGIT[kind]}`;
}

/** `ImagePinning-ECS1[web]`. */
export function findingIdOf(ruleId: string, label: string): string {
  return `${ruleId}[${label}]`;
}

/** The group and kind of a rule id, or undefined when it is not one of ours. */
export function parseRuleId(ruleId: string): { readonly group: string; readonly kind: RuleKind } | undefined {
  const match = RULE_ID.exec(ruleId);
  if (!match) {
    return undefined;
  }
  return { group: match[1], kind: KIND_OF_DIGIT[match[2]] };
}

/** The part of a rule id after the pack name: `ECS1` (cdk-nag's `ruleSuffixOverride`). */
export function nagRuleSuffix(ruleId: string): string {
  return ruleId.slice(RULE_ID_PREFIX.length);
}

/** The rule of what a template leaves to deployment (macros, nested stacks whose template is not read). */
export const TEMPLATE_RULE_ID = ruleIdOf(TEMPLATE_RULE_GROUP, 'unresolved');

/** Every rule id: the sources table's (`ImagePinning-ECS1`, `ImagePinning-ECS2`, ...), then the template rule. */
export function allRuleIds(): string[] {
  const groups = [...new Set(IMAGE_SOURCES.map((s) => s.ruleGroup))];
  return [...groups.flatMap((g) => [ruleIdOf(g, 'unpinned'), ruleIdOf(g, 'unresolved'), ruleIdOf(g, 'unlocked')]), TEMPLATE_RULE_ID];
}

/**
 * The rules of `cdk-image-pinning audit` about what runs in an AWS account, judged against the
 * lock file. They are not about an image as written (those are the sources table's rules above),
 * so they have a group of their own, and their digit names the rule, not a kind:
 *
 *   ImagePinning-AUDIT1  drift: a running digest is neither the locked digest nor one of its platform children
 *   ImagePinning-AUDIT2  mixed deployment: the tasks of one service run different digests of one container
 *   ImagePinning-AUDIT3  version consistency disabled for a container whose image has no digest
 */
export type AuditRule = 'drift' | 'mixed-deployment' | 'version-consistency-disabled';

export const AUDIT_RULE_IDS: Readonly<Record<AuditRule, string>> = {
  'drift': `${RULE_ID_PREFIX}AUDIT1`,
  'mixed-deployment': `${RULE_ID_PREFIX}AUDIT2`,
  'version-consistency-disabled': `${RULE_ID_PREFIX}AUDIT3`,
};

/** `ImagePinning-AUDIT1`, `AUDIT2`, `AUDIT3`. */
export function auditRuleIds(): string[] {
  return Object.values(AUDIT_RULE_IDS);
}

/** The audit rule of a rule id, or undefined when it is not one. */
export function auditRuleOf(ruleId: string): AuditRule | undefined {
  return (Object.keys(AUDIT_RULE_IDS) as AuditRule[]).find((rule) => AUDIT_RULE_IDS[rule] === ruleId);
}

import { IMAGE_SOURCES, RULE_GROUPS } from './catalog';
import { RULE_ID_PREFIX } from '../check/rule-ids';

/** Every rule id the sources table yields: `ImagePinning-ECS1`, `ImagePinning-ECS2`, ... */
export function allRuleIds(): string[] {
  const prefixes = [...new Set(IMAGE_SOURCES.map((s) => s.rulePrefix))];
  return prefixes.flatMap((p) => [`${RULE_ID_PREFIX}${p}1`, `${RULE_ID_PREFIX}${p}2`]);
}

/** What a rule checks, for reports and rule metadata. */
export function ruleDescription(ruleId: string): string {
  const match = new RegExp(`^${RULE_ID_PREFIX}([A-Z]+)([12])$`).exec(ruleId);
  const group = match ? RULE_GROUPS[match[1]] : undefined;
  if (!match || !group) {
    return ruleId;
  }
  return match[2] === '1'
    ? `Images must be pinned to a version tag or digest: ${group}`
    : `Images should be known at synth time, so their pinning can be checked: ${group}`;
}

/** Why the rules exist: the explanation cdk-nag shows in verbose mode. */
export const RULE_EXPLANATION =
  'An image that is not pinned runs whatever the registry holds when a task starts: two tasks of one service can run different code, ' +
  'a rollback rolls back nothing, and nobody can say what ran. Pin a version tag that is never moved, or better a digest.';

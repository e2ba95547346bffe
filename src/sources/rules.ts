import { IMAGE_SOURCES } from './image-sources';
import { RULE_ID_PREFIX } from '../check/rule-ids';

/** Every rule id the sources table yields: `ImagePinning-ECS1`, `ImagePinning-ECS2`, ... */
export function allRuleIds(): string[] {
  return IMAGE_SOURCES.flatMap((s) => [`${RULE_ID_PREFIX}${s.rulePrefix}1`, `${RULE_ID_PREFIX}${s.rulePrefix}2`]);
}

/** What a rule checks, for reports and rule metadata. */
export function ruleDescription(ruleId: string): string {
  const source = IMAGE_SOURCES.find((s) => ruleId.startsWith(`${RULE_ID_PREFIX}${s.rulePrefix}`) && /^\d$/.test(ruleId.slice(RULE_ID_PREFIX.length + s.rulePrefix.length)));
  if (!source) {
    return ruleId;
  }
  return ruleId.endsWith('1')
    ? `${source.description} images must be pinned to a version tag or digest`
    : `${source.description} images should be known at synth time, so their pinning can be checked`;
}

/** Why the rules exist: the explanation cdk-nag shows in verbose mode. */
export const RULE_EXPLANATION =
  'An image that is not pinned runs whatever the registry holds when a task starts: two tasks of one service can run different code, ' +
  'a rollback rolls back nothing, and nobody can say what ran. Pin a version tag that is never moved, or better a digest.';

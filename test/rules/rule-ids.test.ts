import { PinningReason } from '../../src/policy/image-verdict';
import { ruleDefaultLevel, ruleDescription } from '../../src/rules/rule-descriptions';
import { allRuleIds, findingIdOf, nagRuleSuffix, parseRuleId, ruleIdOf, ruleKindOf } from '../../src/rules/rule-ids';

describe('rule ids: built and read in one place', () => {
  test('building and reading are inverse', () => {
    for (const id of allRuleIds()) {
      const rule = parseRuleId(id)!;
      expect(ruleIdOf(rule.group, rule.kind)).toBe(id);
    }
  });

  test('every group of the sources table has a rule 1, 2 and 3', () => {
    expect(allRuleIds()).toEqual(expect.arrayContaining(['ImagePinning-ECS1', 'ImagePinning-ECS2', 'ImagePinning-ECS3', 'ImagePinning-LAMBDA1', 'ImagePinning-EKS2']));
    // and the rule of what a template leaves to deployment (macros)
    expect(allRuleIds().filter((id) => id !== 'ImagePinning-CFN2').length % 3).toBe(0);
    expect(allRuleIds()).toContain('ImagePinning-CFN2');
  });

  test.each(Object.values(PinningReason))('%s falls under the rule of its kind', (reason) => {
    expect(ruleKindOf(reason)).toBe(reason === PinningReason.UNRESOLVED ? 'unresolved' : reason === PinningReason.NOT_LOCKED ? 'unlocked' : 'unpinned');
  });

  test('finding ids, cdk-nag suffixes, and ids that are not ours', () => {
    expect(findingIdOf('ImagePinning-ECS1', 'web')).toBe('ImagePinning-ECS1[web]');
    expect(nagRuleSuffix('ImagePinning-ECS1')).toBe('ECS1');
    expect(parseRuleId('ImagePinning-ECS3')).toEqual({ group: 'ECS', kind: 'unlocked' });
    expect(parseRuleId('ImagePinning-ECS4')).toBeUndefined();
    expect(parseRuleId('AwsSolutions-ECS1')).toBeUndefined();
  });

  test('descriptions and default levels follow the kind', () => {
    expect(ruleDescription('ImagePinning-ECS1')).toMatch(/^Images must be pinned to a version tag or digest: ECS task definition/);
    expect(ruleDescription('ImagePinning-LAMBDA2')).toMatch(/^Images should be known at synth time/);
    expect(ruleDescription('Other-1')).toBe('Other-1');
    expect([ruleDefaultLevel('ImagePinning-ECS1'), ruleDefaultLevel('ImagePinning-ECS2')]).toEqual(['error', 'warning']);
  });
});

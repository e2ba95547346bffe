import { ruleDefaultLevel, ruleDescription, ruleResultNote } from '../../src/rules/rule-descriptions';
import { allRuleIds, AUDIT_RULE_IDS, auditRuleIds, auditRuleOf } from '../../src/rules/rule-ids';

describe('the audit\'s rule ids: a group of their own, beside the sources table\'s', () => {
  test('AUDIT1 drift, AUDIT2 mixed deployment, AUDIT3 version consistency disabled; none is a sources table rule', () => {
    expect(AUDIT_RULE_IDS).toEqual({
      'drift': 'ImagePinning-AUDIT1',
      'mixed-deployment': 'ImagePinning-AUDIT2',
      'version-consistency-disabled': 'ImagePinning-AUDIT3',
    });
    expect(auditRuleIds().filter((id) => allRuleIds().includes(id))).toEqual([]);
    expect(auditRuleOf('ImagePinning-AUDIT3')).toBe('version-consistency-disabled');
    expect(auditRuleOf('ImagePinning-ECS1')).toBeUndefined();
  });

  test('each has its description, result note and level', () => {
    expect(ruleDescription('ImagePinning-AUDIT1')).toMatch(/^What runs must be what was locked/);
    expect(ruleDescription('ImagePinning-AUDIT3')).toBe('A container with ECS version consistency disabled must name its image by digest');
    expect(ruleResultNote('ImagePinning-AUDIT2')).toContain('A warning while a deployment rolls out');
    // AUDIT2 is an error by default even though the sources table's rules ending in 2 are warnings.
    expect(auditRuleIds().map(ruleDefaultLevel)).toEqual(['error', 'error', 'error']);
  });
});

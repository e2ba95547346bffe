import { compileOptions } from '../../src/check/check-settings';
import { PinningLevel } from '../../src/policy/pinning-level';

describe('compileOptions: every option is checked in one place', () => {
  test('the policy and the coverage come from one options object', () => {
    const settings = compileOptions({ level: PinningLevel.DIGEST, excludeResourceTypes: ['AWS::Lambda::Function'] });
    expect(settings.policy.level).toBe(PinningLevel.DIGEST);
    expect(settings.coverage.sourceFor('AWS::Lambda::Function')).toBeUndefined();
    expect(settings.coverage.sourceFor('AWS::ECS::TaskDefinition')?.ruleGroup).toBe('ECS');
  });

  test.each([
    [{ level: 'STRICT' }, /^level must be one of TAG, VERSION, DIGEST, got "STRICT"$/],
    [{ allowAssetImages: 'yes' }, /^allowAssetImages must be true or false/],
    [{ excludeResourceTypes: ['AWS::ECS::Service'] }, /^excludeResourceTypes\[0\] \("AWS::ECS::Service"\) is not a resource type this library checks/],
    [{ excludeResourceTypes: 'AWS::ECS::TaskDefinition' }, /^excludeResourceTypes must be a list of strings/],
  ])('%j fails naming the option', (options, error) => {
    expect(() => compileOptions(options as never)).toThrow(error);
  });

  test('a prefix (the policy file) is put before every option name', () => {
    expect(() => compileOptions({ level: 'X' as PinningLevel }, 'policy file p.json: ')).toThrow(/^policy file p\.json: level must be one of/);
    expect(() => compileOptions({ excludeResourceTypes: ['X'] }, 'policy file p.json: ')).toThrow(/^policy file p\.json: excludeResourceTypes\[0\]/);
  });
});

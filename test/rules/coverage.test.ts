import { IMAGE_SOURCES } from '../../src/rules/catalog';
import { Coverage, coveredResourceTypes } from '../../src/rules/coverage';

describe('Coverage: which resource types are checked', () => {
  test('by default, every row of the sources table and nothing else', () => {
    const coverage = new Coverage();
    for (const source of IMAGE_SOURCES) {
      expect(coverage.sourceFor(source.resourceType)).toBe(source);
    }
    expect(coverage.sourceFor('AWS::ECS::Service')).toBeUndefined();
    expect(coveredResourceTypes()).toEqual(IMAGE_SOURCES.map((s) => s.resourceType));
  });

  test('excludeResourceTypes switches rows off', () => {
    const coverage = new Coverage(['AWS::CodeBuild::Project']);
    expect(coverage.sourceFor('AWS::CodeBuild::Project')).toBeUndefined();
    expect(coverage.sourceFor('AWS::ECS::TaskDefinition')).toBeDefined();
  });

  test('a type the table does not have fails, listing the known ones', () => {
    expect(() => new Coverage(['AWS::ECS::Service'])).toThrow(/excludeResourceTypes\[0\] \("AWS::ECS::Service"\) is not a resource type this library checks \(AWS::ECS::TaskDefinition, /);
    expect(() => new Coverage([3])).toThrow(/excludeResourceTypes\[0\] \(3\) is not a string/);
  });
});

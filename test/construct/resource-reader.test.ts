import * as path from 'path';
import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { checkResource } from '../../src/check/check-resource';
import { compileOptions } from '../../src/check/check-settings';
import { readResource } from '../../src/construct/resource-reader';

const DOCKER_DIR = path.join(__dirname, '..', 'fixtures', 'docker');

/**
 * The Aspect reads images on a fast path (the L1's own values, tokens expanded as met) and,
 * for resources with overrides, on an exact path (the rendered resource). Both must see the
 * same thing.
 */
describe('fast and exact reads of a resource agree', () => {
  const app = new App();
  const stack = new Stack(app, 'S');
  const repo = new ecr.Repository(stack, 'Repo');
  const tag = new CfnParameter(stack, 'Tag');
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('literal', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  task.addContainer('ecr', { image: ecs.ContainerImage.fromEcrRepository(repo) });
  task.addContainer('ecr-tag', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v1.2.3') });
  task.addContainer('imported', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'I', 'my-repo'), 'v2') });
  task.addContainer('param', { image: ecs.ContainerImage.fromEcrRepository(repo, tag.valueAsString) });
  task.addContainer('tag-param', { image: new ecs.TagParameterContainerImage(repo) });
  task.addContainer('asset', { image: ecs.ContainerImage.fromAsset(DOCKER_DIR) });
  task.addContainer('firelens', { image: ecs.ContainerImage.fromRegistry('app:1.0.0'), logging: ecs.LogDrivers.firelens({}) });
  new CfnResource(stack, 'Raw', {
    type: 'AWS::ECS::TaskDefinition',
    properties: { ContainerDefinitions: [{ Name: 'raw', Image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.eu-west-1.amazonaws.com/x:latest']] } }] },
  });
  new ecs.CfnTaskDefinition(stack, 'L1', { containerDefinitions: [{ name: 'l1', image: `${stack.account}.dkr.ecr.${stack.region}.amazonaws.com/y:1.0.0` }] });

  const settings = compileOptions();
  const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::ECS::TaskDefinition');
  const summarize = (resource: CfnResource, exact: boolean) => {
    const read = readResource(resource, exact)!;
    return checkResource(resource.cfnResourceType, read.properties, read.context, settings, read.reader).map((f) => ({
      label: f.label,
      propertyPath: f.found.propertyPath,
      reason: f.verdict.reason,
      image: f.verdict.image,
      findingId: f.findingId,
    }));
  };

  test.each(resources.map((r) => [r.node.path, r] as const))('%s', (_path, resource) => {
    const fast = summarize(resource, false);
    expect(fast.length).toBeGreaterThan(0);
    expect(fast).toEqual(summarize(resource, true));
  });

  test('the L2 task definition shows each kind of image as expected', () => {
    const fast = summarize(task.node.defaultChild as CfnResource, false);
    expect(fast.map((f) => [f.label, f.reason])).toEqual([
      ['literal', 'MOVING_TAG'],
      ['ecr', 'MOVING_TAG'],
      ['ecr-tag', 'PINNED_TAG'],
      ['imported', 'PINNED_TAG'],
      ['param', 'UNRESOLVED'],
      ['tag-param', 'UNRESOLVED'],
      ['asset', 'ASSET'],
      ['firelens', 'PINNED_TAG'],
      ['log-router', 'MOVING_TAG'],
    ]);
    expect(fast.find((f) => f.label === 'imported')!.image).toBe('<account>.dkr.ecr.<region>.<urlsuffix>/my-repo:v2');
  });
});

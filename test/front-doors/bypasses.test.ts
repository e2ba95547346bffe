import { Aws, CfnCondition, CfnMapping, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning, ImagePinningOptions, PinningLevel } from '../../src';
import { AppBuilder, everyFrontDoor, everyFrontDoorAndScan, fromEachFrontDoor, fromEachFrontDoorAndScan } from '../support/front-doors';

/**
 * Ways an unpinned image passed silently (exit 0) before the guard failed closed: each case runs
 * through the Aspect, the cdk-nag pack, the validation plugin and the command-line scanner, which
 * must all report the same findings.
 */

const HASH = 'a1b2c3d4e5f6'.repeat(6).slice(0, 64);

function inStack(build: (stack: Stack) => void): AppBuilder {
  return (app) => build(new Stack(app, 'S'));
}

/** A raw ECS task definition, with properties as CloudFormation names them. */
function rawTask(stack: Stack, properties: Record<string, unknown>): CfnResource {
  return new CfnResource(stack, 'Raw', { type: 'AWS::ECS::TaskDefinition', properties });
}

function fargateWith(stack: Stack, image: string): void {
  new ecs.FargateTaskDefinition(stack, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry(image) });
}

const CASES: Array<[string, AppBuilder, string[], ImagePinningOptions?]> = [
  // (Past the nesting limit: aws-cdk-lib itself cannot synthesize such a template; see the intrinsic reader's and the scanner's tests.)
  [
    'CDK tokens nested deeper than the limit are read as the template will have them (here: pinned)',
    inStack((stack) => {
      let image = 'nginx:1.27.3';
      for (let i = 0; i < 80; i++) image = Fn.join('', [image]);
      fargateWith(stack, image);
    }),
    [],
  ],
  [
    'Fn::If around the list of containers: the unpinned branch',
    inStack((stack) => {
      new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
      rawTask(stack, { ContainerDefinitions: Fn.conditionIf('IsProd', [{ Name: 'a', Image: 'a:1.2.3' }], [{ Name: 'b', Image: 'b:latest' }]) });
    }),
    ['ImagePinning-ECS1[b] error'],
  ],
  [
    'Fn::If around one container',
    inStack((stack) => {
      new CfnCondition(stack, 'C', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
      rawTask(stack, { ContainerDefinitions: [Fn.conditionIf('C', { Name: 'x', Image: 'x:latest' }, Aws.NO_VALUE)] });
    }),
    ['ImagePinning-ECS1[x] error'],
  ],
  [
    'Fn::If around the image',
    inStack((stack) => {
      new CfnCondition(stack, 'C', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
      fargateWith(stack, Fn.conditionIf('C', 'nginx:1.27.3', 'nginx:latest').toString());
    }),
    ['ImagePinning-ECS1[web] error'],
  ],
  [
    'Fn::FindInMap into a mapping of the template, by region',
    inStack((stack) => {
      new CfnMapping(stack, 'RegionImages', { mapping: { 'eu-west-1': { Web: 'nginx:1.27.3' }, 'us-east-1': { Web: 'nginx:latest' } } });
      fargateWith(stack, Fn.findInMap('RegionImages', Aws.REGION, 'Web'));
    }),
    ['ImagePinning-ECS1[web] error'],
  ],
  [
    'a parameter whose default is unpinned: the default is judged, the value passed at deploy time is unresolved',
    inStack((stack) => {
      const tag = new CfnParameter(stack, 'Tag', { default: 'latest' });
      fargateWith(stack, `nginx:${tag.valueAsString}`);
    }),
    ['ImagePinning-ECS1[web] error', 'ImagePinning-ECS2[web] warning'],
  ],
  [
    'containers produced by another function: unresolved, not "no image"',
    inStack((stack) => rawTask(stack, { ContainerDefinitions: Fn.getAtt('Custom', 'Containers') })),
    ['ImagePinning-ECS2[ContainerDefinitions] warning'],
  ],
  [
    'a string where the list of containers is expected',
    inStack((stack) => rawTask(stack, { ContainerDefinitions: 'nginx:latest' })),
    ['ImagePinning-ECS2[ContainerDefinitions] warning'],
  ],
  [
    'properties from a macro (AWS::Include)',
    inStack((stack) => rawTask(stack, { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/containers.yaml' } } })),
    ['ImagePinning-ECS2[ContainerDefinitions] warning'],
  ],
  [
    'a resource whose Type is overridden into a task definition',
    inStack((stack) => {
      const resource = new CfnResource(stack, 'Disguised', {
        type: 'AWS::CloudFormation::WaitConditionHandle',
        properties: { ContainerDefinitions: [{ Name: 'hidden', Image: 'busybox' }] },
      });
      resource.addOverride('Type', 'AWS::ECS::TaskDefinition');
    }),
    ['ImagePinning-ECS1[hidden] error'],
  ],
  [
    'a container created outside its task definition',
    inStack((stack) => {
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      new ecs.ContainerDefinition(stack, 'Outside', { taskDefinition: task, image: ecs.ContainerImage.fromRegistry('redis:latest') });
    }),
    ['ImagePinning-ECS1[Outside] error'],
  ],
  [
    'a channel word with a suffix moves like the word',
    inStack((stack) => fargateWith(stack, 'nginx:latest-arm64v8')),
    ['ImagePinning-ECS1[web] error'],
  ],
  [
    'a tag without a version',
    inStack((stack) => fargateWith(stack, 'nginx:alpine')),
    ['ImagePinning-ECS1[web] error'],
  ],
  [
    'a release line of a Docker Official Image',
    inStack((stack) => fargateWith(stack, 'node:20-alpine')),
    ['ImagePinning-ECS1[web] error'],
  ],
  [
    'at DIGEST, a 64-hex tag outside the stack\'s asset repository is a tag',
    inStack((stack) => fargateWith(stack, `ghcr.io/evil/cdk-hnb659fds-container-assets-123456789012-eu-west-1:${HASH}`)),
    ['ImagePinning-ECS1[web] error'],
    { level: PinningLevel.DIGEST },
  ],
];

describe('no unpinned image passes silently, in any front door or the scanner', () => {
  test.each(CASES)('%s', (_title, build, expected, options = {}) => {
    expect(everyFrontDoorAndScan(build, options)).toEqual(fromEachFrontDoorAndScan(expected));
  });

  test('a container created outside its task definition is reported on the container, and exempting it applies', () => {
    const build = (exempt: boolean): AppBuilder => inStack((stack) => {
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      const outside = new ecs.ContainerDefinition(stack, 'Outside', { taskDefinition: task, image: ecs.ContainerImage.fromRegistry('redis:latest') });
      if (exempt) ImagePinning.exempt(outside, { reason: 'vendor image' });
    });
    expect(everyFrontDoor(build(true))).toEqual(fromEachFrontDoor([]));
  });
});

import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning, ImagePinningOptions, PinningLevel } from '../../src';
import { pinningAnnotationsUnder } from '../support/annotations';
import { AppBuilder, everyFrontDoor, fromEachFrontDoor, viaAspect, viaValidator } from '../support/front-doors';

/**
 * ECR repositories of the same app with immutable tags: their tags cannot move. Images reach them
 * through a Ref in the same stack, a reference from another stack (an export once synthesized),
 * or the repository's literal name.
 */
const ENV = { account: '123456789012', region: 'eu-west-1' };
const repositories: AppBuilder = (app: App) => {
  const shared = new Stack(app, 'Shared', { env: ENV });
  const immutable = new ecr.Repository(shared, 'Immutable', { imageTagMutability: ecr.TagMutability.IMMUTABLE, repositoryName: 'frozen' });
  const consumer = new Stack(app, 'Consumer', { env: ENV });
  const local = new ecr.Repository(consumer, 'Local', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
  const mutable = new ecr.Repository(consumer, 'Mutable');
  const task = new ecs.FargateTaskDefinition(consumer, 'Task');
  task.addContainer('same-stack', { image: ecs.ContainerImage.fromEcrRepository(local, 'latest') });
  task.addContainer('other-stack', { image: ecs.ContainerImage.fromEcrRepository(immutable, 'v1.2') });
  // The literal host of the repository's own account and region, and its literal name.
  task.addContainer('by-name', { image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/frozen:nightly') });
  task.addContainer('mutable', { image: ecs.ContainerImage.fromEcrRepository(mutable, 'latest') });
  task.addContainer('untagged', { image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/frozen') });
  // A repository's name elsewhere than the path of its own ECR host vouches for nothing.
  task.addContainer('other-account', { image: ecs.ContainerImage.fromRegistry('999999999999.dkr.ecr.eu-west-1.amazonaws.com/frozen:nightly') });
  task.addContainer('other-registry', { image: ecs.ContainerImage.fromRegistry(`ghcr.io/evil/${local.repositoryName}:latest`) });
  task.addContainer('tag-from-name', { image: ecs.ContainerImage.fromEcrRepository(mutable, local.repositoryName) });
};

/** The expected findings: an error for each container named, and the tag built from a repository name (unresolved). */
function errorsFor(...containers: string[]): string[] {
  return [...containers.map((c) => `ImagePinning-ECS1[${c}] error`), 'ImagePinning-ECS2[tag-from-name] warning'];
}

describe('tags of ECR repositories with immutable tags', () => {
  test.each<[string, ImagePinningOptions, string[]]>([
    ['trusted by default, at TAG', {}, errorsFor('mutable', 'other-account', 'other-registry', 'untagged')],
    ['trusted by default, at DIGEST', { level: PinningLevel.DIGEST }, errorsFor('mutable', 'other-account', 'other-registry', 'untagged')],
    [
      'not trusted with trustImmutableTags false',
      { level: PinningLevel.DIGEST, trustImmutableTags: false },
      errorsFor('by-name', 'mutable', 'other-account', 'other-registry', 'other-stack', 'same-stack', 'untagged'),
    ],
    [
      'not trusted at TAG either: moving tags are moving again',
      { trustImmutableTags: false },
      errorsFor('by-name', 'mutable', 'other-account', 'other-registry', 'same-stack', 'untagged'),
    ],
  ])('%s: all three front doors agree', (_title, props, expected) => {
    expect(everyFrontDoor(repositories, props)).toEqual(fromEachFrontDoor(expected));
  });

  test('exclusion filters: a tag is immutable only where the filters say so', () => {
    const build: AppBuilder = (app) => {
      const stack = new Stack(app, 'S');
      const except = new ecr.Repository(stack, 'Except', {
        imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
        imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest*')],
      });
      const only = new ecr.Repository(stack, 'Only', {
        imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
        imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('release-*')],
      });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('excluded', { image: ecs.ContainerImage.fromEcrRepository(except, 'latest-arm64') });
      task.addContainer('kept', { image: ecs.ContainerImage.fromEcrRepository(except, 'nightly') });
      task.addContainer('mutable', { image: ecs.ContainerImage.fromEcrRepository(only, 'nightly') });
      task.addContainer('immutable', { image: ecs.ContainerImage.fromEcrRepository(only, 'release-nightly') });
    };
    expect(everyFrontDoor(build)).toEqual(fromEachFrontDoor(['ImagePinning-ECS1[excluded] error', 'ImagePinning-ECS1[mutable] error']));
  });

  test('the verdict says the tag cannot move', () => {
    const app = new App();
    repositories(app);
    const { report } = viaValidator(repositories, { level: PinningLevel.DIGEST, trustImmutableTags: false });
    expect(report.violations.find((v) => v.ruleName === 'ImagePinning-ECS1[same-stack]')?.description).toContain('has no digest');

    const consumer = app.node.findChild('Consumer') as Stack;
    const findings = ImagePinning.check(consumer.node.findChild('Task').node.defaultChild as CfnResource).filter(
      (f) => f.label === 'same-stack' || f.label === 'by-name',
    );
    expect(findings.map((f) => [f.label, f.verdict.reason])).toEqual([
      ['same-stack', 'IMMUTABLE_TAG'],
      ['by-name', 'IMMUTABLE_TAG'],
    ]);
    expect(findings[0].verdict.message).toMatch(/has the tag "latest" in the ECR repository <ref:Local\w+>, whose tags are immutable, so the tag cannot move/);
    expect(findings[1].verdict.message).toContain('in the ECR repository "frozen", whose tags are immutable');
  });
});

describe('excludeResourceTypes switches a source off, in every front door', () => {
  const build: AppBuilder = (app) => {
    const stack = new Stack(app, 'S');
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    new CfnResource(stack, 'Fn', { type: 'AWS::Lambda::Function', properties: { PackageType: 'Image', Code: { ImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn' } } });
  };
  test.each([
    [{}, ['ImagePinning-ECS1[web] error', 'ImagePinning-LAMBDA1[Code.ImageUri] error']],
    [{ excludeResourceTypes: ['AWS::Lambda::Function'] }, ['ImagePinning-ECS1[web] error']],
    [{ excludeResourceTypes: ['AWS::Lambda::Function', 'AWS::ECS::TaskDefinition'] }, []],
  ])('%j', (props, expected) => {
    expect(everyFrontDoor(build, props)).toEqual(fromEachFrontDoor(expected));
  });

  test('an unknown resource type fails at construction, naming the option and listing the known ones', () => {
    expect(() => viaAspect(build, { excludeResourceTypes: ['AWS::ECS::Service'] })).toThrow(
      /excludeResourceTypes\[0\] \("AWS::ECS::Service"\) is not a resource type this library checks \(AWS::ECS::TaskDefinition, .*\)/,
    );
  });
});

describe('Kubernetes manifests only known at deploy time', () => {
  test('a manifest that is not JSON at synth time is one unresolved finding', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const manifest = new CfnParameter(stack, 'Manifest');
    new CfnResource(stack, 'M', { type: 'Custom::AWSCDK-EKS-KubernetesResource', properties: { Manifest: manifest.valueAsString } });
    ImagePinning.enforce(app);
    app.synth();
    expect(pinningAnnotationsUnder(app)).toEqual([
      expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^\[ImagePinning-EKS2\] Kubernetes manifest "Manifest": its images cannot be found at synth time: Manifest is not JSON at synth time/) }),
    ]);
  });
});

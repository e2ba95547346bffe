import * as path from 'path';
import { App, CfnParameter, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct } from 'constructs';
import { ImagePinning, ImagePinningChecks, PinningLevel, UnresolvedImageAction } from '../../src';
import { AppBuilder, everyFrontDoor, fromEachFrontDoor, STAGES_SUMMARY, viaValidator } from '../support/front-doors';

const DOCKER_DIR = path.join(__dirname, '..', 'fixtures', 'docker');
const DIGEST = `sha256:${'cd'.repeat(32)}`;

function task(scope: Construct, id: string): ecs.FargateTaskDefinition {
  return new ecs.FargateTaskDefinition(scope, id);
}

/**
 * The matrix: every way aws-cdk-lib renders an image, plus L1 resources, escape-hatch overrides, an
 * included template, exemptions, acknowledgements, a nested Stage and a nested stack. Container names are unique,
 * so a finding id names one case.
 */
const matrix: AppBuilder = (app: App) => {
  const stack = new Stack(app, 'Main');
  const repo = new ecr.Repository(stack, 'Repo');
  const tag = new CfnParameter(stack, 'ImageTag');

  const registry = task(stack, 'Registry');
  registry.addContainer('no-tag', { image: ecs.ContainerImage.fromRegistry('nginx') });
  registry.addContainer('latest', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  registry.addContainer('pinned', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
  registry.addContainer('digest', { image: ecs.ContainerImage.fromRegistry(`nginx@${DIGEST}`) });
  registry.addContainer('invalid', { image: ecs.ContainerImage.fromRegistry('MyApp:1.0') });

  const fromEcr = task(stack, 'Ecr');
  fromEcr.addContainer('ecr-default', { image: ecs.ContainerImage.fromEcrRepository(repo) });
  fromEcr.addContainer('ecr-tag', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v1.2.3') });
  fromEcr.addContainer('ecr-digest', { image: ecs.ContainerImage.fromEcrRepository(repo, DIGEST) });
  fromEcr.addContainer('ecr-param', { image: ecs.ContainerImage.fromEcrRepository(repo, tag.valueAsString) });
  fromEcr.addContainer('imported', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Imp', 'my-repo'), 'v2') });
  fromEcr.addContainer('tag-param', { image: new ecs.TagParameterContainerImage(repo) });

  const asset = task(stack, 'Asset');
  asset.addContainer('asset', { image: ecs.ContainerImage.fromAsset(DOCKER_DIR) });

  const firelens = task(stack, 'FireLens');
  firelens.addContainer('logged', { image: ecs.ContainerImage.fromRegistry('app:1.0.0'), logging: ecs.LogDrivers.firelens({}) });

  new ecs.CfnTaskDefinition(stack, 'L1', { containerDefinitions: [{ name: 'l1-raw', image: 'redis' }, { name: 'l1-ok', image: 'redis:7.2.4' }] });

  const overridden = task(stack, 'Overridden');
  overridden.addContainer('override-bad', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
  overridden.addContainer('override-good', { image: ecs.ContainerImage.fromRegistry('nginx') });
  const cfn = overridden.node.defaultChild as ecs.CfnTaskDefinition;
  cfn.addPropertyOverride('ContainerDefinitions.0.Image', 'nginx:latest');
  cfn.addPropertyOverride('ContainerDefinitions.1.Image', 'nginx:1.27.3');

  const exempted = task(stack, 'Exempted');
  exempted.addContainer('exempted', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  ImagePinning.exempt(exempted, { reason: 'vendor image', expires: '2999-01-01' });
  const expired = task(stack, 'Expired');
  expired.addContainer('expired', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  ImagePinning.exempt(expired, { reason: 'migration', expires: '2020-01-01' });

  const acked = task(stack, 'Acked');
  acked.addContainer('acked', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  Validations.of(acked).acknowledge({ id: 'ImagePinning-ECS1[acked]', reason: 'replaced next sprint' });

  new CfnInclude(stack, 'Included', { templateFile: path.join(__dirname, '..', 'fixtures', 'templates', 'included.json') });

  const nested = new NestedStack(stack, 'Inner');
  task(nested, 'Task').addContainer('nested', { image: ecs.ContainerImage.fromRegistry('busybox') });

  const stage = new Stage(app, 'Prod');
  task(new Stack(stage, 'Svc'), 'Task').addContainer('staged', { image: ecs.ContainerImage.fromRegistry('nginx:stable') });
};

const EXPECTED = [
  'ImagePinning-ECS1[ecr-default] error',
  'ImagePinning-ECS1[expired] error',
  'ImagePinning-ECS1[included] error',
  'ImagePinning-ECS1[invalid] error',
  'ImagePinning-ECS1[l1-raw] error',
  'ImagePinning-ECS1[latest] error',
  'ImagePinning-ECS1[log-router] error',
  'ImagePinning-ECS1[nested] error',
  'ImagePinning-ECS1[no-tag] error',
  'ImagePinning-ECS1[override-bad] error',
  'ImagePinning-ECS1[staged] error',
  'ImagePinning-ECS2[ecr-param] warning',
  'ImagePinning-ECS2[included-param] warning',
  'ImagePinning-ECS2[tag-param] warning',
];

describe('the Aspect, the cdk-nag pack and the validation plugin give the same verdicts', () => {
  test('with the default options', () => {
    expect(everyFrontDoor(matrix)).toEqual(fromEachFrontDoor(EXPECTED));
  });

  test('the pack and the plugin sum up errors inside Stages in one violation the CLI always shows', () => {
    const app = new App();
    matrix(app);
    app.synth();
    const fromPack = new ImagePinningChecks(app).validateScope(app).violations.filter((v) => v.ruleName === STAGES_SUMMARY);
    const fromPlugin = viaValidator(matrix).report.violations.filter((v) => v.ruleName === STAGES_SUMMARY);
    for (const summary of [fromPack, fromPlugin]) {
      expect(summary).toHaveLength(1);
      expect(summary[0].severity).toBe('error');
      expect(summary[0].violatingResources).toEqual([{ constructPath: '', locations: [] }]);
      expect(summary[0].description).toMatch(/^1 unpinned image\(s\) in stacks inside Stages/);
      // An index, not the finding again: `cdk synth '**'` shows the finding itself, and would show it twice.
      expect(summary[0].description).toMatch(/: Prod\/Svc\/Task\/\S+ ImagePinning-ECS1\[staged\]$/);
      expect(summary[0].description).not.toContain('nginx:stable');
    }
  });

  test.each([
    ['level VERSION', { level: PinningLevel.VERSION }],
    ['level DIGEST, no asset images', { level: PinningLevel.DIGEST, allowAssetImages: false }],
    ['unresolved images are errors', { unresolvedImages: UnresolvedImageAction.ERROR }],
    ['unresolved images ignored, nginx allowed', { unresolvedImages: UnresolvedImageAction.IGNORE, allowedImages: ['docker.io/library/nginx'] }],
  ])('with options too: %s', (_title, props) => {
    const reported = everyFrontDoor(matrix, props);
    expect(reported.aspect).not.toEqual(EXPECTED);
    expect(reported).toEqual(fromEachFrontDoor(reported.aspect));
  });
});

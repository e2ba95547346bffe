import * as path from 'path';
import { App, Aspects, AspectPriority, CfnParameter, CfnResource, IAspect, LegacyStackSynthesizer, Stack, Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { IConstruct } from 'constructs';
import { ImagePinning, ImagePinningAspect, PinningLevel, UnresolvedImageAction } from '../../src';
import { pinningMessagesOf } from '../support/annotations';

const DOCKER_DIR = path.join(__dirname, '..', 'fixtures', 'docker');
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function setup(props: ConstructorParameters<typeof ImagePinningAspect>[0] = {}, stackProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'S', stackProps);
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  ImagePinning.enforce(app, props);
  return { app, stack, task };
}

describe('every way aws-cdk-lib renders an image', () => {
  test('fromRegistry without a tag is an error on the container, naming container, image, reason, fix and rule', () => {
    const { stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    const messages = pinningMessagesOf(stack);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ path: '/S/Task/web', level: 'error' });
    expect(messages[0].text).toMatch(/^\[ImagePinning-ECS1\] Container "web": image "nginx" has no tag/);
    expect(messages[0].text).toContain('Fix: pin a version tag or a digest, e.g. "nginx:<version>"');
  });

  test.each([
    ['nginx:latest', /moving tag "latest"/],
    ['nginx:LATEST', /moving tag "LATEST"/],
    ['public.ecr.aws/nginx/nginx:stable', /moving tag "stable"/],
    ['MyApp:1.0', /Invalid image reference "MyApp:1.0": uppercase letter 'M'/],
    ['app@sha256:abc', /a sha256 digest has 64 hexadecimal characters, this one has 3/],
  ])('fromRegistry(%s) is an error', (image, why) => {
    const { stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry(image) });
    const messages = pinningMessagesOf(stack);
    expect(messages).toEqual([expect.objectContaining({ path: '/S/Task/web', level: 'error', text: expect.stringMatching(why) })]);
  });

  test.each(['nginx:1.27.3', `nginx@${DIGEST}`, `nginx:latest@${DIGEST}`, 'ghcr.io/test.com:5000'])('fromRegistry(%s) is compliant', (image) => {
    const { stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry(image) });
    expect(pinningMessagesOf(stack)).toEqual([]);
  });

  test('fromEcrRepository(repo) is caught: its default tag is latest; the image is shown readably', () => {
    const { stack, task } = setup();
    const repo = new ecr.Repository(stack, 'Repo');
    task.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(repo) });
    const [message, ...rest] = pinningMessagesOf(stack);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ path: '/S/Task/app', level: 'error' });
    expect(message.text).toContain(`image "<account>.dkr.ecr.<region>.<urlsuffix>/<ref:${stack.getLogicalId(repo.node.defaultChild as ecr.CfnRepository)}>:latest"`);
    expect(message.text).toContain('fromEcrRepository(repo, tag), the tag is the second argument');
  });

  test.each([['v1.2.3'], [DIGEST]])('fromEcrRepository(repo, %s) is compliant', (tag) => {
    const { stack, task } = setup();
    task.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Repo'), tag) });
    expect(pinningMessagesOf(stack)).toEqual([]);
  });

  test('an imported repository: a literal tag passes, none fails', () => {
    const { stack, task } = setup();
    const repo = ecr.Repository.fromRepositoryName(stack, 'Imported', 'my-repo');
    task.addContainer('pinned', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v2') });
    task.addContainer('unpinned', { image: ecs.ContainerImage.fromEcrRepository(repo) });
    const messages = pinningMessagesOf(stack);
    expect(messages).toEqual([
      expect.objectContaining({ path: '/S/Task/unpinned', level: 'error', text: expect.stringContaining('/my-repo:latest"') }),
    ]);
  });

  test('a tag from a CfnParameter is unresolved: a warning by default, acknowledgeable by finding id', () => {
    const build = (acknowledge: boolean) => {
      const { stack, task } = setup();
      const tag = new CfnParameter(stack, 'ImageTag');
      const repo = new ecr.Repository(stack, 'Repo');
      task.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(repo, tag.valueAsString) });
      if (acknowledge) {
        // aws-cdk-lib matches acknowledgements made on an ancestor of the annotated construct.
        Annotations.of(task).acknowledgeWarning('ImagePinning-ECS2[app]', 'the pipeline passes a digest');
      }
      return pinningMessagesOf(stack);
    };
    expect(build(false)).toEqual([
      expect.objectContaining({
        path: '/S/Task/app',
        level: 'warning',
        text: expect.stringMatching(/^\[ImagePinning-ECS2\] Container "app": the tag or digest of image ".*:<param:ImageTag>" is only known at deploy time/),
      }),
    ]);
    expect(build(true)).toEqual([]);
  });

  test('TagParameterContainerImage is unresolved; unresolvedImages makes it an error or silences it', () => {
    const levels = {
      [UnresolvedImageAction.WARN]: ['warning'],
      [UnresolvedImageAction.ERROR]: ['error'],
      [UnresolvedImageAction.IGNORE]: [],
    };
    for (const [action, expected] of Object.entries(levels)) {
      const { stack, task } = setup({ unresolvedImages: action as UnresolvedImageAction });
      task.addContainer('app', { image: new ecs.TagParameterContainerImage(new ecr.Repository(stack, 'Repo')) });
      const messages = pinningMessagesOf(stack);
      expect(messages.map((m) => m.level)).toEqual(expected);
      messages.forEach((m) => expect(m.text).toMatch(/<param:TaskappImageTagParam\w+>/));
    }
  });

  test.each([
    ['fromAsset', (stack: Stack) => ecs.ContainerImage.fromAsset(DOCKER_DIR)],
    ['fromDockerImageAsset', (stack: Stack) => ecs.ContainerImage.fromDockerImageAsset(new DockerImageAsset(stack, 'Asset', { directory: DOCKER_DIR }))],
    ['fromTarball', (_stack: Stack) => ecs.ContainerImage.fromTarball(path.join(DOCKER_DIR, 'hello.txt'))],
  ])('asset images (%s) pass at TAG, VERSION and DIGEST; fail at DIGEST with allowAssetImages false', (_name, image) => {
    for (const level of [PinningLevel.TAG, PinningLevel.VERSION, PinningLevel.DIGEST]) {
      const { stack, task } = setup({ level });
      task.addContainer('app', { image: image(stack) });
      expect(pinningMessagesOf(stack)).toEqual([]);
    }
    const { stack, task } = setup({ level: PinningLevel.DIGEST, allowAssetImages: false });
    task.addContainer('app', { image: image(stack) });
    expect(pinningMessagesOf(stack)).toEqual([
      expect.objectContaining({ path: '/S/Task/app', level: 'error', text: expect.stringContaining('CDK asset image and allowAssetImages is false') }),
    ]);
  });

  test('asset images under the legacy synthesizer (aws-cdk/assets repository) are assets too', () => {
    const { stack, task } = setup({ level: PinningLevel.DIGEST, allowAssetImages: false }, { synthesizer: new LegacyStackSynthesizer() });
    task.addContainer('app', { image: ecs.ContainerImage.fromAsset(DOCKER_DIR) });
    expect(pinningMessagesOf(stack)).toEqual([expect.objectContaining({ text: expect.stringMatching(/aws-cdk\/assets:[0-9a-f]{64}".*allowAssetImages is false/) })]);
  });

  test('the FireLens log router added at render time is reported as moving, with a fix', () => {
    const { stack, task } = setup();
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('app:1.2.3'), logging: ecs.LogDrivers.firelens({}) });
    const messages = pinningMessagesOf(stack);
    expect(messages).toEqual([expect.objectContaining({ path: '/S/Task/log-router', level: 'error' })]);
    expect(messages[0].text).toContain('"/aws/service/aws-for-fluent-bit/latest"');
    expect(messages[0].text).toContain("taskDefinition.addFirelensLogRouter('log-router'");
  });

  test('a FireLens log router added with a pinned image is compliant', () => {
    const { stack, task } = setup();
    task.addFirelensLogRouter('log-router', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4'),
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    });
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('app:1.2.3'), logging: ecs.LogDrivers.firelens({}) });
    expect(pinningMessagesOf(stack)).toEqual([]);
  });
});

describe('where the Aspect looks', () => {
  test('L1 CfnTaskDefinition containers are reported on the L1, one error per unpinned container', () => {
    const { stack } = setup();
    new ecs.CfnTaskDefinition(stack, 'Raw', {
      containerDefinitions: [
        { name: 'a', image: 'redis' },
        { name: 'b', image: 'redis:7.2.4' },
        { name: 'c', image: 'redis:latest' },
      ],
    });
    const messages = pinningMessagesOf(stack);
    expect(messages.map((m) => [m.path, m.text.slice(0, 40)])).toEqual([
      ['/S/Raw', '[ImagePinning-ECS1] Container "a": image'],
      ['/S/Raw', '[ImagePinning-ECS1] Container "c": image'],
    ]);
  });

  test('a task definition written as a plain CfnResource is read by its CloudFormation property names', () => {
    const { stack } = setup();
    new CfnResource(stack, 'Plain', {
      type: 'AWS::ECS::TaskDefinition',
      properties: { ContainerDefinitions: [{ Name: 'plain', Image: 'busybox:latest' }, { Name: 'ok', Image: 'busybox:1.36.1' }] },
    });
    expect(pinningMessagesOf(stack)).toEqual([
      expect.objectContaining({ path: '/S/Plain', level: 'error', text: expect.stringContaining('Container "plain": image "busybox:latest"') }),
    ]);
  });

  test('ecs-patterns services are covered', () => {
    const { stack } = setup();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Svc', {
      vpc,
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('nginx'), containerName: 'web' },
    });
    expect(pinningMessagesOf(stack)).toEqual([expect.objectContaining({ path: '/S/Svc/TaskDef/web', level: 'error' })]);
  });

  test('Ec2 and External task definitions are covered', () => {
    const { stack } = setup();
    new ecs.Ec2TaskDefinition(stack, 'Ec2').addContainer('a', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 256 });
    new ecs.ExternalTaskDefinition(stack, 'Ext').addContainer('b', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 256 });
    expect(pinningMessagesOf(stack).map((m) => m.path).sort()).toEqual(['/S/Ec2/a', '/S/Ext/b']);
  });

  test('escape-hatch overrides are judged as the template will have them', () => {
    const { stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    task.addContainer('api', { image: ecs.ContainerImage.fromRegistry('api') });
    const cfn = task.node.defaultChild as ecs.CfnTaskDefinition;
    cfn.addPropertyOverride('ContainerDefinitions.0.Image', 'nginx:latest');
    cfn.addPropertyOverride('ContainerDefinitions.1.Image', 'api:2.0.1');
    expect(pinningMessagesOf(stack)).toEqual([expect.objectContaining({ path: '/S/Task/web', text: expect.stringContaining('"nginx:latest"') })]);
  });

  test('runs after mutating aspects: a sidecar added by another aspect is checked', () => {
    class AddSidecar implements IAspect {
      visit(node: IConstruct) {
        if (node instanceof ecs.TaskDefinition && !node.node.tryFindChild('sidecar')) {
          node.addContainer('sidecar', { image: ecs.ContainerImage.fromRegistry('envoyproxy/envoy:latest') });
        }
      }
    }
    const { app, stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    Aspects.of(app).add(new AddSidecar(), { priority: AspectPriority.MUTATING });
    expect(pinningMessagesOf(stack)).toEqual([expect.objectContaining({ path: '/S/Task/sidecar', level: 'error' })]);
  });

  test('each container is reported once, however often synthesis runs', () => {
    const { app, stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    app.synth();
    app.synth({ force: true });
    expect(pinningMessagesOf(stack)).toHaveLength(1);
    const container = task.node.findChild('web');
    expect(container.node.metadata.filter((m) => m.type === 'aws:cdk:error')).toHaveLength(1);
  });

  test('compliant containers get no annotation at all', () => {
    const { stack, task } = setup();
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    task.addContainer('db', { image: ecs.ContainerImage.fromRegistry(`postgres@${DIGEST}`) });
    expect(pinningMessagesOf(stack)).toEqual([]);
    const annotationTypes = ['aws:cdk:error', 'aws:cdk:warning', 'aws:cdk:info'];
    expect(task.node.findAll().flatMap((c) => c.node.metadata).filter((m) => annotationTypes.includes(m.type))).toEqual([]);
  });

  test('levels apply: VERSION rejects release lines, DIGEST requires a digest', () => {
    const version = setup({ level: PinningLevel.VERSION });
    version.task.addContainer('node', { image: ecs.ContainerImage.fromRegistry('node:20') });
    version.task.addContainer('ok', { image: ecs.ContainerImage.fromRegistry('node:20.11.1') });
    expect(pinningMessagesOf(version.stack)).toEqual([expect.objectContaining({ path: '/S/Task/node', text: expect.stringContaining('release line') })]);

    const digest = setup({ level: PinningLevel.DIGEST });
    digest.task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    expect(pinningMessagesOf(digest.stack)).toEqual([expect.objectContaining({ path: '/S/Task/web', text: expect.stringContaining('has no digest') })]);
  });

  test('allowedImages exempts matching names', () => {
    const { stack, task } = setup({ allowedImages: ['public.ecr.aws/aws-observability/*'] });
    task.addFirelensLogRouter('log-router', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:latest'),
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    });
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('app:latest'), logging: ecs.LogDrivers.firelens({}) });
    expect(pinningMessagesOf(stack).map((m) => m.path)).toEqual(['/S/Task/app']);
  });

  test('bad options fail at construction, naming the option', () => {
    expect(() => ImagePinning.enforce(new App(), { allowedImages: ['nginx:1.2'] })).toThrow(/allowedImages\[0\]/);
    expect(() => new ImagePinningAspect({ level: 'STRICT' as PinningLevel })).toThrow(/level must be one of TAG, VERSION, DIGEST/);
    expect(() => new ImagePinningAspect({ movingTags: ['has space'] })).toThrow(/movingTags\[0\]/);
  });
});

describe('error annotations', () => {
  test('carry the finding id, and the trace of the user code that created the resource instead of aws-cdk-lib\'s aspect recursion', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    ImagePinning.enforce(app);
    app.synth();
    const [entry, ...rest] = task.node.findChild('web').node.metadata.filter((m) => m.type === 'aws:cdk:error');
    expect(rest).toEqual([]);
    expect(entry.data).toMatch(/^\[ImagePinning-ECS1\] Container "web": .* \(annotation::ImagePinning-ECS1\[web\]\)$/);
    expect(entry.trace?.[0]).toMatch(/image-pinning-aspect\.test\.ts:\d+:\d+\)$/);
    expect(entry.trace?.join('\n')).not.toMatch(/invokeAspects|image-pinning-aspect\.ts/);
  });
});

import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ImagePinning } from '../../src';
import { pinningAnnotationsUnder, pinningMessagesOf } from '../support/annotations';

function taskWith(scope: Construct, id: string, image: string): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(scope, id);
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry(image) });
  return task;
}

describe('Stages (CDK Pipelines)', () => {
  test('enforce(app) covers stacks in Stages, and Stages nested in Stages, that exist at the call', () => {
    const app = new App();
    const top = new Stack(app, 'Top');
    taskWith(top, 'Task', 'nginx:1.27.3');
    const prod = new Stage(app, 'Prod');
    const prodStack = new Stack(prod, 'Svc');
    taskWith(prodStack, 'Task', 'nginx:latest');
    const inner = new Stage(prod, 'Inner');
    const innerStack = new Stack(inner, 'Deep');
    taskWith(innerStack, 'Task', 'redis');
    ImagePinning.enforce(app);

    // Synthesizing the Stage runs the Aspects in it and in the Stage nested in it.
    prod.synth();
    expect(pinningAnnotationsUnder(prodStack)).toEqual([expect.objectContaining({ path: '/Prod/Svc/Task/web', level: 'error' })]);
    expect(pinningAnnotationsUnder(innerStack)).toEqual([expect.objectContaining({ path: '/Prod/Inner/Deep/Task/web', level: 'error' })]);
    expect(pinningAnnotationsUnder(top)).toEqual([]);
  });

  test('errors inside Stages also fail synthesis of the App, which the CLI does not check for nested stacks', () => {
    const app = new App();
    taskWith(new Stack(app, 'Top'), 'Task', 'nginx:1.27.3');
    const prod = new Stage(app, 'Prod');
    taskWith(new Stack(prod, 'Svc'), 'Task', 'nginx:latest');
    taskWith(new Stack(new Stage(prod, 'Inner'), 'Deep'), 'Task', 'redis');
    ImagePinning.enforce(app);
    expect(() => app.synth()).toThrow(
      /Prod\/Inner\/Deep\/Task\/web: \[ImagePinning-ECS1\] Container "web": image "redis".*Prod\/Svc\/Task\/web: \[ImagePinning-ECS1\] Container "web": image "nginx:latest"/s,
    );
  });

  test('an App whose Stages are all pinned synthesizes', () => {
    const app = new App();
    taskWith(new Stack(new Stage(app, 'Prod'), 'Svc'), 'Task', 'nginx:1.27.3');
    ImagePinning.enforce(app);
    expect(() => app.synth()).not.toThrow();
  });

  test('a Stage created after enforce(app) fails synthesis with a message that names it and says how to fix it', () => {
    const app = new App();
    ImagePinning.enforce(app);
    const late = new Stage(app, 'Late');
    taskWith(new Stack(late, 'Svc'), 'Task', 'nginx');
    expect(() => app.synth()).toThrow(/the Stage Late was created after ImagePinning\.enforce\(app\).*ImagePinning\.enforce\(stage\) on Late/s);
  });

  test('enforcing the late Stage itself fixes it', () => {
    const app = new App();
    ImagePinning.enforce(app);
    const late = new Stage(app, 'Late');
    const stack = new Stack(late, 'Svc');
    taskWith(stack, 'Task', 'nginx');
    ImagePinning.enforce(late);
    expect(() => app.synth()).toThrow(/Late\/Svc\/Task\/web: \[ImagePinning-ECS1\]/);
    expect(() => app.synth({ force: true })).not.toThrow(/was created after/);
    expect(pinningAnnotationsUnder(stack)).toEqual([expect.objectContaining({ path: '/Late/Svc/Task/web', level: 'error' })]);
  });

  test('enforcing only a nested Stage still fails synthesis for its errors', () => {
    const app = new App();
    const prod = new Stage(app, 'Prod');
    taskWith(new Stack(prod, 'Svc'), 'Task', 'nginx');
    ImagePinning.enforce(prod);
    expect(() => app.synth()).toThrow(/Prod\/Svc\/Task\/web: \[ImagePinning-ECS1\]/);
  });
});

describe('exemptions', () => {
  test('a valid exemption turns the error into an info annotation that names scope, reason and expiry', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const task = taskWith(stack, 'Task', 'nginx:latest');
    taskWith(stack, 'Other', 'redis');
    ImagePinning.exempt(task, { reason: 'vendor image, pinned upstream by JIRA-123', expires: '2999-12-31' });
    ImagePinning.enforce(app);
    const messages = pinningMessagesOf(stack);
    expect(messages).toEqual([
      expect.objectContaining({ path: '/S/Other/web', level: 'error' }),
      expect.objectContaining({
        path: '/S/Task/web',
        level: 'info',
        text: expect.stringMatching(/^Exempted until 2999-12-31 by ImagePinning\.exempt on S\/Task \(reason: vendor image, pinned upstream by JIRA-123\): \[ImagePinning-ECS1\] Container "web"/),
      }),
    ]);
  });

  test('an exemption without expiry applies to the whole subtree (a stack)', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    taskWith(stack, 'A', 'nginx');
    taskWith(stack, 'B', 'redis:latest');
    ImagePinning.exempt(stack, { reason: 'sandbox account' });
    ImagePinning.enforce(app);
    expect(pinningMessagesOf(stack).map((m) => [m.path, m.level])).toEqual([
      ['/S/A/web', 'info'],
      ['/S/B/web', 'info'],
    ]);
  });

  test('an expired exemption stops applying and the error says it expired', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const task = taskWith(stack, 'Task', 'nginx');
    ImagePinning.exempt(task, { reason: 'migration', expires: '2020-01-31' });
    ImagePinning.enforce(app);
    expect(pinningMessagesOf(stack)).toEqual([
      expect.objectContaining({
        path: '/S/Task/web',
        level: 'error',
        text: expect.stringContaining('(The exemption on S/Task expired on 2020-01-31; reason given: migration)'),
      }),
    ]);
  });

  test('a nearer expired exemption does not hide a valid one further up', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const task = taskWith(stack, 'Task', 'nginx');
    ImagePinning.exempt(task, { reason: 'old', expires: '2020-01-31' });
    ImagePinning.exempt(stack, { reason: 'sandbox' });
    ImagePinning.enforce(app);
    expect(pinningMessagesOf(stack)).toEqual([expect.objectContaining({ level: 'info', text: expect.stringContaining('(reason: sandbox)') })]);
  });

  test('a finding acknowledged with Validations.of(scope).acknowledge is an info annotation with the reason', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const task = taskWith(stack, 'Task', 'nginx:latest');
    taskWith(stack, 'Other', 'redis');
    Validations.of(task).acknowledge({ id: 'ImagePinning-ECS1[web]', reason: 'replaced next sprint' });
    ImagePinning.enforce(app);
    expect(pinningMessagesOf(stack)).toEqual([
      expect.objectContaining({ path: '/S/Other/web', level: 'error' }),
      expect.objectContaining({
        path: '/S/Task/web',
        level: 'info',
        text: expect.stringMatching(/^Acknowledged \(reason: replaced next sprint\): \[ImagePinning-ECS1\] Container "web": image "nginx:latest"/),
      }),
    ]);
  });

  test.each([
    [{ reason: '' }, /reason is required/],
    [{ reason: '   ' }, /reason is required/],
    [{ reason: 'x', expires: '2026-13-01' }, /expires must be a calendar date written YYYY-MM-DD, got "2026-13-01"/],
    [{ reason: 'x', expires: '2026-02-30' }, /expires must be a calendar date/],
    [{ reason: 'x', expires: '31/12/2026' }, /expires must be a calendar date/],
    [{ reason: 'x', expires: '2026-1-5' }, /expires must be a calendar date/],
  ])('bad exemption options fail at once: %j', (props, error) => {
    const app = new App();
    expect(() => ImagePinning.exempt(new Stack(app, 'S'), props)).toThrow(error);
  });
});

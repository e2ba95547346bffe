import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning, ImagePinningChecks, ImagePinningChecksProps, UnresolvedImageAction } from '../../src';

function app(configure: (task: ecs.FargateTaskDefinition, stack: Stack) => void) {
  const root = new App();
  const stack = new Stack(root, 'S');
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  configure(task, stack);
  root.synth();
  return root;
}

const report = (root: App, props: ImagePinningChecksProps = {}) => new ImagePinningChecks(root, props).validateScope(root);

describe('ImagePinningChecks (cdk-nag 3 pack)', () => {
  test('one finding per container, named Pack-Rule[container], with the shared message and the resource path', () => {
    const root = app((task) => {
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
      task.addContainer('api', { image: ecs.ContainerImage.fromRegistry('api') });
      task.addContainer('ok', { image: ecs.ContainerImage.fromRegistry('api:1.2.3') });
    });
    const result = report(root);
    expect(result.success).toBe(false);
    expect(result.violations.map((v) => [v.ruleName, v.severity, v.violatingResources.map((r) => r.constructPath)])).toEqual([
      ['ImagePinning-ECS1[web]', 'error', ['S/Task/Resource']],
      ['ImagePinning-ECS1[api]', 'error', ['S/Task/Resource']],
    ]);
    expect(result.violations[0].description).toMatch(/^\[ImagePinning-ECS1\] Container "web": image "nginx:latest" uses the moving tag "latest".* Fix: /);
    for (const v of result.violations) {
      expect(v.ruleName).not.toContain('::');
    }
  });

  test('verbose adds the explanation of the rule', () => {
    const root = app((task) => task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') }));
    expect(report(root, { verbose: true }).violations[0].description).toContain('a rollback rolls back nothing');
    expect(report(root).violations[0].description).not.toContain('a rollback rolls back nothing');
  });

  test('the level of unresolved images is configurable', () => {
    const root = app((task, stack) => task.addContainer('app', { image: new ecs.TagParameterContainerImage(new ecr.Repository(stack, 'Repo')) }));
    expect(report(root).violations.map((v) => [v.ruleName, v.severity])).toEqual([['ImagePinning-ECS2[app]', 'warning']]);
    expect(report(root, { unresolvedImages: UnresolvedImageAction.ERROR }).violations.map((v) => v.severity)).toEqual(['error']);
    expect(report(root, { unresolvedImages: UnresolvedImageAction.IGNORE })).toEqual({ success: true, violations: [] });
  });

  test('Validations.of(scope).acknowledge({ id, reason }) acknowledges one finding, on the container or any ancestor', () => {
    const root = app((task) => {
      const web = task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
      task.addContainer('api', { image: ecs.ContainerImage.fromRegistry('api') });
      Validations.of(web).acknowledge({ id: 'ImagePinning-ECS1[web]', reason: 'vendor image, replaced next sprint' });
    });
    // The acknowledged finding stays in the report, as info: cdk synth prints it and validation-report.json keeps it.
    expect(report(root).violations.map((v) => [v.ruleName, v.severity])).toEqual([['ImagePinning-ECS1[api]', 'error'], ['ImagePinning-ECS1[web]', 'info']]);
    expect(report(root).violations[1].description).toMatch(/^Acknowledged \(reason: vendor image, replaced next sprint\): \[ImagePinning-ECS1\] Container "web"/);

    const atStack = app((task, stack) => {
      task.addContainer('api', { image: ecs.ContainerImage.fromRegistry('api') });
      Validations.of(stack).acknowledge({ id: 'ImagePinning-ECS1[api]', reason: 'sandbox' });
    });
    const acknowledged = report(atStack);
    expect(acknowledged.success).toBe(true);
    expect(acknowledged.violations.map((v) => [v.ruleName, v.severity])).toEqual([['ImagePinning-ECS1[api]', 'info']]);
  });

  test('exemptions apply as they do for the Aspect; expired ones say so', () => {
    const root = app((task, stack) => {
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
      ImagePinning.exempt(task, { reason: 'vendor', expires: '2999-01-01' });
      const old = new ecs.FargateTaskDefinition(stack, 'Old');
      old.addContainer('old', { image: ecs.ContainerImage.fromRegistry('nginx') });
      ImagePinning.exempt(old, { reason: 'migration', expires: '2020-01-01' });
    });
    const result = report(root);
    expect(result.violations.map((v) => [v.ruleName, v.severity])).toEqual([['ImagePinning-ECS1[old]', 'error'], ['ImagePinning-ECS1[web]', 'info']]);
    expect(result.violations[0].description).toContain('expired on 2020-01-01');
    expect(result.violations[1].description).toMatch(/^Exempted until 2999-01-01 by ImagePinning.exempt on S\/Task \(reason: vendor\): /);
  });

  test('bad options fail at construction, naming the option', () => {
    expect(() => new ImagePinningChecks(new App(), { allowedImages: [''] })).toThrow(/allowedImages\[0\]/);
  });
});

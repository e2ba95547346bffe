import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning, ImagePinningValidator } from '../../src';
import { viaValidator } from '../support/front-doors';

describe('ImagePinningValidator (post-synthesis plugin)', () => {
  test('reports rule name, description, fix, severity, logical id, template path, location and construct path', () => {
    const { report } = viaValidator((app) => {
      const task = new ecs.FargateTaskDefinition(new Stack(app, 'S'), 'Task');
      task.addContainer('ok', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
    });
    expect(report.success).toBe(false);
    expect(report.violations).toHaveLength(1);
    const [violation] = report.violations;
    expect(violation).toMatchObject({
      ruleName: 'ImagePinning-ECS1[web]',
      severity: 'error',
      fix: expect.stringContaining('replace ":latest" with a version tag'),
      ruleMetadata: { rule: 'ImagePinning-ECS1', constructPath: 'S/Task/web' },
    });
    expect(violation.description).toMatch(/^\[ImagePinning-ECS1\] Container "web": image "nginx:latest"/);
    expect(violation.violatingResources).toEqual([
      {
        resourceLogicalId: expect.stringMatching(/^Task/),
        templatePath: expect.stringMatching(/S\.template\.json$/),
        locations: ['Properties/ContainerDefinitions/1/Image'],
      },
    ]);
  });

  test('the same container unpinned the same way in two resources is one violation with two resources', () => {
    const { report } = viaValidator((app) => {
      const stack = new Stack(app, 'S');
      for (const id of ['A', 'B']) new ecs.FargateTaskDefinition(stack, id).addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    });
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0].violatingResources).toHaveLength(2);
    expect(report.violations[0].ruleMetadata?.constructPath).toBe('S/A/web, S/B/web');
  });

  test('unresolved images are warnings, which do not fail the report', () => {
    const { report } = viaValidator((app) => {
      const stack = new Stack(app, 'S');
      const repo = new ecr.Repository(stack, 'Repo');
      new ecs.FargateTaskDefinition(stack, 'Task').addContainer('app', { image: new ecs.TagParameterContainerImage(repo) });
    });
    expect(report.success).toBe(true);
    expect(report.violations.map((v) => [v.ruleName, v.severity])).toEqual([['ImagePinning-ECS2[app]', 'warning']]);
  });

  test('acknowledgements and exemptions apply; the report lists them for reviewers', () => {
    const { report } = viaValidator((app) => {
      const stack = new Stack(app, 'S');
      const a = new ecs.FargateTaskDefinition(stack, 'A');
      a.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
      Validations.of(a).acknowledge({ id: 'ImagePinning-ECS1[web]', reason: 'replaced next sprint' });
      const b = new ecs.FargateTaskDefinition(stack, 'B');
      b.addContainer('api', { image: ecs.ContainerImage.fromRegistry('api') });
      ImagePinning.exempt(b, { reason: 'vendor image' });
    });
    expect(report.success).toBe(true);
    // Each waived finding is an info violation: cdk synth prints it once, without a fix to apply.
    expect(report.violations.map((v) => [v.ruleName, v.severity, v.ruleMetadata?.constructPath])).toEqual([
      ['ImagePinning-ECS1[web]', 'info', 'S/A/web'],
      ['ImagePinning-ECS1[api]', 'info', 'S/B/api'],
    ]);
    expect(report.violations[0].description).toMatch(/^Acknowledged \(reason: replaced next sprint\): \[ImagePinning-ECS1\] Container "web": image "nginx" has no tag[^]*starts\. Fix: pin a version tag or a digest[^]*$/);
    expect(report.violations[1].violatingResources[0].locations).toEqual(['Properties/ContainerDefinitions/0/Image']);
    expect(report.violations[1].description).toMatch(/^Exempted by ImagePinning\.exempt on S\/B \(reason: vendor image\)/);
    expect(report.metadata).toBeUndefined();
  });

  test('works from the templates alone when no construct tree is given', () => {
    const app = new App();
    new ecs.FargateTaskDefinition(new Stack(app, 'S'), 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    const assembly = app.synth();
    const report = new ImagePinningValidator().validate({
      templatePaths: assembly.stacks.map((s) => s.templateFullPath),
      appConstruct: undefined as any,
    });
    expect(report.violations.map((v) => v.ruleName)).toEqual(['ImagePinning-ECS1[web]']);
  });

  test('registered with Validations.of(app).addPlugins, it runs during synthesis and never writes into cdk.out', () => {
    const app = new App();
    new ecs.FargateTaskDefinition(new Stack(app, 'S'), 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    const validator = new ImagePinningValidator();
    const validate = jest.spyOn(validator, 'validate');
    Validations.of(app).addPlugins(validator);
    const assembly = app.synth();
    expect(validate).toHaveBeenCalledTimes(1);
    expect(validate.mock.results[0].value).toMatchObject({ success: true, violations: [] });

    // And run again on the finished assembly: not one file changes.
    const hashes = () =>
      fs
        .readdirSync(assembly.directory)
        .filter((f) => fs.statSync(path.join(assembly.directory, f)).isFile())
        .map((f) => `${f}:${crypto.createHash('sha256').update(fs.readFileSync(path.join(assembly.directory, f))).digest('hex')}`)
        .sort();
    const before = hashes();
    validator.validate({ templatePaths: assembly.stacks.map((s) => s.templateFullPath), appConstruct: app });
    expect(hashes()).toEqual(before);
  });
});

describe('templates the plugin cannot read', () => {
  test('a nested stack whose template is missing is an error naming the file, never "no images"', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new ecs.FargateTaskDefinition(new NestedStack(stack, 'Inner'), 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
    const assembly = app.synth();
    const nested = fs.readdirSync(assembly.directory).find((f) => f.endsWith('.nested.template.json'))!;
    fs.rmSync(path.join(assembly.directory, nested));
    const report = new ImagePinningValidator().validate({ templatePaths: assembly.stacks.map((s) => s.templateFullPath), appConstruct: app });
    expect(report.success).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({ ruleName: 'ImagePinning-Template', severity: 'error', description: expect.stringContaining(`${nested}: does not exist`) }),
    ]);
  });
});

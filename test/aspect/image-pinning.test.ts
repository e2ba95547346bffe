import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, IAspect, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, IConstruct, Node } from 'constructs';
import { ImagePinning, ImagePinningAspect } from '../../src';
import { pinningAnnotationsUnder, pinningMessagesOf } from '../support/annotations';
import { reportingApp, synthReport } from '../support/validation-report';

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

  test('errors inside Stages are summed up in the validation report, after the assembly is written; top-level findings are annotations as ever', () => {
    const app = reportingApp();
    const top = new Stack(app, 'Top');
    taskWith(top, 'Task', 'busybox');
    const prod = new Stage(app, 'Prod');
    taskWith(new Stack(prod, 'Svc'), 'Task', 'nginx:latest');
    taskWith(new Stack(new Stage(prod, 'Inner'), 'Deep'), 'Task', 'redis');
    ImagePinning.enforce(app);
    const report = synthReport(app);
    expect(report).toEqual([expect.objectContaining({ plugin: 'ImagePinning', ruleName: 'ImagePinning-Stages', severity: 'error', constructPaths: [''] })]);
    expect(report[0].description).toMatch(
      /^2 unpinned image\(s\) in stacks inside Stages.*`cdk synth '\*\*'` shows each with its fix: Prod\/Inner\/Deep\/Task\/web ImagePinning-ECS1\[web\], Prod\/Svc\/Task\/web ImagePinning-ECS1\[web\]$/,
    );
    // The top-level stack's finding is in the written assembly: one Stage's errors hide nothing.
    expect(pinningMessagesOf(top)).toEqual([expect.objectContaining({ path: '/Top/Task/web', level: 'error' })]);
  });

  test('an App whose Stages are all pinned synthesizes, with no report at all', () => {
    const app = reportingApp();
    taskWith(new Stack(new Stage(app, 'Prod'), 'Svc'), 'Task', 'nginx:1.27.3');
    ImagePinning.enforce(app);
    expect(synthReport(app)).toEqual([]);
  });

  test.each([
    ['synthesized before enforce (as CDK Pipelines\' addStage does)', 'before'],
    ['created after enforce', 'after'],
  ])('a Stage %s is checked from its synthesized templates, in the report', (_title, when) => {
    const app = reportingApp();
    const build = () => {
      const late = new Stage(app, 'Late');
      taskWith(new Stack(late, 'Svc'), 'Task', 'nginx');
      return late;
    };
    if (when === 'before') {
      build().synth();
      ImagePinning.enforce(app);
    } else {
      ImagePinning.enforce(app);
      build();
    }
    const report = synthReport(app);
    expect(report.map((v) => [v.ruleName, v.severity, v.constructPaths])).toEqual([
      ['ImagePinning-ECS1[web]', 'error', ['Late/Svc/Task/Resource']],
      ['ImagePinning-Stages', 'error', ['']],
    ]);
    expect(report[0].description).toMatch(/^\[ImagePinning-ECS1\] Container "web": image "nginx" has no tag.*\(Checked in the synthesized templates of the Stage Late: /s);
    expect(report[1].description).toMatch(/\(Late: checked in the synthesized templates, because the Aspect could not run on them\): Late\/Svc\/Task\/web ImagePinning-ECS1\[web\]$/);
  });

  test('exemptions and acknowledgements apply to Stages checked from their templates', () => {
    const app = reportingApp();
    const late = new Stage(app, 'Late');
    const task = taskWith(new Stack(late, 'Svc'), 'Task', 'nginx');
    Validations.of(task).acknowledge({ id: 'ImagePinning-ECS1[web]', reason: 'vendor image' });
    late.synth();
    ImagePinning.enforce(app);
    expect(synthReport(app)).toEqual([]);
  });

  test('enforcing the late Stage itself: its own Aspect runs on it, and it is not checked twice', () => {
    const app = reportingApp();
    ImagePinning.enforce(app);
    const late = new Stage(app, 'Late');
    const stack = new Stack(late, 'Svc');
    taskWith(stack, 'Task', 'nginx');
    ImagePinning.enforce(late);
    const report = synthReport(app);
    expect(report.map((v) => v.ruleName)).toEqual(['ImagePinning-Stages']);
    expect(pinningAnnotationsUnder(stack)).toEqual([expect.objectContaining({ path: '/Late/Svc/Task/web', level: 'error' })]);
  });

  test('enforcing only a nested Stage still reports its errors', () => {
    const app = reportingApp();
    const prod = new Stage(app, 'Prod');
    taskWith(new Stack(prod, 'Svc'), 'Task', 'nginx');
    ImagePinning.enforce(prod);
    expect(synthReport(app)).toEqual([expect.objectContaining({ ruleName: 'ImagePinning-Stages', description: expect.stringContaining('Prod/Svc/Task/web ImagePinning-ECS1[web]') })]);
  });
});

describe('checked once every aspect has run (one validation per Stage)', () => {
  test('an image that an aspect of any priority rewrites after the READONLY ones is judged as synthesized', () => {
    class RewriteImage implements IAspect {
      visit(node: IConstruct) {
        if (node instanceof ecs.CfnTaskDefinition) node.addPropertyOverride('ContainerDefinitions.0.Image', 'nginx:latest');
      }
    }
    const app = new App();
    const stack = new Stack(app, 'S');
    taskWith(stack, 'Task', 'nginx:1.27.3');
    ImagePinning.enforce(app);
    // Runs on the L1 after the READONLY aspects: an Aspect checking as it visits would have judged 1.27.3.
    Aspects.of(app).add(new RewriteImage(), { priority: AspectPriority.READONLY + 1 });
    expect(pinningMessagesOf(stack)).toEqual([expect.objectContaining({ path: '/S/Task/web', level: 'error', text: expect.stringContaining('"nginx:latest"') })]);
  });

  test('without a lock file no aspect is added (it would visit every construct), and nested stacks are checked by the validation', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    taskWith(new NestedStack(stack, 'Inner'), 'Task', 'nginx');
    const aspect = ImagePinning.enforce(app);
    expect(Aspects.of(app).all).toEqual([]);
    app.synth();
    expect(pinningAnnotationsUnder(app)).toEqual([expect.objectContaining({ path: '/S/Inner/Task/web', level: 'error' })]);
    // With a lock file, the Aspect visits, to pin the locked images of nested stacks before their templates are hashed.
    expect(aspect).toBeInstanceOf(ImagePinningAspect);
  });

  test('a nested Stage synthesized without validations is checked from its templates', () => {
    const app = reportingApp();
    const prod = new Stage(app, 'Prod');
    taskWith(new Stack(prod, 'Svc'), 'Task', 'nginx');
    ImagePinning.enforce(app);
    prod.synth({ skipValidation: true });
    const report = synthReport(app);
    expect(report.map((v) => [v.ruleName, v.severity])).toEqual([
      ['ImagePinning-ECS1[web]', 'error'],
      ['ImagePinning-Stages', 'error'],
    ]);
    expect(report[0].description).toContain('(Checked in the synthesized templates of the Stage Prod');
  });

  test('the walks of the validations find the nested Stages: synthesis makes no other walk of the tree', () => {
    const app = new App();
    const prod = new Stage(app, 'Prod');
    taskWith(new Stack(prod, 'Svc'), 'Task', 'nginx:1.27.3');
    taskWith(new Stack(new Stage(prod, 'Inner'), 'Svc'), 'Task', 'redis:7.2.4');
    taskWith(new Stack(app, 'Top'), 'Task', 'nginx:1.27.3');
    ImagePinning.enforce(app);
    const findAll = jest.spyOn(Node.prototype, 'findAll');
    try {
      app.synth();
      expect(findAll).not.toHaveBeenCalled();
    } finally {
      findAll.mockRestore();
    }
  });

  test('a Stage created later inside a nested stack is still found, and checked from its templates', () => {
    const app = reportingApp();
    const nested = new NestedStack(new Stack(app, 'Top'), 'Inner');
    ImagePinning.enforce(app);
    taskWith(new Stack(new Stage(nested, 'Late'), 'Svc'), 'Task', 'nginx');
    const report = synthReport(app);
    expect(report.map((v) => [v.ruleName, v.severity])).toEqual([
      ['ImagePinning-ECS1[web]', 'error'],
      ['ImagePinning-Stages', 'error'],
    ]);
    expect(report[0].description).toContain('(Checked in the synthesized templates of the Stage Top/Inner/Late');
  });

  test('the Aspect enforce returns, added by hand to a Stage created later, checks as it visits', () => {
    const app = reportingApp();
    const aspect = ImagePinning.enforce(app);
    const late = new Stage(app, 'Late');
    const stack = new Stack(late, 'Svc');
    taskWith(stack, 'Task', 'nginx');
    Aspects.of(late).add(aspect, { priority: AspectPriority.READONLY });
    const report = synthReport(app);
    expect(report.map((v) => v.ruleName)).toEqual(['ImagePinning-Stages']);
    expect(report[0].description).not.toContain('checked in the synthesized templates');
    expect(pinningAnnotationsUnder(stack)).toEqual([expect.objectContaining({ path: '/Late/Svc/Task/web', level: 'error' })]);
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

  test('each waiver stays in the cloud assembly: an aws:cdk:info entry in the metadata file of its stack, in a Stage too', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-waivers-'));
    try {
      const app = new App({ outdir });
      const top = taskWith(new Stack(app, 'Api'), 'Task', 'vendor/api');
      const prod = new Stage(app, 'Prod');
      const svc = new Stack(prod, 'Svc');
      const worker = taskWith(svc, 'Task', 'vendor/worker');
      ImagePinning.exempt(top, { reason: 'vendor image, tracked in OPS-12', expires: '2999-01-01' });
      Validations.of(worker).acknowledge({ id: 'ImagePinning-ECS1[web]', reason: 'pinned upstream' });
      ImagePinning.enforce(app);
      const assembly = app.synth();
      const infos = (file: string) => {
        const metadata = JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8')) as Record<string, Array<{ type: string; data: unknown }>>;
        return Object.entries(metadata).flatMap(([where, entries]) => entries.filter((e) => e.type === 'aws:cdk:info').map((e) => [where, String(e.data)]));
      };
      expect(infos('Api.metadata.json')).toEqual([
        ['/Api/Task/web', expect.stringMatching(/^Exempted until 2999-01-01 by ImagePinning\.exempt on Api\/Task \(reason: vendor image, tracked in OPS-12\): \[ImagePinning-ECS1\] Container "web"/)],
      ]);
      expect(infos(path.join('assembly-Prod', `${svc.artifactId}.metadata.json`))).toEqual([
        ['/Prod/Svc/Task/web', expect.stringContaining('pinned upstream')],
      ]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
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

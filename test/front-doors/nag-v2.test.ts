import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { NagSuppressions } from 'cdk-nag-v2';
import { ImagePinningV2Checks } from '../fixtures/nag-v2-pack';
import { messagesOf } from '../support/annotations';

// The README documents how to use the rule from a cdk-nag 2 pack; this runs that code against the
// real cdk-nag 2 (installed as cdk-nag-v2 beside cdk-nag 3).
describe('the rule from a cdk-nag 2 pack', () => {
  function build(suppress: boolean) {
    const app = new App();
    const stack = new Stack(app, 'S');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
    task.addContainer('ok', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    if (suppress) {
      NagSuppressions.addResourceSuppressions(task, [{ id: 'ImagePinning-ECS1', reason: 'vendor image, replaced next sprint', appliesTo: ['web'] }], true);
    }
    Aspects.of(app).add(new ImagePinningV2Checks());
    return messagesOf(stack).filter((m) => m.text.includes('ImagePinning-ECS'));
  }

  test('reports ImagePinning-ECS1[web] as an error on the task definition resource', () => {
    expect(build(false)).toEqual([
      expect.objectContaining({ path: '/S/Task/Resource', level: 'error', text: expect.stringMatching(/^ImagePinning-ECS1\[web\]: \[ImagePinning-ECS1\] Container "web"/) }),
    ]);
  });

  test('a cdk-nag 2 suppression with appliesTo silences that finding', () => {
    expect(build(true)).toEqual([]);
  });

  test('the README shows this very pack', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const fixture = fs
      .readFileSync(path.join(__dirname, '..', 'fixtures', 'nag-v2-pack.ts'), 'utf8')
      .replace("from 'cdk-nag-v2'", "from 'cdk-nag'")
      .replace("from '../../src'", "from 'cdk-image-pinning'");
    expect(readme).toContain(fixture.trim());
  });
});

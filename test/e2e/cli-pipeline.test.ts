import { cdkSynth } from '../support/cdk-cli';

// A real CDK Pipelines app through the real aws-cdk CLI. CodePipeline.addStage synthesizes the
// Stage at once, so an Aspect added afterwards never runs on it: the guard must still report it.
describe('cdk synth of a CDK Pipelines app (end to end)', () => {
  test.each([
    ['enforce called before addStage', 'before'],
    ['enforce called after addStage', 'after'],
  ])('%s: the unpinned image in the Stage fails synthesis, named with its fix', (_title, order) => {
    const result = cdkSynth('test/fixtures/apps/pipeline-app.ts', { order });
    expect(result.status).toBe(1);
    expect(result.output).toContain('ImagePinning-Stages');
    expect(result.output).toContain('[ImagePinning-ECS1] Container "worker": image "busybox" has no tag');
    expect(result.output).toContain('Suggested fix: pin a version tag or a digest, e.g. "busybox:<version>"');
    expect(result.output).toMatch(/1 unpinned image\(s\) in stacks inside Stages[^\n]*\(Prod: checked in the synthesized templates[^\n]*: Prod\/Service\/Task\/worker ImagePinning-ECS1\[worker\]/);
    expect(result.output).not.toMatch(/ValidationFailedWithErrors|\n\s+at /);
  });

  test('with the Stage pinned, the pipeline synthesizes (exit 0) without findings', () => {
    const result = cdkSynth('test/fixtures/apps/pipeline-app.ts', { order: 'after', image: 'busybox:1.36.1' });
    expect(result.output).not.toContain('ImagePinning-');
    expect(result.status).toBe(0);
  });
});

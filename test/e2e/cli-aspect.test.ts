import { cdkSynth, occurrences } from '../support/cdk-cli';
import { block, expectReadmeLines } from '../support/readme-output';

// The real aws-cdk CLI, on the example app and on an app with a nested Stage.
describe('cdk synth with the Aspect (end to end)', () => {
  test('the unpinned example fails synthesis (exit 1), naming each unpinned container and the fix', () => {
    const result = cdkSynth('examples/app.ts');
    expect(result.status).toBe(1);
    expect(result.output).toContain('Synthesis finished with errors');
    for (const container of ['web', 'api', 'cache', 'log-router']) {
      expect(result.output).toMatch(new RegExp(`\\[ImagePinning-ECS1\\] Container "${container}": image .* Fix: `));
    }
    expect(result.output).toContain('ImagePinningExample/WebTask/web');
    // The README's "Use it" shows this output (`...` for the other containers' errors).
    expectReadmeLines(result.output, ['...', ...block('examples/app.ts:19:14').lines, '...']);
  });

  test('the pinned example synthesizes (exit 0) without findings', () => {
    const result = cdkSynth('examples/app.ts', { variant: 'pinned' });
    expect(result.output).not.toContain('ImagePinning-');
    expect(result.status).toBe(0);
  });

  test('a container inside a nested Stage fails synthesis too: plain synth names it, \'**\' shows it in full once', () => {
    const plain = cdkSynth('test/fixtures/apps/stage-app.ts');
    expect(plain.status).toBe(1);
    expect(plain.output).toContain('1 unpinned image(s) in stacks inside Stages');
    expect(plain.output).toContain('Prod/Service/Task/worker ImagePinning-ECS1[worker]');

    const all = cdkSynth('test/fixtures/apps/stage-app.ts', {}, { stacks: ['**'] });
    expect(all.status).toBe(1);
    expect(occurrences(all.output, '[ImagePinning-ECS1] Container "worker": image "busybox" has no tag')).toBe(1);
    expect(occurrences(all.output, 'Fix: pin a version tag or a digest, e.g. "busybox:<version>"')).toBe(1);
    expect(all.output).toContain('Rule Annotation::ImagePinning-ECS1[worker]');
    expect(cdkSynth('test/fixtures/apps/stage-app.ts', { image: 'busybox:1.36.1' }).status).toBe(0);
  });
});

import { cdkSynth } from '../support/cdk-cli';

// The real aws-cdk CLI with the cdk-nag pack and with the validation plugin registered.
describe.each([
  ['the cdk-nag pack', 'nag', 'ImagePinningChecks'],
  ['the validation plugin', 'validator', 'ImagePinningValidator'],
])('cdk synth with %s (end to end)', (_name, frontDoor, pluginName) => {
  test('plain cdk synth fails (exit 1), naming the container overridden inside a Stage', () => {
    const result = cdkSynth('test/fixtures/apps/front-door-app.ts', { frontDoor }, { quiet: false });
    expect(result.status).toBe(1);
    expect(result.output).toContain(`(${pluginName})`);
    expect(result.output).toContain('unpinned image(s) in stacks inside Stages');
    expect(result.output).toContain('Prod/Web/Task');
    expect(result.output).toContain('[ImagePinning-ECS1] Container "web": image "nginx:latest" uses the moving tag "latest"');
  });

  test('with the finding acknowledged, synthesis passes (exit 0)', () => {
    const result = cdkSynth('test/fixtures/apps/front-door-app.ts', { frontDoor, ack: 'true' }, { quiet: false });
    expect(result.output).not.toContain('Container "web": image');
    expect(result.status).toBe(0);
  });
});

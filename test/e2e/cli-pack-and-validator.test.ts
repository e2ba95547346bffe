import { cdkSynth, occurrences } from '../support/cdk-cli';

// The real aws-cdk CLI with the cdk-nag pack and with the validation plugin registered.
describe.each([
  ['the cdk-nag pack', 'nag', 'ImagePinningChecks'],
  ['the validation plugin', 'validator', 'ImagePinningValidator'],
])('cdk synth with %s (end to end)', (_name, frontDoor, pluginName) => {
  test('plain cdk synth fails (exit 1), naming the container overridden inside a Stage', () => {
    const result = cdkSynth('test/fixtures/apps/front-door-app.ts', { frontDoor }, { quiet: false });
    expect(result.status).toBe(1);
    expect(result.output).toContain(`(${pluginName})`);
    // Without a stack selection the CLI shows nothing of the Stage's stacks: one line names the finding.
    expect(result.output).toMatch(/1 unpinned image\(s\) in stacks inside Stages[^\n]*: Prod\/Web\/Task\/\S+ ImagePinning-ECS1\[web\]/);
  });

  test("cdk synth '**' shows the finding in full, once, with its fix once", () => {
    const result = cdkSynth('test/fixtures/apps/front-door-app.ts', { frontDoor }, { quiet: false, stacks: ['**'] });
    expect(result.status).toBe(1);
    expect(occurrences(result.output, '[ImagePinning-ECS1] Container "web": image "nginx:latest" uses the moving tag "latest"')).toBe(1);
    expect(occurrences(result.output, 'replace ":latest" with a version tag')).toBe(1);
  });

  test('with the finding acknowledged, synthesis passes (exit 0) and says what was waived', () => {
    const result = cdkSynth('test/fixtures/apps/front-door-app.ts', { frontDoor, ack: 'true' }, { quiet: false });
    expect(result.output).not.toMatch(/^ERROR/m);
    expect(result.output).toMatch(/^INFO 1 waived finding\(s\) \(exempted or acknowledged\) in stacks inside Stages[^\n]*: Prod\/Web\/Task\/\S+ ImagePinning-ECS1\[web\]/m);
    expect(result.status).toBe(0);
  });
});

import { cdkSynth, occurrences } from '../support/cdk-cli';
import { block } from '../support/readme-output';

// Waivers through the real aws-cdk CLI: an exempted and an acknowledged finding pass synthesis,
// and reviewers still see each one, once, in every front door, with and without a stack selection.
describe.each([
  ['the Aspect', 'aspect'],
  ['the cdk-nag pack', 'nag'],
  ['the validation plugin', 'validator'],
])('waivers with %s (end to end)', (_name, frontDoor) => {
  const EXEMPTED = 'INFO Exempted until 2999-01-01 by ImagePinning.exempt on Api/Task (reason: vendor image, tracked in OPS-12): [ImagePinning-ECS1] Container "api": image "vendor/api" has no tag';
  const ACKNOWLEDGED = 'INFO Acknowledged (reason: replaced next sprint): [ImagePinning-ECS1] Container "worker": image "busybox:latest" uses the moving tag "latest"';
  const INDEX = /^INFO 1 waived finding\(s\) \(exempted or acknowledged\) in stacks inside Stages[^\n]*shows each with its reason: Prod\/Service\/Task\/worker ImagePinning-ECS1\[worker\]/m;

  test('plain cdk synth passes (exit 0): the top-level waiver in full, the one inside a Stage named', () => {
    const result = cdkSynth('test/fixtures/apps/waiver-app.ts', { frontDoor }, { quiet: false });
    expect(result.output).not.toMatch(/^(ERROR|WARNING)/m);
    expect(occurrences(result.output, EXEMPTED)).toBe(1);
    expect(result.output).not.toContain(ACKNOWLEDGED);
    expect(result.output).toMatch(INDEX);
    expect(result.status).toBe(0);
    // The README ("Where reviewers see waivers") shows these two lines, the first up to its `...`,
    // as the Aspect prints them: each front door ends the line with its own name.
    const lines = result.output.split('\n');
    const shown = block(`${EXEMPTED}, ...`).lines[0].replace(/\.\.\.$/, '');
    expect(lines.filter((l) => l.startsWith(shown))).toHaveLength(1);
    const source = { aspect: 'ImagePinning', nag: 'ImagePinningChecks', validator: 'ImagePinningValidator' }[frontDoor];
    expect(lines).toContain(block('INFO 1 waived finding(s)', { prefix: true }).lines[0].replace(/\(ImagePinning\)$/, `(${source})`));
  });

  test("cdk synth '**' passes (exit 0) and shows each waiver in full, once", () => {
    const result = cdkSynth('test/fixtures/apps/waiver-app.ts', { frontDoor }, { quiet: false, stacks: ['**'] });
    expect(result.output).not.toMatch(/^(ERROR|WARNING)/m);
    expect(occurrences(result.output, EXEMPTED)).toBe(1);
    expect(occurrences(result.output, ACKNOWLEDGED)).toBe(1);
    expect(result.status).toBe(0);
  });

  test('the validation report file lists the waivers', () => {
    const result = cdkSynth('test/fixtures/apps/waiver-app.ts', { frontDoor }, { quiet: false });
    type Violation = { ruleName: string; severity: string; description: string };
    const violations: Violation[] = result.validationReport.pluginReports.flatMap((r: any) => r.violations);
    expect(violations.every((v) => v.severity === 'info')).toBe(true);
    const waived = violations.map((v) => v.ruleName);
    // The pack and the plugin list each waiver; the Aspect's are its info annotations in the cloud
    // assembly, and the report names those inside Stages, which cdk synth does not show.
    expect(waived).toEqual(frontDoor === 'aspect'
      ? ['ImagePinning-Stages']
      : ['ImagePinning-ECS1[api]', 'ImagePinning-ECS1[worker]', 'ImagePinning-Stages']);
    expect(violations.find((v) => v.ruleName === 'ImagePinning-Stages')?.description).toContain('Prod/Service/Task/worker ImagePinning-ECS1[worker]');
  });
});

describe('warnings through the real CLI', () => {
  test('a warning is offered for acknowledgement by its whole finding id, with nothing left over', () => {
    const result = cdkSynth('test/fixtures/apps/warning-app.ts');
    expect(result.status).toBe(0);
    expect(result.output).toContain('WARNING [ImagePinning-ECS2] Container "app": the tag or digest of image');
    expect(result.output).toContain("Acknowledge with 'Annotation::ImagePinning-ECS2[app]'");
    expect(result.output).not.toMatch(/ImagePinning-ECS2\[app'|\]\]/);
    // The location is the user's line that created the task definition, not this library's code.
    expect(result.output).toMatch(/^test\/fixtures\/apps\/warning-app\.ts:\d+:\d+$/m);
    expect(result.output).not.toContain('image-pinning-aspect');
  });

  test('Annotations.acknowledgeWarning(findingId) silences it', () => {
    const result = cdkSynth('test/fixtures/apps/warning-app.ts', { ack: 'true' });
    expect(result.status).toBe(0);
    expect(result.output).not.toContain('ImagePinning-ECS2');
  });
});

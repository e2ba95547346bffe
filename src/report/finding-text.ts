import { ImageFinding } from '../check/finding';
import { Exemption } from '../check/outcome';
import { Audience } from '../rules/audience';

/**
 * The wording of findings and of the guard's own messages, built from a finding's parts at the
 * edge. The verdict's sentences (what is wrong, how to fix it) are in policy/verdict-text.ts;
 * this file frames them. Nothing parses these strings back.
 */

/** `Container "web": image "nginx" has no tag, so ... starts.` */
export function statement(finding: ImageFinding): string {
  const locked = finding.locked ? ` (locked from "${finding.locked.from}"${finding.locked.lockFile ? ` in ${finding.locked.lockFile}` : ''})` : '';
  return `${finding.subject}${finding.when ? ` (when ${finding.when})` : ''}: ${finding.message}${locked}.`;
}

/**
 * The fix written for `audience` (the CDK front doors are read by CDK app authors, the default;
 * the scanner chooses by what it scanned), without its hint; undefined for a compliant image.
 */
export function fixFor(finding: ImageFinding, audience: Audience = 'cdk'): string | undefined {
  if (finding.fix === undefined) {
    return undefined;
  }
  return audience === 'cdk' ? finding.fix : finding.templateFix ?? finding.fix;
}

/** What is said after the fix, for `audience`: how aws-cdk-lib takes the tag, for CDK apps. */
export function hintFor(finding: ImageFinding, audience: Audience = 'cdk'): string | undefined {
  return finding.hint?.[audience];
}

/** `Fix: pin a version tag ... (hint).`, or undefined for a compliant image. */
export function fixSentence(finding: ImageFinding, audience: Audience = 'cdk'): string | undefined {
  const text = fixText(finding, audience);
  return text === undefined ? undefined : `Fix: ${text}.`;
}

/** The fix with its hint, without the `Fix:` label (for reports that have a fix field). */
export function fixText(finding: ImageFinding, audience: Audience = 'cdk'): string | undefined {
  const fix = fixFor(finding, audience);
  const hint = hintFor(finding, audience);
  return fix === undefined ? undefined : `${fix}${hint ? ` (${hint})` : ''}`;
}

/**
 * The one-line message of a finding: rule, subject, what is wrong, the fix, and a note when an
 * exemption that covered it has expired. `[ImagePinning-ECS1] Container "web": ... Fix: ... .`
 */
export function findingMessage(finding: ImageFinding, audience: Audience = 'cdk'): string {
  const fix = fixSentence(finding, audience);
  const text = `[${finding.ruleId}] ${statement(finding)}${fix ? ` ${fix}` : ''}`;
  const outcome = finding.outcome;
  const expired = outcome.kind === 'reported' || outcome.kind === 'acknowledged' ? outcome.expiredExemption : undefined;
  return expired ? `${text} ${expiredNote(expired)}` : text;
}

/**
 * The message shown for a finding where reviewers look (the Aspect's info annotations, the
 * plugin's report): what waived it, then the finding.
 */
export function waivedMessage(finding: ImageFinding): string | undefined {
  const outcome = finding.outcome;
  if (outcome.kind === 'exempted') {
    const e = outcome.exemption;
    const until = e.expires ? ` until ${e.expires}` : '';
    return `Exempted${until} by ImagePinning.exempt on ${e.scopePath} (reason: ${e.reason}): ${findingMessage(finding)}`;
  }
  if (outcome.kind === 'acknowledged') {
    return `Acknowledged (reason: ${outcome.reason}): ${findingMessage(finding)}`;
  }
  return undefined;
}

function expiredNote(exemption: Exemption): string {
  return `(The exemption on ${exemption.scopePath} expired on ${exemption.expires}; reason given: ${exemption.reason})`;
}

/** Said of a finding in a Stage the Aspect did not run on, checked from its synthesized templates. */
export function notVisitedStageNote(stagePath: string): string {
  return (
    `(Checked in the synthesized templates of the Stage ${stagePath}: it was synthesized before ImagePinning.enforce reached it, ` +
    'as CDK Pipelines\' addStage does, or created after enforce was called.)'
  );
}

/** Errors inside nested Stages, summed up where `cdk synth` without a selection shows them. */
export function nestedStagesSummary(lines: readonly string[], checkedFromTemplates: readonly string[] = []): { description: string; fix: string } {
  const checked = checkedFromTemplates.length > 0
    ? `\n(Checked in their synthesized templates, because they were synthesized before ImagePinning.enforce reached them or created after it: ${checkedFromTemplates.join(', ')}.)`
    : '';
  return {
    description:
      `${lines.length} unpinned image(s) in stacks inside Stages, which \`cdk synth\` without a stack selection does not show ` +
      `(\`cdk synth '**'\` shows them in full):\n${lines.map((e) => `  - ${e}`).join('\n')}${checked}`,
    fix: 'pin the images listed (see each finding), or acknowledge their findings',
  };
}

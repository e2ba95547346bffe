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

/** How a message is told: with its fix or not (default: with it), and for whom (default: CDK apps). */
export interface MessageOptions {
  readonly fix?: boolean;
  readonly audience?: Audience;
}

/**
 * The one-line message of a finding: rule, subject, what is wrong, the fix, and a note when an
 * exemption that covered it has expired. `[ImagePinning-ECS1] Container "web": ... Fix: ... .`
 */
export function findingMessage(finding: ImageFinding, options: MessageOptions = {}): string {
  // Reports with a field of their own for the fix (validation plugin reports) leave it out here.
  const fix = options.fix === false ? undefined : fixSentence(finding, options.audience);
  const text = `[${finding.ruleId}] ${statement(finding)}${fix ? ` ${fix}` : ''}`;
  const outcome = finding.outcome;
  const expired = outcome.kind === 'reported' || outcome.kind === 'acknowledged' ? outcome.expiredExemption : undefined;
  return expired ? `${text} ${expiredNote(expired)}` : text;
}

/** The fix of a waived finding, in validation reports: the message itself says how to pin the image. */
export const WAIVED_FIX = 'none needed while the waiver applies';

/**
 * The message shown for a finding where reviewers look (the Aspect's info annotations, the
 * plugin's report): what waived it, then the finding.
 */
export function waivedMessage(finding: ImageFinding, options: MessageOptions = {}): string | undefined {
  const outcome = finding.outcome;
  if (outcome.kind === 'exempted') {
    const e = outcome.exemption;
    const until = e.expires ? ` until ${e.expires}` : '';
    return `Exempted${until} by ImagePinning.exempt on ${e.scopePath} (reason: ${e.reason}): ${findingMessage(finding, options)}`;
  }
  if (outcome.kind === 'acknowledged') {
    return `Acknowledged (reason: ${outcome.reason}): ${findingMessage(finding, options)}`;
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

/** An error inside a nested Stage, for the summary: where, and which finding. */
export interface StageError {
  readonly where: string;
  readonly findingId: string;
}

/**
 * Errors inside nested Stages, summed up where `cdk synth` without a selection shows them: an
 * index (where, and the finding id), not the findings again, so that `cdk synth '**'`, which shows
 * each finding in full, does not show any twice.
 */
export function nestedStagesSummary(
  errors: readonly StageError[],
  checkedFromTemplates: readonly string[] = [],
): { description: string; fix: string } {
  const checked = checkedFromTemplates.length > 0
    ? ` (${checkedFromTemplates.join(', ')}: checked in the synthesized templates, because the Aspect could not run on them)`
    : '';
  return {
    description:
      `${errors.length} unpinned image(s) in stacks inside Stages, which \`cdk synth\` without a stack selection does not show; ` +
      `\`cdk synth '**'\` shows each with its fix${checked}: ${errors.map((e) => `${e.where} ${e.findingId}`).join(', ')}`,
    fix: 'pin the images listed (see each finding), or acknowledge their findings',
  };
}

/**
 * The one line that names the waived (exempted or acknowledged) findings in stacks inside Stages:
 * `cdk synth` without a stack selection shows none of them, `cdk synth '**'` shows each in full.
 */
export function nestedStagesWaiverSummary(waivers: readonly StageError[]): string {
  return `${waivers.length} waived finding(s) (exempted or acknowledged) in stacks inside Stages, ` +
    'which `cdk synth` without a stack selection does not show; ' +
    `\`cdk synth '**'\` shows each with its reason: ${waivers.map((e) => `${e.where} ${e.findingId}`).join(', ')}`;
}

import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CheckSettings } from '../check/check-settings';
import { checkTemplatesOnTree } from '../construct/check-templates';
import { nestedStagesViolation, nestedStagesWaiversViolation, unreadableTemplateViolation } from '../construct/stages';
import { findingMessage, fixText, notVisitedStageNote, StageError } from '../report/finding-text';
import { violationSeverity } from '../report/levels';

/** What the report needs from the Aspect that `ImagePinning.enforce` added. */
export interface StageReportSource {
  readonly settings: CheckSettings;
  /** Each error the Aspect reported inside a nested Stage. */
  nestedStageErrors(): StageError[];
  /** Each finding the Aspect reported as waived (exempted or acknowledged) inside a nested Stage. */
  nestedStageWaivers(): StageError[];
  /** Did the Aspect run on this Stage? */
  visited(stage: Stage): boolean;
  /** Every Stage nested under the report's scope, at any depth. */
  stages(): Stage[];
}

/**
 * The report `ImagePinning.enforce` adds, as a validation plugin, when there is something to say
 * about nested Stages (CDK Pipelines stages). aws-cdk-lib prints a plugin's report and fails
 * synthesis after writing the cloud assembly, so every other finding of the app is still shown;
 * a validation error, by contrast, would stop synthesis with a stack trace and hide them.
 *
 * - Errors the Aspect reported inside nested Stages, summed up in one violation that names no
 *   resource, which the aws-cdk CLI shows whatever stacks it selects (`cdk synth` without a
 *   selection does not select stacks in nested Stages, so it would not show their annotations).
 * - Stages the Aspect never ran on: a Stage synthesized before the Aspect reached it (CDK
 *   Pipelines' `addStage` synthesizes its Stage at once), or created after `enforce`. Aspects no
 *   longer run on a synthesized Stage, so its synthesized templates are checked instead, with
 *   the check the validation plugin uses; each finding is a violation of this report.
 */
export class StageReport implements IPolicyValidationPlugin {
  public readonly name = 'ImagePinning';

  constructor(private readonly scope: IConstruct, private readonly source: StageReportSource) {}

  /** Is there anything to report: errors inside nested Stages, or Stages the Aspect did not run on? */
  public needed(): boolean {
    return this.source.nestedStageErrors().length > 0 || this.source.nestedStageWaivers().length > 0 || this.notVisited().length > 0;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const nestedErrors = this.source.nestedStageErrors();
    const violations: PolicyViolation[] = [];
    const notVisited = this.notVisited();
    for (const stage of notVisited) {
      const assembly = stage.synth({ errorOnDuplicateSynth: false });
      const templates = assembly.stacks.map((s) => s.templateFullPath);
      const checked = checkTemplatesOnTree(templates, this.source.settings, context.appConstruct ?? this.scope.node.root);
      violations.push(...checked.problems.map(unreadableTemplateViolation));
      for (const { found, finding, where } of checked.findings) {
        const severity = violationSeverity(finding.outcome);
        if (severity === undefined) continue;
        if (severity === 'error') nestedErrors.push({ where, findingId: finding.findingId });
        violations.push({
          ruleName: finding.findingId,
          description: `${findingMessage(finding, { fix: false })} ${notVisitedStageNote(stage.node.path)}`,
          fix: fixText(finding),
          severity,
          violatingResources: [{ resourceLogicalId: found.logicalId, templatePath: found.templatePath, locations: [`Properties/${finding.found.propertyPath.replace(/\./g, '/')}`] }],
        });
      }
    }
    const summary = nestedStagesViolation(nestedErrors, notVisited.map((s) => s.node.path));
    if (summary) violations.push(summary);
    const waivers = nestedStagesWaiversViolation(this.source.nestedStageWaivers());
    if (waivers) violations.push(waivers);
    return { success: violations.every((v) => v.severity !== 'error'), violations };
  }

  private notVisited(): Stage[] {
    return this.source.stages().filter((stage) => !this.source.visited(stage));
  }
}

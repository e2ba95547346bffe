import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation } from 'aws-cdk-lib';
import { TemplateFinding } from '../assembly/check-template';
import { compileOptions, ImagePinningOptions } from '../check/check-settings';
import { ImageFinding } from '../check/finding';
import { checkTemplatesOnTree } from '../construct/check-templates';
import { settingsFor } from '../construct/options-context';
import { nestedStagesViolation, nestedStagesWaiversViolation, unreadableTemplateViolation } from '../construct/stages';
import { findingMessage, fixText, StageError, WAIVED_FIX, waivedMessage } from '../report/finding-text';
import { violationSeverity } from '../report/levels';
import { ruleDescription } from '../rules/rule-descriptions';
import { allRuleIds } from '../rules/rule-ids';

/**
 * A post-synthesis validation plugin that checks the final templates for unpinned images.
 *
 * It reads every synthesized template (those of nested Stages and nested stacks included), so it
 * sees what the templates really hold: escape-hatch overrides, raw L1 resources, included
 * templates. Register it on the App:
 *
 *   Validations.of(app).addPlugins(new ImagePinningValidator());
 *
 * Unpinned images are `error` violations, which fail synthesis; unresolved images follow
 * `unresolvedImages` (warnings by default). Exemptions (`ImagePinning.exempt`) and
 * acknowledgements (`Validations.of(scope).acknowledge({ id: 'ImagePinning-ECS1[web]', reason })`)
 * apply as they do for the Aspect. The plugin only reads the cloud assembly.
 */
export class ImagePinningValidator implements IPolicyValidationPlugin {
  /**
   * The plugin's name in the validation report.
   */
  public readonly name: string = 'ImagePinningValidator';

  /**
   * The rules this plugin evaluates.
   */
  public readonly ruleIds?: string[] = allRuleIds();

  private readonly options: ImagePinningOptions;

  /**
   * @param options policy options; they override those of the policy file the CDK context key
   * `cdk-image-pinning:policyFile` names, if it names one (read when the plugin runs)
   * @throws Error naming the option, when an option is invalid
   */
  constructor(options: ImagePinningOptions = {}) {
    compileOptions(options); // check the options now, not after synthesis
    this.options = options;
  }

  /**
   * Checks the synthesized templates. Called by aws-cdk-lib after synthesis.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const settings = settingsFor(context.appConstruct, this.options);
    const violations = new Map<string, { finding: ImageFinding; severity: 'error' | 'warning'; resources: PolicyViolatingResource[]; paths: string[] }>();
    const nestedErrors: StageError[] = [];
    const nestedWaivers: StageError[] = [];
    const info: PolicyViolation[] = [];

    const checked = checkTemplatesOnTree(context.templatePaths, settings, context.appConstruct);
    for (const { found, finding, where, inNestedStage } of checked.findings) {
      const outcome = finding.outcome;
      if (outcome.kind === 'exempted' || outcome.kind === 'acknowledged') {
        // Shown by cdk synth as one INFO line each, and kept in validation-report.json: reviewers see every waiver.
        info.push(waivedViolation(finding, found, where));
        if (inNestedStage) nestedWaivers.push({ where, findingId: finding.findingId });
      }
      const severity = violationSeverity(outcome);
      if (severity === undefined) {
        continue;
      }
      // The fix has a field of its own in the report: the description leaves it out, so it is printed once.
      const message = findingMessage(finding, { fix: false });
      if (severity === 'error' && inNestedStage) {
        nestedErrors.push({ where, findingId: finding.findingId });
      }
      // One violation per finding id and message; the same container unpinned the same way in
      // several resources is one violation with several resources.
      const key = `${finding.findingId}\u0000${message}`;
      let entry = violations.get(key);
      if (!entry) {
        entry = { finding, severity, resources: [], paths: [] };
        violations.set(key, entry);
      }
      entry.paths.push(where);
      entry.resources.push({
        resourceLogicalId: found.logicalId,
        templatePath: found.templatePath,
        locations: [`Properties/${finding.found.propertyPath.replace(/\./g, '/')}`],
      });
    }

    const all: PolicyViolation[] = [...violations.values()].map(({ finding, severity, resources, paths }) => ({
      ruleName: finding.findingId,
      description: findingMessage(finding, { fix: false }),
      fix: fixText(finding),
      severity,
      violatingResources: resources,
      ruleMetadata: { rule: finding.ruleId, ruleDescription: ruleDescription(finding.ruleId), constructPath: paths.join(', ') },
    }));
    all.push(...info);
    // A template that cannot be read is an error, never "no images".
    for (const problem of checked.problems) {
      all.push(unreadableTemplateViolation(problem));
    }
    const summary = nestedStagesViolation(nestedErrors);
    if (summary) {
      all.push(summary);
    }
    const waivers = nestedStagesWaiversViolation(nestedWaivers);
    if (waivers) {
      all.push(waivers);
    }
    return { success: all.every((v) => v.severity !== 'error'), violations: all };
  }
}

/**
 * An exempted or acknowledged finding, as an `info` violation: it does not fail synthesis. The
 * aws-cdk CLI prints only the description of an info violation, so it keeps the fix, for whoever
 * lifts the waiver, as the pack's and the Aspect's messages do.
 */
function waivedViolation(finding: ImageFinding, found: TemplateFinding, where: string): PolicyViolation {
  return {
    ruleName: finding.findingId,
    description: waivedMessage(finding)!,
    fix: WAIVED_FIX,
    severity: 'info',
    violatingResources: [{ resourceLogicalId: found.logicalId, templatePath: found.templatePath, locations: [`Properties/${finding.found.propertyPath.replace(/\./g, '/')}`] }],
    ruleMetadata: { rule: finding.ruleId, constructPath: where },
  };
}

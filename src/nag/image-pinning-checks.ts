import { CfnResource, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import type { NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { loadCdkNag, NagPackBase } from './cdk-nag-loader';
import { CheckSettings, ImagePinningOptions } from '../check/check-settings';
import { ImageFinding } from '../check/finding';
import { checkConstruct } from '../construct/check-construct';
import { settingsFor } from '../construct/options-context';
import { placeFinding } from '../construct/place-finding';
import { inSettledPass } from '../construct/settled-tree';
import { inNestedStage, nestedStagesViolation, nestedStagesWaiversViolation } from '../construct/stages';
import { findingMessage, WAIVED_FIX, waivedMessage } from '../report/finding-text';
import { nagLevel } from '../report/levels';
import { RULE_EXPLANATION } from '../rules/rule-descriptions';
import { allRuleIds, NAG_PACK_NAME, nagRuleSuffix } from '../rules/rule-ids';

/**
 * Options of the cdk-nag rule pack.
 */
export interface ImagePinningChecksProps extends NagPackProps, ImagePinningOptions {}

/**
 * The image pinning check as a cdk-nag 3 rule pack.
 *
 *   Validations.of(app).addPlugins(new ImagePinningChecks(app));
 *
 * Each container gives one finding, e.g. `ImagePinning-ECS1[web]` (not pinned, ERROR) or
 * `ImagePinning-ECS2[web]` (unresolved; WARN by default, ERROR with
 * `unresolvedImages: UnresolvedImageAction.ERROR`, none with `IGNORE`). cdk-nag fails synthesis on
 * any finding, warnings included; acknowledge one with
 * `Validations.of(scope).acknowledge({ id: 'ImagePinning-ECS1[web]', reason })`.
 *
 * Needs cdk-nag 3, an optional peer dependency loaded when the first pack is constructed (the
 * constructor throws an error saying what to install when it is missing).
 */
// NagPackBase is cdk-nag's NagPack, loaded lazily: see cdk-nag-loader.ts for why jsii still sees NagPack.
export class ImagePinningChecks extends NagPackBase {
  /**
   * The pack's name in the validation report.
   */
  public readonly name: string = 'ImagePinningChecks';

  /**
   * The rules this pack evaluates.
   */
  public readonly ruleIds?: string[] = allRuleIds();

  private readonly settings: CheckSettings;
  /** The exempted and acknowledged findings of the current run. */
  private waived: Array<{ readonly finding: ImageFinding; readonly target: IConstruct }> = [];

  /**
   * @param scope the construct tree the pack belongs to (usually the App)
   * @param props pack and policy options; policy options override those of the policy file the
   * CDK context key `cdk-image-pinning:policyFile` names, if it names one
   * @throws Error naming the option, when an option is invalid
   */
  constructor(scope?: IConstruct, props: ImagePinningChecksProps = {}) {
    super(scope, props);
    // cdk-nag prefixes every rule id with the pack name: ImagePinning-ECS1.
    this.packName = NAG_PACK_NAME;
    this.settings = settingsFor(scope, props);
  }

  /**
   * Runs the pack over a construct tree (cdk-nag's `validate` calls this with the App).
   *
   * Adds to cdk-nag's report one violation that names no resource and sums up the errors in
   * stacks inside Stages, which `cdk synth` does not show otherwise.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.waived = [];
    // Validation plugins run after synthesis: the tree is settled (construct/settled-tree.ts).
    const report = inSettledPass(() => super.validateScope(scope));
    const errors = report.violations.filter((v) => v.severity === 'error');
    // One walk of the tree, and only when there are errors to place.
    const byPath = errors.length > 0 ? new Map(scope.node.findAll().map((c) => [c.node.path, c])) : new Map<string, IConstruct>();
    const nested = errors.flatMap((v) =>
      v.violatingResources
        .filter((r) => {
          const construct = r.constructPath === undefined ? undefined : byPath.get(r.constructPath);
          return construct !== undefined && inNestedStage(construct);
        })
        .map((r) => ({ where: r.constructPath!, findingId: v.ruleName })),
    );
    const summary = nestedStagesViolation(nested);
    // Exempted and acknowledged findings: one INFO line each in cdk synth's output, and in validation-report.json.
    const info = this.waived.map(({ finding, target }): PolicyViolation => ({
      ruleName: finding.findingId,
      description: waivedMessage(finding)!,
      fix: WAIVED_FIX,
      severity: 'info',
      violatingResources: [{ constructPath: target.node.path, locations: [] }],
    }));
    const waivers = nestedStagesWaiversViolation(
      this.waived
        .filter(({ target }) => inNestedStage(target))
        .map(({ finding, target }) => ({ where: target.node.path, findingId: finding.findingId })),
    );
    const violations = [...report.violations, ...info, ...(summary ? [summary] : []), ...(waivers ? [waivers] : [])];
    return { ...report, success: report.success && !summary, violations };
  }

  /**
   * Applies the shared check to one resource; cdk-nag calls it for every CfnResource.
   */
  protected checkResource(node: CfnResource): void {
    for (const checked of checkConstruct(node, this.settings)) {
      if (checked.outcome.kind === 'compliant' || checked.outcome.kind === 'ignored') {
        continue;
      }
      const { finding, target } = placeFinding(node, checked, this.settings);
      const level = nagLevel(finding.outcome);
      if (level === undefined) {
        this.waived.push({ finding, target }); // exempted or acknowledged: reported as info by validateScope
        continue;
      }
      // One rule application per finding, so each finding keeps its own message.
      const { NagMessageLevel } = loadCdkNag();
      this.applyRule({
        ruleSuffixOverride: nagRuleSuffix(finding.ruleId),
        info: findingMessage(finding),
        explanation: RULE_EXPLANATION,
        level: NagMessageLevel[level],
        node,
        rule: () => [finding.label],
      });
    }
  }
}

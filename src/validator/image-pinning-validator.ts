import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation } from 'aws-cdk-lib';
import { ConstructIndex } from '../cdk/construct-index';
import { inNestedStage, nestedStageSummary } from '../cdk/nested-stage-summary';
import { policyPropsFor } from '../cdk/policy-context';
import { resolveFinding } from '../cdk/resolved-finding';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { FindingSeverity } from '../policy/image-verdict';
import { ImagePinningPolicyProps } from '../policy/policy-options';
import { allRuleIds, ruleDescription } from '../sources/rules';
import { assemblyIndex, checkTemplate, loadTemplateTree } from '../templates/cloud-template';

/** Templates of nested Stages live in `assembly-<stage>` directories of the cloud assembly. */
const NESTED_ASSEMBLY = /[\\/]assembly-[^\\/]+[\\/][^\\/]+$/;

/**
 * Options of the image pinning validation plugin.
 */
export interface ImagePinningValidatorProps extends ImagePinningPolicyProps {}

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

  private readonly props: ImagePinningValidatorProps;

  /**
   * @param props policy options; they override those of the policy file the CDK context key
   * `cdk-image-pinning:policyFile` names, if it names one (read when the plugin runs)
   * @throws Error naming the option, when an option is invalid
   */
  constructor(props: ImagePinningValidatorProps = {}) {
    new ImagePinningPolicy(props); // check the options now, not after synthesis
    this.props = props;
  }

  /**
   * Checks the synthesized templates. Called by aws-cdk-lib after synthesis.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const policy = new ImagePinningPolicy(policyPropsFor(context.appConstruct, this.props));
    const index = context.appConstruct ? new ConstructIndex(context.appConstruct) : undefined;
    const violations = new Map<string, { violation: PolicyViolation; ruleId: string; resources: PolicyViolatingResource[]; paths: string[] }>();
    const exempted: string[] = [];
    const nestedErrors: string[] = [];
    const acknowledged: string[] = [];

    const loaded = context.templatePaths.flatMap((templatePath) => loadTemplateTree(templatePath));
    const assembly = assemblyIndex(loaded.map((l) => l.template));
    for (const { template, templatePath } of loaded) {
      for (const found of checkTemplate(template, templatePath, policy, assembly)) {
        const resource = index?.resource(found.templatePath, found.logicalId, found.constructPath);
        const resolved = resource ? resolveFinding(resource, found.finding) : undefined;
        const severity = resolved ? resolved.severity : found.finding.verdict.severity;
        const where = resolved ? resolved.target.node.path : found.constructPath ?? `${found.templatePath}#${found.logicalId}`;
        if (resolved?.exemptedMessage) exempted.push(`${where}: ${resolved.exemptedMessage}`);
        if (resolved?.acknowledgedReason !== undefined) acknowledged.push(`${where}: ${found.finding.findingId} (${resolved.acknowledgedReason})`);
        if (severity === FindingSeverity.NONE) {
          continue;
        }
        const message = resolved ? resolved.message : found.finding.message;
        if (severity === FindingSeverity.ERROR && (resource ? inNestedStage(resource) : NESTED_ASSEMBLY.test(found.templatePath))) {
          nestedErrors.push(`${where}: ${message}`);
        }
        const key = `${found.finding.findingId}\u0000${message}`;
        // One violation per finding id and message; the same container unpinned the same way in
        // several resources is one violation with several resources.
        let entry = violations.get(key);
        if (!entry) {
          entry = {
            violation: {
              ruleName: found.finding.findingId,
              description: message,
              fix: found.finding.verdict.fix,
              severity: severity === FindingSeverity.ERROR ? 'error' : 'warning',
              violatingResources: [],
            },
            ruleId: found.finding.ruleId,
            resources: [],
            paths: [],
          };
          violations.set(key, entry);
        }
        entry.paths.push(where);
        entry.resources.push({
          resourceLogicalId: found.logicalId,
          templatePath: found.templatePath,
          locations: [`Properties/${found.finding.image.propertyPath.replace(/\./g, '/')}`],
        });
      }
    }

    const summary = nestedStageSummary(nestedErrors);
    const all: PolicyViolation[] = [...violations.values()].map(({ violation, ruleId, resources, paths }) => ({
      ...violation,
      violatingResources: resources,
      ruleMetadata: { rule: ruleId, ruleDescription: ruleDescription(ruleId), constructPath: paths.join(', ') },
    }));
    if (summary) {
      all.push(summary);
    }
    const metadata: Record<string, string> = {};
    if (exempted.length > 0) metadata.exempted = exempted.join('\n');
    if (acknowledged.length > 0) metadata.acknowledged = acknowledged.join('\n');
    return {
      success: all.every((v) => v.severity !== 'error'),
      violations: all,
      metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    };
  }
}

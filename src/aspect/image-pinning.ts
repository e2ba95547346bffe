import { App, AspectPriority, Aspects, CfnResource, Stage } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { IConstruct } from 'constructs';
import { ImagePinningAspect, ImagePinningAspectProps } from './image-pinning-aspect';
import { checkConstruct } from '../cdk/check-construct';
import { ImagePinningFinding } from '../cdk/image-pinning-finding';
import { policyPropsFor } from '../cdk/policy-context';
import { resolveFinding } from '../cdk/resolved-finding';
import { RULE_ID_PREFIX } from '../check/rule-ids';
import { addExemption, ImagePinningExemptionProps } from '../exemptions/exemption';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';

/**
 * Options of `ImagePinning.enforce`.
 */
export interface ImagePinningProps extends ImagePinningAspectProps {}

/**
 * The one-line entry point: `ImagePinning.enforce(app)`.
 */
export class ImagePinning {
  /**
   * Makes synthesis fail for every container image under `scope` that is not pinned.
   *
   * Adds an {@link ImagePinningAspect} with `AspectPriority.READONLY`, so it runs after
   * aspects that add sidecars or rewrite images. Aspects do not cross Stage boundaries, so the
   * Aspect is also added to every `Stage` nested under `scope` (CDK Pipelines stages) that exists
   * now. A Stage created after this call cannot be covered: synthesis then fails with a message
   * naming it, so call `enforce` after creating your stages, or call it on the new Stage.
   *
   * @param scope usually the App; any construct works
   * @param props policy options; they override those of the policy file the CDK context key
   * `cdk-image-pinning:policyFile` names, if it names one
   * @returns the Aspect that was added
   */
  public static enforce(scope: IConstruct, props: ImagePinningProps = {}): ImagePinningAspect {
    const aspect = new ImagePinningAspect(policyPropsFor(scope, props));
    for (const target of [scope, ...nestedStages(scope)]) {
      Aspects.of(target).add(aspect, { priority: AspectPriority.READONLY });
    }
    scope.node.addValidation({
      validate: () => {
        const stages = nestedStages(scope);
        // A nested Stage enforced on its own is a nested assembly itself.
        const assemblies = Stage.isStage(scope) && !App.isApp(scope) ? [scope, ...stages] : stages;
        return [...uncoveredStages(scope, stages), ...errorsInNestedAssemblies(assemblies)];
      },
    });
    return aspect;
  }

  /**
   * Exempts every image under `scope` from pinning, for a stated reason and optionally until a
   * date. Findings under the scope become info annotations that name the exemption; once the
   * exemption expires they are errors again and say that it expired.
   *
   * @throws Error when the reason is empty or `expires` is not a `YYYY-MM-DD` date
   */
  public static exempt(scope: IConstruct, props: ImagePinningExemptionProps): void {
    addExemption(scope, props);
  }

  /**
   * The check, on one resource: a finding for every image it runs, with the severity to report
   * it at after exemptions and acknowledgements. For tools that want the check without the
   * Aspect, such as a cdk-nag 2 rule pack (see the README).
   *
   * @param resource any L1 resource; resources that run no images give no findings
   * @param policy the policy to apply; a policy with default options when omitted
   */
  public static check(resource: CfnResource, policy?: ImagePinningPolicy): ImagePinningFinding[] {
    return checkConstruct(resource, policy ?? new ImagePinningPolicy()).map((finding) => {
      const resolved = resolveFinding(resource, finding);
      return {
        ruleId: finding.ruleId,
        findingId: finding.findingId,
        label: finding.label,
        propertyPath: finding.image.propertyPath,
        severity: resolved.severity,
        message: resolved.message,
        constructPath: resolved.target.node.path,
        verdict: finding.verdict,
        exemptedMessage: resolved.exemptedMessage,
        acknowledgedReason: resolved.acknowledgedReason,
      };
    });
  }

  private constructor() {}
}

/** A message for each Stage created after `enforce` was called, which no Aspect can reach any more. */
function uncoveredStages(scope: IConstruct, stages: Stage[]): string[] {
  return stages
    .filter((stage) => !Aspects.of(stage).all.some((a) => a instanceof ImagePinningAspect))
    .map(
      (stage) =>
        `ImagePinning: the Stage ${stage.node.path} was created after ImagePinning.enforce(${scope.node.path || 'app'}) ` +
        'and its container images were not checked. Call ImagePinning.enforce after creating all stages, ' +
        `or call ImagePinning.enforce(stage) on ${stage.node.path}.`,
    );
}

/**
 * The CLI fails `cdk synth` on error annotations of the stacks it selects, and by default it
 * selects only the App's own stacks, not those in nested Stages (CDK Pipelines stages). Our
 * errors inside Stages are therefore repeated as validation errors, which fail synthesis
 * whatever is selected.
 */
function errorsInNestedAssemblies(stages: Stage[]): string[] {
  // The outermost nested Stages: findAll on each covers the Stages inside it.
  const outermost = stages.filter((stage) => !stages.includes(Stage.of(stage) as Stage));
  return outermost
    .flatMap((stage) => stage.node.findAll())
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === cxschema.ArtifactMetadataEntryType.ERROR && String(m.data).includes(`[${RULE_ID_PREFIX}`))
        .map((m) => `${c.node.path}: ${String(m.data)}`),
    );
}

/** Every Stage under `scope`, at any depth (not `scope` itself). */
function nestedStages(scope: IConstruct): Stage[] {
  return scope.node.findAll().filter((c): c is Stage => c !== scope && Stage.isStage(c));
}

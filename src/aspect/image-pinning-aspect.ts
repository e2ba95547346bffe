import { Annotations, CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkConstruct } from '../cdk/check-construct';
import { resolveFinding, ResolvedFinding } from '../cdk/resolved-finding';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { FindingSeverity } from '../policy/image-verdict';
import { ImagePinningPolicyProps } from '../policy/policy-options';

/**
 * Options of the image pinning Aspect.
 */
export interface ImagePinningAspectProps extends ImagePinningPolicyProps {}

/**
 * Adds an error annotation, during synthesis, for every container image that is not pinned.
 *
 * It visits every resource that runs images (ECS task definitions, whether written as L2
 * constructs, created by ecs-patterns, or written as L1 `CfnTaskDefinition`), renders it as the
 * template will show it, and reports each container that fails the policy: on the
 * `ContainerDefinition` where there is one, else on the L1 resource. Unresolved images are
 * warnings by default. Exemptions (`ImagePinning.exempt`) turn findings into info annotations.
 *
 * Prefer `ImagePinning.enforce(app)`, which adds this Aspect with the right priority and covers
 * nested Stages.
 */
export class ImagePinningAspect implements IAspect {
  /**
   * The policy this Aspect applies.
   */
  public readonly policy: ImagePinningPolicy;

  /**
   * @throws Error naming the option, when an option is invalid
   */
  constructor(props: ImagePinningAspectProps = {}) {
    this.policy = new ImagePinningPolicy(props);
  }

  /**
   * Checks one construct; does nothing unless it is a resource that runs images.
   */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    for (const finding of checkConstruct(node, this.policy)) {
      // Most images are compliant: nothing to place on the tree, nothing to report.
      if (finding.verdict.severity !== FindingSeverity.NONE) {
        report(resolveFinding(node, finding));
      }
    }
  }
}

/**
 * Annotations are deduplicated by message on each construct, so a container is reported once
 * however often synthesis runs.
 */
function report(resolved: ResolvedFinding): void {
  const annotations = Annotations.of(resolved.target);
  if (resolved.exemptedMessage) {
    annotations.addInfo(resolved.exemptedMessage);
  } else if (resolved.acknowledgedReason !== undefined) {
    annotations.addInfo(`Acknowledged (reason: ${resolved.acknowledgedReason}): ${resolved.message}`);
  } else if (resolved.severity === FindingSeverity.ERROR) {
    annotations.addError(resolved.message);
  } else if (resolved.severity === FindingSeverity.WARNING) {
    annotations.addWarningV2(resolved.finding.findingId, resolved.message);
  }
}

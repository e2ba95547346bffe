import { Annotations, CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkConstruct } from '../cdk/check-construct';
import { reportTarget } from '../cdk/report-target';
import { ImageFinding, reportable } from '../check/check-resource';
import { exemptedMessage, exemptionOutcome, expiredMessage } from '../exemptions/exemption';
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
    for (const finding of reportable(checkConstruct(node, this.policy))) {
      report(reportTarget(node, finding), finding);
    }
  }
}

/**
 * Annotations are deduplicated by message on each construct, so a container is reported once
 * however often synthesis runs.
 */
function report(target: IConstruct, finding: ImageFinding): void {
  const annotations = Annotations.of(target);
  const outcome = exemptionOutcome(target);
  if (outcome.kind === 'exempted') {
    annotations.addInfo(exemptedMessage(finding.message, outcome.exemption));
    return;
  }
  const message = outcome.kind === 'expired' ? expiredMessage(finding.message, outcome.exemption) : finding.message;
  if (finding.verdict.severity === FindingSeverity.ERROR) {
    annotations.addError(message);
  } else {
    annotations.addWarningV2(finding.findingId, message);
  }
}

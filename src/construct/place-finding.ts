import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgementFor } from './acknowledgement';
import { exemptionFor } from './exemption';
import { reportTarget } from './report-target';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';
import { decideOutcome } from '../check/outcome';

/** A finding placed on the construct tree, its outcome decided with what applies there. */
export interface PlacedFinding {
  /** The finding, with the outcome after exemptions and acknowledgements. */
  readonly finding: ImageFinding;
  /** The construct reported on: the ContainerDefinition where there is one, else the L2 or the L1 resource. */
  readonly target: IConstruct;
}

/**
 * Where a finding is reported, and its outcome there. Every front door with a construct tree
 * (the Aspect, the cdk-nag pack, the validation plugin, `ImagePinning.check`) comes here.
 */
export function placeFinding(resource: CfnResource, finding: ImageFinding, settings: CheckSettings): PlacedFinding {
  const target = reportTarget(resource, finding);
  if (finding.outcome.kind === 'compliant' || finding.outcome.kind === 'ignored') {
    return { finding, target };
  }
  const outcome = decideOutcome(finding.verdict, settings.actions, {
    exemption: exemptionFor(target),
    acknowledgedReason: acknowledgementFor(target, finding.findingId),
  });
  return { finding: outcome === finding.outcome ? finding : { ...finding, outcome }, target };
}

import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { reportTarget } from './report-target';
import { ImageFinding } from '../check/check-resource';
import { Exemption, exemptedMessage, exemptionOutcome, expiredMessage } from '../exemptions/exemption';
import { FindingSeverity } from '../policy/image-verdict';

/**
 * A finding placed on the construct tree: where it is reported, whether an exemption or an
 * acknowledgement covers it, and the message to show. Every front door with a construct tree
 * (the Aspect, the cdk-nag pack, the validation plugin) decides through this one function.
 */
export interface ResolvedFinding {
  readonly finding: ImageFinding;
  /** The construct reported on: the ContainerDefinition where there is one, else the L1 resource. */
  readonly target: IConstruct;
  /** How to report it; NONE when compliant, ignored, exempted or acknowledged. */
  readonly severity: FindingSeverity;
  /** The message to report: the finding's, with a note when its exemption expired. */
  readonly message: string;
  /** The exemption in force, if one covers the finding. */
  readonly exemption?: Exemption;
  /** The info message that shows reviewers an exemption in use. */
  readonly exemptedMessage?: string;
  /** The reason given, when the finding id was acknowledged with `Validations.of(scope).acknowledge`. */
  readonly acknowledgedReason?: string;
}

export function resolveFinding(resource: CfnResource, finding: ImageFinding): ResolvedFinding {
  const target = reportTarget(resource, finding);
  if (finding.verdict.severity === FindingSeverity.NONE) {
    return { finding, target, severity: FindingSeverity.NONE, message: finding.message };
  }
  const outcome = exemptionOutcome(target);
  if (outcome.kind === 'exempted') {
    return {
      finding,
      target,
      severity: FindingSeverity.NONE,
      message: finding.message,
      exemption: outcome.exemption,
      exemptedMessage: exemptedMessage(finding.message, outcome.exemption),
    };
  }
  const message = outcome.kind === 'expired' ? expiredMessage(finding.message, outcome.exemption) : finding.message;
  const acknowledgedReason = acknowledgement(target, finding.findingId);
  if (acknowledgedReason !== undefined) {
    return { finding, target, severity: FindingSeverity.NONE, message, acknowledgedReason };
  }
  return { finding, target, severity: finding.verdict.severity, message };
}

/**
 * `Validations.of(scope).acknowledge({ id, reason })` on the construct or an ancestor: the
 * acknowledgement cdk-nag 3 honours, read the same way here so one acknowledgement serves every
 * front door. aws-cdk-lib records it as metadata, its id qualified as `annotation::<id>`
 * (`Annotation::` from 2.262.1).
 */
function acknowledgement(construct: IConstruct, findingId: string): string | undefined {
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') {
        continue;
      }
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        if (id.replace(/^annotation::/i, '') === findingId) {
          return String(reason);
        }
      }
    }
  }
  return undefined;
}

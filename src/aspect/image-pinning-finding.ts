import { PlacedFinding } from '../construct/place-finding';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { findingMessage, fixText } from '../report/finding-text';
import { violationSeverity } from '../report/levels';

/**
 * What becomes of a finding.
 */
export enum FindingOutcome {
  /** The image is pinned, or allowed. Nothing to report. */
  COMPLIANT = 'COMPLIANT',
  /** Not pinned, but the policy says not to report it (`unresolvedImages: IGNORE`). */
  IGNORED = 'IGNORED',
  /** Reported, at `severity`. */
  REPORTED = 'REPORTED',
  /** Covered by an exemption in force (`ImagePinning.exempt`); shown to reviewers, not reported. */
  EXEMPTED = 'EXEMPTED',
  /** Its finding id was acknowledged (`Validations.of(scope).acknowledge`); shown to reviewers, not reported. */
  ACKNOWLEDGED = 'ACKNOWLEDGED',
}

/**
 * How a finding is reported.
 */
export enum FindingSeverity {
  /** Fails synthesis. */
  ERROR = 'ERROR',
  /** Shown, does not fail synthesis (except where a front door treats every finding as a failure). */
  WARNING = 'WARNING',
  /** Not reported: the outcome is not `REPORTED`. */
  NONE = 'NONE',
}

/**
 * The check's result for one image of one resource, as `ImagePinning.check` returns it.
 */
export interface ImagePinningFinding {
  /**
   * The rule: `ImagePinning-ECS1` (not pinned) or `ImagePinning-ECS2` (unresolved at synth time).
   */
  readonly ruleId: string;

  /**
   * The rule and the container: `ImagePinning-ECS1[web]`. Acknowledgements use it.
   */
  readonly findingId: string;

  /**
   * The container's name, or the property path when it has no literal name.
   */
  readonly label: string;

  /**
   * What the image belongs to, for messages: `Container "web"`, `Function (Code.ImageUri)`.
   */
  readonly subject: string;

  /**
   * Where the image is in the resource's properties, e.g. `ContainerDefinitions.0.Image`.
   */
  readonly propertyPath: string;

  /**
   * The construct the finding belongs to: the ContainerDefinition where there is one, else the resource (or its L2).
   */
  readonly constructPath: string;

  /**
   * The image as written, parts only known at deploy time shown readably.
   */
  readonly image: string;

  /**
   * Why the image is or is not pinned.
   */
  readonly reason: PinningReason;

  /**
   * What becomes of the finding, after exemptions and acknowledgements.
   */
  readonly outcome: FindingOutcome;

  /**
   * How the finding is reported: ERROR or WARNING when the outcome is `REPORTED`, else NONE.
   */
  readonly severity: FindingSeverity;

  /**
   * The message to report: rule, container, image, why, and fix.
   */
  readonly message: string;

  /**
   * How to pin the image, with a hint on the aws-cdk-lib API where it helps.
   *
   * @default - none: the image is compliant
   */
  readonly fix?: string;

  /**
   * The policy's verdict on the image, with its parsed parts (registry, repository, tag, digest).
   */
  readonly verdict: ImageVerdict;

  /**
   * The reason of the exemption, when the outcome is `EXEMPTED`, or of the acknowledgement, when it is `ACKNOWLEDGED`.
   *
   * @default - neither exempted nor acknowledged
   */
  readonly waiverReason?: string;
}

const OUTCOMES = {
  compliant: FindingOutcome.COMPLIANT,
  ignored: FindingOutcome.IGNORED,
  reported: FindingOutcome.REPORTED,
  exempted: FindingOutcome.EXEMPTED,
  acknowledged: FindingOutcome.ACKNOWLEDGED,
} as const;

/** The public shape of a placed finding. */
export function publicFinding({ finding, target }: PlacedFinding): ImagePinningFinding {
  const outcome = finding.outcome;
  const severity = violationSeverity(outcome);
  return {
    ruleId: finding.ruleId,
    findingId: finding.findingId,
    label: finding.label,
    subject: finding.subject,
    propertyPath: finding.found.propertyPath,
    constructPath: target.node.path,
    image: finding.image,
    reason: finding.reason,
    outcome: OUTCOMES[outcome.kind],
    severity: severity === 'error' ? FindingSeverity.ERROR : severity === 'warning' ? FindingSeverity.WARNING : FindingSeverity.NONE,
    message: findingMessage(finding),
    fix: fixText(finding),
    verdict: finding.verdict,
    waiverReason: outcome.kind === 'exempted' ? outcome.exemption.reason : outcome.kind === 'acknowledged' ? outcome.reason : undefined,
  };
}

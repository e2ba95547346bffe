import { ImageVerdict, FindingSeverity } from '../policy/image-verdict';

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
   * Where the image is in the resource's properties, e.g. `ContainerDefinitions.0.Image`.
   */
  readonly propertyPath: string;

  /**
   * How to report the finding, after exemptions and acknowledgements: NONE when the image is
   * compliant, ignored, exempted or acknowledged.
   */
  readonly severity: FindingSeverity;

  /**
   * The message to report: rule, container, image, why, and fix.
   */
  readonly message: string;

  /**
   * The construct path the finding belongs to: the ContainerDefinition where there is one, else the resource.
   */
  readonly constructPath: string;

  /**
   * The policy's verdict on the image.
   */
  readonly verdict: ImageVerdict;

  /**
   * The message that shows an exemption in use, when `ImagePinning.exempt` covers the image.
   *
   * @default - not exempted
   */
  readonly exemptedMessage?: string;

  /**
   * The reason given, when the finding id was acknowledged with `Validations.of(scope).acknowledge`.
   *
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

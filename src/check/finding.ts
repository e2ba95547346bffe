import { LockedImage } from './lock-check';
import { Outcome } from './outcome';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { AudienceText } from '../rules/audience';
import { FoundImage } from '../rules/image-sources';
import { ImageValue } from '../value/image-value';

/**
 * The check's result for one image of one resource: structured parts, never one sentence.
 * Formatters at the edge (annotations, nag violations, plugin reports, the CLI's table, JSON and
 * SARIF) build their text from the parts; nothing reads a message back.
 */
export interface ImageFinding {
  /** `ImagePinning-ECS1` (not pinned) or `ImagePinning-ECS2` (unresolved at synth time). */
  readonly ruleId: string;
  /** The rule id and the label: `ImagePinning-ECS1[web]`. Acknowledgements use it. */
  readonly findingId: string;
  /** The container's name, or the property path when it has no literal name. */
  readonly label: string;
  /** What the image belongs to: `Container "web"`, `Function (Code.ImageUri)`. */
  readonly subject: string;
  /** The image as written, unknown parts shown readably. */
  readonly image: string;
  readonly reason: PinningReason;
  /** What is wrong, or why the image passes, in one sentence (no final period). */
  readonly message: string;
  /** How to pin the image, in a CDK app; undefined when it is compliant. */
  readonly fix?: string;
  /** How to pin the image in a template or a task definition file, when that differs from `fix`. */
  readonly templateFix?: string;
  /** Said after the fix, for each audience that needs it: how aws-cdk-lib takes a tag for this kind of resource. */
  readonly hint?: AudienceText;
  /** What must hold for the resource to run this image: `condition IsProd is true`; undefined when it always does. */
  readonly when?: string;
  /** When synthesis pins the image to its locked digest (or did): what it was written as, and what it becomes. */
  readonly locked?: LockedImage;
  /** The image value judged: one of the values the property can take, literal and unknown parts. */
  readonly value: ImageValue;
  /** The policy's verdict, with the parsed parts of the image. */
  readonly verdict: ImageVerdict;
  /** Where the image was found (resource type, property path). */
  readonly found: FoundImage;
  readonly outcome: Outcome;
}

import { immutableTagsBecause } from './immutability';
import { RULE_ID_PREFIX } from './rule-ids';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { imageSourceFor } from '../sources/catalog';
import { FoundImage, findImages, PropertyReader, TEMPLATE_READER } from '../sources/image-sources';
import { evaluateIntrinsic, TemplateContext } from '../template/intrinsics';


/** The verdict on one image of one resource, with everything a front door needs to report it. */
export interface ImageFinding {
  readonly image: FoundImage;
  /** The container's name, or the property path when it has no literal name. */
  readonly label: string;
  readonly verdict: ImageVerdict;
  /** `ImagePinning-ECS1` (not pinned) or `ImagePinning-ECS2` (unresolved at synth time). */
  readonly ruleId: string;
  /** The rule id and the label: `ImagePinning-ECS1[web]`. Acknowledgements and exemptions use it. */
  readonly findingId: string;
  /** One message naming the rule, the container, the image, why, and the fix. */
  readonly message: string;
}

/**
 * The one check every front door calls: finds the images of a resource through the sources
 * table, reads each value's intrinsics, and judges it with the policy. Returns a finding for
 * every image, compliant or not; `finding.verdict.severity` says whether to report it.
 */
export function checkResource(
  resourceType: string,
  properties: unknown,
  context: TemplateContext,
  policy: ImagePinningPolicy,
  reader: PropertyReader = TEMPLATE_READER,
): ImageFinding[] {
  const source = imageSourceFor(resourceType);
  if (!source || !policy._checksResourceType(resourceType)) {
    return [];
  }
  return findImages(source, properties, reader, context).map((image) => {
    const template = image.template ?? evaluateIntrinsic(image.value, context);
    const verdict = policy._evaluateTemplate(template, {
      immutableTagsBecause: immutableTagsBecause(template, context),
      versionedPattern: image.versionedPattern,
    });
    const name = image.labelValue === undefined ? undefined : evaluateIntrinsic(image.labelValue, context).literalText;
    const label = name || image.propertyPath;
    const ruleId = `${RULE_ID_PREFIX}${source.rulePrefix}${verdict.reason === PinningReason.UNRESOLVED ? 2 : 1}`;
    return {
      image,
      label,
      verdict,
      ruleId,
      findingId: `${ruleId}[${label}]`,
      // Most images are compliant and never reported: write the sentence only when it is read.
      get message() {
        return findingMessage(ruleId, image, name ? `"${name}"` : `(${image.propertyPath})`, verdict);
      },
    };
  });
}

function findingMessage(ruleId: string, image: FoundImage, label: string, verdict: ImageVerdict): string {
  const subject = `${image.subject} ${label}`;
  if (verdict.compliant) {
    return `[${ruleId}] ${subject}: ${verdict.message}.`;
  }
  const hint =
    image.source.ecrHint && isEcr(verdict) && (verdict.reason === PinningReason.NO_TAG || verdict.reason === PinningReason.MOVING_TAG)
      ? ` (${image.source.ecrHint})`
      : '';
  return `[${ruleId}] ${subject}: ${verdict.message}. Fix: ${verdict.fix}${hint}.`;
}

function isEcr(verdict: ImageVerdict): boolean {
  return /\.dkr\.ecr\./.test(verdict.name ?? verdict.image);
}

import { isStackAssetImage } from './asset-image';
import { CheckSettings } from './check-settings';
import { ImageFinding } from './finding';
import { immutableTagsBecause } from './immutability';
import { LockedImage, lockStateOf, notLockedVerdict, pinnedToLock } from './lock-check';
import { decideOutcome } from './outcome';
import { evaluateAlternatives, evaluateIntrinsic } from '../cfn/intrinsics';
import { TemplateContext } from '../cfn/template-context';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { AudienceText } from '../rules/audience';
import { FoundImage, findImages, PropertyReader, TEMPLATE_READER } from '../rules/image-sources';
import { findingIdOf, ruleIdOf, ruleKindOf } from '../rules/rule-ids';
import { ImageValue } from '../value/image-value';

/** ECR registry hosts, for the hint on how aws-cdk-lib takes an ECR image's tag. */
const ECR_HOST = /\.dkr\.ecr\./;

/**
 * The one check every front door calls: finds the images of a resource through the sources
 * table, reads each value's intrinsics, and judges it with the policy. Returns a finding for
 * every image, compliant or not, with the outcome the policy gives it; front doors that know
 * of exemptions and acknowledgements decide the outcome again with them (see outcome.ts).
 */
export function checkResource(
  resourceType: string,
  properties: unknown,
  context: TemplateContext,
  settings: CheckSettings,
  reader: PropertyReader = TEMPLATE_READER,
  lockUse: LockUse = {},
): ImageFinding[] {
  const source = settings.coverage.sourceFor(resourceType);
  if (!source) {
    return [];
  }
  return findImages(source, properties, reader, context).flatMap((found) => {
    // Each value the image can take is judged: the branches of an Fn::If, the values of a mapping.
    const alternatives = found.value ? [{ value: found.value, when: [] }] : evaluateAlternatives(found.raw, context);
    return alternatives.flatMap(({ value, when }) => {
      const allWhen = [...found.when, ...when];
      const locked = lockedImageOf(found, value, allWhen, properties, reader, context, settings, lockUse);
      if (locked) {
        return [judge(found, ImageValue.literal(locked.to), allWhen, context, settings, locked)];
      }
      const finding = judge(found, value, allWhen, context, settings);
      const state = lockStateOf(value, settings.lock);
      // An image the lock does not hold: its own finding, beside the verdict on the image.
      const unlocked = state && !state.entry && finding.verdict.digest === undefined && finding.reason !== PinningReason.ASSET;
      if (unlocked && !lockUse.rewritten?.[found.propertyPath]) {
        return [finding, judge(found, value, allWhen, context, settings, undefined, notLockedVerdict(value, settings.lock!.file))];
      }
      return [finding];
    });
  });
}

/** How the caller uses the lock file, beyond reporting images it does not hold. */
export interface LockUse {
  /**
   * The caller synthesizes locked images pinned to their digests (`ImagePinning.enforce`): judge
   * each as it will be synthesized, and say how, in `finding.locked`.
   */
  readonly rewrite?: boolean;
  /** Images synthesis already pinned (resource metadata `cdk-image-pinning:locked`): property path to the image as written. */
  readonly rewritten?: Readonly<Record<string, string>>;
}

/** The metadata key, on a resource, of the images synthesis pinned to the lock: property path to the image as written. */
export const LOCKED_METADATA = 'cdk-image-pinning:locked';

/**
 * The locked image, when the caller rewrites (a literal image, always taken, at a property that
 * holds it as a plain string: not a branch of an `Fn::If`), or when synthesis already did.
 */
function lockedImageOf(
  found: FoundImage,
  value: ImageValue,
  when: readonly string[],
  properties: unknown,
  reader: PropertyReader,
  context: TemplateContext,
  settings: CheckSettings,
  lockUse: LockUse,
): LockedImage | undefined {
  const from = lockUse.rewritten?.[found.propertyPath];
  if (from !== undefined && value.literalText !== undefined) {
    return { from, to: value.literalText, lockFile: settings.lock?.file ?? '' };
  }
  if (!lockUse.rewrite || when.length > 0 || !found.rewriteAt) {
    return undefined;
  }
  const state = lockStateOf(value, settings.lock);
  if (!state?.entry || isStackAssetImage(value, context)) {
    return undefined;
  }
  const platform = found.source.lockPlatform?.(properties, reader);
  return { from: value.literalText!, to: pinnedToLock(value.literalText!, state.entry, platform), lockFile: settings.lock!.file };
}

function judge(
  found: FoundImage,
  value: ImageValue,
  when: readonly string[],
  context: TemplateContext,
  settings: CheckSettings,
  locked?: LockedImage,
  given?: ImageVerdict,
): ImageFinding {
  const verdict = given ?? verdictOn(value, found, context, settings);
  const name = found.labelValue === undefined ? undefined : evaluateIntrinsic(found.labelValue, context).literalText;
  const label = name || found.propertyPath;
  const ruleId = ruleIdOf(found.source.ruleGroup, ruleKindOf(verdict.reason));
  return {
    ruleId,
    findingId: findingIdOf(ruleId, label),
    label,
    subject: `${found.subject} ${name ? `"${name}"` : `(${found.propertyPath})`}`,
    image: verdict.image,
    reason: verdict.reason,
    message: verdict.message,
    fix: verdict.fix,
    templateFix: verdict.templateFix,
    hint: ecrHint(found, verdict),
    when: when.length > 0 ? when.join(' and ') : undefined,
    locked,
    value,
    verdict,
    found,
    outcome: decideOutcome(verdict, settings.actions),
  };
}

/** The policy's verdict, with what the template says about the image; remembered for literal images that nothing else is known about. */
function verdictOn(value: ImageValue, found: FoundImage, context: TemplateContext, settings: CheckSettings): ImageVerdict {
  const circumstances = {
    immutableTagsBecause: immutableTagsBecause(value, context),
    versionedPattern: found.versionedPattern,
    stackAssetImage: isStackAssetImage(value, context),
  };
  const literal = value.literalText;
  if (literal === undefined || circumstances.immutableTagsBecause || circumstances.versionedPattern || circumstances.stackAssetImage) {
    return settings.policy._evaluateValue(value, circumstances);
  }
  let verdict = settings.literalVerdicts.get(literal);
  if (!verdict) {
    verdict = settings.policy._evaluateValue(value, circumstances);
    if (settings.literalVerdicts.size < MAX_REMEMBERED) settings.literalVerdicts.set(literal, verdict);
  }
  return verdict;
}

/** Enough for the distinct images of any app; a bound all the same, for a stream of generated inputs (the CLI). */
const MAX_REMEMBERED = 50_000;

/** aws-cdk-lib's ECR image helpers default the tag to `latest`: say so where that is the cause (the sources table has the words per audience). */
function ecrHint(found: FoundImage, verdict: ImageVerdict): AudienceText | undefined {
  const hint = found.source.ecrHint;
  if (!hint || (verdict.reason !== PinningReason.NO_TAG && verdict.reason !== PinningReason.MOVING_TAG)) {
    return undefined;
  }
  return ECR_HOST.test(verdict.name ?? verdict.image) ? hint : undefined;
}

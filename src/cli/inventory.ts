import { ScannedImage } from './scan';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { violationSeverity } from '../report/levels';
import { Audience } from '../rules/audience';

/** How an image stands, in one word. */
export type ImageStatus = 'pinned' | 'asset' | 'allowed' | 'unpinned' | 'invalid' | 'unresolved';

/** Reasons the scanner knows; a reason added to the library later falls back on `compliant`. */
const STATUS: Partial<Record<PinningReason, ImageStatus>> = {
  [PinningReason.PINNED_TAG]: 'pinned',
  [PinningReason.PINNED_DIGEST]: 'pinned',
  [PinningReason.IMMUTABLE_TAG]: 'pinned',
  [PinningReason.ASSET]: 'asset',
  [PinningReason.ALLOWED]: 'allowed',
  [PinningReason.NO_TAG]: 'unpinned',
  [PinningReason.MOVING_TAG]: 'unpinned',
  [PinningReason.FLOATING_TAG]: 'unpinned',
  [PinningReason.NO_DIGEST]: 'unpinned',
  [PinningReason.INVALID_REFERENCE]: 'invalid',
  [PinningReason.UNRESOLVED]: 'unresolved',
};

export function imageStatus(verdict: ImageVerdict): ImageStatus {
  return STATUS[verdict.reason] ?? (verdict.compliant ? 'pinned' : 'unpinned');
}

/** The parts of an image reference; each undefined when not known at synth time (or absent). */
export interface ImageParts {
  readonly registry?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Registry, repository, tag and digest, as far as the policy could tell them. */
export function imageParts(verdict: ImageVerdict): ImageParts {
  return { registry: verdict.registry, repository: verdict.repository, tag: verdict.tag, digest: verdict.digest };
}

/** Where an image is used: the fields every report shares. */
export interface ImageLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly stack?: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly container: string;
  readonly propertyPath: string;
  readonly constructPath?: string;
}

export function imageLocation(image: ScannedImage): ImageLocation {
  return {
    file: image.file,
    line: image.position?.startLine,
    column: image.position?.startColumn,
    stack: image.stack,
    resource: image.resource,
    resourceType: image.resourceType,
    container: image.container,
    propertyPath: image.propertyPath,
    constructPath: image.constructPath,
  };
}

/** One row of the inventory: an image and where it is used. */
export interface InventoryEntry extends ImageParts, ImageLocation {
  readonly status: ImageStatus;
  /** The verdict's reason code, e.g. `MOVING_TAG`. */
  readonly reason: PinningReason;
  /** The image as written, unknown parts shown readably (`app:<param:Tag>`). */
  readonly image: string;
}

export function inventoryEntry(image: ScannedImage): InventoryEntry {
  const verdict = image.finding.verdict;
  return {
    status: imageStatus(verdict),
    reason: verdict.reason,
    image: verdict.image,
    ...imageParts(verdict),
    ...imageLocation(image),
  };
}

/**
 * Who reads the fix of an image: the author of a CDK app for a cloud assembly's templates (and a
 * template aws-cdk-lib synthesized, which names its constructs), else the author of the
 * CloudFormation template or of the task definition file.
 */
export function audienceOf(image: ScannedImage): Audience {
  if (image.fileKind === 'task-definition') {
    return 'taskDefinition';
  }
  return image.stack !== undefined || image.unlistedIn !== undefined || image.constructPath !== undefined ? 'cdk' : 'cloudformation';
}

/**
 * The findings every report lists (errors and warnings), in input order, each once: values that
 * one place of a file holds alike (two equal pods of one Kubernetes manifest, which is one
 * string) are one finding with the first value's property path, not lines that say the same.
 */
export function reportedFindings(images: readonly ScannedImage[]): ScannedImage[] {
  const seen = new Set<string>();
  const findings: ScannedImage[] = [];
  for (const image of images) {
    if (violationSeverity(image.finding.outcome) === undefined) continue;
    const { finding } = image;
    const p = image.position;
    const key = [image.file, image.resource, p ? `${p.startLine}:${p.startColumn}` : image.propertyPath, finding.ruleId, finding.findingId, finding.image, finding.when ?? '', finding.reason].join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(image);
  }
  return findings;
}

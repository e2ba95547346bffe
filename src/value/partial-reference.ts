import { ImageValue } from './image-value';
import { DOCKER_HUB } from '../reference/docker-hub';
import { formatReferenceError, ImageReference } from '../reference/image-reference';
import { scanImageReference, ScannedReference } from '../reference/scanner';

/**
 * Reading an image reference out of an {@link ImageValue} whose parts may be unknown.
 *
 * The literal skeleton (unknown parts replaced by a placeholder) is scanned with the reference
 * grammar; indexes in the skeleton are then mapped back to the text the user sees, so the parts
 * of the name are shown as written, unknown parts included (`<account>.dkr.ecr.<region>.<urlsuffix>/app`).
 * The policy decides with these parts; this module only does the index arithmetic.
 */

/** The parts of an image's reference, as far as they are known at synth time. */
export interface ReferenceParts {
  /** The image as displayed, unknown parts shown readably. */
  readonly image: string;
  /**
   * The name as written (for fixes), e.g. `nginx`; undefined when part of the image is unknown.
   */
  readonly writtenName?: string;
  /**
   * The name to match `allowedImages` against: normalized (`docker.io/library/nginx`) when the
   * name is literal, as displayed otherwise.
   */
  readonly name: string;
  /** The repository path as displayed (no `library/` added), for asset detection. */
  readonly writtenPath: string;
  /** The registry: normalized when the name is literal, as displayed when partly known. */
  readonly registry?: string;
  /** The repository: normalized when the name is literal, as displayed when partly known. */
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  /** The parsed reference: the whole image when it is literal; the name only, when only the name is. */
  readonly reference?: ImageReference;
}

export type ReadReference =
  | { readonly ok: true; readonly parts: ReferenceParts }
  /** `message`: the grammar's error, positioned in the displayed text. */
  | { readonly ok: false; readonly message: string };

/** The parts of an image whose name, tag and digest separators are literal. */
export function readReference(value: ImageValue): ReadReference {
  const image = value.toString();
  const skeleton = value.skeleton();
  const scan = scanImageReference(skeleton.text);
  if (!scan.ok) {
    return { ok: false, message: formatReferenceError(image, { ...scan.error, index: skeleton.toDisplayIndex(scan.error.index) }) };
  }
  const name = nameParts(value, scan.reference, skeleton);
  return {
    ok: true,
    parts: {
      ...name,
      writtenName: value.isLiteral ? name.writtenName : undefined,
      tag: scan.reference.tag,
      digest: scan.reference.digest,
      reference: value.isLiteral ? name.reference : undefined,
    },
  };
}

/**
 * The name of an image whose tag or digest is unknown (`nginx:${Tag}`,
 * `<account>.dkr.ecr.<region>.<urlsuffix>/base:${Tag}`), so allowedImages can still apply.
 * Undefined when no literal `:` or `@` separates a name from the unknown part.
 */
export function nameBeforeUnknownTag(value: ImageValue): ReferenceParts | undefined {
  const skeleton = value.skeleton();
  // Placeholders hold no ':', '/' or '@', so the separators found here are literal.
  const at = skeleton.text.indexOf('@');
  const colon = skeleton.text.lastIndexOf(':');
  const separator = at !== -1 ? at : colon > skeleton.text.lastIndexOf('/') ? colon : -1;
  if (separator <= 0) {
    return undefined;
  }
  const scan = scanImageReference(skeleton.text.slice(0, separator));
  return scan.ok ? nameParts(value, scan.reference, skeleton) : undefined;
}

type Skeleton = ReturnType<ImageValue['skeleton']>;

/** The name's parts: normalized when the name is literal, as displayed otherwise. */
function nameParts(value: ImageValue, scanned: ScannedReference, skeleton: Skeleton): ReferenceParts {
  const image = value.toString();
  const toDisplay = skeleton.toDisplayIndex;
  const pathStart = scanned.domain === undefined ? 0 : scanned.domain.length + 1;
  const writtenPath = image.slice(toDisplay(pathStart), toDisplay(scanned.nameEnd));
  const writtenName = image.slice(0, toDisplay(scanned.nameEnd));
  if (value.literalPrefix.length >= scanned.nameEnd) {
    const reference = ImageReference._fromScanned(scanned);
    return { image, name: reference.name, writtenName, writtenPath, registry: reference.registry, repository: reference.repository, reference };
  }
  // Without a registry host, the name is on Docker Hub only if its first component is literal:
  // an unknown part there may itself hold a host.
  const firstSlash = skeleton.text.indexOf('/');
  const onHub = scanned.domain === undefined && firstSlash !== -1 && firstSlash < scanned.nameEnd && value.literalPrefix.length > firstSlash;
  return {
    image,
    name: writtenName,
    writtenName,
    writtenPath,
    registry: scanned.domain !== undefined ? image.slice(0, toDisplay(scanned.domain.length)) : onHub ? DOCKER_HUB : undefined,
    repository: scanned.domain !== undefined || onHub ? writtenPath : undefined,
  };
}

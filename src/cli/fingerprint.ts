import { createHash } from 'crypto';
import * as path from 'path';
import { ScannedImage } from './scan';

/**
 * A SARIF result's `partialFingerprints`: what code scanning matches a result by from one run to
 * the next, so that an alert stays one alert while the file around it changes.
 *
 * `cdkImagePinning/v1` is the SHA-256 (first 32 hex digits) of, joined by NUL:
 *
 *   1. the rule id                        ImagePinning-ECS1
 *   2. where the resource is              the construct path aws-cdk-lib recorded (Web/Task/Resource);
 *                                         else the stack, or the file, with the nested stack's logical
 *                                         id and the resource's logical id (templates/service.json/Api);
 *                                         for a task definition file, the file and its family (without
 *                                         the revision, which each registration changes)
 *   3. the container's label              web (or the property path of an unnamed image)
 *   4. the image's name                   docker.io/library/nginx: normalized, without tag or digest,
 *                                         so that changing the tag keeps the alert; as written (with
 *                                         its unknown parts) when it cannot be normalized; for an
 *                                         image not even that far known, the property path
 *   5. the condition it runs under        condition IsProd is false (empty when always)
 *
 * No line, column or message is part of it: inserting lines above a resource, or rewording a
 * message in a release, keeps every fingerprint. Two results of one run that would still share
 * one (two values at one place) get `:2`, `:3`, ... in the order reported.
 */
export const FINGERPRINT_KEY = 'cdkImagePinning/v1';

export function fingerprintParts(image: ScannedImage): string[] {
  const { finding } = image;
  return [finding.ruleId, resourceKey(image), finding.label, finding.verdict.name ?? image.propertyPath, finding.when ?? ''];
}

/** Fingerprints for results in report order, each distinct. */
export function fingerprints(images: readonly ScannedImage[]): string[] {
  return distinctFingerprints(images.map(fingerprintParts));
}

/**
 * The hash of each result's parts (see above), in report order; results of one run that share one
 * get `:2`, `:3`, ... in that order. Shared by every SARIF report (scan, verify's inputs, audit).
 */
export function distinctFingerprints(parts: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Map<string, number>();
  return parts.map((p) => {
    const hash = createHash('sha256').update(p.join('\u0000')).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return n === 1 ? hash : `${hash}:${n}`;
  });
}

/** Files as reports show them (relative to the working directory, the `%SRCROOT%`), with `/` on every system. */
function resourceKey(image: ScannedImage): string {
  if (image.constructPath !== undefined) {
    return image.constructPath;
  }
  const file = image.file.split(path.sep).join('/');
  if (image.fileKind === 'task-definition') {
    return `${file}/${image.resource.replace(/:\d+$/, '')}`;
  }
  return [image.stack ?? file, ...(image.stackTemplate?.nestedStacks ?? []), image.resource].join('/');
}

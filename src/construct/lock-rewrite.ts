import { CfnResource, Stack } from 'aws-cdk-lib';
import { LOCKED_METADATA } from '../check/check-resource';
import { ImageFinding } from '../check/finding';

/**
 * Synthesizes locked images pinned to their digests: the property that holds each image is
 * overridden with `name@digest` (`addPropertyOverride`, so L2 and L1 resources alike), and the
 * image as written is kept in the resource's metadata (`cdk-image-pinning:locked`: property path
 * to image), so reviewers, `verify` and `lock --check` still read `nginx:1.27.3`. An image inside a
 * Kubernetes manifest is replaced in the manifest's JSON. Idempotent: writing the same images
 * again changes nothing, and the same lock gives the same template.
 */
export function writeLockedImages(resource: CfnResource, findings: readonly ImageFinding[]): void {
  const locked = findings.filter((f) => f.locked && f.found.rewriteAt && f.locked.from !== f.locked.to);
  if (locked.length === 0) {
    return;
  }
  const recorded = { ...(resource.getMetadata(LOCKED_METADATA) as Record<string, string> | undefined) };
  const documents = new Map<string, unknown>();
  for (const finding of locked) {
    const at = finding.found.rewriteAt!;
    if (at.within === undefined) {
      resource.addPropertyOverride(at.property, finding.locked!.to);
    } else {
      let document = documents.get(at.property);
      if (document === undefined) {
        document = JSON.parse(renderedProperty(resource, at.property) as string);
        documents.set(at.property, document);
      }
      setAt(document, at.within, finding.locked!.to);
    }
    recorded[finding.found.propertyPath] = finding.locked!.from;
  }
  for (const [property, document] of documents) {
    resource.addPropertyOverride(property, JSON.stringify(document));
  }
  resource.addMetadata(LOCKED_METADATA, Object.fromEntries(Object.keys(recorded).sort().map((k) => [k, recorded[k]])));
}

/** A property as the template will have it (the manifest, a JSON string). */
function renderedProperty(resource: CfnResource, property: string): unknown {
  const rendered = Stack.of(resource).resolve((resource as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as {
    Resources: Record<string, { Properties?: Record<string, unknown> }>;
  };
  const [body] = Object.values(rendered.Resources);
  return body.Properties?.[property];
}

function setAt(document: unknown, path: ReadonlyArray<string | number>, value: string): void {
  let current = document as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) {
    current = current[typeof step === 'string' && /^\d+$/.test(step) ? Number(step) : step] as Record<string | number, unknown>;
  }
  current[path[path.length - 1]] = value;
}

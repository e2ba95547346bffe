import { CfnResource } from 'aws-cdk-lib';
import { readResource } from './resource-reader';
import { checkResource, LOCKED_METADATA, LockUse } from '../check/check-resource';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';

/**
 * The shared check, for front doors that walk the construct tree (the Aspect, the cdk-nag
 * pack): every image of one L1 resource, judged. Never throws.
 */
export function checkConstruct(resource: CfnResource, settings: CheckSettings, options: { readonly rewriteLocked?: boolean } = {}): ImageFinding[] {
  const type = resourceType(resource);
  const source = settings.coverage.sourceFor(type);
  if (!source) {
    return [];
  }
  const lockUse: LockUse = {
    rewrite: options.rewriteLocked === true && settings.lock !== undefined,
    // Images synthesis already pinned to the lock, as recorded on the resource (see lock-rewrite.ts).
    rewritten: resource.getMetadata(LOCKED_METADATA) as Record<string, string> | undefined,
  };
  const check = (exact: boolean) => {
    const read = readResource(resource, exact);
    return read ? checkResource(type, read.properties, read.context, settings, read.reader, lockUse) : [];
  };
  try {
    const findings = check(source.readExactly === true);
    // Tokens expanding into tokens past the reader's limit: aws-cdk-lib renders them, so read the rendering.
    if (source.readExactly !== true && findings.some(passedALimit)) {
      return check(true);
    }
    return findings;
  } catch {
    // A token the fast path could not read: read the resource exactly as the template will have it.
    try {
      return check(true);
    } catch {
      return [];
    }
  }
}

/**
 * The type the template will give the resource: `addOverride('Type', ...)` replaces the L1's own.
 * (A resource with overrides is read from its rendering, which has the overridden properties too.)
 */
export function resourceType(resource: CfnResource): string {
  const overridden = (resource as unknown as { rawOverrides?: { Type?: unknown } }).rawOverrides?.Type;
  return typeof overridden === 'string' ? overridden : resource.cfnResourceType;
}

function passedALimit(finding: ImageFinding): boolean {
  return finding.value.unknowns.some((u) => u.unknown.kind === 'limit');
}

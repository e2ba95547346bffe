import { CfnResource } from 'aws-cdk-lib';
import { readResource } from './resource-reader';
import { checkResource, ImageFinding } from '../check/check-resource';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { imageSourceFor } from '../sources/catalog';

/**
 * The shared check, for front doors that walk the construct tree (the Aspect, the cdk-nag
 * pack): every image of one L1 resource, judged. Never throws.
 */
export function checkConstruct(resource: CfnResource, policy: ImagePinningPolicy): ImageFinding[] {
  const source = imageSourceFor(resource.cfnResourceType);
  if (!source || !policy._checksResourceType(resource.cfnResourceType)) {
    return [];
  }
  const check = (exact: boolean) => {
    const read = readResource(resource, exact);
    return read ? checkResource(resource.cfnResourceType, read.properties, read.context, policy, read.reader) : [];
  };
  try {
    return check(source.readExactly === true);
  } catch {
    // A token the fast path could not read: read the resource exactly as the template will have it.
    try {
      return check(true);
    } catch {
      return [];
    }
  }
}

import { CfnResource } from 'aws-cdk-lib';
import { ContainerDefinition } from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { ImageFinding } from '../check/check-resource';

/**
 * The construct a finding is reported on: the L2 construct that holds the image where one
 * exists (an ECS ContainerDefinition), so the error points at the line the user wrote;
 * otherwise the L1 resource itself.
 */
export function reportTarget(resource: CfnResource, finding: ImageFinding): IConstruct {
  const owner = resource.node.scope;
  if (!owner || owner.node.defaultChild !== resource) {
    return resource;
  }
  const container = owner.node.children.find((c) => c instanceof ContainerDefinition && c.containerName === finding.label);
  return container ?? resource;
}

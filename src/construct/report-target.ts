import { CfnResource, Stack } from 'aws-cdk-lib';
import { EcsJobDefinition, EksJobDefinition, MultiNodeJobDefinition } from 'aws-cdk-lib/aws-batch';
import { TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { ImageFinding } from '../check/finding';

/**
 * The construct a finding is reported on, so the error points at the line the user wrote:
 * - an ECS container: its `ContainerDefinition` (wherever it was created), else the L1 task definition;
 * - a Batch job container: the job definition's container definition construct;
 * - otherwise the L2 construct the resource belongs to (a `DockerImageFunction`, a CodeBuild
 *   `Project`, a `KubernetesManifest`), else the L1 resource itself.
 */
export function reportTarget(resource: CfnResource, finding: ImageFinding): IConstruct {
  const owner = ownerOf(resource);
  if (owner instanceof TaskDefinition) {
    // Through the task definition, not its children: a ContainerDefinition may be created in any
    // scope (`new ContainerDefinition(stack, id, { taskDefinition })`).
    const container = owner.findContainer(finding.label);
    return container ?? resource;
  }
  if (owner instanceof EcsJobDefinition || owner instanceof EksJobDefinition) {
    return owner.container;
  }
  if (owner instanceof MultiNodeJobDefinition) {
    const range = /^NodeProperties\.NodeRangeProperties\.(\d+)\./.exec(finding.found.propertyPath);
    return (range && owner.containers[Number(range[1])]?.container) || owner;
  }
  return outermostOwner(resource);
}

/** The L2 whose default child the resource is (never a Stack, which may hold an L1 called 'Resource'). */
function ownerOf(resource: IConstruct): IConstruct | undefined {
  const parent = resource.node.scope;
  return parent && !Stack.isStack(parent) && parent.node.defaultChild === resource ? parent : undefined;
}

/**
 * Up through default children: a KubernetesManifest holds a CustomResource that holds the L1, and
 * its default child is either (aws-cdk-lib sets it to the L1 itself).
 */
function outermostOwner(resource: CfnResource): IConstruct {
  let current: IConstruct = resource;
  for (let parent = resource.node.scope; parent && !Stack.isStack(parent); parent = parent.node.scope) {
    const child = parent.node.defaultChild;
    if (child !== current && child !== resource) break;
    current = parent;
  }
  return current;
}

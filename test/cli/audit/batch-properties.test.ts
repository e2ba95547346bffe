/**
 * Batch job definitions as the API returns them, read back as the CloudFormation properties the
 * shared check walks: every place a container can be, with the API's indexes.
 */
import { EMPTY_CONTEXT } from '../../../src/cfn/template-context';
import { checkResource } from '../../../src/check/check-resource';
import { compileOptions } from '../../../src/check/check-settings';
import { batchProperties } from '../../../src/cli/audit/audit-findings';

test('each container path of the reader becomes its property path, indexes kept', () => {
  const containers = [
    { path: 'containerProperties', image: 'a:latest' },
    { path: 'nodeProperties.nodeRangeProperties[2].container', image: 'b:latest' },
    { path: 'nodeProperties.nodeRangeProperties[1].ecsProperties.taskProperties[0].containers[1]', name: 'n', image: 'c:latest' },
    { path: 'ecsProperties.taskProperties[0].containers[0]', name: 'main', image: 'd:latest' },
    { path: 'eksProperties.podProperties.initContainers[0]', name: 'init', image: 'e:latest' },
    { path: 'eksProperties.podProperties.containers[1]', name: 'side', image: 'f:latest' },
  ];
  const findings = checkResource('AWS::Batch::JobDefinition', batchProperties(containers), EMPTY_CONTEXT, compileOptions({}));
  expect(findings.map((f) => [f.image, f.found.propertyPath, f.findingId]).sort()).toEqual([
    ['a:latest', 'ContainerProperties.Image', 'ImagePinning-BATCH1[ContainerProperties.Image]'],
    ['b:latest', 'NodeProperties.NodeRangeProperties.2.Container.Image', 'ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.2.Container.Image]'],
    ['c:latest', 'NodeProperties.NodeRangeProperties.1.EcsProperties.TaskProperties.0.Containers.1.Image', 'ImagePinning-BATCH1[n]'],
    ['d:latest', 'EcsProperties.TaskProperties.0.Containers.0.Image', 'ImagePinning-BATCH1[main]'],
    ['e:latest', 'EksProperties.PodProperties.InitContainers.0.Image', 'ImagePinning-BATCH1[init]'],
    ['f:latest', 'EksProperties.PodProperties.Containers.1.Image', 'ImagePinning-BATCH1[side]'],
  ]);
});

import { EMPTY_CONTEXT } from '../../src/cfn/template-context';
import { IMAGE_SOURCES } from '../../src/rules/catalog';
import { findImages, TEMPLATE_READER } from '../../src/rules/image-sources';

const source = (type: string) => IMAGE_SOURCES.find((s) => s.resourceType === type)!;
const found = (type: string, properties: unknown) =>
  findImages(source(type), properties, TEMPLATE_READER, EMPTY_CONTEXT)
    .map((f) => ({ path: f.propertyPath, raw: f.raw, label: f.labelValue, subject: f.subject }));

describe('findImages: the one walker over the sources table', () => {
  test('`*` steps into every element of a list, and the label is read beside the image', () => {
    expect(found('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'a', Image: 'x:1' }, { Name: 'b', Image: 'y:2' }] })).toEqual([
      { path: 'ContainerDefinitions.0.Image', raw: 'x:1', label: 'a', subject: 'Container' },
      { path: 'ContainerDefinitions.1.Image', raw: 'y:2', label: 'b', subject: 'Container' },
    ]);
  });

  test('`{}` steps into every value of a map, labelled by its key', () => {
    const properties = { WorkerTypeSpecifications: { Driver: { ImageConfiguration: { ImageUri: 'spark:1' } } } };
    expect(found('AWS::EMRServerless::Application', properties)).toEqual([
      { path: 'WorkerTypeSpecifications.Driver.ImageConfiguration.ImageUri', raw: 'spark:1', label: 'Driver', subject: 'EMR Serverless worker type' },
    ]);
  });

  test('several locations of one resource type, each with its own subject', () => {
    const properties = {
      EksProperties: { PodProperties: { Containers: [{ Name: 'main', Image: 'm:1' }], InitContainers: [{ Name: 'init', Image: 'i:1' }] } },
    };
    expect(found('AWS::Batch::JobDefinition', properties).map((f) => [f.path, f.subject])).toEqual([
      ['EksProperties.PodProperties.Containers.0.Image', 'Job container'],
      ['EksProperties.PodProperties.InitContainers.0.Image', 'Init container'],
    ]);
  });

  test('curated CodeBuild images pulled with CODEBUILD credentials are skipped; others are not', () => {
    expect(found('AWS::CodeBuild::Project', { Environment: { Image: 'aws/codebuild/standard:7.0' } })).toEqual([]);
    expect(found('AWS::CodeBuild::Project', { Environment: { Image: 'aws/codebuild/standard:7.0', ImagePullCredentialsType: 'SERVICE_ROLE' } })).toHaveLength(1);
    expect(found('AWS::CodeBuild::Project', { Environment: { Image: 'node:latest' } })).toHaveLength(1);
  });
});

describe('findImages never drops what it cannot read', () => {
  const task = (properties: unknown) =>
    findImages(source('AWS::ECS::TaskDefinition'), properties, TEMPLATE_READER, EMPTY_CONTEXT).map((f) => ({
      path: f.propertyPath,
      label: f.labelValue,
      when: f.when,
      value: f.value?.toString(),
    }));

  test('Fn::If around the list of containers: the containers of both branches', () => {
    const properties = { ContainerDefinitions: { 'Fn::If': ['IsProd', [{ Name: 'a', Image: 'a:1' }], [{ Name: 'b', Image: 'b:latest' }]] } };
    expect(task(properties)).toEqual([
      { path: 'ContainerDefinitions.0.Image', label: 'a', when: ['condition IsProd is true'], value: undefined },
      { path: 'ContainerDefinitions.0.Image', label: 'b', when: ['condition IsProd is false'], value: undefined },
    ]);
  });

  test('Fn::If around one container, and AWS::NoValue for a container that is left out', () => {
    const properties = { ContainerDefinitions: [{ 'Fn::If': ['C', { Name: 'x', Image: 'x:1' }, { Ref: 'AWS::NoValue' }] }] };
    expect(task(properties)).toEqual([{ path: 'ContainerDefinitions.0.Image', label: 'x', when: ['condition C is true'], value: undefined }]);
  });

  test.each([
    ['a function the template does not make known', { ContainerDefinitions: { 'Fn::GetAtt': ['Custom', 'Containers'] } }, '<ContainerDefinitions: is produced by Fn::GetAtt>'],
    ['a string where a list is expected', { ContainerDefinitions: 'nginx:latest' }, '<ContainerDefinitions: is a string ("nginx:latest"), not a list>'],
    ['a macro (AWS::Include) in the properties', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }, '<ContainerDefinitions: is produced by Fn::Transform (a macro) at deploy time>'],
    ['a container that is not an object', { ContainerDefinitions: [42] }, '<ContainerDefinitions.0: is a number (42), not an object>'],
  ])('%s: one image that says so', (_title, properties, value) => {
    expect(task(properties)).toEqual([expect.objectContaining({ value })]);
  });
});

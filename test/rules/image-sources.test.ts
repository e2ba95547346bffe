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

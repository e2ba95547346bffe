import { PlatformRequirement, platformRequirement, takesSinglePlatformImagesOnly } from '../../src/rules/runtime-platform';

/** The platform each service runs an image on, as its resource states it (and the defaults the services define). */

const platform = (p: string, source: string): PlatformRequirement => ({ kind: 'platform', platform: p, source });

describe('platformRequirement', () => {
  test.each<[string, string, object, string, PlatformRequirement]>([
    ['ECS default', 'AWS::ECS::TaskDefinition', {}, 'ContainerDefinitions.0.Image', platform('linux/amd64', 'the default CpuArchitecture X86_64')],
    ['ECS ARM64', 'AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64' } }, 'ContainerDefinitions.0.Image', platform('linux/arm64', 'RuntimePlatform.CpuArchitecture ARM64')],
    [
      'ECS Windows',
      'AWS::ECS::TaskDefinition',
      { RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } },
      'ContainerDefinitions.0.Image',
      platform('windows/amd64', 'RuntimePlatform.CpuArchitecture X86_64 with OperatingSystemFamily WINDOWS_SERVER_2022_CORE'),
    ],
    ['ECS from a parameter', 'AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: { Ref: 'Arch' } } }, 'ContainerDefinitions.0.Image', { kind: 'unknown', why: 'RuntimePlatform is only known at deploy time' }],
    ['ECS, an architecture ECS does not have', 'AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'RISCV' } }, 'ContainerDefinitions.0.Image', { kind: 'unknown', why: 'RuntimePlatform.CpuArchitecture RISCV is not X86_64 or ARM64' }],
    ['Lambda default', 'AWS::Lambda::Function', {}, 'Code.ImageUri', platform('linux/amd64', 'the default Architectures x86_64')],
    ['Lambda arm64', 'AWS::Lambda::Function', { Architectures: ['arm64'] }, 'Code.ImageUri', platform('linux/arm64', 'Architectures arm64')],
    ['Lambda, two architectures', 'AWS::Lambda::Function', { Architectures: ['arm64', 'x86_64'] }, 'Code.ImageUri', { kind: 'unknown', why: 'Architectures is not ["x86_64"] or ["arm64"]' }],
    ['SAM, its own', 'AWS::Serverless::Function', { Architectures: ['arm64'] }, 'ImageUri', platform('linux/arm64', 'Architectures arm64')],
    ['Batch on EC2', 'AWS::Batch::JobDefinition', { ContainerProperties: { Image: 'x' } }, 'ContainerProperties.Image', { kind: 'not-checked', why: 'AWS Batch on EC2 or EKS runs on the compute environment\'s instances, which decide the platform' }],
    [
      'Batch on Fargate, container properties',
      'AWS::Batch::JobDefinition',
      { PlatformCapabilities: ['FARGATE'], ContainerProperties: { RuntimePlatform: { CpuArchitecture: 'ARM64' } } },
      'ContainerProperties.Image',
      platform('linux/arm64', 'ContainerProperties.RuntimePlatform.CpuArchitecture ARM64'),
    ],
    [
      'Batch on Fargate, the image\'s own ECS task',
      'AWS::Batch::JobDefinition',
      { PlatformCapabilities: ['FARGATE'], EcsProperties: { TaskProperties: [{ RuntimePlatform: { CpuArchitecture: 'X86_64' } }, { RuntimePlatform: { CpuArchitecture: 'ARM64' } }] } },
      'EcsProperties.TaskProperties.1.Containers.0.Image',
      platform('linux/arm64', 'EcsProperties.TaskProperties.1.RuntimePlatform.CpuArchitecture ARM64'),
    ],
    ['Batch on Fargate, default', 'AWS::Batch::JobDefinition', { PlatformCapabilities: ['FARGATE'] }, 'ContainerProperties.Image', platform('linux/amd64', 'the default CpuArchitecture X86_64')],
    ['CodeBuild ARM', 'AWS::CodeBuild::Project', { Environment: { Type: 'ARM_CONTAINER' } }, 'Environment.Image', platform('linux/arm64', 'Environment.Type ARM_CONTAINER')],
    ['CodeBuild Windows', 'AWS::CodeBuild::Project', { Environment: { Type: 'WINDOWS_SERVER_2022_CONTAINER' } }, 'Environment.Image', platform('windows/amd64', 'Environment.Type WINDOWS_SERVER_2022_CONTAINER')],
    ['CodeBuild on EC2', 'AWS::CodeBuild::Project', { Environment: { Type: 'LINUX_EC2' } }, 'Environment.Image', { kind: 'not-checked', why: 'the platform of the CodeBuild environment type LINUX_EC2 is not checked' }],
    ['EMR Serverless default', 'AWS::EMRServerless::Application', {}, 'ImageConfiguration.ImageUri', platform('linux/amd64', 'the default Architecture X86_64')],
    ['EMR Serverless ARM64', 'AWS::EMRServerless::Application', { Architecture: 'ARM64' }, 'ImageConfiguration.ImageUri', platform('linux/arm64', 'Architecture ARM64')],
    ['ECS daemon', 'AWS::ECS::DaemonTaskDefinition', {}, 'ContainerDefinitions.0.Image', { kind: 'not-checked', why: 'the instances a daemon runs on decide its platform' }],
    ['SageMaker', 'AWS::SageMaker::Model', {}, 'PrimaryContainer.Image', { kind: 'not-checked', why: 'AWS::SageMaker::Model does not state the platform its images run on' }],
  ])('%s', (_name, resourceType, properties, propertyPath, expected) => {
    expect(platformRequirement({ resourceType, properties, propertyPath })).toEqual(expected);
  });

  test('SAM functions without their own Architectures take the template\'s Globals', () => {
    expect(platformRequirement({ resourceType: 'AWS::Serverless::Function', properties: {}, propertyPath: 'ImageUri', globals: { Function: { Architectures: ['arm64'] } } }))
      .toEqual(platform('linux/arm64', 'Globals.Function.Architectures arm64'));
    expect(platformRequirement({ resourceType: 'AWS::Serverless::Function', properties: {}, propertyPath: 'ImageUri' })).toEqual(platform('linux/amd64', 'the default Architectures x86_64'));
  });

  test('only Lambda functions reject a multi-platform index', () => {
    expect(takesSinglePlatformImagesOnly('AWS::Lambda::Function')).toBe(true);
    expect(takesSinglePlatformImagesOnly('AWS::Serverless::Function')).toBe(true);
    expect(takesSinglePlatformImagesOnly('AWS::ECS::TaskDefinition')).toBe(false);
  });
});

import { ImageSource, PropertyReader } from './image-sources';
import { kubernetesManifestImages } from './kubernetes-manifest';

/**
 * Every resource type that runs container images, and where its images are. Property paths were
 * taken from aws-cdk-lib's generated L1 mappings (the CloudFormation names). The Aspect, the
 * cdk-nag pack, the validation plugin and the command-line scanner all read this table.
 */

/** The rule groups: `ImagePinning-<group>1` / `2`, and what they cover. */
export const RULE_GROUPS: Readonly<Record<string, string>> = {
  ECS: 'ECS task definition, daemon task definition and Express Gateway service containers',
  BATCH: 'AWS Batch job definition containers',
  LAMBDA: 'Lambda functions packaged as container images',
  CODEBUILD: 'CodeBuild project build images',
  SAGEMAKER: 'SageMaker model, model package, monitoring, processing and inference images',
  APPRUNNER: 'App Runner service images',
  EMRS: 'EMR Serverless application images',
  LIGHTSAIL: 'Lightsail container service images',
  GAMELIFT: 'GameLift container group images',
  EKS: 'Kubernetes manifests applied by aws-cdk-lib (pods and pod templates)',
};

/** The group of what a template hides from synthesis (macros, nested stacks not read): only its rule 2. */
export const TEMPLATE_RULE_GROUP = 'CFN';

const ECS_ECR_HINT = { cdk: 'with ecs.ContainerImage.fromEcrRepository(repo, tag), the tag is the second argument and defaults to "latest"' };

/** Lightsail references images pushed to a container service as `:<service>.<label>.<version>`; versions never change. */
const LIGHTSAIL_PUSHED_IMAGE = /^:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.\d+$/;

/** Lambda runs one architecture, `Architectures: [x86_64]` by default, and rejects a multi-platform index. */
function lambdaPlatform(properties: unknown, reader: PropertyReader): string {
  const architectures = reader.elements(reader.child(properties, 'Architectures'));
  return architectures?.[0] === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

const BATCH_ECS_CONTAINERS = 'EcsProperties.TaskProperties.*.Containers.*.Image';
const BATCH_EKS = 'EksProperties.PodProperties';

export const IMAGE_SOURCES: readonly ImageSource[] = [
  {
    resourceType: 'AWS::ECS::TaskDefinition',
    ruleGroup: 'ECS',
    subject: 'Container',
    locations: [{ path: 'ContainerDefinitions.*.Image', label: 'Name' }],
    ecrHint: ECS_ECR_HINT,
  },
  {
    resourceType: 'AWS::ECS::DaemonTaskDefinition',
    ruleGroup: 'ECS',
    subject: 'Daemon container',
    locations: [{ path: 'ContainerDefinitions.*.Image', label: 'Name' }],
    ecrHint: ECS_ECR_HINT,
  },
  {
    resourceType: 'AWS::ECS::ExpressGatewayService',
    ruleGroup: 'ECS',
    subject: 'Express Gateway primary container',
    locations: [{ path: 'PrimaryContainer.Image' }],
  },
  {
    resourceType: 'AWS::Batch::JobDefinition',
    ruleGroup: 'BATCH',
    subject: 'Job container',
    locations: [
      { path: 'ContainerProperties.Image' },
      { path: BATCH_ECS_CONTAINERS, label: 'Name' },
      { path: `${BATCH_EKS}.Containers.*.Image`, label: 'Name' },
      { path: `${BATCH_EKS}.InitContainers.*.Image`, label: 'Name', subject: 'Init container' },
      { path: 'NodeProperties.NodeRangeProperties.*.Container.Image', subject: 'Node range container' },
      { path: `NodeProperties.NodeRangeProperties.*.${BATCH_ECS_CONTAINERS}`, label: 'Name', subject: 'Node range container' },
      { path: `NodeProperties.NodeRangeProperties.*.${BATCH_EKS}.Containers.*.Image`, label: 'Name', subject: 'Node range container' },
      { path: `NodeProperties.NodeRangeProperties.*.${BATCH_EKS}.InitContainers.*.Image`, label: 'Name', subject: 'Node range init container' },
    ],
    ecrHint: { cdk: 'with ecs.ContainerImage.fromEcrRepository(repo, tag) in the container definition, the tag defaults to "latest"' },
  },
  {
    resourceType: 'AWS::Lambda::Function',
    ruleGroup: 'LAMBDA',
    subject: 'Function',
    locations: [{ path: 'Code.ImageUri' }],
    lockPlatform: lambdaPlatform,
    ecrHint: { cdk: 'with lambda.DockerImageCode.fromEcr(repo, { tagOrDigest }), the tag defaults to "latest"' },
  },
  {
    resourceType: 'AWS::Serverless::Function',
    ruleGroup: 'LAMBDA',
    subject: 'Serverless function',
    locations: [{ path: 'ImageUri' }],
    lockPlatform: lambdaPlatform,
  },
  {
    resourceType: 'AWS::CodeBuild::Project',
    ruleGroup: 'CODEBUILD',
    subject: 'Build environment',
    locations: [
      {
        path: 'Environment.Image',
        // Curated images (aws/codebuild/standard:7.0) are provided and patched by CodeBuild itself.
        skip: { imagePrefix: 'aws/codebuild/', sibling: 'ImagePullCredentialsType', siblingIn: ['CODEBUILD', undefined] },
      },
    ],
    ecrHint: { cdk: 'with codebuild.LinuxBuildImage.fromEcrRepository(repo, tag), the tag defaults to "latest"' },
  },
  {
    resourceType: 'AWS::SageMaker::Model',
    ruleGroup: 'SAGEMAKER',
    subject: 'Model container',
    locations: [{ path: 'PrimaryContainer.Image', label: 'ContainerHostname' }, { path: 'Containers.*.Image', label: 'ContainerHostname' }],
  },
  {
    resourceType: 'AWS::SageMaker::ModelPackage',
    ruleGroup: 'SAGEMAKER',
    subject: 'Model package container',
    locations: [
      { path: 'InferenceSpecification.Containers.*.Image', label: 'ContainerHostname' },
      { path: 'AdditionalInferenceSpecifications.*.Containers.*.Image', label: 'ContainerHostname' },
      { path: 'AdditionalInferenceSpecificationsToAdd.*.Containers.*.Image', label: 'ContainerHostname' },
    ],
  },
  {
    resourceType: 'AWS::SageMaker::InferenceComponent',
    ruleGroup: 'SAGEMAKER',
    subject: 'Inference component container',
    locations: [{ path: 'Specification.Container.Image' }],
  },
  { resourceType: 'AWS::SageMaker::ImageVersion', ruleGroup: 'SAGEMAKER', subject: 'Image version', locations: [{ path: 'BaseImage' }] },
  {
    resourceType: 'AWS::SageMaker::ProcessingJob',
    ruleGroup: 'SAGEMAKER',
    subject: 'Processing job',
    locations: [{ path: 'AppSpecification.ImageUri' }],
  },
  {
    resourceType: 'AWS::SageMaker::DataQualityJobDefinition',
    ruleGroup: 'SAGEMAKER',
    subject: 'Data quality job',
    locations: [{ path: 'DataQualityAppSpecification.ImageUri' }],
  },
  {
    resourceType: 'AWS::SageMaker::ModelBiasJobDefinition',
    ruleGroup: 'SAGEMAKER',
    subject: 'Model bias job',
    locations: [{ path: 'ModelBiasAppSpecification.ImageUri' }],
  },
  {
    resourceType: 'AWS::SageMaker::ModelExplainabilityJobDefinition',
    ruleGroup: 'SAGEMAKER',
    subject: 'Model explainability job',
    locations: [{ path: 'ModelExplainabilityAppSpecification.ImageUri' }],
  },
  {
    resourceType: 'AWS::SageMaker::ModelQualityJobDefinition',
    ruleGroup: 'SAGEMAKER',
    subject: 'Model quality job',
    locations: [{ path: 'ModelQualityAppSpecification.ImageUri' }],
  },
  {
    resourceType: 'AWS::SageMaker::MonitoringSchedule',
    ruleGroup: 'SAGEMAKER',
    subject: 'Monitoring job',
    locations: [{ path: 'MonitoringScheduleConfig.MonitoringJobDefinition.MonitoringAppSpecification.ImageUri' }],
  },
  {
    resourceType: 'AWS::AppRunner::Service',
    ruleGroup: 'APPRUNNER',
    subject: 'App Runner service',
    locations: [{ path: 'SourceConfiguration.ImageRepository.ImageIdentifier' }],
  },
  {
    resourceType: 'AWS::EMRServerless::Application',
    ruleGroup: 'EMRS',
    subject: 'EMR Serverless application',
    locations: [
      { path: 'ImageConfiguration.ImageUri' },
      { path: 'WorkerTypeSpecifications.{}.ImageConfiguration.ImageUri', label: '@key', subject: 'EMR Serverless worker type' },
    ],
  },
  {
    resourceType: 'AWS::Lightsail::Container',
    ruleGroup: 'LIGHTSAIL',
    subject: 'Lightsail container',
    locations: [{ path: 'ContainerServiceDeployment.Containers.*.Image', label: 'ContainerName', versionedPattern: LIGHTSAIL_PUSHED_IMAGE }],
  },
  {
    resourceType: 'AWS::GameLift::ContainerGroupDefinition',
    ruleGroup: 'GAMELIFT',
    subject: 'Game server container',
    locations: [
      { path: 'GameServerContainerDefinition.ImageUri', label: 'ContainerName' },
      { path: 'SupportContainerDefinitions.*.ImageUri', label: 'ContainerName', subject: 'Support container' },
    ],
  },
  {
    resourceType: 'Custom::AWSCDK-EKS-KubernetesResource',
    ruleGroup: 'EKS',
    subject: 'Kubernetes container',
    locations: [],
    extract: kubernetesManifestImages,
    readExactly: true,
  },
];

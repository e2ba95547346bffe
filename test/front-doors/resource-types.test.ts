import { App, CfnResource, Size, Stack } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as emrs from 'aws-cdk-lib/aws-emrserverless';
import * as gamelift from 'aws-cdk-lib/aws-gamelift';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lightsail from 'aws-cdk-lib/aws-lightsail';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sam from 'aws-cdk-lib/aws-sam';
import { ImagePinning } from '../../src';
import { pinningAnnotationsUnder } from '../support/annotations';
import { AppBuilder, everyFrontDoor, fromEachFrontDoor } from '../support/front-doors';

const ROLE = 'arn:aws:iam::123456789012:role/example';
const PINNED = 'public.ecr.aws/example/app:1.2.3';

/**
 * Every resource type of the sources table, each with unpinned images (finding expected) and
 * pinned ones (none expected): through the L2 where aws-cdk-lib has one, and through the typed L1.
 */
const everyType: AppBuilder = (app: App) => {
  const stack = new Stack(app, 'Types');
  const repo = new ecr.Repository(stack, 'Repo');

  // ECS: daemon task definitions and Express Gateway services (task definitions have their own tests).
  new ecs.CfnDaemonTaskDefinition(stack, 'Daemon', {
    containerDefinitions: [
      { name: 'daemon-agent', image: 'datadog/agent:latest' },
      { name: 'daemon-ok', image: PINNED },
    ],
  } as ecs.CfnDaemonTaskDefinitionProps);
  new ecs.CfnExpressGatewayService(stack, 'Express', {
    executionRoleArn: ROLE,
    infrastructureRoleArn: ROLE,
    primaryContainer: { image: 'nginx' },
  } as ecs.CfnExpressGatewayServiceProps);

  // Batch, L2: ECS, EKS and multi-node job definitions.
  new batch.EcsJobDefinition(stack, 'BatchEcs', {
    container: new batch.EcsEc2ContainerDefinition(stack, 'BatchEcsContainer', { image: ecs.ContainerImage.fromRegistry('busybox'), memory: Size.mebibytes(512), cpu: 1 }),
  });
  new batch.EksJobDefinition(stack, 'BatchEks', {
    container: new batch.EksContainerDefinition(stack, 'BatchEksContainer', { image: ecs.ContainerImage.fromRegistry('amazon/aws-cli:latest'), name: 'eks-cli' }),
  });
  new batch.MultiNodeJobDefinition(stack, 'BatchMultiNode', {
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.LARGE),
    containers: [
      { startNode: 0, endNode: 0, container: new batch.EcsEc2ContainerDefinition(stack, 'MainNode', { image: ecs.ContainerImage.fromRegistry('mpi/main'), memory: Size.mebibytes(512), cpu: 1 }) },
      { startNode: 1, endNode: 3, container: new batch.EcsEc2ContainerDefinition(stack, 'Workers', { image: ecs.ContainerImage.fromRegistry(PINNED), memory: Size.mebibytes(512), cpu: 1 }) },
    ],
  });
  // Batch, L1: every container form.
  new batch.CfnJobDefinition(stack, 'BatchL1', {
    type: 'container',
    ecsProperties: { taskProperties: [{ containers: [{ name: 'ecs-task', image: 'alpine:edge' }, { name: 'ecs-task-ok', image: PINNED }] }] },
    eksProperties: { podProperties: { containers: [{ name: 'pod-main', image: 'nginx' }], initContainers: [{ name: 'pod-init', image: 'busybox:latest' }] } },
    nodeProperties: {
      mainNode: 0,
      numNodes: 2,
      nodeRangeProperties: [
        { targetNodes: '0:', container: { image: 'mpi/node' } },
        { targetNodes: '1:', ecsProperties: { taskProperties: [{ containers: [{ name: 'range-ecs', image: 'worker:latest' }] }] } },
        { targetNodes: '2:', eksProperties: { podProperties: { containers: [{ name: 'range-eks', image: 'worker' }], initContainers: [{ name: 'range-init', image: PINNED }] } } },
      ],
    },
  });

  // Lambda, L2 and L1; SAM.
  new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo) });
  new lambda.CfnFunction(stack, 'FnL1', { role: ROLE, packageType: 'Image', code: { imageUri: `${stack.account}.dkr.ecr.${stack.region}.amazonaws.com/fn:latest` } });
  new lambda.CfnFunction(stack, 'FnL1Pinned', { role: ROLE, packageType: 'Image', code: { imageUri: `${stack.account}.dkr.ecr.${stack.region}.amazonaws.com/fn:2.0.1` } });
  new sam.CfnFunction(stack, 'SamFn', { packageType: 'Image', imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/sam-fn' });

  // CodeBuild, L2 (a curated image is skipped) and L1.
  new codebuild.Project(stack, 'Build', {
    buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['make'] } } }),
    environment: { buildImage: codebuild.LinuxBuildImage.fromDockerRegistry('node:latest') },
  });
  new codebuild.Project(stack, 'Curated', {
    buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['make'] } } }),
    environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
  });
  new codebuild.CfnProject(stack, 'BuildL1', {
    serviceRole: ROLE,
    artifacts: { type: 'NO_ARTIFACTS' },
    source: { type: 'NO_SOURCE', buildSpec: 'version: 0.2' },
    environment: { type: 'LINUX_CONTAINER', computeType: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/standard:latest', imagePullCredentialsType: 'SERVICE_ROLE' },
  });

  // SageMaker, L1 only.
  new sagemaker.CfnModel(stack, 'Model', {
    executionRoleArn: ROLE,
    primaryContainer: { image: 'sagemaker/primary:latest', containerHostname: 'primary' },
    containers: [{ image: PINNED, containerHostname: 'second' }, { image: 'sagemaker/third', containerHostname: 'third' }],
  });
  new sagemaker.CfnModelPackage(stack, 'ModelPackage', {
    inferenceSpecification: {
      containers: [{ image: 'sagemaker/infer', containerHostname: 'infer' }],
      supportedContentTypes: ['text/csv'],
      supportedResponseMimeTypes: ['text/csv'],
    },
    additionalInferenceSpecifications: [{ name: 'extra', containers: [{ image: 'sagemaker/extra:latest', containerHostname: 'extra' }] }],
  });
  new sagemaker.CfnInferenceComponent(stack, 'Inference', {
    endpointName: 'endpoint',
    specification: { container: { image: 'sagemaker/component:latest' } },
  } as sagemaker.CfnInferenceComponentProps);
  new sagemaker.CfnImageVersion(stack, 'ImageVersion', { imageName: 'custom', baseImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/base:stable' });
  new sagemaker.CfnDataQualityJobDefinition(stack, 'DataQuality', {
    roleArn: ROLE,
    dataQualityAppSpecification: { imageUri: 'sagemaker/monitor' },
    dataQualityJobInput: { endpointInput: { endpointName: 'e', localPath: '/opt/ml/processing/input' } },
    dataQualityJobOutputConfig: { monitoringOutputs: [{ s3Output: { localPath: '/out', s3Uri: 's3://b/o' } }] },
    jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
  });
  for (const [id, cls, specKey] of [
    ['ModelBias', sagemaker.CfnModelBiasJobDefinition, 'modelBiasAppSpecification'],
    ['ModelExplainability', sagemaker.CfnModelExplainabilityJobDefinition, 'modelExplainabilityAppSpecification'],
    ['ModelQuality', sagemaker.CfnModelQualityJobDefinition, 'modelQualityAppSpecification'],
  ] as const) {
    new CfnResource(stack, id, { type: (cls as unknown as { CFN_RESOURCE_TYPE_NAME: string }).CFN_RESOURCE_TYPE_NAME, properties: { [specKey[0].toUpperCase() + specKey.slice(1)]: { ImageUri: `sagemaker/${id.toLowerCase()}:latest`, ConfigUri: 's3://b/c' } } });
  }
  new sagemaker.CfnMonitoringSchedule(stack, 'Monitoring', {
    monitoringScheduleName: 'schedule',
    monitoringScheduleConfig: {
      monitoringJobDefinition: {
        roleArn: ROLE,
        monitoringAppSpecification: { imageUri: 'sagemaker/monitoring:latest' },
        monitoringOutputConfig: { monitoringOutputs: [{ s3Output: { localPath: '/out', s3Uri: 's3://b/o' } }] },
        monitoringResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
        monitoringInputs: [],
      },
    },
  });
  new CfnResource(stack, 'Processing', { type: 'AWS::SageMaker::ProcessingJob', properties: { AppSpecification: { ImageUri: 'sagemaker/processing' } } });

  // App Runner, EMR Serverless, Lightsail, GameLift: L1.
  new apprunner.CfnService(stack, 'AppRunner', { sourceConfiguration: { imageRepository: { imageIdentifier: 'public.ecr.aws/example/web:latest', imageRepositoryType: 'ECR_PUBLIC' } } });
  new emrs.CfnApplication(stack, 'Emr', {
    releaseLabel: 'emr-7.1.0',
    type: 'SPARK',
    imageConfiguration: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:latest' },
    workerTypeSpecifications: { Driver: { imageConfiguration: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/driver' } }, Executor: { imageConfiguration: { imageUri: PINNED } } },
  });
  new lightsail.CfnContainer(stack, 'Lightsail', {
    serviceName: 'svc',
    power: 'nano',
    scale: 1,
    containerServiceDeployment: {
      containers: [
        { containerName: 'ls-hub', image: 'nginx:latest' },
        { containerName: 'ls-pushed', image: ':svc.web.3' },
      ],
    },
  });
  new gamelift.CfnContainerGroupDefinition(stack, 'GameLift', {
    name: 'group',
    operatingSystem: 'AMAZON_LINUX_2023',
    totalMemoryLimitMebibytes: 1024,
    totalVcpuLimit: 1,
    gameServerContainerDefinition: { containerName: 'game-server', imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/game', serverSdkVersion: '5.0.0' },
    supportContainerDefinitions: [{ containerName: 'game-sidecar', imageUri: 'fluent/fluent-bit:latest' }],
  } as gamelift.CfnContainerGroupDefinitionProps);

  // EKS manifests, L2 (KubernetesManifest) and L1.
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'cluster', kubectlRoleArn: ROLE });
  new eks.KubernetesManifest(stack, 'Manifest', {
    cluster,
    manifest: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod' }, spec: { containers: [{ name: 'app', image: 'nginx:latest' }], initContainers: [{ name: 'init', image: PINNED }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'web' }] } } } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: { spec: { containers: [{ name: 'db', image: 'postgres:16.4' }] } } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:stable' }] } } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { template: { spec: { containers: [{ name: 'rs', image: PINNED }] } } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' }, spec: { template: { spec: { containers: [{ name: 'job', image: 'job:latest' }] } } } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'cron' },
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'cron', image: 'cron' }], ephemeralContainers: [{ name: 'debug', image: 'busybox:latest' }] } } } } },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-workload' }, data: { image: 'nginx' } },
    ],
  });
  new CfnResource(stack, 'ManifestL1', {
    type: 'Custom::AWSCDK-EKS-KubernetesResource',
    properties: {
      ServiceToken: ROLE,
      Manifest: stack.toJsonString([{ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'tokened' }, spec: { containers: [{ name: 'tokened', image: `${repo.repositoryUri}:latest` }] } }] }]),
    },
  });
};

const EXPECTED = [
  'ImagePinning-APPRUNNER1[SourceConfiguration.ImageRepository.ImageIdentifier] error',
  'ImagePinning-BATCH1[ContainerProperties.Image] error',
  'ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.0.Container.Image] error',
  'ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.0.Container.Image] error',
  'ImagePinning-BATCH1[ecs-task] error',
  'ImagePinning-BATCH1[eks-cli] error',
  'ImagePinning-BATCH1[pod-init] error',
  'ImagePinning-BATCH1[pod-main] error',
  'ImagePinning-BATCH1[range-ecs] error',
  'ImagePinning-BATCH1[range-eks] error',
  'ImagePinning-CODEBUILD1[Environment.Image] error',
  'ImagePinning-CODEBUILD1[Environment.Image] error',
  'ImagePinning-ECS1[PrimaryContainer.Image] error',
  'ImagePinning-ECS1[daemon-agent] error',
  'ImagePinning-EKS1[CronJob/cron/cron] error',
  'ImagePinning-EKS1[CronJob/cron/debug] error',
  'ImagePinning-EKS1[DaemonSet/agent/agent] error',
  'ImagePinning-EKS1[Deployment/web/web] error',
  'ImagePinning-EKS1[Job/job/job] error',
  'ImagePinning-EKS1[Pod/pod/app] error',
  'ImagePinning-EKS1[Pod/tokened/tokened] error',
  'ImagePinning-EMRS1[Driver] error',
  'ImagePinning-EMRS1[ImageConfiguration.ImageUri] error',
  'ImagePinning-GAMELIFT1[game-server] error',
  'ImagePinning-GAMELIFT1[game-sidecar] error',
  'ImagePinning-LAMBDA1[Code.ImageUri] error',
  'ImagePinning-LAMBDA1[Code.ImageUri] error',
  'ImagePinning-LAMBDA1[ImageUri] error',
  'ImagePinning-LIGHTSAIL1[ls-hub] error',
  'ImagePinning-SAGEMAKER1[AppSpecification.ImageUri] error',
  'ImagePinning-SAGEMAKER1[BaseImage] error',
  'ImagePinning-SAGEMAKER1[DataQualityAppSpecification.ImageUri] error',
  'ImagePinning-SAGEMAKER1[ModelBiasAppSpecification.ImageUri] error',
  'ImagePinning-SAGEMAKER1[ModelExplainabilityAppSpecification.ImageUri] error',
  'ImagePinning-SAGEMAKER1[ModelQualityAppSpecification.ImageUri] error',
  'ImagePinning-SAGEMAKER1[MonitoringScheduleConfig.MonitoringJobDefinition.MonitoringAppSpecification.ImageUri] error',
  'ImagePinning-SAGEMAKER1[Specification.Container.Image] error',
  'ImagePinning-SAGEMAKER1[extra] error',
  'ImagePinning-SAGEMAKER1[infer] error',
  'ImagePinning-SAGEMAKER1[primary] error',
  'ImagePinning-SAGEMAKER1[third] error',
];

describe('every resource type, through every front door', () => {
  test('the Aspect, the cdk-nag pack and the validation plugin report the same findings', () => {
    expect(everyFrontDoor(everyType)).toEqual(fromEachFrontDoor(EXPECTED));
  });

  test('the Aspect reports on the L2 where there is one, otherwise on the L1', () => {
    const app = new App();
    everyType(app);
    ImagePinning.enforce(app);
    app.synth();
    const reported = pinningAnnotationsUnder(app).map((m) => {
      const match = /^\[(ImagePinning-\w+)\] [^"(]*(?:"([^"]+)"|\(([^)]+)\))/.exec(m.text)!;
      return `${match[1]}[${match[2] ?? match[3]}] at ${m.path}`;
    });
    expect(reported).toEqual(
      expect.arrayContaining([
        // Batch: the container definition constructs.
        'ImagePinning-BATCH1[ContainerProperties.Image] at /Types/BatchEcsContainer',
        'ImagePinning-BATCH1[eks-cli] at /Types/BatchEksContainer',
        'ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.0.Container.Image] at /Types/MainNode',
        // Other L2s: the construct the user wrote.
        'ImagePinning-LAMBDA1[Code.ImageUri] at /Types/Fn',
        'ImagePinning-CODEBUILD1[Environment.Image] at /Types/Build',
        'ImagePinning-EKS1[Deployment/web/web] at /Types/Manifest',
        // L1 resources.
        'ImagePinning-BATCH1[NodeProperties.NodeRangeProperties.0.Container.Image] at /Types/BatchL1',
        'ImagePinning-LAMBDA1[Code.ImageUri] at /Types/FnL1',
        'ImagePinning-CODEBUILD1[Environment.Image] at /Types/BuildL1',
        'ImagePinning-SAGEMAKER1[primary] at /Types/Model',
        'ImagePinning-GAMELIFT1[game-server] at /Types/GameLift',
        'ImagePinning-EKS1[Pod/tokened/tokened] at /Types/ManifestL1',
      ]),
    );
    expect(reported).toHaveLength(EXPECTED.length);
  });

  test('messages name what the image belongs to', () => {
    const app = new App();
    everyType(app);
    ImagePinning.enforce(app);
    app.synth();
    const texts = pinningAnnotationsUnder(app).map((m) => m.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[ImagePinning-BATCH1\] Init container "pod-init": image "busybox:latest" uses the moving tag "latest"/),
        expect.stringMatching(/^\[ImagePinning-LAMBDA1\] Function \(Code\.ImageUri\): image ".*:latest" .* Fix: .*lambda\.DockerImageCode\.fromEcr\(repo, \{ tagOrDigest \}\)/),
        expect.stringMatching(/^\[ImagePinning-EKS1\] Ephemeral container "CronJob\/cron\/debug": image "busybox:latest"/),
        expect.stringMatching(/^\[ImagePinning-EKS1\] Container "Pod\/tokened\/tokened": image "<account>\.dkr\.ecr\.<region>\.<urlsuffix>\/<ref:Repo\w+>:latest"/),
        expect.stringMatching(/^\[ImagePinning-EMRS1\] EMR Serverless worker type "Driver": image ".*\/driver" has no tag/),
      ]),
    );
  });
});

/**
 * The data a fake AWS endpoint serves: accounts, their regions, and in each region what ECS, ECR,
 * Lambda and Batch hold, in the shapes of the AWS API reference (the SDK's own model types, so
 * the compiler checks every field name against the API).
 *
 * Tests build it with {@link FakeAwsModel} and {@link RegionBuilder}: the builders fill in ARNs,
 * revisions and the fields the services always return, so a test names only what it is about.
 */
import { createHash } from 'node:crypto';
import type { JobDefinition } from '@aws-sdk/client-batch';
import type { Repository, ImageDetail } from '@aws-sdk/client-ecr';
import type {
  ContainerDefinition,
  ContainerImage,
  Deployment,
  Service,
  ServiceRevision,
  Task,
  TaskDefinition,
  TaskDefinitionStatus,
  VersionConsistency,
} from '@aws-sdk/client-ecs';
import type { FunctionConfiguration, FunctionCodeLocation, Architecture } from '@aws-sdk/client-lambda';

/** The static credentials the tests give the SDK, and the account they stand for. */
export const CALLER_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const CALLER_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export interface FakeCluster {
  readonly clusterName: string;
  readonly services: Service[];
  readonly tasks: Task[];
  readonly serviceRevisions: ServiceRevision[];
}

export interface FakeFunction {
  readonly configuration: FunctionConfiguration;
  readonly code: FunctionCodeLocation;
}

export interface FakeRepository {
  readonly repository: Repository;
  readonly images: ImageDetail[];
}

export interface FakeRegion {
  readonly taskDefinitions: TaskDefinition[];
  readonly clusters: FakeCluster[];
  readonly functions: FakeFunction[];
  readonly jobDefinitions: JobDefinition[];
  readonly repositories: FakeRepository[];
}

export interface FakeAccount {
  /** Role names STS lets the caller assume in this account. */
  readonly roles: string[];
  readonly regions: Record<string, FakeRegion>;
}

export interface FakeOrganizationAccount {
  readonly Id: string;
  readonly Name: string;
  readonly Email: string;
  readonly Status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
}

export interface FakeAws {
  readonly partition: string;
  /** The account the static test credentials belong to. */
  readonly callerAccount: string;
  /** The IAM user the static credentials are, for GetCallerIdentity. */
  readonly callerUserName: string;
  readonly accounts: Record<string, FakeAccount>;
  /** Access key id to account, for credentials other than the caller's (a second profile). */
  readonly accessKeys: Record<string, string>;
  /** AWS Organizations, when the caller's account is a management account. */
  readonly organization?: { readonly accounts: FakeOrganizationAccount[] };
}

/** One container of a task definition, as a test writes it. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly versionConsistency?: VersionConsistency;
}

/** One running container of a task, as a test writes it: the image defaults to the task definition's. */
export interface RunningContainerSpec {
  readonly name: string;
  readonly imageDigest?: string;
  readonly image?: string;
}

let sequence = 0;
/** Ids that look like the services' (hex), unique within a test run. */
function nextId(length = 32): string {
  sequence += 1;
  return sequence.toString(16).padStart(length, '0');
}

/** Numeric ids as ECS gives service revisions and deployments. */
function nextNumber(): string {
  sequence += 1;
  return String(1_700_000_000_000 + sequence);
}

/** A sha256 digest made from a label, so tests can write `digest('web-v1')`. */
export function digest(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

/** Builds the data of one region of one account. */
export class RegionBuilder {
  constructor(
    public readonly partition: string,
    public readonly account: string,
    public readonly region: string,
    public readonly data: FakeRegion,
  ) {}

  /** Registers a task definition revision (the next revision of its family unless given). */
  public taskDefinition(
    family: string,
    containers: ContainerSpec[],
    options: { status?: TaskDefinitionStatus; revision?: number; cpuArchitecture?: 'X86_64' | 'ARM64' } = {},
  ): TaskDefinition {
    const revision = options.revision ?? 1 + Math.max(0, ...this.data.taskDefinitions.filter((t) => t.family === family).map((t) => t.revision ?? 0));
    const definition: TaskDefinition = {
      taskDefinitionArn: this.arn('ecs', `task-definition/${family}:${revision}`),
      family,
      revision,
      status: options.status ?? 'ACTIVE',
      containerDefinitions: containers.map((c): ContainerDefinition => ({
        name: c.name,
        image: c.image,
        essential: true,
        ...(c.versionConsistency ? { versionConsistency: c.versionConsistency } : {}),
      })),
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      ...(options.cpuArchitecture ? { runtimePlatform: { cpuArchitecture: options.cpuArchitecture, operatingSystemFamily: 'LINUX' } } : {}),
      registeredAt: new Date('2025-01-01T00:00:00Z'),
    };
    this.data.taskDefinitions.push(definition);
    return definition;
  }

  /** A cluster (created on first use). */
  public cluster(name: string): FakeCluster {
    let cluster = this.data.clusters.find((c) => c.clusterName === name);
    if (!cluster) {
      cluster = { clusterName: name, services: [], tasks: [], serviceRevisions: [] };
      this.data.clusters.push(cluster);
    }
    return cluster;
  }

  /**
   * A service running `taskDefinition` (the PRIMARY deployment), optionally with older deployments
   * still running, and its current service revisions with the digests ECS resolved.
   */
  public service(
    clusterName: string,
    name: string,
    taskDefinition: TaskDefinition,
    options: {
      olderDeployments?: TaskDefinition[];
      /** Per deployment (PRIMARY first, then the older ones): container name to resolved digest. */
      resolvedDigests?: Array<Record<string, string>>;
      desiredCount?: number;
      /** Deployed by CodeDeploy (blue/green): task sets instead of deployments, PRIMARY first. */
      codeDeploy?: boolean;
    } = {},
  ): Service {
    const cluster = this.cluster(clusterName);
    const definitions = [taskDefinition, ...(options.olderDeployments ?? [])];
    const revisions: ServiceRevision[] = definitions.map((td, i) => ({
      serviceRevisionArn: this.arn('ecs', `service-revision/${clusterName}/${name}/${nextNumber()}`),
      serviceArn: this.arn('ecs', `service/${clusterName}/${name}`),
      clusterArn: this.clusterArn(clusterName),
      taskDefinition: td.taskDefinitionArn,
      launchType: 'FARGATE',
      containerImages: (td.containerDefinitions ?? []).map((c): ContainerImage => ({
        containerName: c.name,
        image: c.image,
        ...(options.resolvedDigests?.[i]?.[c.name!] ? { imageDigest: options.resolvedDigests[i][c.name!] } : {}),
      })),
      createdAt: new Date('2025-02-01T00:00:00Z'),
    }));
    const deployments: Deployment[] = definitions.map((td, i) => ({
      id: `ecs-svc/${nextNumber()}`,
      status: i === 0 ? 'PRIMARY' : 'ACTIVE',
      taskDefinition: td.taskDefinitionArn,
      desiredCount: i === 0 ? options.desiredCount ?? 1 : 0,
      runningCount: options.desiredCount ?? 1,
      pendingCount: 0,
      failedTasks: 0,
      launchType: 'FARGATE',
      rolloutState: i === 0 ? (definitions.length > 1 ? 'IN_PROGRESS' : 'COMPLETED') : undefined,
      createdAt: new Date('2025-02-01T00:00:00Z'),
      updatedAt: new Date('2025-02-01T00:00:00Z'),
    }));
    const service: Service = {
      serviceArn: this.arn('ecs', `service/${clusterName}/${name}`),
      serviceName: name,
      clusterArn: this.clusterArn(clusterName),
      status: 'ACTIVE',
      desiredCount: options.desiredCount ?? 1,
      runningCount: options.desiredCount ?? 1,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: taskDefinition.taskDefinitionArn,
      ...(options.codeDeploy
        ? {
          deploymentController: { type: 'CODE_DEPLOY' },
          taskSets: deployments.map((d) => ({
            id: d.id,
            taskSetArn: this.arn('ecs', `task-set/${clusterName}/${name}/${d.id}`),
            status: d.status,
            taskDefinition: d.taskDefinition,
            computedDesiredCount: d.desiredCount,
            runningCount: d.runningCount,
            launchType: 'FARGATE' as const,
            createdAt: d.createdAt,
          })),
        }
        : { deployments, deploymentController: { type: 'ECS' } }),
      currentServiceRevisions: revisions.map((r) => ({ arn: r.serviceRevisionArn, requestedTaskCount: 1, runningTaskCount: 1, pendingTaskCount: 0 })),
      createdAt: new Date('2025-01-15T00:00:00Z'),
      schedulingStrategy: 'REPLICA',
    };
    cluster.services.push(service);
    cluster.serviceRevisions.push(...revisions);
    return service;
  }

  /** A task of `taskDefinition` in a cluster, started by a service's deployment or on its own. */
  public task(
    clusterName: string,
    taskDefinition: TaskDefinition,
    options: { service?: Service; containers?: RunningContainerSpec[]; lastStatus?: string; cpuArchitecture?: string } = {},
  ): Task {
    const cluster = this.cluster(clusterName);
    const id = nextId();
    const taskArn = this.arn('ecs', `task/${clusterName}/${id}`);
    const running: RunningContainerSpec[] = options.containers ?? (taskDefinition.containerDefinitions ?? []).map((c) => ({ name: c.name! }));
    const deployments = [...(options.service?.deployments ?? []), ...(options.service?.taskSets ?? [])];
    const deployment = deployments.find((d) => d.taskDefinition === taskDefinition.taskDefinitionArn);
    const task: Task = {
      taskArn,
      clusterArn: this.clusterArn(clusterName),
      taskDefinitionArn: taskDefinition.taskDefinitionArn,
      group: options.service ? `service:${options.service.serviceName}` : `family:${taskDefinition.family}`,
      startedBy: deployment?.id,
      lastStatus: options.lastStatus ?? 'RUNNING',
      desiredStatus: options.lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
      launchType: 'FARGATE',
      platformFamily: 'Linux',
      attributes: [{ name: 'ecs.cpu-architecture', value: options.cpuArchitecture ?? 'x86_64' }],
      containers: running.map((c) => ({
        containerArn: this.arn('ecs', `container/${clusterName}/${id}/${nextId(36)}`),
        taskArn,
        name: c.name,
        image: c.image ?? taskDefinition.containerDefinitions?.find((d) => d.name === c.name)?.image,
        ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
        runtimeId: `${id}-${c.name}`,
        lastStatus: options.lastStatus ?? 'RUNNING',
      })),
      createdAt: new Date('2025-02-02T00:00:00Z'),
      startedAt: new Date('2025-02-02T00:01:00Z'),
    };
    cluster.tasks.push(task);
    return task;
  }

  /** A Lambda function: package type Image unless `zip` is set. */
  public lambdaFunction(
    name: string,
    options: { imageUri?: string; resolvedImageUri?: string; architectures?: Architecture[]; zip?: boolean } = {},
  ): FakeFunction {
    const fn: FakeFunction = {
      configuration: {
        FunctionName: name,
        FunctionArn: this.arn('lambda', `function:${name}`),
        PackageType: options.zip ? 'Zip' : 'Image',
        ...(options.zip ? { Runtime: 'nodejs20.x', Handler: 'index.handler' } : {}),
        Role: `arn:${this.partition}:iam::${this.account}:role/${name}-role`,
        CodeSize: 0,
        Timeout: 3,
        MemorySize: 128,
        LastModified: '2025-02-01T00:00:00.000+0000',
        Version: '$LATEST',
        Architectures: options.architectures ?? ['x86_64'],
      },
      code: options.zip
        ? { RepositoryType: 'S3', Location: `https://awslambda-${this.region}-tasks.s3.${this.region}.amazonaws.com/snapshots/${name}` }
        : { RepositoryType: 'ECR', ImageUri: options.imageUri, ResolvedImageUri: options.resolvedImageUri },
    };
    this.data.functions.push(fn);
    return fn;
  }

  /** A Batch job definition revision with one container (type container) or one per node range (multinode). */
  public jobDefinition(
    name: string,
    images: string[],
    options: { status?: 'ACTIVE' | 'INACTIVE'; type?: 'container' | 'multinode' } = {},
  ): JobDefinition {
    const revision = 1 + Math.max(0, ...this.data.jobDefinitions.filter((j) => j.jobDefinitionName === name).map((j) => j.revision ?? 0));
    const type = options.type ?? (images.length > 1 ? 'multinode' : 'container');
    const definition: JobDefinition = {
      jobDefinitionName: name,
      jobDefinitionArn: this.arn('batch', `job-definition/${name}:${revision}`),
      revision,
      status: options.status ?? 'ACTIVE',
      type,
      platformCapabilities: type === 'container' ? ['FARGATE'] : ['EC2'],
      ...(type === 'container'
        ? { containerProperties: { image: images[0], command: ['run'], resourceRequirements: [{ type: 'VCPU', value: '1' }] } }
        : {
          nodeProperties: {
            numNodes: images.length,
            mainNode: 0,
            nodeRangeProperties: images.map((image, i) => ({ targetNodes: `${i}:${i}`, container: { image, command: ['run'] } })),
          },
        }),
    };
    this.data.jobDefinitions.push(definition);
    return definition;
  }

  /** An ECR repository with images (digest and tags). */
  public repository(name: string, images: Array<{ digest: string; tags?: string[] }>, mutability: 'MUTABLE' | 'IMMUTABLE' = 'MUTABLE') {
    this.data.repositories.push({
      repository: {
        repositoryArn: this.arn('ecr', `repository/${name}`),
        registryId: this.account,
        repositoryName: name,
        repositoryUri: `${this.account}.dkr.ecr.${this.region}.amazonaws.com/${name}`,
        imageTagMutability: mutability,
        createdAt: new Date('2024-06-01T00:00:00Z'),
      },
      images: images.map((i) => ({
        registryId: this.account,
        repositoryName: name,
        imageDigest: i.digest,
        imageTags: i.tags,
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        imagePushedAt: new Date('2024-06-02T00:00:00Z'),
        imageSizeInBytes: 1000,
      })),
    });
  }

  /** The ECR image URI of a repository in this region, e.g. `ecrImage('app', 'v1')`. */
  public ecrImage(repository: string, tagOrDigest: string): string {
    const sep = tagOrDigest.startsWith('sha256:') ? '@' : ':';
    return `${this.account}.dkr.ecr.${this.region}.amazonaws.com/${repository}${sep}${tagOrDigest}`;
  }

  public clusterArn(name: string): string {
    return this.arn('ecs', `cluster/${name}`);
  }

  private arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
  }
}

/** The whole fake: accounts, their regions, Organizations. */
export class FakeAwsModel {
  public readonly data: {
    partition: string;
    callerAccount: string;
    callerUserName: string;
    accounts: Record<string, FakeAccount>;
    accessKeys: Record<string, string>;
    organization?: { accounts: FakeOrganizationAccount[] };
  };

  constructor(callerAccount: string, partition = 'aws') {
    this.data = { partition, callerAccount, callerUserName: 'auditor', accounts: {}, accessKeys: {} };
    this.account(callerAccount);
  }

  /** An account (created on first use), with the role names STS may assume in it. */
  public account(id: string, roles: string[] = []): FakeAccount {
    let account = this.data.accounts[id];
    if (!account) {
      account = { roles: [], regions: {} };
      this.data.accounts[id] = account;
    }
    account.roles.push(...roles.filter((r) => !account!.roles.includes(r)));
    return account;
  }

  /** A region of an account, to fill with the builder. */
  public region(account: string, region: string): RegionBuilder {
    const a = this.account(account);
    a.regions[region] ??= { taskDefinitions: [], clusters: [], functions: [], jobDefinitions: [], repositories: [] };
    return new RegionBuilder(this.data.partition, account, region, a.regions[region]);
  }

  /** The caller's account is the management account of an organization with these member accounts. */
  public organization(accounts: Array<{ id: string; name: string; status?: FakeOrganizationAccount['Status'] }>) {
    this.data.organization = {
      accounts: accounts.map((a) => ({ Id: a.id, Name: a.name, Email: `${a.name}@example.com`, Status: a.status ?? 'ACTIVE' })),
    };
  }
}

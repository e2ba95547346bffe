/**
 * What an audit read from AWS accounts, as plain data: no SDK types, no policy, no formatting.
 *
 * Accounts hold regions; a region holds what ECS (clusters, task definitions, services with their
 * deployments and revisions, running tasks), Lambda (functions of package type Image) and Batch
 * (job definitions) deployed there, and says per service whether it was read completely. A read
 * that failed is an {@link AuditError} naming the account, region and operation: a region that
 * could not be read is never an empty region.
 *
 * Judging the images (the pinning check), drift against a lock file and mixed deployments are
 * computations over this model (see `image-uses.ts`, `drift.ts`, `mixed-deployments.ts`).
 * Timestamps are ISO 8601 strings, so the model is JSON as it is.
 */

/** The services an audit reads. */
export type AuditService = 'ecs' | 'lambda' | 'batch';
export const AUDIT_SERVICES: readonly AuditService[] = ['ecs', 'lambda', 'batch'];

/**
 * How much of a service in a region was read: `complete`; `partial` (some calls failed, the
 * rest was read); `failed` (nothing could be read); `skipped` (not asked for).
 */
export type ReadStatus = 'complete' | 'partial' | 'failed' | 'skipped';

/** A call that failed, by name. Messages never hold credentials. */
export interface AuditError {
  readonly account?: string;
  readonly region?: string;
  /** The IAM action of the call, e.g. `ecs:DescribeTasks`. */
  readonly operation: string;
  /** The service's error code (`AccessDeniedException`), or a `failures[].reason` (`MISSING`). */
  readonly code: string;
  readonly message: string;
  /** What the call was about (a cluster, a task definition, a function), when not the whole region. */
  readonly resource?: string;
  /** The call was throttled and the retries ran out. */
  readonly throttled: boolean;
}

/** API calls made, by IAM action (`ecs:DescribeTasks`), each counted once however often it was retried. */
export type CallCounts = Record<string, number>;

export interface AuditInventory {
  /** The identity the audit ran as (STS GetCallerIdentity). */
  readonly caller?: { readonly account: string; readonly arn: string; readonly partition: string };
  /** What was asked: the regions, services and selection the reader used. */
  readonly scope: AuditScope;
  readonly accounts: AccountInventory[];
  /** Failures not tied to one account: the caller's identity, Organizations ListAccounts. */
  readonly errors: AuditError[];
  /** Calls made, by operation, over the whole run. */
  readonly calls: CallCounts;
  /** Retries the SDK made after throttling or transient errors, by operation. */
  readonly retries: CallCounts;
  /** `complete` only when every account, region and service was read completely. */
  readonly status: ReadStatus;
}

export interface AuditScope {
  readonly regions: string[];
  readonly services: AuditService[];
  /** Every ACTIVE task definition revision, not only the latest of each family and those in use. */
  readonly allRevisions: boolean;
  /** Clusters the audit was narrowed to (names or ARNs); empty means every cluster. */
  readonly clusters: string[];
}

export interface AccountInventory {
  readonly accountId: string;
  /** The account's name in AWS Organizations, when listed from there. */
  readonly name?: string;
  /** The role assumed to read it; absent for the caller's own account. */
  readonly roleArn?: string;
  /** Failures that kept the whole account from being read (AssumeRole). */
  readonly errors: AuditError[];
  readonly regions: RegionInventory[];
  readonly status: ReadStatus;
}

export interface RegionInventory {
  readonly accountId: string;
  readonly region: string;
  /** Per service, how much was read. */
  readonly coverage: Record<AuditService, ReadStatus>;
  readonly clusters: ClusterRecord[];
  readonly taskDefinitions: TaskDefinitionRecord[];
  readonly services: ServiceRecord[];
  readonly tasks: TaskRecord[];
  readonly lambdaFunctions: LambdaFunctionRecord[];
  readonly batchJobDefinitions: BatchJobDefinitionRecord[];
  readonly errors: AuditError[];
  /** Calls made for this region, by operation. */
  readonly calls: CallCounts;
}

export interface ClusterRecord {
  readonly arn: string;
  readonly name: string;
  readonly status?: string;
}

/** Why a task definition revision is in the inventory. */
export type TaskDefinitionSelection = 'latest' | 'all-revisions' | 'service' | 'task';

export interface TaskDefinitionRecord {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  /** `ACTIVE`, or `INACTIVE` for a deregistered revision a service or task still uses. */
  readonly status: string;
  readonly selectedBecause: TaskDefinitionSelection[];
  /** `runtimePlatform.cpuArchitecture` (`X86_64`, `ARM64`), when the task definition sets it. */
  readonly cpuArchitecture?: string;
  readonly operatingSystemFamily?: string;
  readonly requiresCompatibilities: string[];
  readonly containers: TaskDefinitionContainer[];
  /** Where it runs: services whose deployments use it, running tasks of it (ARNs). */
  readonly usedBy: { readonly services: string[]; readonly tasks: string[] };
}

export interface TaskDefinitionContainer {
  readonly name: string;
  /** The image exactly as registered (a tag, a digest, an ECR URI, or an unresolved `{{resolve:...}}` value). */
  readonly image: string;
  /**
   * ECS software version consistency: `enabled` (the default: ECS resolves the tag to a digest
   * once per deployment) or `disabled` (each task pulls whatever the tag points to then).
   */
  readonly versionConsistency: 'enabled' | 'disabled';
  /** Whether `versionConsistency` was written in the task definition or is the ECS default. */
  readonly versionConsistencyExplicit: boolean;
  readonly essential?: boolean;
}

export interface ServiceRecord {
  readonly arn: string;
  readonly name: string;
  readonly clusterArn: string;
  readonly status?: string;
  /** The task definition of the PRIMARY deployment. */
  readonly taskDefinition?: string;
  readonly launchType?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly deployments: DeploymentRecord[];
  /** The service revisions with tasks now, with the image digests ECS resolved for each container. */
  readonly revisions: ServiceRevisionRecord[];
}

export interface DeploymentRecord {
  /**
   * `deployment` for the ECS deployment controller; `task-set` for the task sets of a service
   * deployed by CodeDeploy (blue/green) or an external controller.
   */
  readonly kind: 'deployment' | 'task-set';
  /** `ecs-svc/...` (a deployment) or `ecs-svc/...` of the task set: the `startedBy` of the tasks it starts. */
  readonly id: string;
  /** `PRIMARY`, `ACTIVE` (an older one still running tasks) or `INACTIVE`. */
  readonly status: string;
  readonly taskDefinition?: string;
  readonly rolloutState?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly createdAt?: string;
}

export interface ServiceRevisionRecord {
  readonly arn: string;
  readonly taskDefinition?: string;
  readonly runningTaskCount?: number;
  readonly containerImages: ResolvedContainerImage[];
}

export interface ResolvedContainerImage {
  readonly containerName: string;
  readonly image?: string;
  /** The digest ECS resolved the image to for this revision (absent when version consistency is off). */
  readonly imageDigest?: string;
}

export interface TaskRecord {
  readonly arn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn?: string;
  /** The service that started it (from `group: service:<name>`), if any. */
  readonly serviceName?: string;
  readonly group?: string;
  /** The deployment id (`ecs-svc/...`) or whatever started it. */
  readonly startedBy?: string;
  readonly lastStatus?: string;
  readonly launchType?: string;
  /** The `ecs.cpu-architecture` attribute (`x86_64`, `arm64`). */
  readonly cpuArchitecture?: string;
  readonly containers: TaskContainerRecord[];
}

export interface TaskContainerRecord {
  readonly name: string;
  readonly image?: string;
  /** The digest the container was started from (absent until the image is pulled). */
  readonly imageDigest?: string;
  readonly lastStatus?: string;
}

export interface LambdaFunctionRecord {
  readonly arn: string;
  readonly name: string;
  /** `Code.ImageUri`: the image as configured. */
  readonly imageUri?: string;
  /** `Code.ResolvedImageUri`: the image by digest, as Lambda resolved it at deploy time. */
  readonly resolvedImageUri?: string;
  readonly architectures: string[];
  readonly lastModified?: string;
}

export interface BatchJobDefinitionRecord {
  readonly arn: string;
  readonly name: string;
  readonly revision: number;
  readonly status?: string;
  /** `container` or `multinode`. */
  readonly type?: string;
  readonly platformCapabilities: string[];
  readonly containers: BatchContainerRecord[];
}

export interface BatchContainerRecord {
  /** Where in the job definition, e.g. `containerProperties` or `nodeProperties.nodeRangeProperties[1].container`. */
  readonly path: string;
  readonly name?: string;
  readonly image: string;
}

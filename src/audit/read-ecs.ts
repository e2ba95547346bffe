/**
 * Reads ECS in one region: clusters, services with their deployments and current revisions
 * (the digests ECS resolved), running tasks (the digest each container started from), and the
 * task definitions that matter: by default the latest ACTIVE revision of each family plus every
 * revision a service or running task uses; with `allRevisions` every ACTIVE revision.
 *
 * Calls, per region: ListClusters and DescribeClusters (100 a call); per cluster ListServices,
 * DescribeServices (10 a call), DescribeServiceRevisions (20 a call), ListTasks and DescribeTasks
 * (100 a call); ListTaskDefinitions, then one DescribeTaskDefinition per selected revision. Every
 * list is followed to its last page.
 */
import type * as ecs from '@aws-sdk/client-ecs';
import { ApiCalls, CallScope } from './api-calls';
import {
  ClusterRecord,
  DeploymentRecord,
  ServiceRecord,
  ServiceRevisionRecord,
  TaskDefinitionRecord,
  TaskDefinitionSelection,
  TaskRecord,
} from './model';
import { AuditOperation } from './operations';
import { chunks, listAll } from './pages';

export type EcsSdk = typeof ecs;

export interface EcsReadContext {
  readonly calls: ApiCalls;
  readonly scope: CallScope;
  readonly sdk: EcsSdk;
  readonly client: ecs.ECSClient;
  readonly allRevisions: boolean;
  /** Cluster names or ARNs to narrow to; empty for every cluster. */
  readonly clusters: readonly string[];
}

export interface EcsRead {
  readonly clusters: ClusterRecord[];
  readonly taskDefinitions: TaskDefinitionRecord[];
  readonly services: ServiceRecord[];
  readonly tasks: TaskRecord[];
}

/** Page sizes: the largest each API accepts. */
const PAGE = 100;
const DESCRIBE_CLUSTERS_MAX = 100;
const DESCRIBE_SERVICES_MAX = 10;
const DESCRIBE_SERVICE_REVISIONS_MAX = 20;
const DESCRIBE_TASKS_MAX = 100;

/** A resource deleted between a list and a describe call is not a failure of the audit. */
const GONE = ['MISSING'];

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `family` and `revision` of `arn:...:task-definition/family:3`. */
function parseTaskDefinitionArn(arn: string): { family: string; revision: number } | undefined {
  const match = /task-definition\/([^:/]+):(\d+)$/.exec(arn);
  return match ? { family: match[1], revision: Number(match[2]) } : undefined;
}

function iso(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

export async function readEcs(ctx: EcsReadContext): Promise<EcsRead> {
  const { sdk, client, calls, scope } = ctx;
  const send = <T extends { $metadata?: object }>(operation: AuditOperation, call: () => Promise<T>, resource?: string) =>
    calls.send(scope, operation, call, { resource });

  // Task definition revisions are listed while the clusters are read.
  const needList = ctx.allRevisions || ctx.clusters.length === 0;
  const activeRevisions = needList
    ? listAll(async (nextToken) => {
      const r = await send('ecs:ListTaskDefinitions', () =>
        client.send(new sdk.ListTaskDefinitionsCommand({ status: 'ACTIVE', maxResults: PAGE, nextToken })));
      return r && { items: r.taskDefinitionArns, next: r.nextToken };
    })
    : Promise.resolve([] as string[]);

  const clusters = await readClusters(ctx);
  const perCluster = await Promise.all(clusters.map(async (cluster) => {
    const [services, tasks] = await Promise.all([readServices(ctx, cluster.arn), readTasks(ctx, cluster.arn)]);
    return { services, tasks };
  }));
  const services = perCluster.flatMap((c) => c.services);
  const tasks = perCluster.flatMap((c) => c.tasks);

  // Which revisions to describe, and why.
  const selected = new Map<string, Set<TaskDefinitionSelection>>();
  const select = (arn: string | undefined, why: TaskDefinitionSelection) => {
    if (!arn) return;
    let reasons = selected.get(arn);
    if (!reasons) selected.set(arn, (reasons = new Set()));
    reasons.add(why);
  };
  const active = await activeRevisions;
  if (ctx.allRevisions) {
    for (const arn of active) select(arn, 'all-revisions');
  } else if (ctx.clusters.length === 0) {
    const latest = new Map<string, { arn: string; revision: number }>();
    for (const arn of active) {
      const parsed = parseTaskDefinitionArn(arn);
      if (!parsed) continue;
      const seen = latest.get(parsed.family);
      if (!seen || parsed.revision > seen.revision) latest.set(parsed.family, { arn, revision: parsed.revision });
    }
    for (const { arn } of latest.values()) select(arn, 'latest');
  }
  const usedBy = new Map<string, { services: Set<string>; tasks: Set<string> }>();
  const use = (arn: string | undefined, kind: 'services' | 'tasks', by: string) => {
    if (!arn) return;
    let entry = usedBy.get(arn);
    if (!entry) usedBy.set(arn, (entry = { services: new Set(), tasks: new Set() }));
    entry[kind].add(by);
  };
  for (const service of services) {
    const definitions = [
      service.taskDefinition,
      ...service.deployments.map((d) => d.taskDefinition),
      ...service.revisions.map((r) => r.taskDefinition),
    ];
    for (const arn of definitions) {
      select(arn, 'service');
      use(arn, 'services', service.arn);
    }
  }
  for (const task of tasks) {
    select(task.taskDefinitionArn, 'task');
    use(task.taskDefinitionArn, 'tasks', task.arn);
  }

  const described = await Promise.all([...selected.keys()].map(async (arn) => {
    const r = await send('ecs:DescribeTaskDefinition', () => client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: arn })), arn);
    return r?.taskDefinition && taskDefinitionRecord(r.taskDefinition, [...selected.get(arn)!], usedBy.get(arn));
  }));
  const taskDefinitions = described
    .filter((t): t is TaskDefinitionRecord => t !== undefined)
    .sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : a.revision - b.revision));

  return {
    clusters,
    taskDefinitions,
    services: services.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)),
    tasks: tasks.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)),
  };
}

async function readClusters(ctx: EcsReadContext): Promise<ClusterRecord[]> {
  const { sdk, client, calls, scope } = ctx;
  const filtered = ctx.clusters.length > 0;
  const wanted = filtered
    ? [...ctx.clusters]
    : await listAll(async (nextToken) => {
      const r = await calls.send(scope, 'ecs:ListClusters', () => client.send(new sdk.ListClustersCommand({ maxResults: PAGE, nextToken })));
      return r && { items: r.clusterArns, next: r.nextToken };
    });
  const records: ClusterRecord[] = [];
  for (const batch of chunks(wanted, DESCRIBE_CLUSTERS_MAX)) {
    const r = await calls.send(scope, 'ecs:DescribeClusters', () => client.send(new sdk.DescribeClustersCommand({ clusters: batch })));
    if (!r) {
      // Not described: still read what the list named (the describe call only adds the status).
      records.push(...batch.map((c) => ({ arn: c, name: lastSegment(c) })));
      continue;
    }
    for (const c of r.clusters ?? []) {
      if (c.clusterArn) records.push({ arn: c.clusterArn, name: c.clusterName ?? lastSegment(c.clusterArn), status: c.status });
    }
    for (const f of r.failures ?? []) {
      // A cluster named with --cluster that does not exist is reported; one deleted since the list is not.
      if (filtered || f.reason !== 'MISSING') calls.failure(scope, 'ecs:DescribeClusters', f.arn, f.reason, f.detail);
    }
  }
  return records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readServices(ctx: EcsReadContext, cluster: string): Promise<ServiceRecord[]> {
  const { sdk, client, calls, scope } = ctx;
  const arns = await listAll(async (nextToken) => {
    const r = await calls.send(scope, 'ecs:ListServices', () => client.send(new sdk.ListServicesCommand({ cluster, maxResults: PAGE, nextToken })), {
      resource: cluster,
    });
    return r && { items: r.serviceArns, next: r.nextToken };
  });
  const described = await Promise.all(chunks(arns, DESCRIBE_SERVICES_MAX).map(async (batch) => {
    const r = await calls.send(scope, 'ecs:DescribeServices', () => client.send(new sdk.DescribeServicesCommand({ cluster, services: batch })), {
      resource: cluster,
    });
    for (const f of r?.failures ?? []) if (!GONE.includes(f.reason ?? '')) calls.failure(scope, 'ecs:DescribeServices', f.arn, f.reason, f.detail);
    return r?.services ?? [];
  }));
  const services = described.flat();

  const revisionArns = [...new Set(services.flatMap((s) => (s.currentServiceRevisions ?? []).map((r) => r.arn).filter((a): a is string => !!a)))];
  const revisions = new Map<string, ecs.ServiceRevision>();
  await Promise.all(chunks(revisionArns, DESCRIBE_SERVICE_REVISIONS_MAX).map(async (batch) => {
    const r = await calls.send(scope, 'ecs:DescribeServiceRevisions', () =>
      client.send(new sdk.DescribeServiceRevisionsCommand({ serviceRevisionArns: batch })), { resource: cluster });
    for (const rev of r?.serviceRevisions ?? []) if (rev.serviceRevisionArn) revisions.set(rev.serviceRevisionArn, rev);
    for (const f of r?.failures ?? []) if (!GONE.includes(f.reason ?? '')) calls.failure(scope, 'ecs:DescribeServiceRevisions', f.arn, f.reason, f.detail);
  }));

  return services
    .filter((s) => s.serviceArn)
    .map((s): ServiceRecord => ({
      arn: s.serviceArn!,
      name: s.serviceName ?? lastSegment(s.serviceArn!),
      clusterArn: s.clusterArn ?? cluster,
      status: s.status,
      taskDefinition: s.taskDefinition,
      launchType: s.launchType,
      desiredCount: s.desiredCount,
      runningCount: s.runningCount,
      deployments: [
        ...(s.deployments ?? []).map((d): DeploymentRecord => ({
          kind: 'deployment',
          id: d.id ?? '',
          status: d.status ?? '',
          taskDefinition: d.taskDefinition,
          rolloutState: d.rolloutState,
          desiredCount: d.desiredCount,
          runningCount: d.runningCount,
          createdAt: iso(d.createdAt),
        })),
        // Blue/green (CodeDeploy) and external deployments run task sets instead.
        ...(s.taskSets ?? []).map((t): DeploymentRecord => ({
          kind: 'task-set',
          id: t.id ?? '',
          status: t.status ?? '',
          taskDefinition: t.taskDefinition,
          desiredCount: t.computedDesiredCount,
          runningCount: t.runningCount,
          createdAt: iso(t.createdAt),
        })),
      ],
      revisions: (s.currentServiceRevisions ?? []).flatMap((summary): ServiceRevisionRecord[] => {
        const rev = summary.arn ? revisions.get(summary.arn) : undefined;
        if (!summary.arn) return [];
        return [{
          arn: summary.arn,
          taskDefinition: rev?.taskDefinition,
          runningTaskCount: summary.runningTaskCount,
          containerImages: (rev?.containerImages ?? []).map((c) => ({
            containerName: c.containerName ?? '',
            ...(c.image ? { image: c.image } : {}),
            ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
          })),
        }];
      }),
    }));
}

async function readTasks(ctx: EcsReadContext, cluster: string): Promise<TaskRecord[]> {
  const { sdk, client, calls, scope } = ctx;
  const arns = await listAll(async (nextToken) => {
    const r = await calls.send(scope, 'ecs:ListTasks', () =>
      client.send(new sdk.ListTasksCommand({ cluster, desiredStatus: 'RUNNING', maxResults: PAGE, nextToken })), { resource: cluster });
    return r && { items: r.taskArns, next: r.nextToken };
  });
  const described = await Promise.all(chunks(arns, DESCRIBE_TASKS_MAX).map(async (batch) => {
    const r = await calls.send(scope, 'ecs:DescribeTasks', () => client.send(new sdk.DescribeTasksCommand({ cluster, tasks: batch })), { resource: cluster });
    for (const f of r?.failures ?? []) if (!GONE.includes(f.reason ?? '')) calls.failure(scope, 'ecs:DescribeTasks', f.arn, f.reason, f.detail);
    return r?.tasks ?? [];
  }));
  return described.flat().filter((t) => t.taskArn).map((t): TaskRecord => {
    const group = t.group;
    return {
      arn: t.taskArn!,
      clusterArn: t.clusterArn ?? cluster,
      taskDefinitionArn: t.taskDefinitionArn,
      ...(group?.startsWith('service:') ? { serviceName: group.slice('service:'.length) } : {}),
      group,
      startedBy: t.startedBy,
      lastStatus: t.lastStatus,
      launchType: t.launchType,
      cpuArchitecture: t.attributes?.find((a) => a.name === 'ecs.cpu-architecture')?.value,
      containers: (t.containers ?? []).map((c) => ({
        name: c.name ?? '',
        ...(c.image ? { image: c.image } : {}),
        ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
        lastStatus: c.lastStatus,
      })),
    };
  });
}

function taskDefinitionRecord(
  td: ecs.TaskDefinition,
  selectedBecause: TaskDefinitionSelection[],
  used: { services: Set<string>; tasks: Set<string> } | undefined,
): TaskDefinitionRecord {
  const arn = td.taskDefinitionArn ?? '';
  const parsed = parseTaskDefinitionArn(arn);
  return {
    arn,
    family: td.family ?? parsed?.family ?? '',
    revision: td.revision ?? parsed?.revision ?? 0,
    status: td.status ?? 'ACTIVE',
    selectedBecause: selectedBecause.sort(),
    ...(td.runtimePlatform?.cpuArchitecture ? { cpuArchitecture: td.runtimePlatform.cpuArchitecture } : {}),
    ...(td.runtimePlatform?.operatingSystemFamily ? { operatingSystemFamily: td.runtimePlatform.operatingSystemFamily } : {}),
    requiresCompatibilities: td.requiresCompatibilities ?? [],
    containers: (td.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      versionConsistency: c.versionConsistency === 'disabled' ? 'disabled' : 'enabled',
      versionConsistencyExplicit: c.versionConsistency !== undefined,
      ...(c.essential !== undefined ? { essential: c.essential } : {}),
    })),
    usedBy: { services: [...(used?.services ?? [])].sort(), tasks: [...(used?.tasks ?? [])].sort() },
  };
}

/**
 * The ECS read operations of the fake endpoint (awsJson1.1, target prefix
 * `AmazonEC2ContainerServiceV20141113`), with the limits of the ECS API reference: DescribeTasks
 * and DescribeClusters take at most 100 names, DescribeServices 10, DescribeServiceRevisions 20;
 * list operations page by `nextToken`/`maxResults` (ListServices 10 by default, the others 100).
 */
import type { Cluster, Failure, TaskDefinition } from '@aws-sdk/client-ecs';
import type { FakeCluster, FakeRegion } from './fake-account';
import { ApiError, paginate, PageLimits } from './protocol';

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

export interface RegionContext {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly data: FakeRegion;
  readonly pageSizeCap?: number;
}

type Body = Record<string, unknown>;
type Handler = (ctx: RegionContext, body: Body) => unknown;

const LIST: PageLimits = { defaultSize: 100, max: 100, invalidCode: 'InvalidParameterException' };

function names(body: Body, key: string, max: number): string[] {
  const value = body[key];
  if (value !== undefined && !Array.isArray(value)) throw new ApiError('InvalidParameterException', `${key} must be a list`);
  const list = (value as string[] | undefined) ?? [];
  if (list.length > max) throw new ApiError('InvalidParameterException', `${key} can have at most ${max} items, got ${list.length}`);
  return list;
}

/** The last path segment of an ARN or the name itself. */
function lastSegment(nameOrArn: string): string {
  return nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
}

function findCluster(ctx: RegionContext, nameOrArn: unknown): FakeCluster {
  const name = lastSegment(typeof nameOrArn === 'string' && nameOrArn ? nameOrArn : 'default');
  const cluster = ctx.data.clusters.find((c) => c.clusterName === name);
  if (!cluster) throw new ApiError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

function describeCluster(ctx: RegionContext, c: FakeCluster): Cluster {
  return {
    clusterArn: `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.account}:cluster/${c.clusterName}`,
    clusterName: c.clusterName,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: c.tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: 0,
    activeServicesCount: c.services.length,
  };
}

function findTaskDefinition(ctx: RegionContext, ref: string): TaskDefinition | undefined {
  const tail = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
  const [family, revision] = tail.split(':');
  const candidates = ctx.data.taskDefinitions.filter((t) => t.family === family);
  if (revision !== undefined) return candidates.find((t) => String(t.revision) === revision);
  // A family alone means its latest ACTIVE revision.
  return candidates.filter((t) => t.status === 'ACTIVE').sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))[0];
}

function sortedDefinitions(ctx: RegionContext, status: string, familyPrefix?: string): TaskDefinition[] {
  return ctx.data.taskDefinitions
    .filter((t) => t.status === status && (familyPrefix === undefined || t.family === familyPrefix))
    .sort((a, b) => (a.family! < b.family! ? -1 : a.family! > b.family! ? 1 : a.revision! - b.revision!));
}

export const ECS_OPERATIONS: Record<string, Handler> = {
  ListClusters(ctx, body) {
    const page = paginate('ListClusters', ctx.data.clusters, { token: body.nextToken as string, size: body.maxResults as number }, LIST, ctx.pageSizeCap);
    return { clusterArns: page.items.map((c) => describeCluster(ctx, c).clusterArn), nextToken: page.nextToken };
  },

  DescribeClusters(ctx, body) {
    const wanted = names(body, 'clusters', 100);
    const clusters: Cluster[] = [];
    const failures: Failure[] = [];
    for (const w of wanted.length ? wanted : ['default']) {
      const c = ctx.data.clusters.find((x) => x.clusterName === lastSegment(w));
      if (c) clusters.push(describeCluster(ctx, c));
      else failures.push({ arn: `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.account}:cluster/${lastSegment(w)}`, reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListServices(ctx, body) {
    const cluster = findCluster(ctx, body.cluster);
    const page = paginate(
      `ListServices/${cluster.clusterName}`,
      cluster.services,
      { token: body.nextToken as string, size: body.maxResults as number },
      { ...LIST, defaultSize: 10 },
      ctx.pageSizeCap,
    );
    return { serviceArns: page.items.map((s) => s.serviceArn), nextToken: page.nextToken };
  },

  DescribeServices(ctx, body) {
    const cluster = findCluster(ctx, body.cluster);
    const wanted = names(body, 'services', 10);
    if (wanted.length === 0) throw new ApiError('InvalidParameterException', 'services can not be empty.');
    const services = [];
    const failures: Failure[] = [];
    for (const w of wanted) {
      const s = cluster.services.find((x) => x.serviceArn === w || x.serviceName === w);
      if (s) services.push(s);
      else failures.push({ arn: w, reason: 'MISSING' });
    }
    return { services, failures };
  },

  DescribeServiceRevisions(ctx, body) {
    const wanted = names(body, 'serviceRevisionArns', 20);
    if (wanted.length === 0) throw new ApiError('InvalidParameterException', 'serviceRevisionArns can not be empty.');
    const all = ctx.data.clusters.flatMap((c) => c.serviceRevisions);
    const serviceRevisions = [];
    const failures: Failure[] = [];
    for (const w of wanted) {
      const r = all.find((x) => x.serviceRevisionArn === w);
      if (r) serviceRevisions.push(r);
      else failures.push({ arn: w, reason: 'MISSING' });
    }
    return { serviceRevisions, failures };
  },

  ListTasks(ctx, body) {
    const cluster = findCluster(ctx, body.cluster);
    const desired = (body.desiredStatus as string | undefined) ?? 'RUNNING';
    const serviceName = body.serviceName as string | undefined;
    const tasks = cluster.tasks.filter(
      (t) => t.desiredStatus === desired && (serviceName === undefined || t.group === `service:${lastSegment(serviceName)}`),
    );
    const page = paginate(`ListTasks/${cluster.clusterName}/${desired}/${serviceName ?? ''}`, tasks, {
      token: body.nextToken as string,
      size: body.maxResults as number,
    }, LIST, ctx.pageSizeCap);
    return { taskArns: page.items.map((t) => t.taskArn), nextToken: page.nextToken };
  },

  DescribeTasks(ctx, body) {
    const cluster = findCluster(ctx, body.cluster);
    const wanted = names(body, 'tasks', 100);
    if (wanted.length === 0) throw new ApiError('InvalidParameterException', 'Tasks cannot be empty.');
    const tasks = [];
    const failures: Failure[] = [];
    for (const w of wanted) {
      const t = cluster.tasks.find((x) => x.taskArn === w || lastSegment(x.taskArn!) === w);
      if (t) tasks.push(t);
      else failures.push({ arn: w, reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  ListTaskDefinitions(ctx, body) {
    const status = (body.status as string | undefined) ?? 'ACTIVE';
    let definitions = sortedDefinitions(ctx, status, body.familyPrefix as string | undefined);
    if (body.sort === 'DESC') definitions = definitions.reverse();
    const page = paginate(`ListTaskDefinitions/${status}/${body.familyPrefix ?? ''}/${body.sort ?? 'ASC'}`, definitions, {
      token: body.nextToken as string,
      size: body.maxResults as number,
    }, LIST, ctx.pageSizeCap);
    return { taskDefinitionArns: page.items.map((t) => t.taskDefinitionArn), nextToken: page.nextToken };
  },

  ListTaskDefinitionFamilies(ctx, body) {
    const status = (body.status as string | undefined) ?? 'ACTIVE';
    const families = [...new Set(sortedDefinitions(ctx, status).map((t) => t.family!))];
    const page = paginate(`ListTaskDefinitionFamilies/${status}`, families, {
      token: body.nextToken as string,
      size: body.maxResults as number,
    }, LIST, ctx.pageSizeCap);
    return { families: page.items, nextToken: page.nextToken };
  },

  DescribeTaskDefinition(ctx, body) {
    const ref = body.taskDefinition;
    if (typeof ref !== 'string' || !ref) throw new ApiError('InvalidParameterException', 'taskDefinition can not be blank.');
    const definition = findTaskDefinition(ctx, ref);
    // ECS answers a missing task definition with a ClientException, not a NotFound code.
    if (!definition) throw new ApiError('ClientException', 'Unable to describe task definition.');
    return { taskDefinition: definition, tags: [] };
  },
};

/**
 * Reads the ACTIVE Batch job definitions of one region (DescribeJobDefinitions, 100 a page) and
 * the image of every container in them: `containerProperties`, each node range of a multinode
 * job, the containers of `ecsProperties` tasks and of `eksProperties` pods (init containers too).
 */
import type * as batch from '@aws-sdk/client-batch';
import { ApiCalls, CallScope } from './api-calls';
import { BatchContainerRecord, BatchJobDefinitionRecord } from './model';
import { listAll } from './pages';

export type BatchSdk = typeof batch;

export interface BatchReadContext {
  readonly calls: ApiCalls;
  readonly scope: CallScope;
  readonly sdk: BatchSdk;
  readonly client: batch.BatchClient;
}

const PAGE = 100;

/** Every container image of a job definition, with where it is. */
export function batchContainers(jd: batch.JobDefinition): BatchContainerRecord[] {
  const out: BatchContainerRecord[] = [];
  const add = (path: string, image: string | undefined, name?: string) => {
    if (image) out.push({ path, ...(name ? { name } : {}), image });
  };
  add('containerProperties', jd.containerProperties?.image);
  (jd.nodeProperties?.nodeRangeProperties ?? []).forEach((range, i) => {
    add(`nodeProperties.nodeRangeProperties[${i}].container`, range.container?.image);
    (range.ecsProperties?.taskProperties ?? []).forEach((task, t) =>
      (task.containers ?? []).forEach((c, k) => add(`nodeProperties.nodeRangeProperties[${i}].ecsProperties.taskProperties[${t}].containers[${k}]`, c.image, c.name)));
  });
  (jd.ecsProperties?.taskProperties ?? []).forEach((task, t) =>
    (task.containers ?? []).forEach((c, k) => add(`ecsProperties.taskProperties[${t}].containers[${k}]`, c.image, c.name)));
  const pod = jd.eksProperties?.podProperties;
  (pod?.initContainers ?? []).forEach((c, k) => add(`eksProperties.podProperties.initContainers[${k}]`, c.image, c.name));
  (pod?.containers ?? []).forEach((c, k) => add(`eksProperties.podProperties.containers[${k}]`, c.image, c.name));
  return out;
}

export async function readBatch(ctx: BatchReadContext): Promise<BatchJobDefinitionRecord[]> {
  const { sdk, client, calls, scope } = ctx;
  const definitions = await listAll(async (nextToken) => {
    const r = await calls.send(scope, 'batch:DescribeJobDefinitions', () =>
      client.send(new sdk.DescribeJobDefinitionsCommand({ status: 'ACTIVE', maxResults: PAGE, nextToken })));
    return r && { items: r.jobDefinitions, next: r.nextToken };
  });
  return definitions
    .map((jd): BatchJobDefinitionRecord => ({
      arn: jd.jobDefinitionArn ?? '',
      name: jd.jobDefinitionName ?? '',
      revision: jd.revision ?? 0,
      status: jd.status,
      type: jd.type,
      platformCapabilities: jd.platformCapabilities ?? [],
      containers: batchContainers(jd),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.revision - b.revision));
}

/**
 * Batch `DescribeJobDefinitions` for the fake endpoint (restJson1, `POST /v1/describejobdefinitions`):
 * filter by status, name or ARNs; pages of at most 100 by `nextToken`/`maxResults`.
 */
import type { RegionContext } from './ecs-api';
import type { RestRequest } from './lambda-api';
import { paginate } from './protocol';

export function batchOperation(req: Pick<RestRequest, 'method' | 'path'>): string | undefined {
  return req.method === 'POST' && req.path === '/v1/describejobdefinitions' ? 'DescribeJobDefinitions' : undefined;
}

export const BATCH_OPERATIONS: Record<string, (ctx: RegionContext, req: RestRequest) => unknown> = {
  DescribeJobDefinitions(ctx, req) {
    const body = req.body as { status?: string; jobDefinitionName?: string; jobDefinitions?: string[] };
    const { status, jobDefinitionName, jobDefinitions: arns } = body;
    const matching = ctx.data.jobDefinitions.filter(
      (j) =>
        (status === undefined || j.status === status) &&
        (jobDefinitionName === undefined || j.jobDefinitionName === jobDefinitionName) &&
        (arns === undefined || arns.length === 0 || arns.includes(j.jobDefinitionArn!) || arns.includes(`${j.jobDefinitionName}:${j.revision}`)),
    );
    const page = paginate(`DescribeJobDefinitions/${status ?? ''}/${jobDefinitionName ?? ''}`, matching, {
      token: req.body.nextToken as string | undefined,
      size: req.body.maxResults as number | undefined,
    }, { defaultSize: 100, max: 100, invalidCode: 'ClientException' }, ctx.pageSizeCap);
    return { jobDefinitions: page.items, nextToken: page.nextToken };
  },
};

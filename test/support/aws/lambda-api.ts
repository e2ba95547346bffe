/**
 * The Lambda read operations of the fake endpoint (restJson1): `GET /2015-03-31/functions` pages
 * by `Marker`/`MaxItems` (at most 50) with `NextMarker`; `GET /2015-03-31/functions/{name}` gives
 * the configuration and `Code` (`ImageUri`, `ResolvedImageUri` for package type Image).
 */
import type { RegionContext } from './ecs-api';
import { ApiError, paginate } from './protocol';

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

/** The operation name of a Lambda request, or undefined when the fake does not serve it. */
export function lambdaOperation(req: Pick<RestRequest, 'method' | 'path'>): string | undefined {
  if (req.method !== 'GET') return undefined;
  if (/^\/2015-03-31\/functions\/?$/.test(req.path)) return 'ListFunctions';
  if (/^\/2015-03-31\/functions\/[^/]+$/.test(req.path)) return 'GetFunction';
  return undefined;
}

export const LAMBDA_OPERATIONS: Record<string, (ctx: RegionContext, req: RestRequest) => unknown> = {
  ListFunctions(ctx, req) {
    const size = req.query.has('MaxItems') ? Number(req.query.get('MaxItems')) : undefined;
    const page = paginate('ListFunctions', ctx.data.functions, { token: req.query.get('Marker') ?? undefined, size }, {
      defaultSize: 50,
      max: 50,
      invalidCode: 'InvalidParameterValueException',
    }, ctx.pageSizeCap);
    return { Functions: page.items.map((f) => f.configuration), NextMarker: page.nextToken };
  },

  GetFunction(ctx, req) {
    const name = decodeURIComponent(req.path.slice(req.path.lastIndexOf('/') + 1));
    const fn = ctx.data.functions.find((f) => f.configuration.FunctionName === name || f.configuration.FunctionArn === name);
    if (!fn) {
      throw new ApiError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${ctx.region}:${ctx.account}:function:${name}`, 404);
    }
    return { Configuration: fn.configuration, Code: fn.code, Tags: {} };
  },
};

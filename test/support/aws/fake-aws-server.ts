/**
 * A loopback HTTP endpoint that the real AWS SDK for JavaScript v3 talks to as if it were AWS:
 * ECS, ECR and Organizations (awsJson1.1), Lambda and Batch (restJson1), STS (awsQuery).
 *
 * Point the SDK at it with `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_ECS` and friends, or a
 * client's `endpoint`) and the static test credentials of {@link FakeAwsServer.env}. The account
 * a request reads is the one its access key belongs to (the caller's, or a role assumed through
 * STS); the region is the one in its SigV4 credential scope. What each region holds is the data
 * of a {@link FakeAwsModel}.
 *
 * For tests and the benchmark it counts calls per operation (`ecs:DescribeTasks`), logs every
 * request (operation, account, region, `X-Amz-Target`), and injects faults: throttling a given
 * number of times then success, AccessDenied for an operation, a region or an account.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BATCH_OPERATIONS, batchOperation } from './batch-api';
import { ECR_OPERATIONS, ECR_TARGET_PREFIX } from './ecr-api';
import { ECS_OPERATIONS, ECS_TARGET_PREFIX, RegionContext } from './ecs-api';
import { CALLER_ACCESS_KEY_ID, CALLER_SECRET_ACCESS_KEY, FakeAws, FakeRegion } from './fake-account';
import { LAMBDA_OPERATIONS, lambdaOperation, RestRequest } from './lambda-api';
import { ORGANIZATIONS_OPERATIONS, ORGANIZATIONS_TARGET_PREFIX } from './organizations-api';
import { ApiError, sendAwsJsonError, sendJson, sendQueryError, sendQueryResult, sendRestJsonError } from './protocol';
import { Identities, Identity, STS_XMLNS } from './sts-api';

/** A fault to inject: requests that match every given field fail with `error`. */
export interface FaultRule {
  /** `ecs:DescribeTasks`, or `ecs:*` for every operation of a service. */
  readonly operation?: string;
  readonly account?: string;
  readonly region?: string;
  readonly error: 'AccessDenied' | 'Throttling' | 'Internal';
  /** How many matching requests fail before the rest succeed; all of them when absent. */
  times?: number;
  /** The message, instead of the service's usual one; `{accessKeyId}` and `{authorization}` are filled in. */
  readonly message?: string;
}

export interface RequestRecord {
  /** `service:Operation`, as IAM names the action. */
  readonly operation: string;
  readonly account?: string;
  readonly region: string;
  /** The `X-Amz-Target` header (JSON protocols), or the method and path (REST), or the query Action. */
  readonly target: string;
  readonly status: number;
}

export interface FakeAwsOptions {
  /** Return at most this many items per page, whatever the client asks (tests pagination with little data). */
  readonly pageSizeCap?: number;
  /** Delay before each answer, in milliseconds. */
  readonly latencyMs?: number;
  /** Lifetime of credentials issued by AssumeRole, in seconds (default 3600). */
  readonly assumedRoleLifetimeSeconds?: number;
}

type Protocol = 'awsJson' | 'restJson' | 'awsQuery';

interface Parsed {
  readonly service: string;
  readonly operation: string;
  readonly protocol: Protocol;
  readonly target: string;
}

const EMPTY_REGION: FakeRegion = Object.freeze({ taskDefinitions: [], clusters: [], functions: [], jobDefinitions: [], repositories: [] });

const TARGET_SERVICES: Record<string, string> = {
  [ECS_TARGET_PREFIX]: 'ecs',
  [ECR_TARGET_PREFIX]: 'ecr',
  [ORGANIZATIONS_TARGET_PREFIX]: 'organizations',
};

/** The error code each service uses for each injected fault, and its HTTP status. */
function faultError(service: string, fault: FaultRule, identity: Identity | undefined, operation: string, extra: Record<string, string>): ApiError {
  const action = operation;
  let message =
    fault.message ??
    (fault.error === 'AccessDenied'
      ? `User: ${identity?.arn ?? 'unknown'} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`
      : fault.error === 'Throttling'
        ? 'Rate exceeded'
        : 'Service unavailable');
  for (const [k, v] of Object.entries(extra)) message = message.split(`{${k}}`).join(v);
  const rest = service === 'lambda' || service === 'batch';
  if (service === 'sts') {
    return fault.error === 'AccessDenied'
      ? new ApiError('AccessDenied', message, 403)
      : fault.error === 'Throttling'
        ? new ApiError('Throttling', message, 400)
        : new ApiError('InternalFailure', message, 500);
  }
  if (fault.error === 'AccessDenied') return new ApiError('AccessDeniedException', message, rest ? 403 : 400);
  if (fault.error === 'Throttling') {
    return service === 'ecs' || service === 'ecr' ? new ApiError('ThrottlingException', message, 400) : new ApiError('TooManyRequestsException', message, rest ? 429 : 400);
  }
  return new ApiError(service === 'ecs' || service === 'batch' ? 'ServerException' : 'ServiceException', message, 500);
}

/** The SigV4 credential scope of a request: access key id, region, signing name. */
function credentialScope(req: IncomingMessage): { accessKeyId: string; region: string; service: string } | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : undefined;
}

export class FakeAwsServer {
  /** Starts the endpoint on 127.0.0.1, on a free port. */
  public static async start(model: FakeAws, options: FakeAwsOptions = {}): Promise<FakeAwsServer> {
    const fake = new FakeAwsServer(model, options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Every request, in order of arrival. */
  public readonly requests: RequestRecord[] = [];
  /** Faults to inject, tried in order; edit freely between requests. */
  public faults: FaultRule[] = [];
  public readonly identities: Identities;
  /** Delay before each answer, in milliseconds; may be changed between requests. */
  public latencyMs: number;
  /** The most requests that were being answered at once, since start or the last reset. */
  public maxInFlight = 0;
  private inFlight = 0;
  private readonly server: Server;

  private constructor(public readonly model: FakeAws, private readonly options: FakeAwsOptions) {
    this.identities = new Identities(model, options.assumedRoleLifetimeSeconds ?? 3600);
    this.latencyMs = options.latencyMs ?? 0;
    this.server = createServer({ noDelay: true }, (req, res) => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => (this.inFlight -= 1));
      this.handle(req, res).catch((e) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(e?.stack ?? e));
      });
    });
    // The SDK keeps connections alive; do not let them hold the process open at close.
    this.server.keepAliveTimeout = 1000;
  }

  public get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Calls per operation (`ecs:ListTasks` to count), in request order of first call. */
  public counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) counts[r.operation] = (counts[r.operation] ?? 0) + 1;
    return counts;
  }

  /** Forgets the request log and the in-flight peak (faults stay). */
  public reset() {
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  /** The environment that points the SDK here: see {@link sdkEnv}. */
  public env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return sdkEnv(this.url, extra);
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scope = credentialScope(req);
    const parsed = this.parse(req, url, raw, scope?.service);
    const region = scope?.region ?? 'unknown';
    let identity: Identity | undefined;
    let status = 200;
    const fail = (error: ApiError) => {
      status = error.status;
      if (parsed.protocol === 'awsJson') sendAwsJsonError(res, error);
      else if (parsed.protocol === 'restJson') sendRestJsonError(res, error);
      else sendQueryError(res, error);
    };
    try {
      if (!scope) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      identity = this.identities.identify(scope.accessKeyId, header(req, 'x-amz-security-token'));
      if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
      const fault = this.faults.find(
        (f) =>
          (f.times === undefined || f.times > 0) &&
          (f.operation === undefined || f.operation === parsed.operation || f.operation === `${parsed.service}:*`) &&
          (f.account === undefined || f.account === identity!.account) &&
          (f.region === undefined || f.region === region),
      );
      if (fault) {
        if (fault.times !== undefined) fault.times -= 1;
        throw faultError(parsed.service, fault, identity, parsed.operation, {
          accessKeyId: scope.accessKeyId,
          authorization: req.headers.authorization ?? '',
        });
      }
      this.dispatch(res, parsed, identity, region, url, raw, req.method ?? 'GET');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      fail(e);
    } finally {
      const answered = status === 200 ? res.statusCode : status;
      this.requests.push({ operation: parsed.operation, account: identity?.account, region, target: parsed.target, status: answered });
    }
  }

  private parse(req: IncomingMessage, url: URL, raw: string, signingName: string | undefined): Parsed {
    const target = header(req, 'x-amz-target');
    if (target) {
      const [prefix, operation] = target.split('.');
      return { service: TARGET_SERVICES[prefix] ?? prefix, operation: `${TARGET_SERVICES[prefix] ?? prefix}:${operation}`, protocol: 'awsJson', target };
    }
    if (signingName === 'sts') {
      const action = new URLSearchParams(raw).get('Action') ?? 'unknown';
      return { service: 'sts', operation: `sts:${action}`, protocol: 'awsQuery', target: `Action=${action}` };
    }
    const rest = { method: req.method ?? 'GET', path: url.pathname };
    const operation = signingName === 'lambda' ? lambdaOperation(rest) : signingName === 'batch' ? batchOperation(rest) : undefined;
    return { service: signingName ?? 'unknown', operation: `${signingName ?? 'unknown'}:${operation ?? 'unknown'}`, protocol: 'restJson', target: `${rest.method} ${rest.path}` };
  }

  private dispatch(res: ServerResponse, parsed: Parsed, identity: Identity, region: string, url: URL, raw: string, method: string) {
    const ctx: RegionContext = {
      partition: this.model.partition,
      account: identity.account,
      region,
      data: this.model.accounts[identity.account]?.regions[region] ?? EMPTY_REGION,
      pageSizeCap: this.options.pageSizeCap,
    };
    const [service, operation] = parsed.operation.split(':');
    if (parsed.protocol === 'awsJson') {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const result =
        service === 'ecs'
          ? ECS_OPERATIONS[operation]?.(ctx, body)
          : service === 'ecr'
            ? ECR_OPERATIONS[operation]?.(ctx, body)
            : service === 'organizations'
              ? ORGANIZATIONS_OPERATIONS[operation]?.(this.model, identity.account, body, this.options.pageSizeCap)
              : undefined;
      if (result === undefined) throw new ApiError('UnknownOperationException', `The fake does not serve ${parsed.target}`);
      sendJson(res, 200, result, 'application/x-amz-json-1.1');
    } else if (parsed.protocol === 'restJson') {
      const request: RestRequest = { method, path: url.pathname, query: url.searchParams, body: raw ? JSON.parse(raw) : {} };
      const handler = service === 'lambda' ? LAMBDA_OPERATIONS[operation] : service === 'batch' ? BATCH_OPERATIONS[operation] : undefined;
      if (!handler) throw new ApiError('UnknownOperationException', `The fake does not serve ${parsed.target}`, 404);
      sendJson(res, 200, handler(ctx, request), 'application/json');
    } else {
      const params = new URLSearchParams(raw);
      if (operation === 'GetCallerIdentity') sendQueryResult(res, operation, STS_XMLNS, this.identities.getCallerIdentity(identity));
      else if (operation === 'AssumeRole') sendQueryResult(res, operation, STS_XMLNS, this.identities.assumeRole(identity, params));
      else throw new ApiError('InvalidAction', `Could not find operation ${operation} for version 2011-06-15`);
    }
  }
}

/**
 * The environment that points the SDK's standard configuration at an endpoint: the endpoint for
 * every service, the caller's static credentials, no instance metadata, no shared config files,
 * no profile or region of the machine's own.
 */
export function sdkEnv(url: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: CALLER_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: CALLER_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    ...extra,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Sets environment variables (undefined deletes) and returns a function that restores them. */
export function applyEnv(vars: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => applyEnv(saved);
}

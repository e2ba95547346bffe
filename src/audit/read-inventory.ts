/**
 * The account reader of `cdk-image-pinning audit`: reads what is deployed in one or many AWS
 * accounts and regions into an {@link AuditInventory}.
 *
 * It goes through the SDK's standard configuration (credential chain, profiles, `AWS_REGION`,
 * `AWS_ENDPOINT_URL[_<SERVICE>]`), names the caller with STS GetCallerIdentity, and reads either
 * the caller's account or, through STS AssumeRole into `arn:<partition>:iam::<id>:role/<name>`,
 * each listed account (or each ACTIVE account of the organization). Accounts, regions and calls
 * run concurrently within bounds; every failed call is recorded where it happened and the rest is
 * still read. It only reads (see `operations.ts`) and prints nothing.
 *
 * The SDK clients are loaded when this runs, not when this module is imported.
 */
import type * as batchSdk from '@aws-sdk/client-batch';
import type * as ecsSdk from '@aws-sdk/client-ecs';
import type * as lambdaSdk from '@aws-sdk/client-lambda';
import type * as organizationsSdk from '@aws-sdk/client-organizations';
import type * as stsSdk from '@aws-sdk/client-sts';
import { ApiCalls, CallScope } from './api-calls';
import {
  AccountInventory,
  AUDIT_SERVICES,
  AuditError,
  AuditInventory,
  AuditService,
  ReadStatus,
  RegionInventory,
} from './model';
import { AuditOptionsError, AuditReadOptions, ResolvedAuditOptions, resolveAuditOptions } from './options';
import { listAll } from './pages';
import { readBatch } from './read-batch';
import { readEcs } from './read-ecs';
import { readLambda } from './read-lambda';
import { refreshingCredentials } from '../aws/assume-role';
import { Redactor } from '../aws/aws-error';
import { AwsCredentialsProvider, clientConfig } from '../aws/client-config';
import { Limiter } from '../aws/limiter';
import { partitionOfArn, partitionOfRegion, roleArn } from '../aws/partition';
import { loadSdks, SdkPackage } from '../aws/sdk';

const PURPOSE = 'audit';
const PROGRESS_INTERVAL_MS = 100;

interface Sdks {
  readonly sts: typeof stsSdk;
  readonly ecs?: typeof ecsSdk;
  readonly lambda?: typeof lambdaSdk;
  readonly batch?: typeof batchSdk;
  readonly organizations?: typeof organizationsSdk;
}

/** An account to read, and how. */
interface Target {
  readonly accountId: string;
  readonly name?: string;
  readonly roleArn?: string;
}

/** What one run shares: options, SDK modules, the call door, the caller's STS client. */
interface Run {
  readonly options: ResolvedAuditOptions;
  readonly sdk: Sdks;
  readonly calls: ApiCalls;
  readonly sts: stsSdk.STSClient;
  readonly regions: string[];
  readonly progress: { accountsDone: number; accountsTotal: number; regionsDone: number; regionsTotal: number };
}

/** The SDK clients this run needs, all checked at once: one error names every missing package. */
function loadClients(options: ResolvedAuditOptions): Sdks {
  const wants = (s: AuditService) => options.services.includes(s);
  const names: SdkPackage[] = [
    '@aws-sdk/client-sts',
    ...(wants('ecs') ? ['@aws-sdk/client-ecs' as const] : []),
    ...(wants('lambda') ? ['@aws-sdk/client-lambda' as const] : []),
    ...(wants('batch') ? ['@aws-sdk/client-batch' as const] : []),
    ...(options.organization ? ['@aws-sdk/client-organizations' as const] : []),
  ];
  const sdk = loadSdks(names, PURPOSE);
  return {
    sts: sdk['@aws-sdk/client-sts'] as typeof stsSdk,
    ecs: sdk['@aws-sdk/client-ecs'] as typeof ecsSdk | undefined,
    lambda: sdk['@aws-sdk/client-lambda'] as typeof lambdaSdk | undefined,
    batch: sdk['@aws-sdk/client-batch'] as typeof batchSdk | undefined,
    organizations: sdk['@aws-sdk/client-organizations'] as typeof organizationsSdk | undefined,
  };
}

function byErrorOrder(a: AuditError, b: AuditError): number {
  const ka = `${a.account ?? ''} ${a.region ?? ''} ${a.operation} ${a.resource ?? ''} ${a.code}`;
  const kb = `${b.account ?? ''} ${b.region ?? ''} ${b.operation} ${b.resource ?? ''} ${b.code}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The worst of several statuses: all complete is complete, all failed is failed, else partial. */
function combine(statuses: ReadStatus[]): ReadStatus {
  const read = statuses.filter((s) => s !== 'skipped');
  if (read.length === 0) return 'skipped';
  if (read.every((s) => s === 'complete')) return 'complete';
  if (read.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}

function emptyRegion(accountId: string, region: string, services: readonly AuditService[], status: ReadStatus): RegionInventory {
  const coverage = Object.fromEntries(AUDIT_SERVICES.map((s) => [s, services.includes(s) ? status : 'skipped'])) as Record<AuditService, ReadStatus>;
  return {
    accountId,
    region,
    coverage,
    clusters: [],
    taskDefinitions: [],
    services: [],
    tasks: [],
    lambdaFunctions: [],
    batchJobDefinitions: [],
    errors: [],
    calls: {},
  };
}

/** Reads the accounts and regions the options name. Rejects only for options that cannot be used (nothing was read). */
export async function readAuditInventory(input: AuditReadOptions): Promise<AuditInventory> {
  const options = resolveAuditOptions(input);
  const sdk = loadClients(options);
  const redactor = new Redactor();
  redactor.add(process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN);
  const calls = new ApiCalls(new Limiter(options.maxConcurrentCalls), redactor);
  const global = new CallScope();

  const sts = new sdk.sts.STSClient(clientConfig({ region: options.regions[0], profile: options.profile, maxAttempts: options.maxAttempts }));
  try {
    let regions = options.regions;
    if (regions.length === 0) {
      try {
        regions = [await sts.config.region()];
      } catch {
        throw new AuditOptionsError('no region to read: give one with --region (repeatable) or set AWS_REGION');
      }
    }
    const scope = { regions, services: options.services, allRevisions: options.allRevisions, clusters: options.clusters };

    // The caller's own keys, as resolved by the credential chain, are never printed.
    try {
      const own = await sts.config.credentials();
      redactor.add(own.accessKeyId, own.secretAccessKey, own.sessionToken);
    } catch {
      // The first call reports the missing credentials with the SDK's message.
    }
    const identity = await calls.send(global, 'sts:GetCallerIdentity', () => sts.send(new sdk.sts.GetCallerIdentityCommand({})));
    const finish = (accounts: AccountInventory[]): AuditInventory => {
      const statuses = [...accounts.map((a) => a.status), ...(global.errors.length ? ['partial' as const] : [])];
      return {
        ...(identity?.Account && identity.Arn
          ? { caller: { account: identity.Account, arn: identity.Arn, partition: partitionOfArn(identity.Arn) ?? partitionOfRegion(regions[0]) } }
          : {}),
        scope,
        accounts,
        errors: global.errors.sort(byErrorOrder),
        calls: { ...calls.calls },
        retries: { ...calls.retries },
        status: accounts.length === 0 ? 'failed' : combine(statuses),
      };
    };
    if (!identity?.Account) return finish([]);
    const partition = partitionOfArn(identity.Arn ?? '') ?? partitionOfRegion(regions[0]);

    const targets = await listTargets(options, sdk, calls, global, identity.Account, partition, regions[0]);
    const run: Run = {
      options,
      sdk,
      calls,
      sts,
      regions,
      progress: { accountsDone: 0, accountsTotal: targets.length, regionsDone: 0, regionsTotal: targets.length * regions.length },
    };
    // Within a region too, the count of calls moves on: told at most ten times a second.
    if (options.onProgress) {
      let told = 0;
      calls.onCall = () => {
        const now = Date.now();
        if (now - told < PROGRESS_INTERVAL_MS) return;
        told = now;
        report(run);
      };
    }
    const accounts = await new Limiter(options.maxConcurrentAccounts).map(targets, (t) => readAccount(run, t));
    return finish(accounts);
  } finally {
    sts.destroy();
  }
}

/** The accounts to read: the caller's, the listed ones, or the organization's ACTIVE accounts. */
async function listTargets(
  options: ResolvedAuditOptions,
  sdk: Sdks,
  calls: ApiCalls,
  global: CallScope,
  callerAccount: string,
  partition: string,
  region: string,
): Promise<Target[]> {
  const role = (id: string) => roleArn(partition, id, options.assumeRoleName!);
  if (options.accounts.length > 0) return options.accounts.map((id) => ({ accountId: id, roleArn: role(id) }));
  if (!options.organization) return [{ accountId: callerAccount }];
  const client = new sdk.organizations!.OrganizationsClient(clientConfig({ region, profile: options.profile, maxAttempts: options.maxAttempts }));
  try {
    const listed = await listAll(async (NextToken) => {
      const r = await calls.send(global, 'organizations:ListAccounts', () =>
        client.send(new sdk.organizations!.ListAccountsCommand({ MaxResults: 20, NextToken })));
      return r && { items: r.Accounts, next: r.NextToken };
    });
    // `State` replaces the deprecated `Status`; accept either.
    return listed
      .filter((a) => a.Id && ((a.State as string | undefined) ?? a.Status) === 'ACTIVE')
      .map((a) => ({ accountId: a.Id!, ...(a.Name ? { name: a.Name } : {}), roleArn: role(a.Id!) }));
  } finally {
    client.destroy();
  }
}

async function readAccount(run: Run, target: Target): Promise<AccountInventory> {
  const { options, sdk, calls } = run;
  const scope = new CallScope(target.accountId);
  let credentials: AwsCredentialsProvider | undefined;
  if (target.roleArn) {
    const arn = target.roleArn;
    // The first AssumeRole waits for a slot like any call; renewals happen inside another call
    // (the SDK asks for credentials while sending), which already holds a slot.
    let renewal = false;
    credentials = refreshingCredentials(async () => {
      const r = await calls.send(scope, 'sts:AssumeRole', () =>
        run.sts.send(new sdk.sts.AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: options.roleSessionName,
          ...(options.externalId ? { ExternalId: options.externalId } : {}),
        })), { resource: arn, unbounded: renewal });
      const c = r?.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`could not assume ${arn}`);
      calls.redactor.add(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    });
    try {
      await credentials();
      renewal = true;
    } catch {
      // Recorded on the account's scope: no region of it can be read.
      run.progress.accountsDone += 1;
      run.progress.regionsDone += run.regions.length;
      report(run, target.accountId);
      return {
        accountId: target.accountId,
        ...(target.name ? { name: target.name } : {}),
        roleArn: arn,
        errors: scope.errors.sort(byErrorOrder),
        regions: run.regions.map((r) => emptyRegion(target.accountId, r, options.services, 'failed')),
        status: 'failed',
      };
    }
  }
  const regions = await Promise.all(run.regions.map((region) => readRegion(run, target.accountId, region, credentials)));
  run.progress.accountsDone += 1;
  report(run, target.accountId);
  return {
    accountId: target.accountId,
    ...(target.name ? { name: target.name } : {}),
    ...(target.roleArn ? { roleArn: target.roleArn } : {}),
    errors: scope.errors.sort(byErrorOrder),
    regions,
    status: combine([...regions.flatMap((r) => Object.values(r.coverage)), ...(scope.errors.length ? ['partial' as const] : [])]),
  };
}

async function readRegion(run: Run, accountId: string, region: string, credentials: AwsCredentialsProvider | undefined): Promise<RegionInventory> {
  const { options, sdk, calls } = run;
  const scope = new CallScope(accountId, region);
  const config = clientConfig({ region, profile: credentials ? undefined : options.profile, credentials, maxAttempts: options.maxAttempts });
  const ecs = sdk.ecs && new sdk.ecs.ECSClient(config);
  const lambda = sdk.lambda && new sdk.lambda.LambdaClient(config);
  const batch = sdk.batch && new sdk.batch.BatchClient(config);
  try {
    const [ecsRead, lambdaFunctions, batchJobDefinitions] = await Promise.all([
      ecs && sdk.ecs
        ? readEcs({ calls, scope, sdk: sdk.ecs, client: ecs, allRevisions: options.allRevisions, clusters: options.clusters })
        : undefined,
      lambda && sdk.lambda ? readLambda({ calls, scope, sdk: sdk.lambda, client: lambda }) : [],
      batch && sdk.batch ? readBatch({ calls, scope, sdk: sdk.batch, client: batch }) : [],
    ]);
    const coverage = Object.fromEntries(
      AUDIT_SERVICES.map((s) => [s, options.services.includes(s) ? scope.status(s) : 'skipped']),
    ) as Record<AuditService, ReadStatus>;
    return {
      accountId,
      region,
      coverage,
      clusters: ecsRead?.clusters ?? [],
      taskDefinitions: ecsRead?.taskDefinitions ?? [],
      services: ecsRead?.services ?? [],
      tasks: ecsRead?.tasks ?? [],
      lambdaFunctions,
      batchJobDefinitions,
      errors: scope.errors.sort(byErrorOrder),
      calls: scope.calls,
    };
  } finally {
    ecs?.destroy();
    lambda?.destroy();
    batch?.destroy();
    run.progress.regionsDone += 1;
    report(run, accountId, region);
  }
}

function report(run: Run, account?: string, region?: string) {
  run.options.onProgress?.({ ...run.progress, calls: run.calls.total, ...(account ? { account } : {}), ...(region ? { region } : {}) });
}

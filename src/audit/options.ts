/**
 * What the account reader is asked to read, and how hard it may push: the options of
 * `cdk-image-pinning audit` as data, checked before any call is made.
 */
import { AUDIT_SERVICES, AuditService } from './model';

export interface AuditProgress {
  readonly accountsDone: number;
  readonly accountsTotal: number;
  readonly regionsDone: number;
  readonly regionsTotal: number;
  /** API calls made so far. */
  readonly calls: number;
  /** The account and region just finished, if any. */
  readonly account?: string;
  readonly region?: string;
}

export interface AuditReadOptions {
  /** Regions to read (`--region`, repeatable). @default - the SDK's configured region (`AWS_REGION`, the profile's) */
  readonly regions?: string[];
  /** A profile of the shared AWS config files (`--profile`). @default - the default credential chain */
  readonly profile?: string;
  /** Accounts to read through `assumeRoleName` (`--accounts`). */
  readonly accounts?: string[];
  /** Read every ACTIVE account of the organization (Organizations ListAccounts) through `assumeRoleName`. */
  readonly organization?: boolean;
  /** The role to assume in each account (`--assume-role`), by name. */
  readonly assumeRoleName?: string;
  /** @default 'cdk-image-pinning-audit' */
  readonly roleSessionName?: string;
  /** The external id the roles require, if any. */
  readonly externalId?: string;
  /** Every ACTIVE task definition revision, not only the latest of each family and those in use (`--all-revisions`). */
  readonly allRevisions?: boolean;
  /** Narrow ECS to these clusters, by name or ARN (`--cluster`, repeatable). */
  readonly clusters?: string[];
  /** @default - ecs, lambda and batch */
  readonly services?: AuditService[];
  /** API calls in flight at once, over all accounts and regions. @default 8 */
  readonly maxConcurrentCalls?: number;
  /** Accounts read at once. @default 4 */
  readonly maxConcurrentAccounts?: number;
  /** Attempts per call, retries on throttling included (the SDK's adaptive mode). @default 5 */
  readonly maxAttempts?: number;
  /** Told as accounts and regions finish; the reader itself prints nothing. */
  readonly onProgress?: (progress: AuditProgress) => void;
}

const AUDIT_OPTIONS_ERROR = Symbol.for('cdk-image-pinning.AuditOptionsError');

/** Options that cannot be read as given; nothing was called. */
export class AuditOptionsError extends Error {
  public static isAuditOptionsError(error: unknown): error is AuditOptionsError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[AUDIT_OPTIONS_ERROR] === true;
  }

  constructor(message: string) {
    super(message);
    this.name = 'AuditOptionsError';
    Object.defineProperty(this, AUDIT_OPTIONS_ERROR, { value: true });
  }
}

export interface ResolvedAuditOptions {
  readonly regions: string[];
  readonly profile?: string;
  readonly accounts: string[];
  readonly organization: boolean;
  readonly assumeRoleName?: string;
  readonly roleSessionName: string;
  readonly externalId?: string;
  readonly allRevisions: boolean;
  readonly clusters: string[];
  readonly services: AuditService[];
  readonly maxConcurrentCalls: number;
  readonly maxConcurrentAccounts: number;
  readonly maxAttempts?: number;
  readonly onProgress?: (progress: AuditProgress) => void;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new AuditOptionsError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Checks the options and fills in the defaults. */
export function resolveAuditOptions(options: AuditReadOptions): ResolvedAuditOptions {
  const regions = [...new Set(options.regions ?? [])];
  for (const r of regions) if (!REGION.test(r)) throw new AuditOptionsError(`not a region name: ${JSON.stringify(r)} (e.g. eu-west-1)`);
  const accounts = [...new Set(options.accounts ?? [])];
  for (const a of accounts) if (!ACCOUNT.test(a)) throw new AuditOptionsError(`not an AWS account id: ${JSON.stringify(a)} (12 digits)`);
  if (accounts.length > 0 && options.organization) {
    throw new AuditOptionsError('give either a list of accounts or the organization, not both');
  }
  const manyAccounts = accounts.length > 0 || options.organization === true;
  if (manyAccounts && !options.assumeRoleName) {
    throw new AuditOptionsError('reading other accounts needs the name of the role to assume in each (--assume-role)');
  }
  if (!manyAccounts && options.assumeRoleName) {
    throw new AuditOptionsError('a role to assume needs the accounts to assume it in (--accounts or --organization)');
  }
  if (options.assumeRoleName && !ROLE_NAME.test(options.assumeRoleName)) {
    throw new AuditOptionsError(`not an IAM role name: ${JSON.stringify(options.assumeRoleName)}`);
  }
  const roleSessionName = options.roleSessionName ?? 'cdk-image-pinning-audit';
  if (!SESSION_NAME.test(roleSessionName)) throw new AuditOptionsError(`not a role session name: ${JSON.stringify(roleSessionName)}`);
  const services = [...new Set(options.services ?? AUDIT_SERVICES)];
  for (const s of services) if (!AUDIT_SERVICES.includes(s)) throw new AuditOptionsError(`not a service the audit reads: ${JSON.stringify(s)}`);
  if (services.length === 0) throw new AuditOptionsError('no service to read');
  return {
    regions,
    ...(options.profile ? { profile: options.profile } : {}),
    accounts,
    organization: options.organization === true,
    ...(options.assumeRoleName ? { assumeRoleName: options.assumeRoleName } : {}),
    roleSessionName,
    ...(options.externalId ? { externalId: options.externalId } : {}),
    allRevisions: options.allRevisions === true,
    clusters: [...new Set(options.clusters ?? [])],
    services: AUDIT_SERVICES.filter((s) => services.includes(s)),
    maxConcurrentCalls: positive('maxConcurrentCalls', options.maxConcurrentCalls, 8),
    maxConcurrentAccounts: positive('maxConcurrentAccounts', options.maxConcurrentAccounts, 4),
    ...(options.maxAttempts !== undefined ? { maxAttempts: positive('maxAttempts', options.maxAttempts, 5) } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}

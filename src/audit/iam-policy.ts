/**
 * The least-privilege IAM policies the audit needs, built from the table of operations it calls
 * (`operations.ts`): for the caller, and with `--accounts`/`--organization` for the role it
 * assumes in each account. Plain policy documents, ready to print as JSON.
 */
import { AUDIT_SERVICES, AuditService } from './model';
import { AUDIT_OPERATIONS, ALL_AUDIT_OPERATIONS, AuditOperation } from './operations';

export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string | string[];
}

export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: IamStatement[];
}

export interface AuditIamPolicies {
  /** What the identity running the audit needs. */
  readonly caller: IamPolicyDocument;
  /** What the role assumed in each account needs (with `--assume-role`). */
  readonly assumedRole?: IamPolicyDocument;
}

export interface AuditIamPolicyOptions {
  /** The role assumed in each account; without it the caller reads its own account. */
  readonly assumeRoleName?: string;
  /** The accounts to assume into; every account (`*`) when absent. */
  readonly accounts?: string[];
  /** Whether the accounts come from Organizations ListAccounts. */
  readonly organization?: boolean;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default every service */
  readonly services?: AuditService[];
}

const SERVICE_SID: Record<AuditService, string> = { ecs: 'ReadEcs', lambda: 'ReadLambdaImageFunctions', batch: 'ReadBatchJobDefinitions' };

/** The operations a reader identity calls for these services. */
function readerOperations(services: readonly AuditService[]): AuditOperation[] {
  return ALL_AUDIT_OPERATIONS.filter((op) => {
    const info = AUDIT_OPERATIONS[op];
    return info.principal === 'reader' && (services as readonly string[]).includes(info.when);
  });
}

function readStatements(services: readonly AuditService[]): IamStatement[] {
  const ops = readerOperations(services);
  return AUDIT_SERVICES.filter((s) => services.includes(s)).map((service) => ({
    Sid: SERVICE_SID[service],
    Effect: 'Allow' as const,
    // These List/Describe/Get actions do not support resource-level permissions, hence `*`.
    Action: ops.filter((op) => AUDIT_OPERATIONS[op].when === service).sort(),
    Resource: '*',
  }));
}

/** The policies for the given audit options. */
export function auditIamPolicies(options: AuditIamPolicyOptions = {}): AuditIamPolicies {
  const services = options.services ?? [...AUDIT_SERVICES];
  const partition = options.partition ?? 'aws';
  const document = (statements: IamStatement[]): IamPolicyDocument => ({ Version: '2012-10-17', Statement: statements });
  if (!options.assumeRoleName) return { caller: document(readStatements(services)) };

  const accounts = options.accounts?.length && !options.organization ? [...options.accounts].sort() : ['*'];
  const caller: IamStatement[] = [
    {
      Sid: 'AssumeAuditRole',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: accounts.map((account) => `arn:${partition}:iam::${account}:role/${options.assumeRoleName}`),
    },
  ];
  if (options.organization) {
    // ListAccounts does not support resource-level permissions.
    caller.push({ Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: ['organizations:ListAccounts'], Resource: '*' });
  }
  return { caller: document(caller), assumedRole: document(readStatements(services)) };
}

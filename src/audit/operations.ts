/**
 * Every AWS API call the audit makes, as data: the IAM action, who needs the permission (the
 * caller, or the identity that reads an account: the caller's own or an assumed role), and when.
 *
 * The reader can only call what is listed here (its calls are typed by this table), the IAM
 * policy of `--print-iam-policy` is built from it, and a test checks against the test endpoint
 * that the reader calls every listed operation and no other. All are reads: `Describe*`,
 * `List*`, `Get*`, and `sts:AssumeRole`, which grants nothing by itself.
 */

export interface OperationInfo {
  /** `caller`: the identity running the audit; `reader`: whoever reads an account's resources. */
  readonly principal: 'caller' | 'reader';
  /** When it is called: always, with `accounts`/`organization` (assume), with `organization`, or for one service. */
  readonly when: 'always' | 'assume' | 'organization' | 'ecs' | 'lambda' | 'batch';
  /** False when IAM requires no permission for it (`sts:GetCallerIdentity`). */
  readonly needsPermission: boolean;
  readonly why: string;
}

export const AUDIT_OPERATIONS = {
  'sts:GetCallerIdentity': { principal: 'caller', when: 'always', needsPermission: false, why: 'names the account and partition the audit runs as' },
  'sts:AssumeRole': { principal: 'caller', when: 'assume', needsPermission: true, why: 'reads each listed account through the role named by --assume-role' },
  'organizations:ListAccounts': { principal: 'caller', when: 'organization', needsPermission: true, why: 'lists the active accounts of the organization (--organization)' },
  'ecs:ListClusters': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'finds the clusters of each region' },
  'ecs:DescribeClusters': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'names the clusters (and checks those given with --cluster)' },
  'ecs:ListServices': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'finds the services of each cluster' },
  'ecs:DescribeServices': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'reads each service\'s deployments and current revisions' },
  'ecs:DescribeServiceRevisions': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'reads the image digests ECS resolved for each revision' },
  'ecs:ListTasks': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'finds the running tasks of each cluster' },
  'ecs:DescribeTasks': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'reads the image and digest each running container started from' },
  'ecs:ListTaskDefinitions': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'finds the ACTIVE task definition revisions' },
  'ecs:DescribeTaskDefinition': { principal: 'reader', when: 'ecs', needsPermission: true, why: 'reads the images of each selected task definition' },
  'lambda:ListFunctions': { principal: 'reader', when: 'lambda', needsPermission: true, why: 'finds the functions of package type Image' },
  'lambda:GetFunction': { principal: 'reader', when: 'lambda', needsPermission: true, why: 'reads Code.ImageUri and Code.ResolvedImageUri' },
  'batch:DescribeJobDefinitions': { principal: 'reader', when: 'batch', needsPermission: true, why: 'reads the images of the ACTIVE job definitions' },
} as const satisfies Record<string, OperationInfo>;

/** An operation the audit may call. */
export type AuditOperation = keyof typeof AUDIT_OPERATIONS;

export const ALL_AUDIT_OPERATIONS = Object.keys(AUDIT_OPERATIONS) as AuditOperation[];

/**
 * `cdk-image-pinning audit`: reads what is deployed in AWS accounts (ECS task definitions,
 * services and running tasks, Lambda image functions, Batch job definitions) through the AWS
 * SDK's standard configuration, runs the shared check over every image (the policy flags and
 * policy file of `scan`), and with `--lock-file` compares what runs with what was locked.
 *
 * It only reads: every call is a List, Describe or Get (and STS AssumeRole into the accounts
 * named); `--print-iam-policy` prints the policy that allows exactly those, without any call.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildAuditReport } from './audit-report';
import { formatAuditJson } from './format-audit-json';
import { formatAuditSarif } from './format-audit-sarif';
import { formatAuditTable, readErrorText } from './format-audit-table';
import {
  AUDIT_SERVICES,
  AuditInventory,
  auditIamPolicies,
  AuditOptionsError,
  AuditReadOptions,
  AuditService,
  IamPolicyDocument,
  LockedImages,
  readAuditInventory,
  SdkMissingError,
  terminalProgress,
} from '../../audit';
import { resolveAuditOptions } from '../../audit/options';
import { partitionOfRegion } from '../../aws/partition';
import { CheckSettings, compileOptions } from '../../check/check-settings';
import { POLICY_FILE_CONTEXT } from '../../check/policy-file';
import { PinningReason } from '../../policy/image-verdict';
import { PinningLevel } from '../../policy/pinning-level';
import { COLOR_OPTION_HELP, NO_COLOR_OPTION_HELP, painter, shouldColour } from '../colour';
import { oneLine } from '../input-error';
import { packageInfo } from '../package-info';
import { addPolicyOptions, optionsFrom, parseUnlocked, PolicyFlags } from '../policy-options';
import { terminalText } from '../terminal-text';

/** What the command reads and writes: `main`'s streams, environment and directory. */
export interface AuditIo {
  readonly stdout: { readonly isTTY?: boolean; write(text: string): unknown };
  readonly stderr: { readonly isTTY?: boolean; write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export type AuditFormat = 'table' | 'json' | 'sarif';
const FORMATS: readonly AuditFormat[] = ['table', 'json', 'sarif'];

export interface AuditFlags extends PolicyFlags {
  readonly region?: string[];
  readonly profile?: string;
  readonly accounts?: string[];
  readonly organization?: boolean;
  readonly assumeRole?: string;
  readonly externalId?: string;
  readonly allRevisions?: boolean;
  readonly cluster?: string[];
  readonly services?: AuditService[];
  readonly maxAttempts?: number;
  readonly printIamPolicy?: boolean;
  readonly format: AuditFormat;
  readonly inventory?: boolean;
  readonly output?: string;
  /** `--color` true, `--no-color` false, neither undefined (colour.ts decides). */
  readonly color?: boolean;
}

/** The SDK's warning that its releases after early January 2027 need Node 22 (see the README). */
const NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

const HELP_AFTER = `
The AWS SDK's standard configuration applies: the default credential chain, AWS_PROFILE or
--profile, AWS_REGION or --region, and endpoints from AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_ECS,
_LAMBDA, _BATCH, _STS, _ORGANIZATIONS. The SDK is not a dependency of this package: install
@aws-sdk/client-ecs @aws-sdk/client-lambda @aws-sdk/client-batch @aws-sdk/client-sts (and
@aws-sdk/client-organizations for --organization) next to it.

Examples:
  $ cdk-image-pinning audit --print-iam-policy                  the read-only IAM policy it needs (no AWS call)
  $ cdk-image-pinning audit --region eu-west-1 --region us-east-1
  $ cdk-image-pinning audit --lock-file cdk-image-pinning.lock.json --inventory
  $ cdk-image-pinning audit --organization --assume-role ImagePinningAudit --format sarif -o audit.sarif

The policy file is the JSON file the library reads through the CDK context key
${POLICY_FILE_CONTEXT}; options given here override its keys.

Exit codes:
  0  no finding is an error (warnings are allowed)
  1  a finding is an error: an unpinned image, or with --lock-file drift, a mixed deployment, or a
     container with version consistency disabled and no digest
  2  a usage error, a bad policy or lock file, a missing SDK package, or a call that failed (each is
     named on stderr and in the report; every other account, region and call is still audited)
`;

const ACCOUNT_ID = /^\d{12}$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** `--region <region>`, repeatable. */
function collectRegion(value: string, previous: string[] | undefined): string[] {
  if (!REGION_NAME.test(value)) throw new InvalidArgumentError('not a region name (e.g. eu-west-1).');
  return [...(previous ?? []), value];
}

/** `--accounts <ids>`: comma-separated 12-digit account ids, repeatable. */
function collectAccounts(value: string, previous: string[] | undefined): string[] {
  const ids = value.split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  const bad = ids.find((a) => !ACCOUNT_ID.test(a));
  if (bad !== undefined || ids.length === 0) throw new InvalidArgumentError(`${JSON.stringify(bad ?? value)} is not an AWS account id (12 digits).`);
  return [...(previous ?? []), ...ids];
}

/** `--services <list>`: comma-separated, of ecs, lambda, batch. */
function collectServices(value: string, previous: AuditService[] | undefined): AuditService[] {
  const services = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  const bad = services.find((s) => !(AUDIT_SERVICES as readonly string[]).includes(s));
  if (bad !== undefined || services.length === 0) throw new InvalidArgumentError(`write ${AUDIT_SERVICES.join(', ')} or a comma-separated list of them.`);
  return [...(previous ?? []), ...(services as AuditService[])];
}

/** `--max-attempts <n>`: a positive integer. */
function parseAttempts(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('write a positive whole number.');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Adds `audit` to the program. `done` receives the exit code when the command has finished;
 * every expected failure is one line on stderr and exit code 2, never a stack trace.
 */
export function addAuditCommand(program: Command, io: AuditIo, done: (exitCode: number) => void): Command {
  const name = packageInfo().name;
  const audit = program
    .command('audit')
    .description(
      'Audit AWS accounts: every image of the deployed ECS task definitions, Lambda image functions and Batch job definitions, ' +
        'judged by the same check as scan; with --lock-file, what runs (the digests of running tasks, service revisions and ' +
        'functions) against what was locked. Only reads.',
    )
    .option('--profile <name>', 'a profile of the shared AWS config files (default: AWS_PROFILE, or the default credential chain)')
    .option('--region <region>', 'a region to audit (repeatable; default: AWS_REGION or the profile\'s region)', collectRegion)
    .option('--accounts <ids>', 'comma-separated account ids to audit through --assume-role (repeatable)', collectAccounts)
    .option('--organization', 'audit every ACTIVE account of the organization (Organizations ListAccounts) through --assume-role')
    .option('--assume-role <name>', 'the name of the role to assume in each account with --accounts or --organization')
    .option('--external-id <id>', 'the external id the roles require, if any')
    .option('--all-revisions', 'every ACTIVE task definition revision, not only the latest of each family and those that run')
    .option('--cluster <name>', 'audit only this ECS cluster, by name or ARN (repeatable)', collect)
    .option('--services <list>', `the services to read, comma-separated (default: ${AUDIT_SERVICES.join(',')})`, collectServices)
    .option('--max-attempts <n>', 'attempts per call, retries after throttling included, with the SDK\'s adaptive backoff (default: 5)', parseAttempts)
    .option(
      '--lock-file <file>',
      'the lock file (cdk-image-pinning lock writes it): an image whose tag is not in it is reported as --unlocked says, and what runs is ' +
        'compared with it (drift, mixed deployments, version consistency disabled for an image without a digest)',
    )
    .option('--unlocked <action>', 'error, warn or ignore images whose tag is not in the lock file (default: warn)', parseUnlocked)
    .option('--print-iam-policy', 'print the read-only IAM policy the audit needs, for these options, and exit (no AWS call)');
  return addPolicyOptions(audit, {
    trustImmutableTags: 'a tag counts as pinned when it cannot move (the default; the audit reads no ECR repository, so no tag is known to be immutable)',
    excludeResourceType: 'a resource type not to check: AWS::ECS::TaskDefinition, AWS::Lambda::Function or AWS::Batch::JobDefinition (repeatable)',
  })
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--inventory', 'list every deployed image: where it is configured and runs, and its digest')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--color', COLOR_OPTION_HELP)
    .option('--no-color', NO_COLOR_OPTION_HELP)
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError(`(${name} audit --help for the options)`)
    .action(async (flags: AuditFlags) => {
      done(await auditCommand(flags, io, name));
    });
}

/** The read options the flags ask for (checked by the reader's own validation). */
export function readOptionsOf(flags: AuditFlags): AuditReadOptions {
  return {
    ...(flags.region ? { regions: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.accounts ? { accounts: flags.accounts } : {}),
    ...(flags.organization ? { organization: true } : {}),
    ...(flags.assumeRole ? { assumeRoleName: flags.assumeRole } : {}),
    ...(flags.externalId ? { externalId: flags.externalId } : {}),
    ...(flags.allRevisions ? { allRevisions: true } : {}),
    ...(flags.cluster ? { clusters: flags.cluster } : {}),
    ...(flags.services ? { services: flags.services } : {}),
    ...(flags.maxAttempts !== undefined ? { maxAttempts: flags.maxAttempts } : {}),
  };
}

async function auditCommand(flags: AuditFlags, io: AuditIo, name: string): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`${name}: ${terminalText(oneLine(message))}\n`);
    return 2;
  };
  let settings: CheckSettings;
  let allowed: (image: string) => boolean;
  const readOptions = readOptionsOf(flags);
  try {
    // The policy file and the lock file are read by the shared options, as scan reads them.
    const options = optionsFrom(flags);
    settings = compileOptions(options);
    // At level DIGEST every image without a digest fails, unless the allowed images name it.
    const digestPolicy = compileOptions({ ...options, level: PinningLevel.DIGEST }).policy;
    allowed = (image) => digestPolicy.evaluate(image).reason === PinningReason.ALLOWED;
    resolveAuditOptions(readOptions);
  } catch (e) {
    return fail((e as Error).message);
  }

  if (flags.printIamPolicy) {
    if (flags.format === 'sarif') return fail('--print-iam-policy prints the policy as text or JSON (--format table or json), not SARIF');
    return write(iamPolicyText(readOptions, flags.format, io.env), flags.output, io, name, 0);
  }

  // The lock of `--lock-file` (or of the policy file), read by the shared options: what runs is compared with it too.
  const lock: { file: string; images: LockedImages } | undefined = settings.lock && {
    file: flags.lockFile ?? settings.lock.file,
    images: settings.lock.lock.images,
  };

  // The SDK's Node 20 notice is about its own future releases, not this run: kept off stderr
  // unless the environment says otherwise (README, "Auditing an AWS account").
  if (process.env[NODE_WARNING_SWITCH] === undefined) process.env[NODE_WARNING_SWITCH] = 'true';
  const progress = terminalProgress(io.stderr);
  let inventory: AuditInventory;
  try {
    inventory = await readAuditInventory({ ...readOptions, ...(progress ? { onProgress: progress.onProgress } : {}) });
  } catch (e) {
    if (SdkMissingError.isSdkMissingError(e) || AuditOptionsError.isAuditOptionsError(e)) return fail(e.message);
    throw e;
  } finally {
    progress?.done();
  }

  const report = buildAuditReport(inventory, settings, lock, { allowed });
  for (const e of report.readErrors) io.stderr.write(`${name}: ${terminalText(readErrorText(e))}\n`);
  const tool = packageInfo();
  const inventoryFlag = flags.inventory === true;
  let text: string;
  switch (flags.format) {
    case 'json':
      text = formatAuditJson(report, { inventory: inventoryFlag, tool });
      break;
    case 'sarif':
      text = formatAuditSarif(report, { inventory: inventoryFlag, tool });
      break;
    default: {
      const colour = !flags.output && shouldColour({ isTTY: io.stdout.isTTY, env: io.env, flag: flags.color });
      text = formatAuditTable(report, { inventory: inventoryFlag, paint: painter(colour) });
    }
  }
  return write(text, flags.output, io, name, report.exitCode);
}

function write(text: string, output: string | undefined, io: AuditIo, name: string, exitCode: number): number {
  if (output === undefined) {
    io.stdout.write(text);
    return exitCode;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, output), text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`${name}: cannot write the report to ${terminalText(output)}${code ? ` (${code})` : ''}\n`);
    return 2;
  }
  return exitCode;
}

/**
 * The IAM policies for these options, as text (each document under a line that says who needs
 * it) or as JSON (`{ "caller": ..., "assumedRole": ... }`). The partition is that of the first
 * region given (or AWS_REGION); nothing is called.
 */
export function iamPolicyText(options: AuditReadOptions, format: 'table' | 'json', env: NodeJS.ProcessEnv): string {
  const region = options.regions?.[0] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const policies = auditIamPolicies({
    ...(options.assumeRoleName ? { assumeRoleName: options.assumeRoleName } : {}),
    ...(options.accounts ? { accounts: options.accounts } : {}),
    ...(options.organization ? { organization: true } : {}),
    ...(options.services ? { services: options.services } : {}),
    partition: region ? partitionOfRegion(region) : 'aws',
  });
  if (format === 'json') return `${JSON.stringify(policies, undefined, 2)}\n`;
  const doc = (d: IamPolicyDocument) => JSON.stringify(d, undefined, 2);
  if (!policies.assumedRole) {
    return `# The identity that runs the audit (your credentials' user or role) needs this policy; all its actions only read:\n${doc(policies.caller)}\n`;
  }
  return (
    `# The identity that runs the audit (your credentials' user or role) needs this policy:\n${doc(policies.caller)}\n\n` +
    `# The role ${options.assumeRoleName} in each audited account needs this policy (all its actions only read), and a trust policy ` +
    'that lets the identity above assume it:\n' +
    `${doc(policies.assumedRole)}\n`
  );
}

/**
 * The audit report as SARIF 2.1.0: the driver with one rule per rule id (the sources table's
 * rules and the audit's `ImagePinning-AUDIT1` to `3`), one result per finding located by the ARN
 * of what holds the image (there is no file) and a logical location
 * `<account>/<region>/<cluster>/<service>/<resource>/<container>`, and each call that failed as a
 * tool execution notification (the invocation is then not successful). With `--inventory`,
 * compliant images are results of kind `pass`.
 *
 * Each result has `partialFingerprints` (`cdkImagePinning/v1`, as scan's: fingerprint.ts) over
 * what stays when the account changes around it: the rule id, the account and region, the
 * cluster and service, what holds the image by its ARN without the revision (registering a new
 * task or job definition revision keeps the alert), the container's label and the image's name
 * without tag or digest. No digest, task id or message is part of it.
 */
import { AuditFinding } from './audit-findings';
import { AuditReport } from './audit-report';
import { messageOf, qualifiedName } from './finding-message';
import { readErrorText } from './format-audit-table';
import { sarifResult } from '../../report/levels';
import { RULE_EXPLANATION, ruleDefaultLevel, ruleDescription, ruleResultNote } from '../../rules/rule-descriptions';
import { allRuleIds, auditRuleIds, auditRuleOf } from '../../rules/rule-ids';
import { FINGERPRINT_KEY, distinctFingerprints } from '../fingerprint';
import { sarifLog } from '../format-sarif';
import { imageParts, imageStatus } from '../inventory';
import { PackageInfo } from '../package-info';

export interface AuditSarifOptions {
  readonly inventory: boolean;
  readonly tool: PackageInfo;
}

/** Why the audit's rules exist (SARIF's full description and help). */
const AUDIT_EXPLANATION =
  'A pinned image is only the proof of what runs when the account runs it: ECS resolves a tag to a digest per deployment, ' +
  'tasks can outlive a deployment, and a tag can be pushed again. The lock file says which digest each tag should be.';

export function formatAuditSarif(report: AuditReport, options: AuditSarifOptions): string {
  const ruleIds = [...allRuleIds(), ...auditRuleIds()];
  const findings = options.inventory ? report.findings : report.findings.filter((f) => sarifResult(f.outcome).kind === 'fail');
  const log = sarifLog(options.tool, ruleIds.map((id) => ruleJson(id, options.tool)), {
    invocations: [
      {
        executionSuccessful: report.readErrors.length === 0 && report.inventory.status === 'complete',
        exitCode: report.exitCode,
        toolExecutionNotifications: report.readErrors.map((e) => ({
          level: 'error',
          message: { text: readErrorText(e) },
          descriptor: { id: e.operation },
          properties: { ...e },
        })),
      },
    ],
    results: withFingerprints(findings.map((f) => resultJson(f, ruleIds)), findings),
  });
  return `${JSON.stringify(log, undefined, 2)}\n`;
}

function ruleJson(id: string, tool: PackageInfo) {
  const description = ruleDescription(id);
  const explanation = auditRuleOf(id) ? AUDIT_EXPLANATION : RULE_EXPLANATION;
  const note = ruleResultNote(id);
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: description },
    fullDescription: { text: `${description}. ${explanation}` },
    help: { text: `${description}. ${explanation} ${note}`, markdown: `**${description}.**\n\n${explanation}\n\n${note}` },
    helpUri: tool.informationUri,
    defaultConfiguration: { level: ruleDefaultLevel(id) },
    properties: { tags: ['containers', 'supply-chain'], precision: 'very-high' },
  };
}

/** Task and job definition ARNs end in `:<revision>`, which each registration changes. */
const REVISION = /:\d+$/;

type Fingerprinted<T> = T & { partialFingerprints: Record<string, string> };

function withFingerprints<T extends object>(results: T[], findings: readonly AuditFinding[]): Array<Fingerprinted<T>> {
  const parts = findings.map((f) => {
    const holder = f.resource.kind === 'ecs-task-definition' || f.resource.kind === 'batch-job-definition' ? f.resource.arn.replace(REVISION, '') : f.resource.arn;
    return [f.ruleId, f.place.account, f.place.region, f.place.cluster ?? '', f.place.service ?? '', holder, f.label, f.check?.verdict.name ?? f.propertyPath ?? ''];
  });
  const hashes = distinctFingerprints(parts);
  return results.map((r, i) => ({ ...r, partialFingerprints: { [FINGERPRINT_KEY]: hashes[i] } }));
}

function resultJson(f: AuditFinding, ruleIds: readonly string[]) {
  const { level, kind } = sarifResult(f.outcome);
  const ruleIndex = ruleIds.indexOf(f.ruleId);
  const verdict = f.check?.verdict;
  return {
    ruleId: f.ruleId,
    ...(ruleIndex === -1 ? {} : { ruleIndex }),
    kind,
    level,
    message: { text: messageOf(f) },
    locations: [
      {
        // An ARN is an absolute URI (scheme `arn`): what holds the image, in place of a file.
        physicalLocation: { artifactLocation: { uri: f.resource.arn } },
        logicalLocations: [{ name: f.label, fullyQualifiedName: qualifiedName(f), kind: 'resource' }],
      },
    ],
    properties: {
      findingId: f.findingId,
      image: f.image,
      reason: f.reason,
      ...(verdict ? { status: imageStatus(verdict), ...imageParts(verdict) } : {}),
      account: f.place.account,
      ...(f.place.accountName ? { accountName: f.place.accountName } : {}),
      region: f.place.region,
      ...(f.place.cluster ? { cluster: f.place.cluster } : {}),
      ...(f.place.service ? { service: f.place.service } : {}),
      resource: f.resource.arn,
      resourceName: f.resource.name,
      resourceKind: f.resource.kind,
      ...(f.resourceType ? { resourceType: f.resourceType } : {}),
      container: f.label,
      ...(f.propertyPath ? { propertyPath: f.propertyPath } : {}),
      ...(f.running ? { running: f.running } : {}),
      ...(f.expected ? { expected: f.expected } : {}),
      ...(f.lockKey ? { lockKey: f.lockKey } : {}),
    },
  };
}

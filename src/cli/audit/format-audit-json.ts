/**
 * The audit report as JSON: a summary, what was read (each region of each account and how
 * completely), the findings, the calls that failed, API calls by operation and, with
 * `--inventory`, every deployed image. Stable field names; absent values omitted.
 */
import { AuditFinding } from './audit-findings';
import { AuditReport } from './audit-report';
import { messageOf } from './finding-message';
import { fixText } from '../../report/finding-text';
import { violationSeverity } from '../../report/levels';
import { PackageInfo } from '../package-info';

export interface AuditJsonOptions {
  readonly inventory: boolean;
  readonly tool: PackageInfo;
}

export function formatAuditJson(report: AuditReport, options: AuditJsonOptions): string {
  const { inventory } = report;
  const json = {
    tool: { name: options.tool.name, version: options.tool.version },
    summary: {
      exitCode: report.exitCode,
      accounts: new Set(report.regions.map((r) => r.account)).size,
      regions: report.regions.length,
      regionsNotReadCompletely: report.regions.filter((r) => r.status !== 'complete').length,
      images: report.images.length,
      errors: report.errors,
      warnings: report.warnings,
      readErrors: report.readErrors.length,
      apiCalls: Object.values(inventory.calls).reduce((a, b) => a + b, 0),
    },
    ...(inventory.caller ? { caller: inventory.caller } : {}),
    scope: inventory.scope,
    ...(report.lockFile ? { lockFile: report.lockFile } : {}),
    regions: report.regions,
    findings: report.reported.map(findingJson),
    readErrors: report.readErrors,
    calls: inventory.calls,
    retries: inventory.retries,
    ...(options.inventory ? { inventory: report.images } : {}),
  };
  return `${JSON.stringify(json, undefined, 2)}\n`;
}

function findingJson(f: AuditFinding) {
  return {
    ruleId: f.ruleId,
    findingId: f.findingId,
    severity: violationSeverity(f.outcome),
    message: messageOf(f),
    reason: f.reason,
    image: f.image,
    fix: f.check ? fixText(f.check) : f.fix,
    account: f.place.account,
    accountName: f.place.accountName,
    region: f.place.region,
    cluster: f.place.cluster,
    service: f.place.service,
    resource: f.resource.arn,
    resourceName: f.resource.name,
    resourceKind: f.resource.kind,
    resourceType: f.resourceType,
    container: f.label,
    propertyPath: f.propertyPath,
    alsoUsedBy: f.place.alsoUsedBy,
    running: f.running,
    expected: f.expected,
    lockKey: f.lockKey,
    tasks: f.tasks,
    digests: f.digests,
  };
}

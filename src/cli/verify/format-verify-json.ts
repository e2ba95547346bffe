import { reportRows, statusCounts } from './report-rows';
import { VerifiedImage, VerifyResult } from './verify-images';
import { imageLocation, inventoryEntry } from '../inventory';
import { PackageInfo } from '../package-info';

export interface VerifyJsonOptions {
  readonly inventory: boolean;
  readonly exitCode: number;
  readonly tool: PackageInfo;
}

/**
 * The report of `verify` as JSON: `scan`'s fields (summary, findings, inputErrors, inventory),
 * with the registry findings among the findings, each finding's resolved `digest`, the references
 * that could not be verified, and for each image of the inventory its verification status.
 */
export function formatVerifyJson(result: VerifyResult, options: VerifyJsonOptions): string {
  const rows = reportRows(result);
  const errors = rows.filter((r) => r.severity === 'error').length;
  const counts = statusCounts(result);
  const report = {
    tool: { name: options.tool.name, version: options.tool.version },
    summary: {
      exitCode: options.exitCode,
      filesScanned: result.scan.filesScanned,
      images: result.images.length,
      errors,
      warnings: rows.length - errors,
      inputErrors: result.scan.problems.length,
      verified: counts.verified,
      failed: counts.failed,
      notVerified: counts['not-verified'],
      notChecked: counts['not-checked'],
      requests: { head: result.requests.head, get: result.requests.get, token: result.requests.token },
      ecrDescribeRepositories: result.ecrCalls,
    },
    findings: rows.map((r) => {
      const p = r.image.position;
      return {
        ruleId: r.ruleId,
        findingId: r.findingId,
        severity: r.severity,
        message: r.message,
        reason: r.reason,
        image: r.image.finding.image,
        reference: r.verified.reference,
        digest: r.verified.digest,
        fix: r.fix,
        ...imageLocation(r.image),
        endLine: p?.endLine,
        endColumn: p?.endColumn,
      };
    }),
    notVerified: result.notVerified.map((n) => ({ reference: n.reference, kind: n.kind, message: n.message, uses: n.uses })),
    notices: result.notices,
    inputErrors: result.scan.problems.map((p) => ({ file: p.file, reason: p.reason })),
    ...(options.inventory ? { inventory: result.images.map(inventoryJson) } : {}),
  };
  return `${JSON.stringify(report, undefined, 2)}\n`;
}

function inventoryJson(verified: VerifiedImage) {
  return {
    ...inventoryEntry(verified.scanned),
    verification: verified.status,
    verificationNote: verified.why,
    reference: verified.reference,
    resolvedDigest: verified.digest,
    platform: verified.platform,
    fromLock: verified.fromLock || undefined,
    // An image synthesis pinned from the lock: the image as written, so its tag stays readable.
    lockedFrom: verified.scanned.finding.locked?.from,
    registryFindings: verified.findings.map((f) => f.ruleId),
  };
}

import { audienceOf, imageLocation, inventoryEntry, reportedFindings } from './inventory';
import { PackageInfo } from './package-info';
import { ScannedImage, ScanResult } from './scan';
import { findingMessage, fixFor, hintFor } from '../report/finding-text';
import { violationSeverity } from '../report/levels';

export interface JsonOptions {
  readonly inventory: boolean;
  readonly exitCode: number;
  readonly tool: PackageInfo;
}

/**
 * The report as JSON: a summary, the findings (errors and warnings), the inputs that could not be
 * scanned and, with `inventory`, every image found. Stable field names; absent values omitted.
 */
export function formatJson(result: ScanResult, options: JsonOptions): string {
  const findings = reportedFindings(result.images);
  const errors = findings.filter((f) => violationSeverity(f.finding.outcome) === 'error').length;
  const report = {
    tool: { name: options.tool.name, version: options.tool.version },
    summary: {
      exitCode: options.exitCode,
      filesScanned: result.filesScanned,
      images: result.images.length,
      errors,
      warnings: findings.length - errors,
      inputErrors: result.problems.length,
    },
    findings: findings.map(findingJson),
    inputErrors: result.problems.map((p) => ({ file: p.file, reason: p.reason })),
    ...(options.inventory ? { inventory: result.images.map(inventoryEntry) } : {}),
  };
  return `${JSON.stringify(report, undefined, 2)}\n`;
}

function findingJson(image: ScannedImage) {
  const { finding } = image;
  const p = image.position;
  // Fix and hint in the words of what was scanned: a CDK app's, a template's, a task definition file's.
  const audience = audienceOf(image);
  return {
    ruleId: finding.ruleId,
    findingId: finding.findingId,
    severity: violationSeverity(finding.outcome),
    message: findingMessage(finding, { audience }),
    reason: finding.reason,
    image: finding.image,
    fix: fixFor(finding, audience),
    hint: hintFor(finding, audience),
    ...imageLocation(image),
    endLine: p?.endLine,
    endColumn: p?.endColumn,
  };
}

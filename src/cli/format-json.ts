import { imageLocation, inventoryEntry } from './inventory';
import { PackageInfo } from './package-info';
import { ScannedImage, ScanResult } from './scan';
import { FindingSeverity } from '../policy/image-verdict';

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
  const findings = result.images.filter((i) => i.finding.verdict.severity !== FindingSeverity.NONE);
  const errors = findings.filter((f) => f.finding.verdict.severity === FindingSeverity.ERROR).length;
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
  return {
    ruleId: finding.ruleId,
    findingId: finding.findingId,
    severity: finding.verdict.severity === FindingSeverity.ERROR ? 'error' : 'warning',
    message: finding.message,
    reason: finding.verdict.reason,
    image: finding.verdict.image,
    fix: finding.verdict.fix,
    ...imageLocation(image),
    endLine: p?.endLine,
    endColumn: p?.endColumn,
  };
}

import { VerifiedImage, VerifyResult } from './verify-images';
import { findingMessage, fixSentence, fixText, statement } from '../../report/finding-text';
import { violationSeverity } from '../../report/levels';
import { registryFindingMessage, registryFixSentence, registryStatement } from '../../report/registry-text';
import { ScannedImage } from '../scan';

/**
 * The findings of a `verify` run as one list, whatever rule made them: the pinning finding of each
 * image (as `scan` reports it), then the registry findings of the same image. The table, JSON
 * and SARIF are built from these rows; each row keeps its parts, and the sentences are made here
 * from the report layer's wording.
 */
export interface ReportRow {
  readonly image: ScannedImage;
  readonly verified: VerifiedImage;
  readonly ruleId: string;
  readonly findingId: string;
  readonly severity: 'error' | 'warning';
  /** `MOVING_TAG`, `TAG_NOT_FOUND`, ... */
  readonly reason: string;
  /** `Container "web": ... .` */
  readonly statement: string;
  /** `Fix: ... .` */
  readonly fixSentence?: string;
  /** The fix without its label. */
  readonly fix?: string;
  /** The whole finding in one line, with its rule id. */
  readonly message: string;
}

export function reportRows(result: VerifyResult): ReportRow[] {
  const rows: ReportRow[] = [];
  const byImage = new Map(result.images.map((v) => [v.scanned, v]));
  const byPlace = new Map(result.images.map((v) => [placeOf(v.scanned), v]));
  for (const image of result.scan.images) {
    // The lock's finding on an image is reported with the image's verification.
    const verified = byImage.get(image) ?? byPlace.get(placeOf(image));
    if (!verified) continue;
    const finding = image.finding;
    const severity = violationSeverity(finding.outcome);
    if (severity) {
      rows.push({
        image,
        verified,
        ruleId: finding.ruleId,
        findingId: finding.findingId,
        severity,
        reason: finding.reason,
        statement: statement(finding),
        fixSentence: fixSentence(finding),
        fix: fixText(finding),
        message: findingMessage(finding),
      });
    }
    if (verified.scanned !== image) continue;
    for (const f of verified.findings) {
      rows.push({
        image,
        verified,
        ruleId: f.ruleId,
        findingId: f.findingId,
        severity: f.level,
        reason: f.reason,
        statement: registryStatement(finding.subject, finding.when, f.wording.message),
        fixSentence: registryFixSentence(f.wording.fix),
        fix: f.wording.fix,
        message: registryFindingMessage(f.ruleId, finding.subject, finding.when, f.wording),
      });
    }
  }
  return rows;
}

function placeOf(image: ScannedImage): string {
  return `${image.absolutePath}\n${image.resource}\n${image.propertyPath}`;
}

/** How many images stand each way. */
export function statusCounts(result: VerifyResult): Record<VerifiedImage['status'], number> {
  const counts = { 'verified': 0, 'failed': 0, 'not-verified': 0, 'not-checked': 0 };
  for (const image of result.images) counts[image.status]++;
  return counts;
}

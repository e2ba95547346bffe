import { ReportRow, reportRows, statusCounts } from './report-rows';
import { VerificationStatus, VerifiedImage, VerifyResult } from './verify-images';
import { ImageReference } from '../../reference/image-reference';
import { Paint, Style } from '../colour';
import { inventoryEntry } from '../inventory';
import { shortDigest } from '../short-text';
import { fileContext, groupBy, plural, positionText } from '../table-parts';
import { terminalText as safe } from '../terminal-text';

export interface VerifyTableOptions {
  readonly inventory: boolean;
  readonly paint: Paint;
}

const VERIFICATION_STYLE: Record<VerificationStatus, Style> = {
  'verified': 'ok',
  'failed': 'error',
  'not-verified': 'warning',
  'not-checked': 'note',
};

/**
 * The readable report of `verify`, laid out as `scan`'s: findings (pinning and registry) grouped
 * by file and resource, a summary line, then what could not be verified and why. With
 * `inventory`, a table of every image with its verification status and digest first. Text that
 * comes from the files scanned or from a registry is escaped for the terminal.
 */
export function formatVerifyTable(result: VerifyResult, options: VerifyTableOptions): string {
  const paint = options.paint;
  const sections: string[] = [];
  if (options.inventory) {
    sections.push(inventoryTable(result, paint));
  }
  const rows = reportRows(result);
  if (rows.length > 0) {
    sections.push(findingsByFile(rows, paint));
  }
  sections.push(summary(result, rows, paint));
  return `${sections.join('\n\n')}\n`;
}

function findingsByFile(rows: readonly ReportRow[], paint: Paint): string {
  const lines: string[] = [];
  const positionWidth = rows.reduce((width, r) => Math.max(width, positionText(r.image).length), 0);
  for (const [file, inFile] of groupBy(rows, (r) => r.image.file)) {
    if (lines.length > 0) lines.push('');
    lines.push(`${paint('heading', safe(file))}${paint('dim', safe(fileContext(inFile[0].image)))}`);
    for (const [resource, inResource] of groupBy(inFile, (r) => r.image.resource)) {
      const first = inResource[0].image;
      lines.push(`  ${safe(resource)} ${paint('dim', safe(`(${first.resourceType})${first.constructPath ? ` ${first.constructPath}` : ''}`))}`);
      for (const r of inResource) {
        const isError = r.severity === 'error';
        const severity = r.severity.padEnd(7);
        const lead = `    ${positionText(r.image).padEnd(positionWidth)}  `;
        lines.push(`${lead}${paint(isError ? 'error' : 'warning', severity)}  ${paint('dim', r.ruleId)}  ${safe(r.statement)}`);
        if (r.fixSentence) {
          lines.push(`${' '.repeat(lead.length + severity.length + 2 + r.ruleId.length + 2)}${safe(r.fixSentence)}`);
        }
      }
    }
  }
  return lines.join('\n');
}

function inventoryTable(result: VerifyResult, paint: Paint): string {
  if (result.images.length === 0) {
    return 'No container images found.';
  }
  const header = ['VERIFIED', 'STATUS', 'REGISTRY', 'REPOSITORY', 'TAG', 'DIGEST', 'USED IN'];
  const rows = result.images.map((verified) => {
    const e = inventoryEntry(verified.scanned);
    const where = `${e.file}${e.line === undefined ? '' : `:${e.line}:${e.column}`} ${e.resource}/${e.container}`;
    return {
      status: verified.status,
      cells: [
        verified.status,
        e.status,
        e.registry ?? '?',
        e.repository ?? '?',
        e.tag ?? lockedTag(verified) ?? (e.status === 'unresolved' ? '?' : '-'),
        shortDigestOrDash(verified.digest ?? e.digest),
        where,
      ].map(safe),
    };
  });
  const widths = header.map((h, i) => rows.reduce((width, r) => Math.max(width, r.cells[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [
    paint('heading', line(header).trimEnd()),
    ...rows.map((r) => paint(VERIFICATION_STYLE[r.status], r.cells[0]) + line(r.cells).slice(r.cells[0].length)),
  ].join('\n');
}

/** A table cell's digest, shortened as the scanner's tables do; `-` when there is none. */
function shortDigestOrDash(digest: string | undefined): string {
  return digest ? shortDigest(digest) : '-';
}

/** For an image synthesis pinned from the lock (`nginx@sha256:…`), the tag it was written with: `1.27.3 (locked)`. */
function lockedTag(verified: VerifiedImage): string | undefined {
  const from = verified.scanned.finding.locked?.from;
  if (from === undefined) return undefined;
  try {
    const tag = ImageReference.parse(from).tag;
    return tag === undefined ? undefined : `${tag} (locked)`;
  } catch {
    return undefined;
  }
}

function summary(result: VerifyResult, rows: readonly ReportRow[], paint: Paint): string {
  const errors = rows.filter((r) => r.severity === 'error').length;
  const warnings = rows.length - errors;
  const counts = statusCounts(result);
  const verification = [
    `${counts.verified + counts.failed} looked up in their registries`,
    ...(counts['not-verified'] > 0 ? [`${counts['not-verified']} not verified`] : []),
    ...(counts['not-checked'] > 0 ? [`${counts['not-checked']} not known at synthesis`] : []),
  ].join(', ');
  const scanned = `${plural(result.images.length, 'image')} in ${plural(result.scan.filesScanned, 'file')} scanned; ${verification}`;
  const lines: string[] = [];
  if (rows.length > 0) {
    lines.push(`${paint(errors > 0 ? 'error' : 'warning', `${plural(errors, 'error')} and ${plural(warnings, 'warning')}`)} (${scanned}).`);
  } else if (result.images.length > 0) {
    const none = result.notVerified.length > 0 ? 'No findings in what could be verified' : 'No findings';
    lines.push(`${paint(result.notVerified.length > 0 ? 'warning' : 'ok', none)} (${scanned}).`);
  } else {
    lines.push(`No container images found (${plural(result.scan.filesScanned, 'file')} scanned).`);
  }
  if (result.notVerified.length > 0) {
    lines.push(
      paint('error', 'Not verified (nothing was judged for these images: their registry could not be reached, limited the requests or gave an answer that was refused):'),
      ...result.notVerified.map((n) => `  ${safe(n.message)} (${plural(n.uses, 'use')})`),
    );
  }
  for (const notice of result.notices) {
    lines.push(paint('warning', safe(notice)));
  }
  if (result.scan.problems.length > 0) {
    const inputs = new Set(result.scan.problems.map((p) => p.file)).size;
    lines.push(`${paint('error', `${plural(inputs, 'input')} could not be scanned`)} (reported on stderr).`);
  }
  return lines.join('\n');
}

import { Paint, Style } from './colour';
import { BIG_SCAN, countsByRule, findingsByImage } from './format-summary';
import { audienceOf, ImageStatus, imageStatus, reportedFindings } from './inventory';
import { ScannedImage, ScanResult } from './scan';
import { tableImage } from './short-text';
import { fileContext, groupBy, plural, positionText } from './table-parts';
import { terminalText as safe } from './terminal-text';
import { fixSentence, statement } from '../report/finding-text';
import { violationSeverity } from '../report/levels';

export interface TableOptions {
  /** Also list every image found, pinned or not. */
  readonly inventory: boolean;
  /** One line per image instead of one per finding, and the counts per rule. */
  readonly summary?: boolean;
  readonly paint: Paint;
}

const STATUS_STYLE: Record<ImageStatus, Style> = {
  pinned: 'ok',
  asset: 'ok',
  allowed: 'note',
  unpinned: 'error',
  invalid: 'error',
  unresolved: 'warning',
};

/** A resource/container cell wider than this makes only its own line longer. */
const MAX_PADDED_WHERE = 32;

/**
 * The readable report: findings grouped by file and resource, each with line:column, severity,
 * rule and message, then a summary line. With `inventory`, every image first, grouped by file
 * likewise; with `summary`, one line per image instead of one per finding. A big scan (or
 * `summary`) ends with the counts per rule. Every text that comes from the files scanned is
 * escaped for the terminal (`safe`) before it is coloured or measured, so a template cannot write
 * a line of the report.
 */
export function formatTable(result: ScanResult, options: TableOptions): string {
  const paint = options.paint;
  const sections: string[] = [];
  if (options.inventory) {
    sections.push(inventoryTable(result.images, paint));
  }
  const findings = reportedFindings(result.images);
  if (findings.length > 0) {
    sections.push(options.summary ? findingsByImage(findings, paint) : findingsByFile(findings, paint));
    if (options.summary || findings.length >= BIG_SCAN) {
      sections.push(countsByRule(findings, paint, !options.summary));
    }
  }
  sections.push(summary(result, findings, paint));
  return `${sections.join('\n\n')}\n`;
}

function findingsByFile(findings: readonly ScannedImage[], paint: Paint): string {
  const lines: string[] = [];
  const byFile = groupBy(findings, (f) => f.file);
  const positionWidth = findings.reduce((width, f) => Math.max(width, positionText(f).length), 0);
  for (const [file, inFile] of byFile) {
    if (lines.length > 0) lines.push('');
    lines.push(`${paint('heading', safe(file))}${paint('dim', safe(fileContext(inFile[0])))}`);
    for (const [resource, inResource] of groupBy(inFile, (f) => f.resource)) {
      const first = inResource[0];
      lines.push(`  ${safe(resource)} ${paint('dim', safe(`(${first.resourceType})${first.constructPath ? ` ${first.constructPath}` : ''}`))}`);
      for (const f of inResource) {
        const isError = violationSeverity(f.finding.outcome) === 'error';
        const severity = (isError ? 'error' : 'warning').padEnd(7);
        const lead = `    ${positionText(f).padEnd(positionWidth)}  `;
        const fixText = fixSentence(f.finding, audienceOf(f));
        const fix = fixText && safe(fixText);
        lines.push(`${lead}${paint(isError ? 'error' : 'warning', severity)}  ${paint('dim', f.finding.ruleId)}  ${safe(statement(f.finding))}`);
        if (fix) {
          lines.push(`${' '.repeat(lead.length + severity.length + 2 + f.finding.ruleId.length + 2)}${fix}`);
        }
      }
    }
  }
  return lines.join('\n');
}

/**
 * Every image, grouped by file as the findings are: line:column, status, resource/container and
 * the image, normalized, with digests and asset hashes shortened. The image comes last, so that a
 * long one lengthens only its own line.
 */
function inventoryTable(images: readonly ScannedImage[], paint: Paint): string {
  if (images.length === 0) {
    return 'No container images found.';
  }
  const rows = images.map((image) => ({
    image,
    position: positionText(image),
    status: imageStatus(image.finding.verdict),
    where: safe(`${image.resource}/${image.container}`),
    name: safe(tableImage(image.finding.verdict)),
  }));
  const positionWidth = Math.max(...rows.map((r) => r.position.length));
  const statusWidth = Math.max(...rows.map((r) => r.status.length));
  const whereWidth = Math.min(MAX_PADDED_WHERE, Math.max(...rows.map((r) => r.where.length)));
  const lines: string[] = [];
  for (const [file, inFile] of groupBy(rows, (r) => r.image.file)) {
    lines.push(`${paint('heading', safe(file))}${paint('dim', safe(fileContext(inFile[0].image)))}`);
    for (const r of inFile) {
      // Pad first, then colour the status: escape codes have no width.
      const status = paint(STATUS_STYLE[r.status], r.status) + ' '.repeat(statusWidth - r.status.length);
      lines.push(`  ${r.position.padEnd(positionWidth)}  ${status}  ${r.where.padEnd(whereWidth)}  ${r.name}`);
    }
  }
  return lines.join('\n');
}

function summary(result: ScanResult, findings: readonly ScannedImage[], paint: Paint): string {
  const errors = findings.filter((f) => violationSeverity(f.finding.outcome) === 'error').length;
  const warnings = findings.length - errors;
  const scanned = `${plural(result.images.length, 'image')} in ${plural(result.filesScanned, 'file')} scanned`;
  let text: string;
  if (findings.length > 0) {
    const counts = `${plural(errors, 'error')} and ${plural(warnings, 'warning')}`;
    text = `${paint(errors > 0 ? 'error' : 'warning', counts)} (${scanned}).`;
  } else if (result.images.length > 0) {
    text = `${paint('ok', 'No unpinned images')} (${scanned}).`;
  } else {
    text = `No container images found (${plural(result.filesScanned, 'file')} scanned).`;
  }
  if (result.problems.length > 0) {
    const inputs = new Set(result.problems.map((p) => p.file)).size;
    text += `\n${paint('error', `${plural(inputs, 'input')} could not be scanned`)} (reported on stderr).`;
  }
  return text;
}

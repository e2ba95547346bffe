import { Paint, Style } from './colour';
import { ImageStatus, inventoryEntry } from './inventory';
import { ScannedImage, ScanResult } from './scan';
import { terminalText as safe } from './terminal-text';
import { fixSentence, statement } from '../report/finding-text';
import { violationSeverity } from '../report/levels';

export interface TableOptions {
  /** Also list every image found, pinned or not. */
  readonly inventory: boolean;
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

/**
 * The readable report: findings grouped by file and resource, each with line:column, severity,
 * rule and message, then a summary line. With `inventory`, a table of every image first.
 * Every text that comes from the files scanned is escaped for the terminal (`safe`) before it is
 * coloured or measured, so a template cannot write a line of the report.
 */
export function formatTable(result: ScanResult, options: TableOptions): string {
  const paint = options.paint;
  const sections: string[] = [];
  if (options.inventory) {
    sections.push(inventoryTable(result.images, paint));
  }
  const findings = result.images.filter((i) => violationSeverity(i.finding.outcome) !== undefined);
  if (findings.length > 0) {
    sections.push(findingsByFile(findings, paint));
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
        const fixText = fixSentence(f.finding);
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

function inventoryTable(images: readonly ScannedImage[], paint: Paint): string {
  if (images.length === 0) {
    return 'No container images found.';
  }
  const header = ['STATUS', 'REGISTRY', 'REPOSITORY', 'TAG', 'DIGEST', 'USED IN'];
  const rows = images.map((image) => {
    const e = inventoryEntry(image);
    const where = `${e.file}${e.line === undefined ? '' : `:${e.line}:${e.column}`} ${e.resource}/${e.container}`;
    return {
      status: e.status,
      cells: [e.status, e.registry ?? '?', e.repository ?? '?', e.tag ?? (e.status === 'unresolved' ? '?' : '-'), shortDigest(e.digest), where].map(safe),
    };
  });
  const widths = header.map((h, i) => rows.reduce((width, r) => Math.max(width, r.cells[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [
    paint('heading', line(header).trimEnd()),
    ...rows.map((r) => {
      const text = line(r.cells);
      // Pad first, then colour the status: escape codes have no width.
      return paint(STATUS_STYLE[r.status], r.cells[0]) + text.slice(r.cells[0].length);
    }),
  ].join('\n');
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

function fileContext(image: ScannedImage): string {
  if (image.unlistedIn) {
    return ` (not listed in ${image.unlistedIn})`;
  }
  if (image.nestedIn) {
    return ` (nested stack ${image.nestedIn.logicalId} in ${image.nestedIn.file}${image.stack ? `, stack ${image.stack}` : ''})`;
  }
  if (image.stack) {
    return ` (stack ${image.stack})`;
  }
  return image.fileKind === 'task-definition' ? ' (ECS task definition)' : '';
}

function positionText(image: ScannedImage): string {
  const p = image.position;
  return p ? `${p.startLine}:${p.startColumn}` : '-';
}

function shortDigest(digest: string | undefined): string {
  if (!digest) return '-';
  return digest.length > 19 ? `${digest.slice(0, 19)}...` : digest;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

import { Paint } from './colour';
import { ScannedImage } from './scan';
import { tableImage } from './short-text';
import { groupBy, groupedDigits, plural } from './table-parts';
import { terminalText as safe } from './terminal-text';
import { violationSeverity } from '../report/levels';
import { ruleShortText } from '../report/rule-help';
import { allRuleIds } from '../rules/rule-ids';

/**
 * The table's views for big scans: one line per image instead of one per finding (`--summary`),
 * and the counts per rule that end a big report, so that 1,500 templates make a page, not 16,000
 * lines.
 */

/** From this many findings on, the table ends with the counts per rule. */
export const BIG_SCAN = 20;

/** Places listed for one image before "and N more". */
const SHOWN_PLACES = 3;

/** An image cell wider than this makes only its own line longer. */
const MAX_PADDED_IMAGE = 40;

/**
 * One line per image and rule, the most frequent first: how many findings, their level and rule,
 * the image (normalized, hashes shortened) and where it is used: construct paths in a cloud
 * assembly, `file:line` elsewhere, the first three and how many more.
 */
export function findingsByImage(findings: readonly ScannedImage[], paint: Paint): string {
  const groups = [...groupBy(findings, (f) => [f.finding.ruleId, severityOf(f), tableImage(f.finding.verdict)].join('\u0000')).values()];
  // Most findings first; among equals, in the order first found (sort is stable).
  groups.sort((a, b) => b.length - a.length);
  const rows = groups.map((group) => {
    const first = group[0];
    const places = [...new Set(group.map(placeOf))];
    const shown = places.slice(0, SHOWN_PLACES).map(safe).join(', ');
    return {
      count: groupedDigits(group.length),
      severity: severityOf(first),
      ruleId: first.finding.ruleId,
      image: safe(tableImage(first.finding.verdict)),
      where: places.length > SHOWN_PLACES ? `${shown} and ${groupedDigits(places.length - SHOWN_PLACES)} more` : shown,
    };
  });
  const header = { count: 'COUNT', severity: 'LEVEL', ruleId: 'RULE', image: 'IMAGE', where: 'USED IN' };
  const width = (key: 'count' | 'ruleId' | 'image', cap = Infinity) => Math.min(cap, Math.max(...[header, ...rows].map((r) => r[key].length)));
  const countWidth = width('count');
  const ruleWidth = width('ruleId');
  const imageWidth = width('image', MAX_PADDED_IMAGE);
  const line = (r: typeof header, severity: string) =>
    `${r.count.padStart(countWidth)}  ${severity}  ${r.ruleId.padEnd(ruleWidth)}  ${r.image.padEnd(imageWidth)}  ${r.where}`;
  return [
    paint('heading', line(header, header.severity.padEnd(7))),
    // Pad first, then colour: escape codes have no width.
    ...rows.map((r) => line(r, paint(r.severity, r.severity) + ' '.repeat(7 - r.severity.length))),
  ].join('\n');
}

/** `By rule:` and a line per rule: its id, errors and warnings, and what it finds. */
export function countsByRule(findings: readonly ScannedImage[], paint: Paint, suggestSummary: boolean): string {
  const order = allRuleIds();
  const byRule = [...groupBy(findings, (f) => f.finding.ruleId)].sort(([a], [b]) => rank(order, a) - rank(order, b));
  const rows = byRule.map(([ruleId, inRule]) => {
    const errors = inRule.filter((f) => severityOf(f) === 'error').length;
    const warnings = inRule.length - errors;
    const counts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter((c) => c).join(', ');
    return { ruleId, counts, style: errors > 0 ? 'error' as const : 'warning' as const, text: ruleShortText(ruleId) };
  });
  const ruleWidth = Math.max(...rows.map((r) => r.ruleId.length));
  const countsWidth = Math.max(...rows.map((r) => r.counts.length));
  const lines = [
    'By rule:',
    ...rows.map((r) => `  ${r.ruleId.padEnd(ruleWidth)}  ${paint(r.style, r.counts)}${' '.repeat(countsWidth - r.counts.length)}  ${r.text}`),
  ];
  if (suggestSummary) {
    lines.push('(--summary shows one line per image instead of one per finding.)');
  }
  return lines.join('\n');
}

function severityOf(image: ScannedImage): 'error' | 'warning' {
  return violationSeverity(image.finding.outcome) === 'error' ? 'error' : 'warning';
}

/** Where a finding is: the construct (without `/Resource`) in a cloud assembly, else `file:line`. */
function placeOf(image: ScannedImage): string {
  if (image.constructPath !== undefined) {
    return image.constructPath.replace(/\/Resource$/, '');
  }
  if (image.stack !== undefined) {
    return `${image.stack}/${image.resource}`;
  }
  const p = image.position;
  return p ? `${image.file}:${p.startLine}` : `${image.file} ${image.resource}`;
}

function rank(order: readonly string[], ruleId: string): number {
  const i = order.indexOf(ruleId);
  return i === -1 ? order.length : i;
}

/**
 * The readable report of `cdk-image-pinning audit`: what was read (each account and region, and
 * how completely), the findings grouped by account and region, then cluster and service, then
 * resource; what could not be read; a summary line. With `--inventory`, every deployed image
 * first. Every value read from AWS is made terminal-safe.
 */
import { AuditFinding } from './audit-findings';
import { AuditReport, DeployedImageRow, DeployedImageStatus, RegionSummary } from './audit-report';
import { accountText, fixOf, resourceText, statementOf } from './finding-message';
import { AUDIT_SERVICES, AuditError, AuditService } from '../../audit';
import { violationSeverity } from '../../report/levels';
import { Paint, Style } from '../colour';
import { groupBy } from '../table-parts';
import { terminalText } from '../terminal-text';

export interface AuditTableOptions {
  readonly inventory: boolean;
  readonly paint: Paint;
}

const SERVICE_NAME: Record<AuditService, string> = { ecs: 'ECS', lambda: 'Lambda', batch: 'Batch' };

const STATUS_STYLE: Partial<Record<DeployedImageStatus, Style>> = {
  'pinned': 'ok',
  'asset': 'ok',
  'locked': 'ok',
  'allowed': 'note',
  'unpinned': 'error',
  'invalid': 'error',
  'drifted': 'error',
  'unresolved': 'warning',
  'no-digest': 'warning',
};

export function formatAuditTable(report: AuditReport, options: AuditTableOptions): string {
  const paint = options.paint;
  const sections: string[] = [scope(report, paint)];
  if (options.inventory) sections.push(inventoryTable(report.images, paint));
  if (report.reported.length > 0) sections.push(findingsByPlace(report.reported, paint));
  if (report.readErrors.length > 0) sections.push(readErrors(report.readErrors, paint));
  sections.push(summary(report, paint));
  return `${sections.join('\n\n')}\n`;
}

function servicesText(services: readonly AuditService[]): string {
  return services.map((s) => SERVICE_NAME[s]).join(', ');
}

function regionStatus(r: RegionSummary): string {
  if (r.status === 'complete') return 'read completely';
  const failed = AUDIT_SERVICES.filter((s) => r.coverage[s] === 'failed').map((s) => SERVICE_NAME[s]);
  const partial = AUDIT_SERVICES.filter((s) => r.coverage[s] === 'partial').map((s) => SERVICE_NAME[s]);
  const what = [
    ...(failed.length ? [`${failed.join(', ')} could not be read`] : []),
    ...(partial.length ? [`${partial.join(', ')} read in part`] : []),
  ].join('; ');
  return r.status === 'failed' ? `NOT READ: ${what}` : `INCOMPLETE: ${what}`;
}

/** What was audited: one line per account and region, with its images and how much of it was read. */
function scope(report: AuditReport, paint: Paint): string {
  const { inventory } = report;
  const accounts = new Set(report.regions.map((r) => r.account)).size;
  const against = report.lockFile ? `, against the lock file ${terminalText(report.lockFile)}` : '';
  const caller = inventory.caller ? ` as ${terminalText(inventory.caller.arn)}` : '';
  const services = servicesText(inventory.scope.services);
  if (report.regions.length === 0) {
    return paint('error', `Nothing could be audited in ${inventory.scope.regions.join(', ')} (${services}): no account could be read (see below).`);
  }
  const head = `Audited ${plural(accounts, 'account')} in ${plural(inventory.scope.regions.length, 'region')} (${services})${caller}${against}:`;
  const rows = report.regions.map((r) => [terminalText(accountText(r)), r.region, r.status === 'failed' ? '-' : plural(r.images, 'image'), regionStatus(r)]);
  const widths = [0, 1, 2].map((i) => rows.reduce((w, row) => Math.max(w, row[i].length), 0));
  const lines = rows.map((row, k) => {
    const text = `  ${row.slice(0, 3).map((c, i) => c.padEnd(widths[i])).join('  ')}  `;
    const status = report.regions[k].status;
    return text + paint(status === 'complete' ? 'ok' : 'error', row[3]);
  });
  return [paint('heading', head), ...lines].join('\n');
}

/** The heading of a finding's group under its account and region. */
function groupText(f: AuditFinding): string {
  const { cluster, service } = f.place;
  if (cluster && service) return `cluster ${cluster}, service ${service}`;
  if (cluster) return `cluster ${cluster}, tasks not started by a service`;
  switch (f.resource.kind) {
    case 'lambda-function':
      return 'Lambda functions';
    case 'batch-job-definition':
      return 'Batch job definitions';
    default:
      return 'task definitions that no service or running task uses';
  }
}

function findingsByPlace(findings: readonly AuditFinding[], paint: Paint): string {
  const lines: string[] = [];
  const ruleWidth = findings.reduce((w, f) => Math.max(w, f.ruleId.length), 0);
  for (const [where, inRegion] of groupBy(findings, (f) => `${accountText(f.place)} ${f.place.region}`)) {
    if (lines.length > 0) lines.push('');
    lines.push(paint('heading', terminalText(where)));
    for (const [group, inGroup] of groupBy(inRegion, groupText)) {
      lines.push(`  ${terminalText(group)}`);
      for (const [, inResource] of groupBy(inGroup, (f) => `${f.resource.kind} ${f.resource.arn}`)) {
        const first = inResource[0];
        const also = first.resource.kind === 'ecs-task-definition' && first.place.alsoUsedBy?.length
          ? ` (also run by ${first.place.alsoUsedBy.join(', ')})`
          : '';
        lines.push(`    ${terminalText(resourceText(first.resource.kind, first.resource.name) + also)} ${paint('dim', terminalText(first.resource.arn))}`);
        for (const f of inResource) {
          const isError = violationSeverity(f.outcome) === 'error';
          const severity = (isError ? 'error' : 'warning').padEnd(7);
          const lead = '      ';
          lines.push(`${lead}${paint(isError ? 'error' : 'warning', severity)}  ${paint('dim', f.ruleId.padEnd(ruleWidth))}  ${terminalText(statementOf(f))}`);
          const fix = fixOf(f);
          if (fix) lines.push(`${' '.repeat(lead.length + severity.length + 2 + ruleWidth + 2)}${terminalText(fix)}`);
        }
      }
    }
  }
  return lines.join('\n');
}

/** `111111111111 us-east-1 ecs:ListClusters (cluster/prod): AccessDeniedException: ...` */
export function readErrorText(e: AuditError): string {
  const where = [e.account, e.region].filter((x) => x !== undefined).join(' ');
  const about = e.resource ? ` (${e.resource})` : '';
  const throttled = e.throttled ? ' (throttled; the retries ran out)' : '';
  return `${where ? `${where} ` : ''}${e.operation}${about}: ${e.code}: ${e.message}${throttled}`;
}

function readErrors(errors: readonly AuditError[], paint: Paint): string {
  return [
    paint('error', `Could not read (${plural(errors.length, 'call')} failed; everything else was audited):`),
    ...errors.map((e) => `  ${terminalText(readErrorText(e))}`),
  ].join('\n');
}

const WHERE_WORD: Record<DeployedImageRow['kind'], string> = {
  'ecs-task-definition': 'task definition',
  'ecs-service-revision': 'revision',
  'ecs-task': 'task',
  'lambda-function': 'function',
  'batch-job-definition': 'job definition',
};

function inventoryTable(images: readonly DeployedImageRow[], paint: Paint): string {
  if (images.length === 0) return 'No deployed container images found.';
  const header = ['STATUS', 'ACCOUNT', 'REGION', 'WHERE', 'CONTAINER', 'IMAGE', 'DIGEST'];
  const rows = images.map((i) => {
    const cluster = i.cluster ? `${i.cluster}${i.service ? `/${i.service}` : ''} ` : '';
    return {
      status: i.status,
      cells: [i.status, i.account, i.region, `${cluster}${WHERE_WORD[i.kind]} ${i.resourceName}`, i.container ?? '-', i.image, shortDigest(i.digest)].map(terminalText),
    };
  });
  const widths = header.map((h, i) => rows.reduce((width, r) => Math.max(width, r.cells[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [
    paint('heading', line(header).trimEnd()),
    ...rows.map((r) => {
      const text = line(r.cells);
      const style = STATUS_STYLE[r.status];
      return (style ? paint(style, r.cells[0]) : r.cells[0]) + text.slice(r.cells[0].length);
    }),
  ].join('\n');
}

function summary(report: AuditReport, paint: Paint): string {
  const read = report.regions.filter((r) => r.status !== 'failed').length;
  const accounts = new Set(report.regions.map((r) => r.account)).size;
  const where = `${plural(report.regions.length, 'region')} of ${plural(accounts, 'account')}`;
  const audited = read === report.regions.length
    ? `${plural(report.images.length, 'image')} audited in ${where}`
    : `${plural(report.images.length, 'image')} audited; ${read} of ${where} read`;
  let text: string;
  if (report.regions.length === 0) {
    text = 'Nothing was audited.';
  } else if (report.reported.length > 0) {
    const counts = `${plural(report.errors, 'error')} and ${plural(report.warnings, 'warning')}`;
    text = `${paint(report.errors > 0 ? 'error' : 'warning', counts)} (${audited}).`;
  } else if (report.images.length > 0) {
    text = `${paint('ok', 'No findings')} (${audited}).`;
  } else {
    text = `No container images found (${audited}).`;
  }
  if (report.readErrors.length > 0 || report.inventory.status !== 'complete') {
    const incomplete = report.regions.filter((r) => r.status !== 'complete').length;
    const failedAccounts = report.inventory.accounts.filter((a) => a.errors.length > 0).length;
    const what = [
      ...(incomplete ? [`${plural(incomplete, 'region')} not read completely`] : []),
      ...(failedAccounts ? [`${plural(failedAccounts, 'account')} not read`] : []),
    ].join(', ');
    text += `\n${paint('error', `${plural(report.readErrors.length, 'call')} failed${what ? `: ${what}` : ''}`)} (listed above and on stderr).`;
  }
  return text;
}

function shortDigest(digest: string | undefined): string {
  if (!digest) return '-';
  return digest.length > 19 ? `${digest.slice(0, 19)}...` : digest;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

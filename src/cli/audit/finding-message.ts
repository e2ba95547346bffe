/**
 * The words of an audit finding, for every output: the shared check's findings are worded exactly
 * as `scan` words them (report/finding-text.ts), the audit's own in the same shape
 * (report/audit-text.ts). Also how a place and a resource are named.
 */
import { AuditFinding, AuditResourceKind, Place } from './audit-findings';
import { auditFindingMessage, auditFixSentence, auditStatement } from '../../report/audit-text';
import { findingMessage, fixSentence, statement } from '../../report/finding-text';

/** `[rule] Subject: what is wrong. Fix: how.` */
export function messageOf(f: AuditFinding): string {
  return f.check ? findingMessage(f.check) : auditFindingMessage(f);
}

/** `Subject: what is wrong.` */
export function statementOf(f: AuditFinding): string {
  return f.check ? statement(f.check) : auditStatement(f);
}

/** `Fix: how.`, if there is one. */
export function fixOf(f: AuditFinding): string | undefined {
  return f.check ? fixSentence(f.check) : auditFixSentence(f);
}

const RESOURCE_WORD: Record<AuditResourceKind, string> = {
  'ecs-task-definition': 'task definition',
  'ecs-service': 'service',
  'lambda-function': 'function',
  'batch-job-definition': 'job definition',
};

/** `task definition api:2`, `service api`, `function fn`, `job definition nightly:1`. */
export function resourceText(kind: AuditResourceKind, name: string): string {
  return `${RESOURCE_WORD[kind]} ${name}`;
}

/** `111111111111 (prod)`. */
export function accountText(place: Pick<Place, 'account' | 'accountName'>): string {
  return place.accountName ? `${place.account} (${place.accountName})` : place.account;
}

/** `111111111111/eu-west-1/prod/api/api:2/web`: where a finding is, as one path (SARIF's logical location). */
export function qualifiedName(f: AuditFinding): string {
  return [f.place.account, f.place.region, f.place.cluster, f.place.service, f.resource.name, f.label].filter((p) => p !== undefined && p !== '').join('/');
}

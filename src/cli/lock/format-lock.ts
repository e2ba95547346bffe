import { CheckFailure, LockCheck, LockUpdate, LockUses } from './lock-images';
import { lockChangeLine, usedInText } from '../../report/registry-text';
import { imageLocation } from '../inventory';
import { ScannedImage } from '../scan';
import { plural } from '../table-parts';
import { terminalText as safe } from '../terminal-text';

/**
 * The report of `lock` and `lock --check`: one line per change or failure, the images each
 * concerns, and a summary. Text from templates and registries is escaped for the terminal.
 */

/** `file:line resource/container`. */
export function useText(image: ScannedImage): string {
  const l = imageLocation(image);
  return `${l.file}${l.line === undefined ? '' : `:${l.line}:${l.column}`} ${l.resource}/${l.container}`;
}

export function formatLockUpdate(update: LockUpdate, uses: LockUses, p: { file: string; written: boolean; existed: boolean }): string {
  const lines: string[] = [];
  for (const change of [...update.changes].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    lines.push(safe(lockChangeLine(change.kind, change.key, change.before, change.after)));
  }
  for (const problem of update.problems) {
    lines.push(safe(`${problem.severity === 'error' ? 'error   ' : 'not locked'} ${problem.key}: ${problem.message}`));
    const use = uses.keys.get(problem.key);
    if (use) lines.push(`         ${safe(usedInText(use.images.map(useText)))}`);
  }
  const entries = Object.keys(update.lock.images).length;
  const counts = (['added', 'updated', 'removed'] as const)
    .map((kind) => [kind, update.changes.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  if (p.written) {
    lines.push(`Wrote ${safe(p.file)}: ${entriesText(entries)}${counts.length ? ` (${counts.join(', ')})` : ''}.`);
  } else if (p.existed) {
    lines.push(`${safe(p.file)} is up to date: ${entriesText(entries)}.`);
  } else {
    lines.push(`${safe(p.file)} was not written.`);
  }
  lines.push(...unlockableLines(uses));
  const failed = update.problems.length;
  if (failed > 0) {
    lines.push(`${plural(failed, 'image')} could not be locked.`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatLockCheck(check: LockCheck, uses: LockUses, p: { file: string; offline: boolean }): string {
  const lines: string[] = [];
  for (const failure of check.failures) {
    lines.push(...failureLines(failure));
  }
  for (const problem of check.notChecked) {
    lines.push(safe(`not checked ${problem.key}: ${problem.message}`));
  }
  if (check.unused.length > 0) {
    lines.push(`${entriesText(check.unused.length)} of the lock no image uses (\`cdk-image-pinning lock --prune\` removes them): ${safe(check.unused.join(', '))}`);
  }
  lines.push(...unlockableLines(uses));
  const used = [...uses.keys.values()].filter((u) => u.required).length;
  const how = p.offline ? 'offline: the registries were not asked' : `${check.checkedOnline} checked against their registries`;
  if (check.failures.length > 0) {
    lines.push(`${safe(p.file)} does not match: ${plural(check.failures.length, 'problem')} (${plural(used, 'key')} used, ${how}).`);
  } else if (check.notChecked.length > 0) {
    lines.push(`${safe(p.file)}: ${check.notChecked.length} not checked (${how}).`);
  } else {
    lines.push(`${safe(p.file)} holds every image used (${plural(used, 'key')} used, ${how}).`);
  }
  return `${lines.join('\n')}\n`;
}

function failureLines(failure: CheckFailure): string[] {
  return [`error    ${safe(failure.message)}`, `         ${safe(usedInText(failure.images.map(useText)))}`];
}

function unlockableLines(uses: LockUses): string[] {
  const noTag = uses.unlockable.filter((u) => u.why === 'no-tag');
  const unknown = uses.unlockable.filter((u) => u.why === 'not-known');
  const lines: string[] = [];
  if (noTag.length > 0) {
    lines.push(`${plural(noTag.length, 'image')} without a tag cannot be locked (\`scan\` reports them): ${safe(usedInText(noTag.map((u) => useText(u.image))))}.`);
  }
  if (unknown.length > 0) {
    lines.push(`${plural(unknown.length, 'image')} not known at synthesis (CDK assets, parameters, imports) left out of the lock.`);
  }
  return lines;
}

function entriesText(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

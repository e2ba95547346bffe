import { IMAGE_SOURCES } from '../../src/rules/catalog';

/** The README's table of covered resource types, rendered from the sources table. */
export function renderSourcesTable(): string {
  const rows = IMAGE_SOURCES.map((s) => {
    const where = s.extract
      ? '`Manifest`: `containers`, `initContainers`, `ephemeralContainers` of Pods and of the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs'
      : s.locations
        .map((l) => {
          const notes = [
            l.label === '@key' ? 'named by the map key' : l.label ? `named by \`${l.label}\`` : undefined,
            l.skip ? `skipped: \`${l.skip.imagePrefix}...\` images with \`${l.skip.sibling}\` ${l.skip.siblingIn.map((v) => (v === undefined ? 'absent' : `\`${v}\``)).join(' or ')}` : undefined,
            l.versionedPattern ? 'pushed images `:<service>.<label>.<version>` are pinned' : undefined,
          ].filter(Boolean);
          return `\`${l.path}\`${notes.length ? ` (${notes.join('; ')})` : ''}`;
        })
        .join('<br>');
    return `| \`${s.resourceType}\` | ${where} | \`ImagePinning-${s.ruleGroup}1\`, \`ImagePinning-${s.ruleGroup}2\` |`;
  });
  return ['| Resource type | Images at | Rules |', '|---|---|---|', ...rows].join('\n');
}

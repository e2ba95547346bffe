/**
 * Mixed deployments: the running tasks of one service, on one CPU architecture, run different
 * digests of one container.
 *
 * Tasks on different architectures run different platform digests by design, so they are not
 * compared. Given the lock, a platform child digest counts as its index (ECS may report either).
 * During a rolling deployment to a new image a mix is expected and brief (`inRollout`); when every
 * task names the same image (`sameImage`), one moving tag was resolved at different times, which
 * is what ECS version consistency prevents and what `versionConsistency: disabled` allows.
 */
import type { LockedImages } from './drift';
import { AuditInventory } from './model';

export interface MixedDigest {
  readonly digest: string;
  readonly images: string[];
  readonly taskDefinitions: string[];
  readonly tasks: string[];
}

export interface MixedDeployment {
  readonly account: string;
  readonly region: string;
  readonly clusterArn: string;
  readonly serviceName: string;
  readonly serviceArn?: string;
  readonly container: string;
  /** The tasks' `ecs.cpu-architecture`, when ECS gave it. */
  readonly architecture?: string;
  /** The digests, most tasks first. */
  readonly digests: MixedDigest[];
  /** Every task names the same image: one reference resolved to different digests. */
  readonly sameImage: boolean;
  /** The service has more than one deployment (a rollout in progress). */
  readonly inRollout: boolean;
}

export function mixedDeployments(inventory: AuditInventory, lock: LockedImages = {}): MixedDeployment[] {
  // A platform child digest stands for its index.
  const indexOf = new Map<string, string>();
  for (const entry of Object.values(lock)) for (const child of Object.values(entry.platforms ?? {})) indexOf.set(child, entry.digest);

  const out: MixedDeployment[] = [];
  for (const account of inventory.accounts) {
    for (const r of account.regions) {
      const groups = new Map<string, {
        clusterArn: string;
        serviceName: string;
        container: string;
        architecture?: string;
        byDigest: Map<string, MixedDigest>;
      }>();
      for (const t of r.tasks) {
        if (!t.serviceName) continue;
        for (const c of t.containers) {
          if (!c.imageDigest) continue;
          const key = JSON.stringify([t.clusterArn, t.serviceName, c.name, t.cpuArchitecture ?? '']);
          let group = groups.get(key);
          if (!group) {
            group = { clusterArn: t.clusterArn, serviceName: t.serviceName, container: c.name, architecture: t.cpuArchitecture, byDigest: new Map() };
            groups.set(key, group);
          }
          const digest = indexOf.get(c.imageDigest) ?? c.imageDigest;
          let d = group.byDigest.get(digest);
          if (!d) group.byDigest.set(digest, (d = { digest, images: [], taskDefinitions: [], tasks: [] }));
          if (c.image && !d.images.includes(c.image)) d.images.push(c.image);
          if (t.taskDefinitionArn && !d.taskDefinitions.includes(t.taskDefinitionArn)) d.taskDefinitions.push(t.taskDefinitionArn);
          d.tasks.push(t.arn);
        }
      }
      for (const g of groups.values()) {
        if (g.byDigest.size < 2) continue;
        const service = r.services.find((s) => s.clusterArn === g.clusterArn && s.name === g.serviceName);
        const digests = [...g.byDigest.values()]
          .map((d) => ({ ...d, images: d.images.sort(), taskDefinitions: d.taskDefinitions.sort(), tasks: d.tasks.sort() }))
          .sort((a, b) => b.tasks.length - a.tasks.length || (a.digest < b.digest ? -1 : 1));
        const images = new Set(digests.flatMap((d) => d.images));
        out.push({
          account: account.accountId,
          region: r.region,
          clusterArn: g.clusterArn,
          serviceName: g.serviceName,
          ...(service ? { serviceArn: service.arn } : {}),
          container: g.container,
          ...(g.architecture ? { architecture: g.architecture } : {}),
          digests,
          sameImage: images.size === 1,
          inRollout: (service?.deployments.filter((d) => d.status !== 'INACTIVE').length ?? 0) > 1,
        });
      }
    }
  }
  return out;
}

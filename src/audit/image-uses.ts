/**
 * Every image an inventory holds, one row per use, for the pinning check and the `--inventory`
 * listing: what is configured (task definitions, Lambda functions, Batch job definitions) and what
 * runs (service revisions, tasks) with the digest where AWS gave one.
 */
import { AuditInventory } from './model';

export type DeployedImageKind =
  /** A container of a task definition: the image as registered. */
  | 'ecs-task-definition'
  /** A container of a service's current revision: the image and the digest ECS resolved for it. */
  | 'ecs-service-revision'
  /** A container of a running task: the image and the digest it started from. */
  | 'ecs-task'
  /** A Lambda function of package type Image: `ImageUri` and the digest of `ResolvedImageUri`. */
  | 'lambda-function'
  /** A container of a Batch job definition. */
  | 'batch-job-definition';

export interface DeployedImage {
  readonly kind: DeployedImageKind;
  readonly account: string;
  readonly region: string;
  readonly image: string;
  /** The digest AWS reports it runs (`sha256:...`), where there is one. */
  readonly digest?: string;
  /** The ARN of the task definition, revision, task, function or job definition. */
  readonly subject: string;
  /** The container name, or for Batch its path in the job definition. */
  readonly container?: string;
  readonly clusterArn?: string;
  readonly serviceName?: string;
  readonly taskDefinition?: string;
  /** Task definition containers only. */
  readonly versionConsistency?: 'enabled' | 'disabled';
  /** The CPU architectures it runs on, where known (`X86_64`, `arm64`, `x86_64`). */
  readonly architectures?: string[];
}

/** The digest part of `name@sha256:...`, if any. */
export function digestOf(imageUri: string | undefined): string | undefined {
  const at = imageUri?.lastIndexOf('@') ?? -1;
  return at >= 0 ? imageUri!.slice(at + 1) : undefined;
}

export function deployedImages(inventory: AuditInventory): DeployedImage[] {
  const out: DeployedImage[] = [];
  for (const account of inventory.accounts) {
    for (const r of account.regions) {
      const base = { account: account.accountId, region: r.region };
      for (const td of r.taskDefinitions) {
        for (const c of td.containers) {
          out.push({
            ...base,
            kind: 'ecs-task-definition',
            image: c.image,
            subject: td.arn,
            container: c.name,
            taskDefinition: td.arn,
            versionConsistency: c.versionConsistency,
            ...(td.cpuArchitecture ? { architectures: [td.cpuArchitecture] } : {}),
          });
        }
      }
      for (const s of r.services) {
        for (const rev of s.revisions) {
          for (const c of rev.containerImages) {
            if (!c.image) continue;
            out.push({
              ...base,
              kind: 'ecs-service-revision',
              image: c.image,
              ...(c.imageDigest ? { digest: c.imageDigest } : {}),
              subject: rev.arn,
              container: c.containerName,
              clusterArn: s.clusterArn,
              serviceName: s.name,
              ...(rev.taskDefinition ? { taskDefinition: rev.taskDefinition } : {}),
            });
          }
        }
      }
      for (const t of r.tasks) {
        for (const c of t.containers) {
          if (!c.image) continue;
          out.push({
            ...base,
            kind: 'ecs-task',
            image: c.image,
            ...(c.imageDigest ? { digest: c.imageDigest } : {}),
            subject: t.arn,
            container: c.name,
            clusterArn: t.clusterArn,
            ...(t.serviceName ? { serviceName: t.serviceName } : {}),
            ...(t.taskDefinitionArn ? { taskDefinition: t.taskDefinitionArn } : {}),
            ...(t.cpuArchitecture ? { architectures: [t.cpuArchitecture] } : {}),
          });
        }
      }
      for (const f of r.lambdaFunctions) {
        if (!f.imageUri) continue;
        const digest = digestOf(f.resolvedImageUri);
        out.push({ ...base, kind: 'lambda-function', image: f.imageUri, ...(digest ? { digest } : {}), subject: f.arn, architectures: f.architectures });
      }
      for (const jd of r.batchJobDefinitions) {
        for (const c of jd.containers) out.push({ ...base, kind: 'batch-job-definition', image: c.image, subject: jd.arn, container: c.path });
      }
    }
  }
  return out;
}

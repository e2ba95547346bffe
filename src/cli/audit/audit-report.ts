/**
 * What `cdk-image-pinning audit` reports, as data, before any formatting: the findings, every
 * deployed image with where it runs (for `--inventory`), what could not be read (by account,
 * region and call), how much of each region was read, and the exit code.
 */
import { AuditFinding, AuditFindingOptions, AuditFindings, auditFindings, CheckedImage, lastSegment, Place } from './audit-findings';
import { AuditError, AuditInventory, AuditService, deployedImages, LockedImages, ReadStatus } from '../../audit';
import { CheckSettings } from '../../check/check-settings';
import { PinningReason } from '../../policy/image-verdict';
import { ImageReference } from '../../reference/image-reference';
import { violationSeverity } from '../../report/levels';
import { imageStatus } from '../inventory';

/** How a deployed image stands: the shared check's word for configured images, and against the lock for running ones. */
export type DeployedImageStatus =
  /** Configured: the check's status (`pinned`, `unpinned`, `invalid`, `unresolved`, `allowed`, `asset`). */
  | ReturnType<typeof imageStatus>
  /** Running, with `--lock-file`: the digest is the locked one or a platform child of it. */
  | 'locked'
  /** Running, with `--lock-file`: the digest is neither (a drift finding). */
  | 'drifted'
  /** Running, with `--lock-file`: the lock holds no entry for its tag. */
  | 'not-locked'
  /** Running: AWS reported no digest (a task still pulling, version consistency disabled). */
  | 'no-digest'
  /** Running, without `--lock-file`: not compared. */
  | 'running';

/** One row of `--inventory`: a deployed image and where it runs. */
export interface DeployedImageRow {
  /** What holds it: a task definition container, a service revision, a running task, a function, a job definition. */
  readonly kind: 'ecs-task-definition' | 'ecs-service-revision' | 'ecs-task' | 'lambda-function' | 'batch-job-definition';
  readonly status: DeployedImageStatus;
  readonly account: string;
  readonly accountName?: string;
  readonly region: string;
  readonly cluster?: string;
  readonly service?: string;
  /** The ARN of what holds it. */
  readonly resource: string;
  /** `api:2`, a task's id, a revision's id, a function's name, `job:1`. */
  readonly resourceName: string;
  readonly container?: string;
  readonly image: string;
  /** The digest AWS reports it runs, or that the image names. */
  readonly digest?: string;
  readonly registry?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly taskDefinition?: string;
  readonly architectures?: readonly string[];
}

/** One region of one account, and how much of it was read. */
export interface RegionSummary {
  readonly account: string;
  readonly accountName?: string;
  readonly region: string;
  readonly coverage: Readonly<Record<AuditService, ReadStatus>>;
  /** `complete`, `partial`, `failed` over the services read. */
  readonly status: ReadStatus;
  /** Images configured and running that were read there. */
  readonly images: number;
}

export interface AuditReport {
  readonly inventory: AuditInventory;
  readonly findings: readonly AuditFinding[];
  /** Findings reported as errors or warnings. */
  readonly reported: readonly AuditFinding[];
  readonly checked: readonly CheckedImage[];
  readonly images: readonly DeployedImageRow[];
  readonly regions: readonly RegionSummary[];
  /** Every call that failed, across the run: caller, accounts, regions. */
  readonly readErrors: readonly AuditError[];
  /** The lock file compared against, if any. */
  readonly lockFile?: string;
  readonly errors: number;
  readonly warnings: number;
  /** 2 when anything could not be read, else 1 when a finding is an error, else 0. */
  readonly exitCode: number;
}

export function buildAuditReport(
  inventory: AuditInventory,
  settings: CheckSettings,
  lock?: { readonly file: string; readonly images: LockedImages },
  options: AuditFindingOptions = {},
): AuditReport {
  const result = auditFindings(inventory, settings, lock?.images, options);
  const reported = result.findings.filter((f) => violationSeverity(f.outcome) !== undefined);
  const errors = reported.filter((f) => violationSeverity(f.outcome) === 'error').length;
  const readErrors = [
    ...inventory.errors,
    ...inventory.accounts.flatMap((a) => [...a.errors, ...a.regions.flatMap((r) => r.errors)]),
  ];
  const images = deployedImageRows(inventory, result);
  const regions = inventory.accounts.flatMap((a) =>
    a.regions.map((r): RegionSummary => {
      const read = Object.values(r.coverage).filter((s) => s !== 'skipped');
      return {
        account: a.accountId,
        ...(a.name ? { accountName: a.name } : {}),
        region: r.region,
        coverage: r.coverage,
        status: read.every((s) => s === 'complete') ? 'complete' : read.every((s) => s === 'failed') ? 'failed' : 'partial',
        images: images.filter((i) => i.account === a.accountId && i.region === r.region).length,
      };
    }),
  );
  const incomplete = readErrors.length > 0 || inventory.status !== 'complete';
  return {
    inventory,
    findings: result.findings,
    reported,
    checked: result.checked,
    images,
    regions,
    readErrors,
    ...(lock ? { lockFile: lock.file } : {}),
    errors,
    warnings: reported.length - errors,
    exitCode: incomplete ? 2 : errors > 0 ? 1 : 0,
  };
}

function parts(image: string): { registry?: string; repository?: string; tag?: string; digest?: string } {
  try {
    const r = ImageReference.parse(image);
    return { registry: r.registry, repository: r.repository, ...(r.tag ? { tag: r.tag } : {}), ...(r.digest ? { digest: r.digest } : {}) };
  } catch {
    return {};
  }
}

function deployedImageRows(inventory: AuditInventory, result: AuditFindings): DeployedImageRow[] {
  // The verdict on each image (not the finding that the lock does not hold it, beside it).
  const verdicts = result.checked.filter((c) => c.finding.reason !== PinningReason.NOT_LOCKED);
  const checkedBy = new Map(verdicts.map((c) => [`${c.resource.arn}\u0000${c.propertyPath}`, c]));
  // Batch containers are listed by their path in the job definition; the check names them by property path.
  const checkedBatch = new Map(verdicts.filter((c) => c.resource.kind === 'batch-job-definition').map((c) => [`${c.resource.arn}\u0000${c.finding.image}`, c]));
  const driftStatus = new Map<string, DeployedImageStatus>();
  const key = (u: { kind: string; subject: string; container?: string }) => `${u.kind}\u0000${u.subject}\u0000${u.container ?? ''}`;
  if (result.drift) {
    for (const d of result.drift.drifted) driftStatus.set(key(d.use), 'drifted');
    for (const u of result.drift.unlocked) driftStatus.set(key(u), 'not-locked');
    for (const u of result.drift.withoutDigest) driftStatus.set(key(u), 'no-digest');
    for (const u of result.drift.unparsable) driftStatus.set(key(u), 'not-locked');
  }
  const names = new Map(inventory.accounts.map((a) => [a.accountId, a.name]));
  const rows: DeployedImageRow[] = [];
  // The index of each task definition's container, in the order deployedImages lists them.
  const tdIndex = new Map<string, number>();
  for (const use of deployedImages(inventory)) {
    const place: Partial<Place> = use.clusterArn
      ? { cluster: lastSegment(use.clusterArn), ...(use.serviceName ? { service: use.serviceName } : {}) }
      : {};
    let status: DeployedImageStatus;
    let checked: CheckedImage | undefined;
    if (use.kind === 'ecs-task-definition') {
      const i = tdIndex.get(use.subject) ?? 0;
      tdIndex.set(use.subject, i + 1);
      checked = checkedBy.get(`${use.subject}\u0000containerDefinitions.${i}.image`);
    } else if (use.kind === 'lambda-function') {
      checked = checkedBy.get(`${use.subject}\u0000Code.ImageUri`);
    } else if (use.kind === 'batch-job-definition') {
      checked = checkedBatch.get(`${use.subject}\u0000${use.image}`);
    }
    if (use.kind === 'ecs-task-definition' || use.kind === 'batch-job-definition') {
      status = checked ? imageStatus(checked.finding.verdict) : 'running';
    } else if (result.drift) {
      status = use.digest ? driftStatus.get(key(use)) ?? 'locked' : 'no-digest';
    } else {
      status = use.digest ? 'running' : 'no-digest';
    }
    if (use.kind === 'lambda-function' && !result.drift && checked) status = imageStatus(checked.finding.verdict);
    const accountName = names.get(use.account);
    const p = parts(use.image);
    rows.push({
      kind: use.kind,
      status,
      account: use.account,
      ...(accountName ? { accountName } : {}),
      region: use.region,
      ...(checked?.place.cluster && !place.cluster ? { cluster: checked.place.cluster } : {}),
      ...(checked?.place.service && !place.service ? { service: checked.place.service } : {}),
      ...place,
      resource: use.subject,
      resourceName: checked?.resource.name ?? resourceName(use.kind, use.subject),
      ...(use.container ? { container: use.container } : {}),
      image: use.image,
      ...(use.digest ?? p.digest ? { digest: use.digest ?? p.digest } : {}),
      ...(p.registry ? { registry: p.registry } : {}),
      ...(p.repository ? { repository: p.repository } : {}),
      ...(p.tag ? { tag: p.tag } : {}),
      ...(use.taskDefinition && use.kind !== 'ecs-task-definition' ? { taskDefinition: use.taskDefinition } : {}),
      ...(use.architectures ? { architectures: use.architectures } : {}),
    });
  }
  return rows;
}

function resourceName(kind: DeployedImageRow['kind'], arn: string): string {
  if (kind === 'lambda-function') return arn.slice(arn.lastIndexOf(':') + 1);
  return lastSegment(arn);
}

/**
 * The findings of `cdk-image-pinning audit`, as data: the shared check over every image an
 * account has configured (ECS task definitions, Lambda image functions, Batch job definitions),
 * and with the lock file what runs against what was locked: drift (AUDIT1), mixed deployments
 * (AUDIT2) and containers whose digest nothing holds steady (AUDIT3).
 *
 * Pure: an inventory, the check settings and the lock in, findings out. The formatters (table,
 * JSON, SARIF) build their text from the parts; nothing parses a message.
 */
import {
  AccountInventory,
  AuditInventory,
  computeDrift,
  DeployedImage,
  lockKeyOf,
  LockedImages,
  mixedDeployments,
  RegionInventory,
  TaskDefinitionRecord,
} from '../../audit';
import { EMPTY_CONTEXT } from '../../cfn/template-context';
import { checkResource } from '../../check/check-resource';
import { CheckSettings } from '../../check/check-settings';
import { ImageFinding } from '../../check/finding';
import { Outcome } from '../../check/outcome';
import { PinningReason } from '../../policy/image-verdict';
import { ImageReference } from '../../reference/image-reference';
import {
  digestShare,
  driftFromLock,
  driftFromReference,
  mixedDeployment,
  runningCount,
  versionConsistencyDisabled,
} from '../../report/audit-text';
import { hintFor } from '../../report/finding-text';
import { AUDIT_RULE_IDS, AuditRule, findingIdOf } from '../../rules/rule-ids';
import { checkTaskDefinitionFile, TASK_DEFINITION_RESOURCE_TYPE } from '../task-definition-file';

/** What a finding or an image belongs to in the account. */
export type AuditResourceKind = 'ecs-task-definition' | 'ecs-service' | 'lambda-function' | 'batch-job-definition';

export interface AuditResource {
  readonly kind: AuditResourceKind;
  readonly arn: string;
  /** `family:revision`, the service's name, the function's name, `job-definition:revision`. */
  readonly name: string;
}

/** Where in the accounts: the account and region, and for ECS the cluster and service it runs in. */
export interface Place {
  readonly account: string;
  /** The account's name in AWS Organizations. */
  readonly accountName?: string;
  readonly region: string;
  readonly clusterArn?: string;
  /** The cluster's name. */
  readonly cluster?: string;
  /** The service's name; absent for tasks started without a service, and for what does not run in a cluster. */
  readonly service?: string;
  /** For a task definition: the other services (`cluster/service`) that run it. */
  readonly alsoUsedBy?: readonly string[];
}

export interface MixedDigestShare {
  readonly digest: string;
  readonly images: readonly string[];
  readonly taskDefinitions: readonly string[];
  readonly tasks: readonly string[];
}

export interface AuditFinding {
  /** `pinning` for the shared check's findings (the sources table's rules), else the audit rule. */
  readonly rule: 'pinning' | AuditRule;
  readonly ruleId: string;
  /** `<rule id>[<label>]`: `ImagePinning-ECS1[web]`, `ImagePinning-AUDIT1[web]`. */
  readonly findingId: string;
  /** The container's name, or a property path when it has none. */
  readonly label: string;
  /** `Container "web"`, `Function (Code.ImageUri)`, `Function "fn"`. */
  readonly subject: string;
  readonly image: string;
  /** The verdict's reason (`MOVING_TAG`) for the shared check; `DRIFT`, `MIXED_DEPLOYMENT`, `VERSION_CONSISTENCY_DISABLED` for the audit rules. */
  readonly reason: string;
  /** What is wrong, in one sentence without a final period. */
  readonly message: string;
  readonly fix?: string;
  readonly hint?: string;
  /** What must hold for the image to be this one (the shared check's alternatives); rarely set for an account. */
  readonly when?: string;
  readonly outcome: Outcome;
  readonly place: Place;
  readonly resource: AuditResource;
  /** The CloudFormation type the shared check read the resource as (`AWS::ECS::TaskDefinition`). */
  readonly resourceType?: string;
  /** Where the image is in the API's shape: `containerDefinitions.0.image`, `Code.ImageUri`. */
  readonly propertyPath?: string;
  /** The shared check's finding, for `pinning`. */
  readonly check?: ImageFinding;
  /** Drift: the digest running, the digests it may run, and the lock key compared with. */
  readonly running?: string;
  readonly expected?: readonly string[];
  readonly lockKey?: string;
  /** Drift and mixed deployments: the tasks concerned. */
  readonly tasks?: readonly string[];
  /** Mixed deployments: each digest with its tasks. */
  readonly digests?: readonly MixedDigestShare[];
}

/** Every image configured in the accounts, judged by the shared check (compliant ones included). */
export interface CheckedImage {
  readonly finding: ImageFinding;
  readonly place: Place;
  readonly resource: AuditResource;
  readonly resourceType: string;
  readonly propertyPath: string;
}

export interface AuditFindings {
  /** The shared check's verdict on every configured image, in inventory order. */
  readonly checked: readonly CheckedImage[];
  /** Findings to report or that were judged (the pinning ones of every outcome), sorted by place. */
  readonly findings: readonly AuditFinding[];
  /** Drift of every running image, with the lock; undefined without it. */
  readonly drift?: ReturnType<typeof computeDrift>;
}

const REPORTED = (level: 'error' | 'warning'): Outcome => ({ kind: 'reported', level });

/** The last segment of an ARN's resource: `cluster/prod` -> `prod`. */
export function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export interface AuditFindingOptions {
  /**
   * Whether the policy's allowed images (`allowedImages`, `--allow`) name this image: such an
   * image need not be pinned, so it needs no digest where version consistency is disabled either.
   */
  readonly allowed?: (image: string) => boolean;
}

/** The findings of an audit. With `lock`, also drift, mixed deployments and version consistency. */
export function auditFindings(
  inventory: AuditInventory,
  settings: CheckSettings,
  lock?: LockedImages,
  options: AuditFindingOptions = {},
): AuditFindings {
  const checked: CheckedImage[] = [];
  const findings: AuditFinding[] = [];
  for (const account of inventory.accounts) {
    for (const region of account.regions) {
      const places = placeIndexOf(account, region);
      for (const td of region.taskDefinitions) checked.push(...checkTaskDefinition(td, places, settings));
      for (const fn of region.lambdaFunctions) {
        if (!fn.imageUri) continue;
        const resource: AuditResource = { kind: 'lambda-function', arn: fn.arn, name: fn.name };
        for (const finding of checkResource('AWS::Lambda::Function', { Code: { ImageUri: fn.imageUri } }, EMPTY_CONTEXT, settings)) {
          checked.push({ finding, place: places.base, resource, resourceType: 'AWS::Lambda::Function', propertyPath: finding.found.propertyPath });
        }
      }
      for (const jd of region.batchJobDefinitions) {
        const resource: AuditResource = { kind: 'batch-job-definition', arn: jd.arn, name: `${jd.name}:${jd.revision}` };
        const properties = batchProperties(jd.containers);
        for (const finding of checkResource('AWS::Batch::JobDefinition', properties, EMPTY_CONTEXT, settings)) {
          checked.push({ finding, place: places.base, resource, resourceType: 'AWS::Batch::JobDefinition', propertyPath: apiPath(finding.found.propertyPath) });
        }
      }
    }
  }
  for (const c of checked) {
    const f = c.finding;
    findings.push({
      rule: 'pinning',
      ruleId: f.ruleId,
      findingId: f.findingId,
      label: f.label,
      subject: f.subject,
      image: f.image,
      reason: f.reason,
      message: f.message,
      ...(f.fix !== undefined ? { fix: f.fix } : {}),
      // Worded as before for CDK apps, the check's default audience (report/finding-text.ts).
      ...(hintFor(f) !== undefined ? { hint: hintFor(f) } : {}),
      ...(f.when !== undefined ? { when: f.when } : {}),
      outcome: f.outcome,
      place: c.place,
      resource: c.resource,
      resourceType: c.resourceType,
      propertyPath: c.propertyPath,
      check: f,
    });
  }
  let drift: ReturnType<typeof computeDrift> | undefined;
  if (lock) {
    drift = computeDrift(inventory, lock);
    findings.push(...driftFindings(inventory, drift.drifted, lock));
    findings.push(...mixedFindings(inventory, lock));
    findings.push(...versionConsistencyFindings(inventory, checked, lock, options.allowed ?? (() => false)));
  }
  return { checked, findings: findings.sort(byPlace), drift };
}

/** Services, clusters and task definitions of one region, to say where something runs. */
class PlaceIndex {
  public readonly base: Place;
  private readonly services: Map<string, { clusterArn: string; name: string }>;
  private readonly taskClusters: Map<string, string>;

  constructor(account: AccountInventory, public readonly region: RegionInventory) {
    this.base = { account: account.accountId, ...(account.name ? { accountName: account.name } : {}), region: region.region };
    this.services = new Map(region.services.map((s) => [s.arn, { clusterArn: s.clusterArn, name: s.name }]));
    this.taskClusters = new Map(region.tasks.map((t) => [t.arn, t.clusterArn]));
  }

  public cluster(clusterArn: string): Place {
    return { ...this.base, clusterArn, cluster: lastSegment(clusterArn) };
  }

  public service(clusterArn: string, name: string): Place {
    return { ...this.cluster(clusterArn), service: name };
  }

  /** A task definition is shown with the first service that runs it (the others named), else the cluster of a task that runs it. */
  public ofTaskDefinition(td: TaskDefinitionRecord): Place {
    const services = td.usedBy.services
      .map((arn) => this.services.get(arn) ?? { clusterArn: clusterOfServiceArn(arn), name: lastSegment(arn) })
      .sort((a, b) => compare(`${lastSegment(a.clusterArn)}/${a.name}`, `${lastSegment(b.clusterArn)}/${b.name}`));
    if (services.length > 0) {
      const [first, ...others] = services;
      return {
        ...this.service(first.clusterArn, first.name),
        ...(others.length > 0 ? { alsoUsedBy: others.map((s) => `${lastSegment(s.clusterArn)}/${s.name}`) } : {}),
      };
    }
    const cluster = td.usedBy.tasks.map((arn) => this.taskClusters.get(arn)).find((c) => c !== undefined);
    return cluster ? this.cluster(cluster) : this.base;
  }
}

/** `arn:aws:ecs:r:a:service/cluster/name` -> the cluster's ARN. */
function clusterOfServiceArn(arn: string): string {
  const match = /^(arn:[^:]+:ecs:[^:]*:[^:]*:)service\/([^/]+)\/[^/]+$/.exec(arn);
  return match ? `${match[1]}cluster/${match[2]}` : '';
}

function checkTaskDefinition(td: TaskDefinitionRecord, places: PlaceIndex, settings: CheckSettings): CheckedImage[] {
  const resource: AuditResource = { kind: 'ecs-task-definition', arn: td.arn, name: `${td.family}:${td.revision}` };
  const place = places.ofTaskDefinition(td);
  // The registered containers in the API's shape, checked as an AWS::ECS::TaskDefinition's.
  const result = checkTaskDefinitionFile({ containerDefinitions: td.containers.map((c) => ({ name: c.name, image: c.image })) }, 'register', settings);
  return result.images.map((image) => ({
    finding: image.finding,
    place,
    resource,
    resourceType: TASK_DEFINITION_RESOURCE_TYPE,
    propertyPath: image.path.join('.'),
  }));
}

/**
 * A Batch job definition's containers as the CloudFormation properties the shared check reads:
 * `nodeProperties.nodeRangeProperties[1].container` -> `NodeProperties.NodeRangeProperties[1].Container.Image`
 * (ranges without that container are empty objects, so the indexes stay those of the API).
 */
export function batchProperties(
  containers: ReadonlyArray<{ readonly path: string; readonly name?: string; readonly image: string }>,
): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const c of containers) {
    const steps = c.path.split('.').flatMap((part) => {
      const match = /^([A-Za-z]+)((?:\[\d+\])*)$/.exec(part);
      if (!match) return [part];
      const indexes = [...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      return [match[1].charAt(0).toUpperCase() + match[1].slice(1), ...indexes];
    });
    let node: Record<string, unknown> | unknown[] = root;
    steps.forEach((step, i) => {
      const last = i === steps.length - 1;
      const next = steps[i + 1];
      const container = node as Record<string | number, unknown>;
      if (Array.isArray(node) && typeof step === 'number') {
        for (let k = node.length; k < step; k++) node[k] = {};
      }
      if (last) {
        const leaf = (container[step] ??= {}) as Record<string, unknown>;
        leaf.Image = c.image;
        if (c.name !== undefined) leaf.Name = c.name;
        return;
      }
      container[step] ??= typeof next === 'number' ? [] : {};
      node = container[step] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}

/** `NodeProperties.NodeRangeProperties.1.Container.Image` -> `nodeProperties.nodeRangeProperties.1.container.image`. */
function apiPath(propertyPath: string): string {
  return propertyPath.split('.').map((s) => s.charAt(0).toLowerCase() + s.slice(1)).join('.');
}

/** The lock key of an image as written, if it parses and has a tag. */
function keyOf(image: string): string | undefined {
  try {
    return lockKeyOf(ImageReference.parse(image));
  } catch {
    return undefined;
  }
}

function referenceOf(image: string): ImageReference | undefined {
  try {
    return ImageReference.parse(image);
  } catch {
    return undefined;
  }
}

/** One finding per service (or task definition of standalone tasks, or function), container, image and running digest. */
function driftFindings(inventory: AuditInventory, drifted: ReturnType<typeof computeDrift>['drifted'], lock: LockedImages): AuditFinding[] {
  const groups = new Map<string, { uses: DeployedImage[]; running: string; expected: string[]; lockKey?: string }>();
  for (const d of drifted) {
    const u = d.use;
    const where = u.kind === 'lambda-function' ? u.subject : u.serviceName ? `service ${u.clusterArn} ${u.serviceName}` : `tasks ${u.clusterArn} ${u.taskDefinition}`;
    const key = JSON.stringify([u.account, u.region, where, u.container ?? '', u.image, d.running]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { uses: [], running: d.running, expected: d.expected, ...(d.lockKey ? { lockKey: d.lockKey } : {}) }));
    group.uses.push(u);
  }
  const out: AuditFinding[] = [];
  for (const g of groups.values()) {
    const u = g.uses[0];
    const region = regionOf(inventory, u.account, u.region);
    if (!region) continue;
    const { places } = region;
    const tasks = g.uses.filter((x) => x.kind === 'ecs-task').map((x) => x.subject).sort();
    const revisions = g.uses.filter((x) => x.kind === 'ecs-service-revision').length;
    const isLambda = u.kind === 'lambda-function';
    const where = runningCount(tasks.length, revisions, isLambda ? 'function' : 'tasks');
    // A digest reference without a lock entry of its own: compare with the entry that locked that digest, if any.
    const referenced = referenceOf(u.image)?.digest;
    const lockKey = g.lockKey ?? (referenced ? Object.keys(lock).find((k) => lock[k].digest === referenced) : undefined);
    const entry = lockKey ? lock[lockKey] : undefined;
    const text = entry && lockKey
      ? driftFromLock({
        image: u.image,
        running: g.running,
        where,
        lockKey,
        locked: entry.digest,
        platforms: Object.keys(entry.platforms ?? {}).length,
      })
      : driftFromReference({ image: u.image, running: g.running, where, referenced: referenced ?? '' });
    const label = isLambda ? 'Code.ResolvedImageUri' : u.container ?? '';
    let place: Place;
    let resource: AuditResource;
    if (isLambda) {
      place = places.base;
      const fn = region.region.lambdaFunctions.find((f) => f.arn === u.subject);
      resource = { kind: 'lambda-function', arn: u.subject, name: fn?.name ?? lastSegment(u.subject.replace(/:/g, '/')) };
    } else if (u.serviceName && u.clusterArn) {
      place = places.service(u.clusterArn, u.serviceName);
      resource = serviceResource(region.region, u.clusterArn, u.serviceName);
    } else {
      place = u.clusterArn ? places.cluster(u.clusterArn) : places.base;
      resource = taskDefinitionResource(u.taskDefinition ?? '');
    }
    out.push({
      rule: 'drift',
      ruleId: AUDIT_RULE_IDS.drift,
      findingId: findingIdOf(AUDIT_RULE_IDS.drift, label),
      label,
      subject: isLambda ? `Function "${resource.name}"` : `Container "${u.container ?? ''}"`,
      image: u.image,
      reason: 'DRIFT',
      ...text,
      outcome: REPORTED(entry ? 'error' : 'warning'),
      place,
      resource,
      ...(isLambda ? { propertyPath: 'Code.ResolvedImageUri' } : {}),
      running: g.running,
      expected: g.expected,
      ...(lockKey ? { lockKey } : {}),
      ...(tasks.length > 0 ? { tasks } : {}),
    });
  }
  return out;
}

function mixedFindings(inventory: AuditInventory, lock: LockedImages): AuditFinding[] {
  return mixedDeployments(inventory, lock).flatMap((m): AuditFinding[] => {
    const region = regionOf(inventory, m.account, m.region);
    if (!region) return [];
    const { places } = region;
    const images = [...new Set(m.digests.flatMap((d) => d.images))].sort();
    const image = m.sameImage ? images[0] : undefined;
    const key = image ? keyOf(image) : undefined;
    const entry = key ? lock[key] : undefined;
    const tasks = m.digests.flatMap((d) => d.tasks).sort();
    const text = mixedDeployment({
      tasks: tasks.length,
      shares: m.digests.map((d) => digestShare(d.digest, d.tasks.length, d.images, m.sameImage)),
      ...(image ? { image } : {}),
      inRollout: m.inRollout,
      ...(entry && key ? { locked: { lockKey: key, digest: entry.digest } } : {}),
    });
    return [{
      rule: 'mixed-deployment',
      ruleId: AUDIT_RULE_IDS['mixed-deployment'],
      findingId: findingIdOf(AUDIT_RULE_IDS['mixed-deployment'], m.container),
      label: m.container,
      subject: `Container "${m.container}"`,
      image: image ?? images.join(', '),
      reason: 'MIXED_DEPLOYMENT',
      ...text,
      outcome: REPORTED(m.inRollout ? 'warning' : 'error'),
      place: places.service(m.clusterArn, m.serviceName),
      resource: serviceResource(region.region, m.clusterArn, m.serviceName, m.serviceArn),
      tasks,
      digests: m.digests.map((d) => ({ digest: d.digest, images: d.images, taskDefinitions: d.taskDefinitions, tasks: d.tasks })),
    }];
  });
}

/** Containers with version consistency disabled whose image has no digest (and is not allowed by the policy). */
function versionConsistencyFindings(
  inventory: AuditInventory,
  checked: readonly CheckedImage[],
  lock: LockedImages,
  allowed: (image: string) => boolean,
): AuditFinding[] {
  const byContainer = new Map(
    checked
      .filter((c) => c.resource.kind === 'ecs-task-definition' && c.finding.reason !== PinningReason.NOT_LOCKED)
      .map((c) => [`${c.resource.arn}\u0000${c.propertyPath}`, c]),
  );
  const out: AuditFinding[] = [];
  for (const account of inventory.accounts) {
    for (const region of account.regions) {
      for (const td of region.taskDefinitions) {
        td.containers.forEach((container, i) => {
          if (container.versionConsistency !== 'disabled') return;
          const c = byContainer.get(`${td.arn}\u0000containerDefinitions.${i}.image`);
          // Not checked (the resource type is excluded), allowed by the policy, or not a reference (the check reports it).
          if (!c || c.finding.reason === PinningReason.ALLOWED || allowed(container.image)) return;
          const reference = referenceOf(container.image);
          if (!reference || reference.digest) return;
          const key = lockKeyOf(reference);
          const locked = key ? lock[key]?.digest : undefined;
          const text = versionConsistencyDisabled({ image: container.image, nameAndTag: container.image, ...(locked ? { locked } : {}) });
          out.push({
            rule: 'version-consistency-disabled',
            ruleId: AUDIT_RULE_IDS['version-consistency-disabled'],
            findingId: findingIdOf(AUDIT_RULE_IDS['version-consistency-disabled'], c.finding.label),
            label: c.finding.label,
            subject: c.finding.subject,
            image: container.image,
            reason: 'VERSION_CONSISTENCY_DISABLED',
            ...text,
            outcome: REPORTED('error'),
            place: c.place,
            resource: c.resource,
            resourceType: TASK_DEFINITION_RESOURCE_TYPE,
            propertyPath: `containerDefinitions.${i}.versionConsistency`,
            ...(key && lock[key] ? { lockKey: key } : {}),
          });
        });
      }
    }
  }
  return out;
}

const placeIndexes = new WeakMap<RegionInventory, PlaceIndex>();

/** The region of an account, with its place index (built once per region). */
function regionOf(
  inventory: AuditInventory,
  accountId: string,
  regionName: string,
): { account: AccountInventory; region: RegionInventory; places: PlaceIndex } | undefined {
  const account = inventory.accounts.find((a) => a.accountId === accountId);
  const region = account?.regions.find((r) => r.region === regionName);
  return account && region ? { account, region, places: placeIndexOf(account, region) } : undefined;
}

function placeIndexOf(account: AccountInventory, region: RegionInventory): PlaceIndex {
  let places = placeIndexes.get(region);
  if (!places) placeIndexes.set(region, (places = new PlaceIndex(account, region)));
  return places;
}

function serviceResource(region: RegionInventory, clusterArn: string, name: string, arn?: string): AuditResource {
  const service = region.services.find((s) => s.clusterArn === clusterArn && s.name === name);
  // A service that was not described (a failed call): its ARN as ECS writes it, from the cluster's.
  return { kind: 'ecs-service', arn: arn ?? service?.arn ?? `${clusterArn.replace(':cluster/', ':service/')}/${name}`, name };
}

function taskDefinitionResource(arn: string): AuditResource {
  return { kind: 'ecs-task-definition', arn, name: lastSegment(arn) };
}

const RESOURCE_ORDER: Record<AuditResourceKind, number> = { 'ecs-service': 0, 'ecs-task-definition': 1, 'lambda-function': 2, 'batch-job-definition': 3 };

/** Account, region, cluster, service, then resource, container and rule. */
function byPlace(a: AuditFinding, b: AuditFinding): number {
  return (
    compare(a.place.account, b.place.account) ||
    compare(a.place.region, b.place.region) ||
    compare(a.place.cluster ?? '\uffff', b.place.cluster ?? '\uffff') ||
    compare(a.place.service ?? '\uffff', b.place.service ?? '\uffff') ||
    RESOURCE_ORDER[a.resource.kind] - RESOURCE_ORDER[b.resource.kind] ||
    compare(a.resource.name, b.resource.name) ||
    compare(a.label, b.label) ||
    compare(a.ruleId, b.ruleId)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

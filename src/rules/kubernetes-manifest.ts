import { FoundImage, ImageSource, PropertyReader } from './image-sources';
import { evaluateAlternatives } from '../cfn/intrinsics';
import { TemplateContext } from '../cfn/template-context';
import { ImageValue, ValueSegment } from '../value/image-value';

/**
 * Images in Kubernetes manifests that aws-cdk-lib applies to an EKS cluster
 * (`Custom::AWSCDK-EKS-KubernetesResource`, property `Manifest`: a JSON array of objects, which may
 * have deploy-time parts). Containers, init containers and ephemeral containers of Pods and of
 * the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.
 */

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = [
  { field: 'containers', subject: 'Container' },
  { field: 'initContainers', subject: 'Init container' },
  { field: 'ephemeralContainers', subject: 'Ephemeral container' },
];

/**
 * Unknown parts of the manifest are replaced by private-use markers while the JSON is parsed,
 * then put back into the image values they fall in.
 */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKED = new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`);

export function kubernetesManifestImages(source: ImageSource, properties: unknown, reader: PropertyReader, context: TemplateContext): FoundImage[] {
  const value = reader.child(properties, 'Manifest');
  if (value === undefined || value === null) {
    return [];
  }
  const found: FoundImage[] = [];
  const seen = new Set<string>();
  // Each value the manifest can take (branches of Fn::If in it) is read; the same image at the same place once.
  for (const { value: manifest, when } of evaluateAlternatives(value, context)) {
    for (const image of manifestImages(source, value, manifest, when)) {
      const key = `${image.propertyPath}\u0000${image.value?.toString()}`;
      if (!seen.has(key)) {
        seen.add(key);
        found.push(image);
      }
    }
  }
  return found;
}

function manifestImages(source: ImageSource, raw: unknown, manifest: ImageValue, when: readonly string[]): FoundImage[] {
  const marked = manifest.segments.map((s, i) => ('literal' in s ? s.literal : `${MARK_OPEN}${i}${MARK_CLOSE}`)).join('');
  let documents: unknown;
  try {
    documents = JSON.parse(marked);
  } catch {
    // Deploy-time parts outside strings (or not JSON at all): its images cannot be read at synth time.
    return [
      {
        source,
        raw,
        value: ImageValue.unknown({ kind: 'unreadable', name: 'Manifest is not JSON at synth time' }, '<manifest>'),
        labelValue: 'Manifest',
        propertyPath: 'Manifest',
        subject: 'Kubernetes manifest',
        when,
      },
    ];
  }
  const found: FoundImage[] = [];
  const objects = Array.isArray(documents) ? documents.map((d, i) => [d, ['Manifest', i]] as const) : [[documents, ['Manifest']] as const];
  for (const [object, path] of objects) {
    for (const [item, itemPath] of listItems(object, [...path])) {
      collectPodImages(item, itemPath, manifest.segments, source, when, manifest.isLiteral, found);
    }
  }
  return found;
}

/** A `kind: List` holds its objects in `items`. */
function listItems(object: unknown, path: Array<string | number>): Array<[unknown, Array<string | number>]> {
  if (isRecord(object) && object.kind === 'List' && Array.isArray(object.items)) {
    return object.items.map((item, i) => [item, [...path, 'items', i]]);
  }
  return [[object, path]];
}

function collectPodImages(
  object: unknown,
  path: Array<string | number>,
  segments: readonly ValueSegment[],
  source: ImageSource,
  when: readonly string[],
  literal: boolean,
  found: FoundImage[],
): void {
  if (!isRecord(object) || typeof object.kind !== 'string') return;
  const specPath = POD_SPEC_PATHS[object.kind];
  if (!specPath) return;
  let spec: unknown = object;
  for (const step of specPath) spec = isRecord(spec) ? spec[step] : undefined;
  if (!isRecord(spec)) return;
  const objectName = isRecord(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '?';
  for (const { field, subject } of CONTAINER_LISTS) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      if (!isRecord(container) || container.image === undefined) return;
      const name = typeof container.name === 'string' ? container.name : String(i);
      found.push({
        source,
        raw: container.image,
        value: unmark(container.image, segments),
        labelValue: `${object.kind}/${objectName}/${name}`,
        propertyPath: [...path, ...specPath, field, i, 'image'].join('.'),
        subject,
        when,
        // The manifest is one JSON string: an image in it can be replaced only when all of it is known.
        rewriteAt: literal ? { property: 'Manifest', within: [...path.slice(1), ...specPath, field, i, 'image'] } : undefined,
      });
    });
  }
}

/** Puts the unknown parts back into a value read from the marked JSON. */
function unmark(value: unknown, segments: readonly ValueSegment[]): ImageValue {
  if (typeof value !== 'string') {
    return ImageValue.unknown({ kind: 'other', name: 'image' }, `<${typeof value}>`);
  }
  const pieces = value.split(MARKED);
  return ImageValue.concat(
    pieces.map((piece, i) => {
      if (i % 2 === 0) return piece;
      const segment = segments[Number(piece)];
      return segment && 'unknown' in segment ? ImageValue.unknown(segment.unknown, segment.display) : '';
    }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

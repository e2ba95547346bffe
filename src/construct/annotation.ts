import { IConstruct } from 'constructs';

/** The metadata types of annotations (cloud-assembly-schema's ArtifactMetadataEntryType). */
const TYPES = { error: 'aws:cdk:error', warning: 'aws:cdk:warning', info: 'aws:cdk:info' } as const;
/** Where aws-cdk-lib records, on each L1 resource, the user's code that created it. */
const CREATION_STACK = 'aws:cdk:creationStack';
/**
 * Where aws-cdk-lib keeps `Annotations.of(scope).acknowledgeWarning(id)` and `acknowledgeInfo(id)`:
 * a global symbol on the App, so that every copy of aws-cdk-lib in an app shares it.
 */
const ACKNOWLEDGEMENTS = Symbol.for('@aws-cdk/core.Acknowledgements');

export type AnnotationLevel = keyof typeof TYPES;

/**
 * An annotation as `Validations.of(target).addError(id, message)` writes it, at any level: the id
 * after the message as `(annotation::<id>)`, and the trace of the user's code that created the
 * resource instead of a fresh one.
 *
 * Not `Annotations.addWarningV2`/`addInfoV2`: they tag the message `[ack: <id>]`, which the aws-cdk
 * CLI reads up to the first `]`, so a finding id such as `ImagePinning-ECS2[app]` would be shown, and
 * offered for acknowledgement, as `ImagePinning-ECS2[app`, with a stray `]` left in the message.
 * `(annotation::<id>)` is read up to the last `)`, and acknowledging `Annotation::<id>` works
 * (construct/acknowledgement.ts).
 *
 * Not `Annotations.addError`: it captures a full stack trace of aws-cdk-lib's aspect recursion for
 * every message, which says nothing about the user's code, costs about a third of the time spent
 * reporting, and lands in the cloud assembly. aws-cdk-lib has already recorded where the resource
 * was created (`aws:cdk:creationStack`, the user's line); that trace is reused, so the CLI points at it.
 *
 * Messages are deduplicated by text on each construct, as `Annotations` does, so a finding is
 * reported once however often synthesis runs. Warnings and infos acknowledged with
 * `Annotations.of(scope).acknowledgeWarning(id)` / `acknowledgeInfo(id)` on the construct or an
 * ancestor are not added, as `addWarningV2`/`addInfoV2` would not add them.
 */
export function addAnnotation(level: AnnotationLevel, target: IConstruct, findingId: string, message: string, createdBy?: IConstruct): void {
  const type = TYPES[level];
  const text = `${message} (annotation::${findingId})`;
  if (target.node.metadata.some((m) => m.type === type && m.data === text)) {
    return;
  }
  if (level !== 'error' && acknowledgedWithAnnotations(target, findingId)) {
    return;
  }
  target.node.addMetadata(type, text, { stackTrace: false });
  const trace = createdBy?.node.metadata.find((m) => m.type === CREATION_STACK)?.data;
  if (Array.isArray(trace) && trace.every((line) => typeof line === 'string')) {
    // aws-cdk-lib condenses its own frames (`...new FargateTaskDefinition2 in aws-cdk-lib...`);
    // the CLI shows the first frame as the message's location, so the user's frame goes first.
    const user = trace.findIndex((line) => /\(.+:\d+:\d+\)$/.test(line));
    // The entry just added is the last one; `metadata` copies the list, not its entries.
    const entry = target.node.metadata[target.node.metadata.length - 1] as { trace?: string[] };
    entry.trace = user === -1 ? trace : trace.slice(user);
  }
}

/** Was `id` acknowledged with `Annotations.of(scope).acknowledgeWarning(id)` (or `acknowledgeInfo`) on `target` or an ancestor? */
function acknowledgedWithAnnotations(target: IConstruct, id: string): boolean {
  const root = target.node.root as unknown as Record<symbol, unknown>;
  const acks = (root[ACKNOWLEDGEMENTS] as { acks?: unknown } | undefined)?.acks;
  if (!(acks instanceof Map)) {
    return false;
  }
  // Keyed by construct path; an acknowledgement on an ancestor covers everything under it.
  for (let current: IConstruct | undefined = target; current; current = current.node.scope) {
    const ids = acks.get(current.node.path);
    if (ids instanceof Set && ids.has(id)) {
      return true;
    }
  }
  return false;
}

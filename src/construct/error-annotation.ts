import { IConstruct } from 'constructs';

/** `aws:cdk:error`, the metadata type of error annotations (cloud-assembly-schema's ArtifactMetadataEntryType.ERROR). */
const ERROR = 'aws:cdk:error';
/** Where aws-cdk-lib records, on each L1 resource, the user's code that created it. */
const CREATION_STACK = 'aws:cdk:creationStack';

/**
 * An error annotation, as `Validations.of(target).addError(id, message)` writes it (the id after
 * the message as `(annotation::<id>)`, which the aws-cdk CLI shows as the rule), but with the
 * trace of the user's code that created the resource instead of a fresh one.
 *
 * `Annotations.addError` captures a full stack trace of aws-cdk-lib's aspect recursion for every
 * error: it says nothing about the user's code, costs about a third of the time spent reporting,
 * and lands in the cloud assembly. aws-cdk-lib has already recorded where the resource was created
 * (`aws:cdk:creationStack`, the user's line); that trace is reused, so the CLI points at it.
 *
 * Errors are deduplicated by message on each construct, as `Annotations` does, so a finding is
 * reported once however often synthesis runs.
 */
export function addErrorAnnotation(target: IConstruct, findingId: string, message: string, createdBy?: IConstruct): void {
  const text = `${message} (annotation::${findingId})`;
  if (target.node.metadata.some((m) => m.type === ERROR && m.data === text)) {
    return;
  }
  target.node.addMetadata(ERROR, text, { stackTrace: false });
  const trace = createdBy?.node.metadata.find((m) => m.type === CREATION_STACK)?.data;
  if (Array.isArray(trace) && trace.every((line) => typeof line === 'string')) {
    // aws-cdk-lib condenses its own frames (`...new FargateTaskDefinition2 in aws-cdk-lib...`);
    // the CLI shows the first frame as the error's location, so the user's frame goes first.
    const user = trace.findIndex((line) => /\(.+:\d+:\d+\)$/.test(line));
    // The entry just added is the last one; `metadata` copies the list, not its entries.
    const entry = target.node.metadata[target.node.metadata.length - 1] as { trace?: string[] };
    entry.trace = user === -1 ? trace : trace.slice(user);
  }
}

import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * `Validations.of(scope).acknowledge({ id, reason })` on the construct or an ancestor: the
 * acknowledgement cdk-nag 3 honours, read the same way here so one acknowledgement serves every
 * front door (for errors too, which aws-cdk-lib itself does not yet let be acknowledged).
 * aws-cdk-lib records it as metadata, its id qualified as `annotation::<id>`
 * (`Annotation::` from 2.262.1).
 *
 * @returns the reason given, or undefined when `findingId` is not acknowledged
 */
export function acknowledgementFor(construct: IConstruct, findingId: string): string | undefined {
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') {
        continue;
      }
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        if (id.replace(/^annotation::/i, '') === findingId) {
          return String(reason);
        }
      }
    }
  }
  return undefined;
}

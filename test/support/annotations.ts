import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

export interface Message {
  readonly path: string;
  readonly level: 'error' | 'warning' | 'info';
  readonly text: string;
}

/** Every annotation of a stack (synthesizing its stage), in a shape easy to assert on. */
export function messagesOf(stack: Stack): Message[] {
  const annotations = Annotations.fromStack(stack);
  const collect = (level: Message['level'], found: ReturnType<Annotations['findError']>) =>
    found.map((m) => ({ path: m.id, level, text: String(m.entry.data) }));
  return [
    ...collect('error', annotations.findError('*', Match.anyValue())),
    ...collect('warning', annotations.findWarning('*', Match.anyValue())),
    ...collect('info', annotations.findInfo('*', Match.anyValue())),
  ];
}

/** Only this library's messages (rule ids start with ImagePinning-). */
export function pinningMessagesOf(stack: Stack): Message[] {
  return messagesOf(stack).filter((m) => m.text.includes('ImagePinning'));
}

/**
 * This library's annotations on constructs under `scope`, read from the construct tree.
 * For stacks inside nested Stages, whose App cannot synthesize while they have errors.
 */
export function pinningAnnotationsUnder(scope: IConstruct): Message[] {
  const levels: Record<string, Message['level']> = { 'aws:cdk:error': 'error', 'aws:cdk:warning': 'warning', 'aws:cdk:info': 'info' };
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => levels[m.type] && String(m.data).includes('ImagePinning')).map((m) => ({ path: `/${c.node.path}`, level: levels[m.type], text: String(m.data) })));
}

/** An error or warning annotation of this library, with the finding id aws-cdk-lib recorded for it. */
export interface AnnotatedFinding extends Message {
  readonly level: 'error' | 'warning';
  readonly findingId: string;
}

/** The Aspect appends the finding id to each message as `... (annotation::<id>)` (src/construct/annotation.ts). */
const RECORDED_ID = / \(annotation::(ImagePinning-[^\s]+)\)$/;

/** The one place tests read findings by id: this library's error and warning annotations under `scope`. */
export function annotatedFindingsUnder(scope: IConstruct): AnnotatedFinding[] {
  return pinningAnnotationsUnder(scope)
    .filter((m): m is Message & { level: 'error' | 'warning' } => m.level !== 'info')
    .map((m) => {
      const match = RECORDED_ID.exec(m.text);
      if (!match) throw new Error(`annotation without a finding id: ${m.text}`);
      return { ...m, findingId: match[1] };
    });
}

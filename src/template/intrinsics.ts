import { ImageTemplate } from './image-template';

/**
 * Turns a CloudFormation value (a string, or intrinsic functions such as `Fn::Join`, `Fn::Sub`,
 * `Ref`, `Fn::ImportValue`, `Fn::GetAtt`) into an {@link ImageTemplate}: literal text where the
 * template fixes it, readable unknown parts where only deployment decides.
 *
 * The Aspect feeds it `Stack.resolve` output; the validation plugin and the CLI feed it the
 * synthesized template. Both therefore see exactly the same parts.
 */

/** What a template declares about a parameter. */
export interface ParameterDeclaration {
  readonly type?: string;
  readonly default?: unknown;
}

/** Lookups into the template (or stack) an image value belongs to. */
export interface TemplateContext {
  /** The parameter named `logicalId`, if the template declares one. */
  parameter(logicalId: string): ParameterDeclaration | undefined;
}

/** A context that knows nothing: every `Ref` to a non-pseudo name is shown as a reference. */
export const EMPTY_CONTEXT: TemplateContext = { parameter: () => undefined };

const PSEUDO_DISPLAY: Record<string, string> = {
  'AWS::AccountId': '<account>',
  'AWS::Region': '<region>',
  'AWS::URLSuffix': '<urlsuffix>',
  'AWS::Partition': '<partition>',
  'AWS::StackName': '<stack-name>',
  'AWS::StackId': '<stack-id>',
};

/** The fields of an ARN, as `Fn::Select` over `Fn::Split(':', arn)` picks them. */
const ARN_FIELDS = ['arn', '<partition>', '<service>', '<region>', '<account>'];

const SSM_PARAMETER_TYPE = /^AWS::SSM::Parameter::Value<.*>$/;

/** Evaluates a CloudFormation value to an image template. Never throws. */
export function evaluateIntrinsic(value: unknown, context: TemplateContext = EMPTY_CONTEXT): ImageTemplate {
  if (typeof value === 'string') {
    return ImageTemplate.literal(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return ImageTemplate.literal(String(value));
  }
  const fn = singleKey(value);
  if (!fn) {
    return ImageTemplate.unknown({ kind: 'other', name: 'value' }, `<${describeShape(value)}>`);
  }
  const [name, arg] = fn;
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, context) : other(name);
    case 'Fn::Join':
      return join(arg, context);
    case 'Fn::Sub':
      return sub(arg, context);
    case 'Fn::Select':
      return select(arg, context);
    case 'Fn::GetAtt':
      return getAtt(arg);
    case 'Fn::ImportValue': {
      const exportName = typeof arg === 'string' ? arg : evaluateIntrinsic(arg, context).literalText;
      return ImageTemplate.unknown({ kind: 'import', name: exportName }, exportName ? `<import:${exportName}>` : '<import>');
    }
    case 'Fn::If':
      return Array.isArray(arg) && typeof arg[0] === 'string'
        ? ImageTemplate.unknown({ kind: 'other', name: `Fn::If ${arg[0]}` }, `<if:${arg[0]}>`)
        : other(name);
    case 'Fn::FindInMap':
      return Array.isArray(arg) && typeof arg[0] === 'string'
        ? ImageTemplate.unknown({ kind: 'other', name: `Fn::FindInMap ${arg[0]}` }, `<map:${arg[0]}>`)
        : other(name);
    default:
      return other(name);
  }
}

function ref(logicalId: string, context: TemplateContext): ImageTemplate {
  if (logicalId.startsWith('AWS::')) {
    return ImageTemplate.unknown({ kind: 'pseudo', name: logicalId }, PSEUDO_DISPLAY[logicalId] ?? `<${logicalId}>`);
  }
  const parameter = context.parameter(logicalId);
  if (parameter) {
    if (parameter.type && SSM_PARAMETER_TYPE.test(parameter.type)) {
      const ssmName = typeof parameter.default === 'string' ? parameter.default : undefined;
      return ImageTemplate.unknown({ kind: 'ssm-parameter', name: ssmName }, ssmName ? `<ssm:${ssmName}>` : `<ssm-param:${logicalId}>`);
    }
    return ImageTemplate.unknown({ kind: 'parameter', name: logicalId }, `<param:${logicalId}>`);
  }
  return ImageTemplate.unknown({ kind: 'resource', name: logicalId }, `<ref:${logicalId}>`);
}

function join(arg: unknown, context: TemplateContext): ImageTemplate {
  if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
    return other('Fn::Join');
  }
  const [delimiter, items] = arg as [string, unknown[]];
  const parts: Array<ImageTemplate | string> = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(delimiter);
    parts.push(evaluateIntrinsic(item, context));
  });
  return ImageTemplate.concat(parts);
}

function sub(arg: unknown, context: TemplateContext): ImageTemplate {
  let text: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    text = arg[0];
    if (arg[1] && typeof arg[1] === 'object' && !Array.isArray(arg[1])) {
      variables = arg[1] as Record<string, unknown>;
    }
  }
  if (typeof text !== 'string') {
    return other('Fn::Sub');
  }
  const parts: Array<ImageTemplate | string> = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open === -1) {
      parts.push(text.slice(i));
      break;
    }
    parts.push(text.slice(i, open));
    if (text[open + 2] === '!') {
      // `${!Literal}` writes `${Literal}` verbatim.
      parts.push('${');
      i = open + 3;
      continue;
    }
    const close = text.indexOf('}', open + 2);
    if (close === -1) {
      parts.push(text.slice(open));
      break;
    }
    const variable = text.slice(open + 2, close).trim();
    if (Object.prototype.hasOwnProperty.call(variables, variable)) {
      parts.push(evaluateIntrinsic(variables[variable], context));
    } else if (variable.includes('.') && !variable.startsWith('AWS::')) {
      parts.push(getAtt(variable));
    } else {
      parts.push(ref(variable, context));
    }
    i = close + 1;
  }
  return ImageTemplate.concat(parts);
}

function select(arg: unknown, context: TemplateContext): ImageTemplate {
  if (!Array.isArray(arg) || arg.length !== 2) {
    return other('Fn::Select');
  }
  const index = Number(typeof arg[0] === 'object' ? evaluateIntrinsic(arg[0], context).literalText : arg[0]);
  if (!Number.isInteger(index) || index < 0) {
    return other('Fn::Select');
  }
  const list = arg[1];
  if (Array.isArray(list)) {
    return index < list.length ? evaluateIntrinsic(list[index], context) : other('Fn::Select');
  }
  const split = singleKey(list);
  if (split && split[0] === 'Fn::Split' && Array.isArray(split[1]) && typeof split[1][0] === 'string') {
    const [delimiter, source] = split[1] as [string, unknown];
    const sourceText = evaluateIntrinsic(source, context).literalText;
    if (sourceText !== undefined) {
      const pieces = sourceText.split(delimiter);
      return index < pieces.length ? ImageTemplate.literal(pieces[index]) : other('Fn::Select');
    }
    // aws-cdk-lib takes a repository's account and region out of its ARN this way.
    if (delimiter === ':' && index < ARN_FIELDS.length && index > 0) {
      return ImageTemplate.unknown({ kind: 'other', name: `ARN field ${index}` }, ARN_FIELDS[index]);
    }
  }
  return other('Fn::Select');
}

function getAtt(arg: unknown): ImageTemplate {
  let target: string | undefined;
  if (typeof arg === 'string') {
    target = arg;
  } else if (Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
    target = `${arg[0]}.${arg[1]}`;
  }
  return target
    ? ImageTemplate.unknown({ kind: 'attribute', name: target }, `<${target}>`)
    : other('Fn::GetAtt');
}

function other(fn: string): ImageTemplate {
  return ImageTemplate.unknown({ kind: 'other', name: fn }, `<${fn}>`);
}

function singleKey(value: unknown): [string, unknown] | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      return [keys[0], (value as Record<string, unknown>)[keys[0]]];
    }
  }
  return undefined;
}

function describeShape(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'object' : typeof value;
}

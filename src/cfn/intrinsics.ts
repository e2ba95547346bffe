import { EMPTY_CONTEXT, TemplateContext } from './template-context';
import { ImageValue } from '../value/image-value';

/**
 * Turns a CloudFormation value (a string, or intrinsic functions such as `Fn::Join`, `Fn::Sub`,
 * `Ref`, `Fn::ImportValue`, `Fn::GetAtt`) into an {@link ImageValue}: literal text where the
 * template fixes it, readable unknown parts where only deployment decides.
 *
 * The validation plugin and the CLI feed it the synthesized template. The construct-tree front
 * doors (the Aspect, the cdk-nag pack) feed it the L1's own property values, which still hold CDK
 * tokens, with a {@link TokenExpander} in the context that expands each token as it is met; the
 * tokens expand to the same intrinsics the template will hold, so both see the same parts.
 */

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

/** Tokens that expand into tokens: deeper than this is a cycle, not an image. */
const MAX_DEPTH = 64;

/** Evaluates a CloudFormation value to an image template. Never throws. */
export function evaluateIntrinsic(value: unknown, context: TemplateContext = EMPTY_CONTEXT, depth = 0): ImageValue {
  if (depth > MAX_DEPTH) {
    return ImageValue.unknown({ kind: 'other', name: 'token' }, '<token>');
  }
  const tokens = context.tokens;
  if (typeof value === 'string') {
    const parts = tokens?.split(value);
    if (!parts) {
      return ImageValue.literal(value);
    }
    return ImageValue.concat(parts.map((p) => (typeof p === 'string' ? p : evaluateToken(p.token, context, depth))));
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return ImageValue.literal(String(value));
  }
  const expanded = tokens?.expand(value);
  if (expanded) {
    return evaluateIntrinsic(expanded.value, context, depth + 1);
  }
  const fn = singleKey(value);
  if (!fn) {
    return ImageValue.unknown({ kind: 'other', name: 'value' }, `<${describeShape(value)}>`);
  }
  const [name, arg] = fn;
  switch (name) {
    case 'Ref': {
      const target = literalOf(arg, context, depth);
      return target !== undefined ? ref(target, context) : other(name);
    }
    case 'Fn::Join':
      return join(arg, context, depth);
    case 'Fn::Sub':
      return sub(arg, context, depth);
    case 'Fn::Select':
      return select(arg, context, depth);
    case 'Fn::GetAtt':
      return getAtt(listOf(arg, context)?.map((a) => literalOf(a, context, depth)) ?? literalOf(arg, context, depth));
    case 'Fn::ImportValue': {
      const exportName = literalOf(arg, context, depth);
      return ImageValue.unknown({ kind: 'import', name: exportName }, exportName ? `<import:${exportName}>` : '<import>');
    }
    case 'Fn::If':
      return Array.isArray(arg) && typeof arg[0] === 'string'
        ? ImageValue.unknown({ kind: 'other', name: `Fn::If ${arg[0]}` }, `<if:${arg[0]}>`)
        : other(name);
    case 'Fn::FindInMap':
      return Array.isArray(arg) && typeof arg[0] === 'string'
        ? ImageValue.unknown({ kind: 'other', name: `Fn::FindInMap ${arg[0]}` }, `<map:${arg[0]}>`)
        : other(name);
    default:
      return other(name);
  }
}

function ref(logicalId: string, context: TemplateContext): ImageValue {
  if (logicalId.startsWith('AWS::')) {
    return ImageValue.unknown({ kind: 'pseudo', name: logicalId }, PSEUDO_DISPLAY[logicalId] ?? `<${logicalId}>`);
  }
  const parameter = context.parameter(logicalId);
  if (parameter) {
    if (parameter.type && SSM_PARAMETER_TYPE.test(parameter.type)) {
      const ssmName = typeof parameter.default === 'string' ? parameter.default : undefined;
      return ImageValue.unknown({ kind: 'ssm-parameter', name: ssmName }, ssmName ? `<ssm:${ssmName}>` : `<ssm-param:${logicalId}>`);
    }
    return ImageValue.unknown({ kind: 'parameter', name: logicalId }, `<param:${logicalId}>`);
  }
  return ImageValue.unknown({ kind: 'resource', name: logicalId }, `<ref:${logicalId}>`);
}

function join(arg: unknown, context: TemplateContext, depth: number): ImageValue {
  const args = listOf(arg, context);
  const delimiter = args?.length === 2 ? literalOf(args[0], context, depth) : undefined;
  const items = args?.length === 2 ? listOf(args[1], context) : undefined;
  if (delimiter === undefined || !items) {
    return other('Fn::Join');
  }
  const parts: Array<ImageValue | string> = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(delimiter);
    parts.push(evaluateIntrinsic(item, context, depth + 1));
  });
  return ImageValue.concat(parts);
}

function sub(arg: unknown, context: TemplateContext, depth: number): ImageValue {
  let text: unknown = arg;
  let variables: Record<string, unknown> = {};
  const args = listOf(arg, context);
  if (args) {
    text = args[0];
    if (args[1] && typeof args[1] === 'object' && !Array.isArray(args[1])) {
      variables = args[1] as Record<string, unknown>;
    }
  }
  text = literalOf(text, context, depth);
  if (typeof text !== 'string') {
    return other('Fn::Sub');
  }
  const parts: Array<ImageValue | string> = [];
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
      parts.push(evaluateIntrinsic(variables[variable], context, depth + 1));
    } else if (variable.includes('.') && !variable.startsWith('AWS::')) {
      parts.push(getAtt(variable));
    } else {
      parts.push(ref(variable, context));
    }
    i = close + 1;
  }
  return ImageValue.concat(parts);
}

function select(arg: unknown, context: TemplateContext, depth: number): ImageValue {
  const args = listOf(arg, context);
  if (!args || args.length !== 2) {
    return other('Fn::Select');
  }
  const index = Number(typeof args[0] === 'number' ? args[0] : literalOf(args[0], context, depth));
  if (!Number.isInteger(index) || index < 0) {
    return other('Fn::Select');
  }
  const list = listOf(args[1], context);
  if (list) {
    return index < list.length ? evaluateIntrinsic(list[index], context, depth + 1) : other('Fn::Select');
  }
  const split = singleKey(expandAll(args[1], context));
  const splitArgs = split && split[0] === 'Fn::Split' ? listOf(split[1], context) : undefined;
  const delimiter = splitArgs?.length === 2 ? literalOf(splitArgs[0], context, depth) : undefined;
  if (splitArgs && delimiter !== undefined) {
    const source = splitArgs[1];
    const sourceText = evaluateIntrinsic(source, context, depth + 1).literalText;
    if (sourceText !== undefined) {
      const pieces = sourceText.split(delimiter);
      return index < pieces.length ? ImageValue.literal(pieces[index]) : other('Fn::Select');
    }
    // aws-cdk-lib takes a repository's account and region out of its ARN this way.
    if (delimiter === ':' && index < ARN_FIELDS.length && index > 0) {
      return ImageValue.unknown({ kind: 'other', name: `ARN field ${index}` }, ARN_FIELDS[index]);
    }
  }
  return other('Fn::Select');
}

function getAtt(arg: unknown): ImageValue {
  let target: string | undefined;
  if (typeof arg === 'string') {
    target = arg;
  } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
    target = `${arg[0]}.${arg[1]}`;
  }
  return target
    ? ImageValue.unknown({ kind: 'attribute', name: target }, `<${target}>`)
    : other('Fn::GetAtt');
}

function evaluateToken(token: unknown, context: TemplateContext, depth: number): ImageValue {
  const expanded = context.tokens?.expand(token);
  return expanded ? evaluateIntrinsic(expanded.value, context, depth + 1) : ImageValue.unknown({ kind: 'other', name: 'token' }, '<token>');
}

/** The literal text of a value that must be a plain string (a Ref target, a delimiter), or undefined. */
function literalOf(value: unknown, context: TemplateContext, depth: number): string | undefined {
  if (typeof value === 'string' && !context.tokens) {
    return value;
  }
  return typeof value === 'string' || (value && typeof value === 'object') ? evaluateIntrinsic(value, context, depth + 1).literalText : undefined;
}

/** A value expanded until it is no longer a token object. */
function expandAll(value: unknown, context: TemplateContext): unknown {
  let current = value;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const expanded = context.tokens?.expand(current);
    if (!expanded) return current;
    current = expanded.value;
  }
  return current;
}

/** A value that must be a list (function arguments), expanded if it is a token. */
function listOf(value: unknown, context: TemplateContext): unknown[] | undefined {
  const list = expandAll(value, context);
  return Array.isArray(list) ? list : undefined;
}

function other(fn: string): ImageValue {
  return ImageValue.unknown({ kind: 'other', name: fn }, `<${fn}>`);
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

import { EMPTY_CONTEXT, TemplateContext } from './template-context';
import { ImageValue, UnknownOrigin } from '../value/image-value';

/**
 * Turns a CloudFormation value (a string, or intrinsic functions such as `Fn::Join`, `Fn::Sub`,
 * `Ref`, `Fn::If`, `Fn::FindInMap`, `Fn::ImportValue`, `Fn::GetAtt`) into the image values it can
 * take: literal text where the template fixes it, readable unknown parts where only deployment
 * decides.
 *
 * A value can take several: each branch of an `Fn::If`, each value of a mapping that
 * `Fn::FindInMap` may pick, each allowed value of a parameter, a parameter's default. Each is an
 * {@link Alternative}, with what must hold for it, and each is judged; none is dropped. Past the
 * limits below, the value is one unknown part that says which limit it passed, never a silent
 * placeholder.
 *
 * The validation plugin and the CLI feed it the synthesized template. The construct-tree front
 * doors (the Aspect, the cdk-nag pack) feed it the L1's own property values, which still hold CDK
 * tokens, with a `TokenExpander` in the context that expands each token as it is met; the tokens
 * expand to the same intrinsics the template will hold, so both see the same parts.
 */

/** One value an image can take, and what must hold for it to take it. */
export interface Alternative {
  readonly value: ImageValue;
  /** E.g. `condition IsProd is true`, `parameter Tag keeps its default "1.2.3"`; empty when it always holds. */
  readonly when: readonly string[];
}

/** More alternatives than this (nested `Fn::If`s multiply) are not enumerated: the value says so. */
export const MAX_ALTERNATIVES = 32;
/** Deeper than this (tokens expanding into tokens, nested functions) is a cycle or an attack, not an image. */
export const MAX_DEPTH = 64;

const PSEUDO_DISPLAY: Record<string, string> = {
  'AWS::AccountId': '<account>',
  'AWS::Region': '<region>',
  'AWS::URLSuffix': '<urlsuffix>',
  'AWS::Partition': '<partition>',
  'AWS::StackName': '<stack-name>',
  'AWS::StackId': '<stack-id>',
};

/** The fields of an ARN, as `Fn::Select` over `Fn::Split(':', arn)` picks them. */
const ARN_FIELDS: ReadonlyArray<{ readonly field: string; readonly display: string } | undefined> = [
  undefined,
  { field: 'partition', display: '<partition>' },
  { field: 'service', display: '<service>' },
  { field: 'region', display: '<region>' },
  { field: 'account', display: '<account>' },
];

const SSM_PARAMETER_TYPE = /^AWS::SSM::Parameter::Value<.*>$/;

/** A list a value can be, and what must hold for it. */
export interface ListAlternative {
  readonly items: unknown[];
  readonly when: readonly string[];
}

/** A value and what must hold for it; `absent` for `AWS::NoValue`, which removes what holds it. */
interface Alt {
  readonly value: ImageValue;
  readonly when: readonly string[];
  readonly absent?: boolean;
}

/**
 * Every image value `value` can take, each with what must hold for it. Empty when it takes none
 * (`Ref: AWS::NoValue`). Never throws.
 */
export function evaluateAlternatives(value: unknown, context: TemplateContext = EMPTY_CONTEXT): Alternative[] {
  return dedupe(alts(value, context, 0).filter((a) => !a.absent).map(({ value: v, when }) => ({ value: v, when })));
}

/**
 * The one value `value` takes; an unknown part when it may take several (use
 * {@link evaluateAlternatives} to judge each) or none. For names, delimiters and keys.
 */
export function evaluateIntrinsic(value: unknown, context: TemplateContext = EMPTY_CONTEXT): ImageValue {
  return single(alts(value, context, 0), value);
}

/** The literal text of a value that must be a plain string (a name, a delimiter, a key), or undefined. */
export function literalOf(value: unknown, context: TemplateContext, depth = 0): string | undefined {
  if (typeof value === 'string' && !context.tokens) {
    return value;
  }
  if (typeof value === 'string' || typeof value === 'number' || (value && typeof value === 'object')) {
    return single(alts(value, context, depth + 1), value).literalText;
  }
  return undefined;
}

/**
 * The lists a value can be (for the arguments of functions, and the lists of a resource's
 * properties): a list as it is, each branch of an `Fn::If`, each list a mapping may give.
 * Undefined when the value is no list the template fixes.
 */
export function listAlternatives(value: unknown, context: TemplateContext, depth = 0): ListAlternative[] | undefined {
  const list = expandAll(value, context);
  if (Array.isArray(list)) {
    // An encoded CDK list token is a one-element list of a token string: expand it too.
    const expanded = list.length === 1 ? context.tokens?.expand(list) : undefined;
    if (expanded && Array.isArray(expanded.value)) return [{ items: expanded.value, when: [] }];
    return [{ items: list, when: [] }];
  }
  if (depth > MAX_DEPTH) return undefined;
  const fn = singleKey(list);
  if (fn?.[0] === 'Fn::If' && Array.isArray(fn[1]) && fn[1].length === 3 && typeof fn[1][0] === 'string') {
    const [condition, whenTrue, whenFalse] = fn[1] as [string, unknown, unknown];
    const branch = (v: unknown) => (isNoValue(v, context) ? [{ items: [], when: [] }] : listAlternatives(v, context, depth + 1));
    const [onTrue, onFalse] = [branch(whenTrue), branch(whenFalse)];
    if (!onTrue || !onFalse) return undefined;
    return [...onTrue.map((b) => withWhen(b, conditionIs(condition, true))), ...onFalse.map((b) => withWhen(b, conditionIs(condition, false)))];
  }
  if (fn?.[0] === 'Fn::FindInMap') {
    const picked = findInMapValues(fn[1], context, depth);
    if (!picked) return undefined;
    const lists = picked.map((p) => ({ items: expandAll(p.value, context), when: p.when }));
    return lists.every((l) => Array.isArray(l.items)) ? (lists as Array<{ items: unknown[]; when: readonly string[] }>) : undefined;
  }
  return undefined;
}

/**
 * The values a property can be, for walking to the images inside it: the value itself; each
 * branch of an `Fn::If`; each value `Fn::FindInMap` may pick; none for `AWS::NoValue`. `unreadable`
 * names the function when another one produces the property (its value is only known at deploy
 * time), so the walker reports it instead of finding nothing.
 */
export function propertyAlternatives(
  value: unknown,
  context: TemplateContext,
  depth = 0,
): Array<{ readonly value: unknown; readonly when: readonly string[] }> | { readonly unreadable: string } {
  const expanded = expandAll(value, context);
  if (depth > MAX_DEPTH) return { unreadable: `nested more than ${MAX_DEPTH} levels deep` };
  const fn = singleKey(expanded);
  if (!fn || !(fn[0] === 'Ref' || fn[0].startsWith('Fn::'))) {
    return [{ value: expanded, when: [] }];
  }
  const [name, arg] = fn;
  if (name === 'Ref' && arg === 'AWS::NoValue') return [];
  const branches: Array<{ value: unknown; when: readonly string[] }> = [];
  if (name === 'Fn::If' && Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string') {
    for (const [branch, holds] of [[arg[1], true], [arg[2], false]] as const) {
      const inner = propertyAlternatives(branch, context, depth + 1);
      if ('unreadable' in inner) return inner;
      branches.push(...inner.map((b) => withWhen(b, conditionIs(arg[0] as string, holds))));
    }
  } else if (name === 'Fn::FindInMap') {
    const picked = findInMapValues(arg, context, depth);
    if (!picked) return { unreadable: name };
    for (const p of picked) {
      const inner = propertyAlternatives(p.value, context, depth + 1);
      if ('unreadable' in inner) return inner;
      branches.push(...inner.map((b) => ({ ...b, when: mergeWhen([p.when, b.when]) })));
    }
  } else {
    return { unreadable: name === 'Fn::Transform' ? 'Fn::Transform (a macro) at deploy time' : name };
  }
  return branches.length > MAX_ALTERNATIVES ? { unreadable: `more than ${MAX_ALTERNATIVES} alternatives` } : branches;
}

/** Is this `Ref: AWS::NoValue`, which removes the property or list element that holds it? */
export function isNoValue(value: unknown, context: TemplateContext): boolean {
  const fn = singleKey(expandAll(value, context));
  return fn !== undefined && fn[0] === 'Ref' && fn[1] === 'AWS::NoValue';
}

function alts(value: unknown, context: TemplateContext, depth: number): Alt[] {
  if (depth > MAX_DEPTH) {
    return [unknownAlt({ kind: 'limit', name: `nested more than ${MAX_DEPTH} levels deep` }, '<too deeply nested>')];
  }
  const tokens = context.tokens;
  if (typeof value === 'string') {
    const parts = tokens?.split(value);
    if (!parts) {
      return [literalAlt(value)];
    }
    return concatAll(parts.map((p) => (typeof p === 'string' ? [literalAlt(p)] : tokenAlts(p.token, context, depth))));
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return [literalAlt(String(value))];
  }
  const expanded = tokens?.expand(value);
  if (expanded) {
    return alts(expanded.value, context, depth + 1);
  }
  const fn = singleKey(value);
  if (!fn) {
    return [unknownAlt({ kind: 'other', name: 'value' }, `<${describeShape(value)}>`)];
  }
  const [name, arg] = fn;
  switch (name) {
    case 'Ref': {
      const target = literalOf(arg, context, depth);
      return target !== undefined ? ref(target, context) : [other(name)];
    }
    case 'Fn::Join':
      return join(arg, context, depth);
    case 'Fn::Sub':
      return sub(arg, context, depth);
    case 'Fn::Select':
      return select(arg, context, depth);
    case 'Fn::If':
      return conditional(arg, context, depth);
    case 'Fn::FindInMap':
      return findInMap(arg, context, depth);
    case 'Fn::GetAtt': {
      const target = listOf(arg, context)?.map((a) => literalOf(a, context, depth));
      return [getAtt(target ?? literalOf(arg, context, depth))];
    }
    case 'Fn::ImportValue': {
      const exportName = literalOf(arg, context, depth);
      return [unknownAlt({ kind: 'import', name: exportName }, exportName ? `<import:${exportName}>` : '<import>')];
    }
    default:
      return [other(name)];
  }
}

function ref(logicalId: string, context: TemplateContext): Alt[] {
  if (logicalId === 'AWS::NoValue') {
    return [{ value: ImageValue.literal(''), when: [], absent: true }];
  }
  if (logicalId.startsWith('AWS::')) {
    return [unknownAlt({ kind: 'pseudo', name: logicalId }, PSEUDO_DISPLAY[logicalId] ?? `<${logicalId}>`)];
  }
  const parameter = context.parameter(logicalId);
  if (!parameter) {
    return [unknownAlt({ kind: 'resource', name: logicalId }, `<ref:${logicalId}>`)];
  }
  if (parameter.type && SSM_PARAMETER_TYPE.test(parameter.type)) {
    const ssmName = typeof parameter.default === 'string' ? parameter.default : undefined;
    return [unknownAlt({ kind: 'ssm-parameter', name: ssmName }, ssmName ? `<ssm:${ssmName}>` : `<ssm-param:${logicalId}>`)];
  }
  const unknown = unknownAlt({ kind: 'parameter', name: logicalId }, `<param:${logicalId}>`);
  // The template makes the value certain when it lists the values allowed: each is judged.
  const allowed = parameter.allowedValues?.filter(isScalar);
  if (allowed && allowed.length > 0 && allowed.length === parameter.allowedValues?.length) {
    return allowed.slice(0, MAX_ALTERNATIVES).map((v) => ({ value: ImageValue.literal(String(v)), when: [`parameter ${logicalId} is "${v}"`] }));
  }
  // A default is what deploys when nobody passes a value: judged, beside the unknown value.
  if (isScalar(parameter.default)) {
    return [{ value: ImageValue.literal(String(parameter.default)), when: [`parameter ${logicalId} keeps its default "${parameter.default}"`] }, { ...unknown, when: [`parameter ${logicalId} is passed at deploy time`] }];
  }
  return [unknown];
}

function join(arg: unknown, context: TemplateContext, depth: number): Alt[] {
  const args = listOf(arg, context);
  const delimiter = args?.length === 2 ? literalOf(args[0], context, depth) : undefined;
  const lists = args?.length === 2 ? listAlternatives(args[1], context, depth) : undefined;
  if (delimiter === undefined || !lists) {
    return [other('Fn::Join')];
  }
  return bounded(
    lists.flatMap(({ items, when }) =>
      combine(items.map((item) => alts(item, context, depth + 1))).map((combination) => {
        if (combination.length === 1 && isLimit(combination[0])) return combination[0];
        const present = combination.filter((a) => !a.absent);
        const parts: Array<ImageValue | string> = [];
        present.forEach((a, i) => {
          if (i > 0) parts.push(delimiter);
          parts.push(a.value);
        });
        return { value: ImageValue.concat(parts), when: mergeWhen([when, ...combination.map((a) => a.when)]) };
      }),
    ),
  );
}

function sub(arg: unknown, context: TemplateContext, depth: number): Alt[] {
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
    return [other('Fn::Sub')];
  }
  const parts: Alt[][] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open === -1) {
      parts.push([literalAlt(text.slice(i))]);
      break;
    }
    parts.push([literalAlt(text.slice(i, open))]);
    if (text[open + 2] === '!') {
      // `${!Literal}` writes `${Literal}` verbatim.
      parts.push([literalAlt('${')]);
      i = open + 3;
      continue;
    }
    const close = text.indexOf('}', open + 2);
    if (close === -1) {
      parts.push([literalAlt(text.slice(open))]);
      break;
    }
    const variable = text.slice(open + 2, close).trim();
    if (Object.prototype.hasOwnProperty.call(variables, variable)) {
      parts.push(alts(variables[variable], context, depth + 1));
    } else if (variable.includes('.') && !variable.startsWith('AWS::')) {
      parts.push([getAtt(variable)]);
    } else {
      parts.push(ref(variable, context));
    }
    i = close + 1;
  }
  return concatAll(parts);
}

function select(arg: unknown, context: TemplateContext, depth: number): Alt[] {
  const args = listOf(arg, context);
  if (!args || args.length !== 2) {
    return [other('Fn::Select')];
  }
  const index = Number(typeof args[0] === 'number' ? args[0] : literalOf(args[0], context, depth));
  if (!Number.isInteger(index) || index < 0) {
    return [other('Fn::Select')];
  }
  const lists = listAlternatives(args[1], context, depth);
  if (lists) {
    return bounded(
      lists.flatMap(({ items, when }) =>
        index < items.length ? alts(items[index], context, depth + 1).map((a) => ({ ...a, when: mergeWhen([when, a.when]) })) : [other('Fn::Select')],
      ),
    );
  }
  const split = singleKey(expandAll(args[1], context));
  const splitArgs = split && split[0] === 'Fn::Split' ? listOf(split[1], context) : undefined;
  const delimiter = splitArgs?.length === 2 ? literalOf(splitArgs[0], context, depth) : undefined;
  if (splitArgs && delimiter !== undefined) {
    const source = evaluateIntrinsic(splitArgs[1], context);
    const sourceText = source.literalText;
    if (sourceText !== undefined) {
      const pieces = sourceText.split(delimiter);
      return [index < pieces.length ? literalAlt(pieces[index]) : other('Fn::Select')];
    }
    // aws-cdk-lib takes a repository's account and region out of its ARN this way; which ARN
    // it was is kept, so the immutable-tag rule can tell the repository's own host from another.
    const arnField = delimiter === ':' ? ARN_FIELDS[index] : undefined;
    if (arnField) {
      const [only] = source.unknowns;
      const of = source.segments.length === 1 && only ? only.unknown : undefined;
      return [unknownAlt({ kind: 'arn-field', name: arnField.field, of }, arnField.display)];
    }
  }
  return [other('Fn::Select')];
}

function conditional(arg: unknown, context: TemplateContext, depth: number): Alt[] {
  const args = listOf(arg, context);
  if (!args || args.length !== 3 || typeof args[0] !== 'string') {
    return [other('Fn::If')];
  }
  const [condition, whenTrue, whenFalse] = args as [string, unknown, unknown];
  return bounded([
    ...alts(whenTrue, context, depth + 1).map((a) => ({ ...a, when: mergeWhen([[conditionIs(condition, true)], a.when]) })),
    ...alts(whenFalse, context, depth + 1).map((a) => ({ ...a, when: mergeWhen([[conditionIs(condition, false)], a.when]) })),
  ]);
}

function findInMap(arg: unknown, context: TemplateContext, depth: number): Alt[] {
  const picked = findInMapValues(arg, context, depth);
  if (!picked) {
    const mapName = listOf(arg, context)?.[0];
    return [unknownAlt({ kind: 'mapping', name: typeof mapName === 'string' ? mapName : 'Fn::FindInMap' }, typeof mapName === 'string' ? `<map:${mapName}>` : '<Fn::FindInMap>')];
  }
  return bounded(picked.flatMap((p) => alts(p.value, context, depth + 1).map((a) => ({ ...a, when: mergeWhen([p.when, a.when]) }))));
}

/**
 * The values `Fn::FindInMap` can pick from a mapping the template declares: one, when both keys
 * are literal; every value under the keys that are not (a key from `AWS::Region`, say), each with
 * the key it needs. Undefined when the mapping is unknown or a literal key is not in it.
 */
function findInMapValues(arg: unknown, context: TemplateContext, depth: number): Array<{ value: unknown; when: readonly string[] }> | undefined {
  const args = listOf(arg, context);
  if (!args || args.length < 3) return undefined;
  const mapName = literalOf(args[0], context, depth);
  const mapping = mapName === undefined ? undefined : context.mapping?.(mapName);
  if (!mapping) return undefined;
  // Each value a key can take is looked up: a literal key, each allowed value of a parameter, or,
  // for a key only known at deploy time (the region), every key of the mapping.
  let mayMiss = false;
  const keys = (key: unknown, within: Record<string, unknown>): Array<[string, readonly string[]]> | undefined => {
    const found: Array<[string, readonly string[]]> = [];
    for (const alt of alts(key, context, depth + 1)) {
      const literal = alt.absent ? undefined : alt.value.literalText;
      if (literal !== undefined) {
        // A value not in the mapping fails the deployment (or takes the DefaultValue): it picks no image of the mapping.
        if (Object.prototype.hasOwnProperty.call(within, literal)) found.push([literal, alt.when]);
        else mayMiss = true;
      } else if (!alt.absent) {
        mayMiss = true;
        for (const k of Object.keys(within)) found.push([k, [...alt.when, `${alt.value.toString()} is "${k}" (mapping ${mapName})`]]);
      }
    }
    return found.length > 0 ? found : undefined;
  };
  const picked: Array<{ value: unknown; when: readonly string[] }> = [];
  for (const [top, topWhen] of keys(args[1], mapping) ?? []) {
    const second = mapping[top];
    if (!second || typeof second !== 'object' || Array.isArray(second)) return undefined;
    const secondKeys = keys(args[2], second as Record<string, unknown>);
    if (!secondKeys) {
      mayMiss = true;
      continue;
    }
    for (const [key, keyWhen] of secondKeys) {
      picked.push({ value: (second as Record<string, unknown>)[key], when: [...topWhen, ...keyWhen] });
    }
  }
  // With the AWS::LanguageExtensions transform, a fourth argument gives the value for keys not in the mapping.
  const fallback = args.length === 4 && args[3] && typeof args[3] === 'object' && 'DefaultValue' in (args[3] as object)
    ? (args[3] as { DefaultValue: unknown }).DefaultValue : undefined;
  if (fallback !== undefined && (mayMiss || picked.length === 0)) picked.push({ value: fallback, when: [`a key is not in mapping ${mapName}`] });
  return picked.length > 0 ? picked : undefined;
}

function getAtt(arg: unknown): Alt {
  let target: string | undefined;
  if (typeof arg === 'string') {
    target = arg;
  } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
    target = `${arg[0]}.${arg[1]}`;
  }
  return target ? unknownAlt({ kind: 'attribute', name: target }, `<${target}>`) : other('Fn::GetAtt');
}

function tokenAlts(token: unknown, context: TemplateContext, depth: number): Alt[] {
  const expanded = context.tokens?.expand(token);
  return expanded ? alts(expanded.value, context, depth + 1) : [unknownAlt({ kind: 'other', name: 'token' }, '<token>')];
}

/** Every combination of one alternative from each list, in order. */
function combine(lists: readonly Alt[][]): Alt[][] {
  let combinations: Alt[][] = [[]];
  for (const list of lists) {
    // A part past a limit makes the whole value past it: one finding that says so.
    const limit = list.find(isLimit);
    if (limit) {
      return [[limit]];
    }
    if (combinations.length * list.length > MAX_ALTERNATIVES) {
      return [[tooMany()]];
    }
    combinations = combinations.flatMap((c) => list.map((a) => [...c, a]));
  }
  return combinations;
}

/** The alternatives of text made of parts, each part with its own alternatives. */
function concatAll(parts: readonly Alt[][]): Alt[] {
  if (parts.every((p) => p.length === 1 && p[0].when.length === 0 && !p[0].absent)) {
    // The common case, a string with tokens that each have one value: no combinations to build.
    return [{ value: ImageValue.concat(parts.map((p) => p[0].value)), when: [] }];
  }
  return combine(parts).map((combination) => {
    if (combination.length === 1 && isLimit(combination[0])) return combination[0];
    return { value: ImageValue.concat(combination.map((a) => a.value)), when: mergeWhen(combination.map((a) => a.when)) };
  });
}

function bounded(list: Alt[]): Alt[] {
  const limit = list.find(isLimit);
  if (limit) return [limit];
  return list.length > MAX_ALTERNATIVES ? [tooMany()] : list;
}

function isLimit(alt: Alt): boolean {
  return alt.value.unknowns.some((u) => u.unknown.kind === 'limit');
}

function tooMany(): Alt {
  return unknownAlt({ kind: 'limit', name: `more than ${MAX_ALTERNATIVES} alternatives` }, `<more than ${MAX_ALTERNATIVES} alternatives>`);
}

/** One value for names and keys: the only one, or an unknown part that says why there is none. */
function single(list: readonly Alt[], value: unknown): ImageValue {
  const present = list.filter((a) => !a.absent);
  if (present.length === 1 && present[0].when.length === 0) {
    return present[0].value;
  }
  if (present.length === 0) {
    return ImageValue.unknown({ kind: 'other', name: 'AWS::NoValue' }, '<no value>');
  }
  const fn = singleKey(value);
  const first = fn && Array.isArray(fn[1]) && typeof fn[1][0] === 'string' ? fn[1][0] : undefined;
  if (fn?.[0] === 'Fn::If' && first) return ImageValue.unknown({ kind: 'other', name: `Fn::If ${first}` }, `<if:${first}>`);
  if (fn?.[0] === 'Fn::FindInMap' && first) return ImageValue.unknown({ kind: 'mapping', name: first }, `<map:${first}>`);
  return ImageValue.unknown({ kind: 'other', name: fn ? fn[0] : 'value' }, fn ? `<${fn[0]}>` : '<value>');
}

function dedupe(list: Alternative[]): Alternative[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = a.value.toString();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function mergeWhen(lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}

function withWhen<T extends { readonly when: readonly string[] }>(item: T, when: string): T {
  return { ...item, when: [when, ...item.when] };
}

function conditionIs(condition: string, value: boolean): string {
  return `condition ${condition} is ${value}`;
}

function literalAlt(text: string): Alt {
  return { value: ImageValue.literal(text), when: [] };
}

function unknownAlt(origin: UnknownOrigin, display: string): Alt {
  return { value: ImageValue.unknown(origin, display), when: [] };
}

function other(fn: string): Alt {
  return unknownAlt({ kind: 'other', name: fn }, `<${fn}>`);
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

/** `[name, argument]` of an intrinsic function: an object with a single key. */
export function singleKey(value: unknown): [string, unknown] | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      return [keys[0], (value as Record<string, unknown>)[keys[0]]];
    }
  }
  return undefined;
}

function isScalar(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function describeShape(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'object' : typeof value;
}

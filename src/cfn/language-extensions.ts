/**
 * The template-level transforms a template declares, and `Fn::ForEach` of the
 * `AWS::LanguageExtensions` transform expanded as CloudFormation expands it, so that the
 * resources, outputs and conditions its loops make are checked like any other.
 *
 * The function, as the CloudFormation template reference defines it
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html):
 *
 *   "Fn::ForEach::LoopLogicalName": [ Identifier, Collection, { OutputKey: OutputValue } ]
 *
 * - `Collection`: a list of strings, or a `Ref` to a `CommaDelimitedList` parameter.
 * - For each item, every `${Identifier}` in OutputKey and OutputValue is the item, and every
 *   `&{Identifier}` is the item with its non-alphanumeric characters removed; `{"Ref": Identifier}`
 *   is the item. (Here in every string, not only in `Fn::Sub`: an image that kept the text
 *   `${Identifier}` would not be a valid reference, so nothing that could run is judged wrongly.)
 * - The fragments are merged into the object that holds the loop; loops nest; a loop can be in
 *   the `Conditions`, `Resources` (resource properties included) and `Outputs` sections.
 *
 * A collection that only deployment decides (a parameter without `AllowedValues`, any other
 * intrinsic function) is expanded for each item of the parameter's `Default`, and once more with
 * the identifier unknown: `{"Ref": "App of Fn::ForEach::Apps"}`, which the intrinsic reader shows
 * as a value only known at deploy time. A parameter's `AllowedValues` are every item it can hold:
 * the loop is expanded for each. What cannot be expanded (a malformed loop, one that makes a key
 * twice, more than {@link MAX_EXPANDED_KEYS} keys) is a problem, said in words; its resources are
 * then not checked, and the caller must say so.
 *
 * Pure data in, data out; never throws.
 */

/** `AWS::LanguageExtensions`: `Fn::ForEach`, `Fn::Length`, `Fn::ToJsonString`, and `Fn::FindInMap` defaults. */
export const LANGUAGE_EXTENSIONS_TRANSFORM = 'AWS::LanguageExtensions';
/** The SAM transform, whose resources (`AWS::Serverless::Function`) the sources table reads. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Keys the loops of one template may make in all; CloudFormation allows 500 resources. */
export const MAX_EXPANDED_KEYS = 10_000;
/** Objects nested deeper than this are not walked for loops (CloudFormation allows 5 nested loops). */
export const MAX_NESTING = 256;

/** A step of a path into the template document: a key or a list index. */
export type DocumentStep = string | number;

export interface ForEachExpansion {
  /** The template with its loops expanded; the same object when it has none. */
  readonly template: unknown;
  /** For each resource a loop made: where its fragment is written (`Resources`, the loop, `2`, the output key). */
  readonly origins: ReadonlyMap<string, readonly DocumentStep[]>;
  /** Why a loop was not expanded, one sentence each. */
  readonly problems: readonly string[];
}

const FOR_EACH = /^Fn::ForEach::/;
const SECTIONS = ['Conditions', 'Resources', 'Outputs'] as const;

/** A path into the document, built a step at a time without copying (the walk visits every value). */
type Path = { readonly parent: Path; readonly step: DocumentStep } | undefined;

function at(parent: Path, step: DocumentStep): Path {
  return { parent, step };
}

function stepsOf(path: Path): DocumentStep[] {
  const steps: DocumentStep[] = [];
  for (let p = path; p; p = p.parent) steps.push(p.step);
  return steps.reverse();
}

/** What an identifier stands for while a loop's fragment is expanded. */
type Binding =
  | { readonly name: string; readonly item: string }
  /** The item is only known at deploy time: the name of the unknown `Ref` that stands for it. */
  | { readonly name: string; readonly unknownRef: string };

const cache = new WeakMap<object, ForEachExpansion>();

/**
 * The template with every `Fn::ForEach` expanded (computed once per template object). Templates
 * without loops are returned as they are.
 */
export function expandForEach(template: unknown): ForEachExpansion {
  if (!isRecord(template)) {
    return { template, origins: new Map(), problems: [] };
  }
  const cached = cache.get(template);
  if (cached) return cached;
  if (!SECTIONS.some((section) => holdsLoop(template[section]))) {
    // Most templates: one quick look for a loop key, and nothing to copy.
    const none: ForEachExpansion = { template, origins: new Map(), problems: [] };
    cache.set(template, none);
    return none;
  }
  const expander = new Expander(template);
  let result: Record<string, unknown> | undefined;
  for (const section of SECTIONS) {
    const value = template[section];
    if (!isRecord(value)) continue;
    const expanded = expander.object(value, [], at(undefined, section), 0);
    if (expanded.value !== value) {
      result ??= { ...template };
      result[section] = expanded.value;
      if (section === 'Resources') expander.origins = expanded.origins;
    }
  }
  const expansion: ForEachExpansion = { template: result ?? template, origins: expander.origins, problems: [...new Set(expander.problems)] };
  cache.set(template, expansion);
  if (result) cache.set(result, { template: result, origins: expansion.origins, problems: [] });
  return expansion;
}

/**
 * The names of the template-level transforms (`Transform: X`, `Transform: [X, Y]`, or
 * `{Name: X, Parameters: ...}` items), in order. A transform written some other way is named by
 * its shape (`<an object>`), so that it is not mistaken for a known one.
 */
export function templateTransforms(template: unknown): string[] {
  const declared = isRecord(template) ? template.Transform : undefined;
  if (declared === undefined || declared === null) return [];
  const items = Array.isArray(declared) ? declared : [declared];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    const name = isRecord(item) ? item.Name : undefined;
    return typeof name === 'string' ? name : `<${shapeOf(item)}>`;
  });
}

class Expander {
  public origins: ReadonlyMap<string, readonly DocumentStep[]> = new Map();
  public readonly problems: string[] = [];
  private made = 0;
  private deepReported = false;

  constructor(private readonly template: Record<string, unknown>) {}

  /** A value with the bindings applied and the loops in it expanded; the same value when nothing changed. */
  public value(value: unknown, bindings: readonly Binding[], path: Path, depth: number): unknown {
    if (typeof value === 'string') {
      return bindings.length > 0 ? this.string(value, bindings) : value;
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const next = this.value(item, bindings, at(path, i), depth + 1);
        if (next !== item) {
          copy ??= [...value];
          copy[i] = next;
        }
      });
      return copy ?? value;
    }
    if (isRecord(value)) {
      return this.object(value, bindings, path, depth).value;
    }
    return value;
  }

  /**
   * An object: its keys (`${Identifier}` in them), its values, and the loops among its keys merged
   * in. `origins` has the keys the loops made or renamed, with where each is written in the document.
   */
  public object(
    object: Record<string, unknown>,
    bindings: readonly Binding[],
    path: Path,
    depth: number,
  ): { value: unknown; origins: Map<string, readonly DocumentStep[]> } {
    const origins = new Map<string, readonly DocumentStep[]>();
    if (depth > MAX_NESTING) {
      if (!this.deepReported) {
        this.deepReported = true;
        this.problems.push(`${describePath(stepsOf(path).slice(0, 2))} is nested more than ${MAX_NESTING} levels deep: Fn::ForEach loops inside it are not expanded`);
      }
      return { value: object, origins };
    }
    if (bindings.length > 0) {
      const special = this.intrinsic(object, bindings, path, depth);
      if (special !== undefined) return { value: special, origins };
    }
    const keys = Object.keys(object);
    if (bindings.length === 0 && !keys.some((k) => FOR_EACH.test(k))) {
      // The common case, no loop here and nothing bound: copied only if something deeper changes.
      let copy: Record<string, unknown> | undefined;
      for (const key of keys) {
        const value = object[key];
        const next = this.value(value, bindings, at(path, key), depth + 1);
        if (next !== value) {
          copy ??= { ...object };
          copy[key] = next;
        }
      }
      return { value: copy ?? object, origins };
    }
    const result: Record<string, unknown> = {};
    const put = (key: string, value: unknown, loop?: string): boolean => {
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        this.problems.push(`${loop ?? 'a key'} makes the key ${JSON.stringify(key)} in ${describePath(stepsOf(path))}, which is there already: CloudFormation rejects the template`);
        return false;
      }
      result[key] = value;
      return true;
    };
    for (const key of keys) {
      const value = object[key];
      if (!FOR_EACH.test(key)) {
        const newKey = bindings.length > 0 ? substitute(key, bindings) : key;
        if (put(newKey, this.value(value, bindings, at(path, key), depth + 1)) && newKey !== key) origins.set(newKey, stepsOf(at(path, key)));
        continue;
      }
      const made = this.loop(key, value, bindings, at(path, key), depth);
      if (made === undefined) {
        put(key, value); // left as it is: the problem says why
        continue;
      }
      for (const [k, v, origin] of made) {
        if (put(k, v, key)) origins.set(k, origin);
      }
    }
    return { value: result, origins };
  }

  /** The keys and values one loop makes, each with where its fragment is written; undefined when it cannot be expanded. */
  private loop(
    key: string,
    args: unknown,
    bindings: readonly Binding[],
    path: Path,
    depth: number,
  ): Array<[string, unknown, readonly DocumentStep[]]> | undefined {
    if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string' || !isRecord(args[2])) {
      this.problems.push(
        `${key} in ${describePath(stepsOf(path).slice(0, -1))} must be [identifier, collection, {output key: value}], not ${shapeOf(args)}: ` +
          'it is not expanded, and what it makes is not checked',
      );
      return undefined;
    }
    const [identifier, rawCollection, fragment] = args as [string, unknown, Record<string, unknown>];
    const collection = this.value(rawCollection, bindings, at(path, 1), depth + 1);
    const items = this.items(key, identifier, collection);
    if (!items) return undefined;
    if (this.made + items.length * Object.keys(fragment).length > MAX_EXPANDED_KEYS) {
      this.problems.push(`${key} makes more than ${MAX_EXPANDED_KEYS} keys: it is not expanded, and what it makes is not checked`);
      return undefined;
    }
    const made: Array<[string, unknown, readonly DocumentStep[]]> = [];
    const inner = bindings.filter((b) => b.name !== identifier);
    for (const item of items) {
      const expanded = this.object(fragment, [...inner, item], at(path, 2), depth + 1);
      if (!isRecord(expanded.value)) continue;
      for (const [k, v] of Object.entries(expanded.value)) {
        made.push([k, v, expanded.origins.get(k) ?? stepsOf(at(at(path, 2), k))]);
      }
    }
    this.made += made.length;
    return made;
  }

  /** The bindings of a loop's identifier, one per item; undefined (with a problem) when the collection is malformed. */
  private items(key: string, identifier: string, collection: unknown): Binding[] | undefined {
    if (Array.isArray(collection)) {
      if (!collection.every(isScalar)) {
        this.problems.push(`${key}: the collection must hold strings, not ${shapeOf(collection.find((c) => !isScalar(c)))}: it is not expanded, and what it makes is not checked`);
        return undefined;
      }
      return collection.map((item) => ({ name: identifier, item: String(item) }));
    }
    const unknown: Binding = { name: identifier, unknownRef: `${identifier} of ${key}` };
    const ref = isRecord(collection) && Object.keys(collection).length === 1 ? collection.Ref : undefined;
    const parameter = typeof ref === 'string' ? this.parameter(ref) : undefined;
    if (parameter) {
      // Every item the parameter can hold, when it lists them; else its default and the unknown rest.
      const allowed = parameter.AllowedValues;
      if (Array.isArray(allowed) && allowed.length > 0 && allowed.every(isScalar)) {
        return allowed.map((item) => ({ name: identifier, item: String(item) }));
      }
      const defaults = typeof parameter.Default === 'string' ? parameter.Default.split(',').map((d) => d.trim()) : Array.isArray(parameter.Default) ? parameter.Default : [];
      return [...defaults.filter(isScalar).map((item) => ({ name: identifier, item: String(item) })), unknown];
    }
    if (typeof collection === 'string' || collection === undefined || collection === null) {
      this.problems.push(`${key}: the collection must be a list or a Ref to a CommaDelimitedList parameter, not ${shapeOf(collection)}: it is not expanded, and what it makes is not checked`);
      return undefined;
    }
    return [unknown];
  }

  private parameter(name: string): { readonly Default?: unknown; readonly AllowedValues?: unknown } | undefined {
    const parameters = this.template.Parameters;
    const declared = isRecord(parameters) && Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : undefined;
    return isRecord(declared) ? declared : undefined;
  }

  /** `Ref` and `Fn::Sub` of a bound identifier; undefined for any other object. */
  private intrinsic(object: Record<string, unknown>, bindings: readonly Binding[], path: Path, depth: number): unknown {
    const keys = Object.keys(object);
    if (keys.length !== 1) return undefined;
    const [fn] = keys;
    const arg = object[fn];
    if (fn === 'Ref') {
      let name = arg;
      if (isRecord(arg)) {
        // `!Ref {Fn::Sub: 'Subnet${Identifier}'}`: the name, once the identifiers are replaced.
        name = this.value(arg, bindings, at(path, fn), depth + 1);
        const sub = isRecord(name) && Object.keys(name).length === 1 ? name['Fn::Sub'] : undefined;
        if (typeof sub === 'string' && !sub.includes('${')) name = sub;
      }
      const bound = typeof name === 'string' ? findBinding(bindings, name) : undefined;
      if (bound) return 'item' in bound ? bound.item : { Ref: bound.unknownRef };
      return name === arg ? undefined : { Ref: name };
    }
    if (fn === 'Fn::Sub') {
      const [text, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
      if (typeof text !== 'string') return undefined;
      const expandedVars = isRecord(variables) ? this.value(variables, bindings, at(at(path, fn), 1), depth + 1) : variables;
      const vars = isRecord(expandedVars) ? expandedVars : {};
      const unknowns = bindings.filter((b): b is Extract<Binding, { unknownRef: string }> => 'unknownRef' in b && mentions(text, b.name));
      const replaced = substitute(text, bindings);
      const missing = unknowns.filter((b) => !Object.prototype.hasOwnProperty.call(vars, b.name));
      const extra = Object.fromEntries(missing.map((b) => [b.name, { Ref: b.unknownRef }]));
      if (replaced === text && expandedVars === variables && Object.keys(extra).length === 0) {
        return object;
      }
      if (Object.keys(extra).length > 0 || Array.isArray(arg)) {
        return { 'Fn::Sub': [replaced, { ...vars, ...extra }] };
      }
      return { 'Fn::Sub': replaced };
    }
    return undefined;
  }

  /** A string value: literal items replaced; an unknown item makes it an `Fn::Sub` of an unknown value. */
  private string(text: string, bindings: readonly Binding[]): unknown {
    const replaced = substitute(text, bindings);
    const unknowns = bindings.filter((b): b is Extract<Binding, { unknownRef: string }> => 'unknownRef' in b && mentions(replaced, b.name));
    if (unknowns.length === 0) return replaced;
    // Other `${...}` in a plain string are text, not variables: escaped as Fn::Sub writes text.
    const names = new Set(unknowns.map((b) => b.name));
    const subText = replaced.replace(/([$&])\{([^}]*)\}/g, (whole, sigil: string, name: string) =>
      names.has(name) ? `\${${name}}` : sigil === '$' ? `\${!${name}}` : whole,
    );
    return { 'Fn::Sub': [subText, Object.fromEntries(unknowns.map((b) => [b.name, { Ref: b.unknownRef }]))] };
  }
}

/**
 * `${Identifier}` -> the item and `&{Identifier}` -> the item without non-alphanumeric characters,
 * for the bindings whose item is known. `${!Identifier}` (Fn::Sub's escape) is left alone.
 */
function substitute(text: string, bindings: readonly Binding[]): string {
  if (!text.includes('{')) return text;
  return text.replace(/([$&])\{([^}!][^}]*)\}/g, (whole, sigil: string, name: string) => {
    const bound = findBinding(bindings, name);
    if (!bound || !('item' in bound)) return whole;
    return sigil === '$' ? bound.item : bound.item.replace(/[^0-9A-Za-z]/g, '');
  });
}

function mentions(text: string, name: string): boolean {
  return text.includes(`\${${name}}`) || text.includes(`&{${name}}`);
}

/** The innermost binding of a name. */
function findBinding(bindings: readonly Binding[], name: string): Binding | undefined {
  for (let i = bindings.length - 1; i >= 0; i--) {
    if (bindings[i].name === name) return bindings[i];
  }
  return undefined;
}

/** Whether a value has an `Fn::ForEach::` key at any depth (without recursion), or is too deep to tell. */
function holdsLoop(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_NESTING) return true; // the walk says it is too deep to look into
    if (Array.isArray(current)) {
      for (const item of current) if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
      continue;
    }
    for (const key in current) {
      if (key.startsWith('Fn::ForEach::')) return true;
      const item = (current as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
    }
  }
  return false;
}

function describePath(path: readonly DocumentStep[]): string {
  return path.length === 0 ? 'the template' : path.join('.');
}

function shapeOf(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

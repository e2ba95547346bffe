import type { Document, LineCounter, Node, Tags, YAMLMap } from 'yaml';
import { CLOUDFORMATION_TAGS, shortFormInfo } from './cloudformation-tags';
import { oneLine } from './input-error';
import { formatSize } from './read-file';
import { PLAIN_DECLINED, readSimpleYaml, SimpleYamlOptions } from './simple-yaml';
import { yamlPackage } from './yaml-package';

/** A step of a path into a document: a mapping key or a list index. */
export type PathStep = string | number;

/** Where a value is written: 1-based lines and columns (UTF-16 code units), end exclusive. */
export interface SourceRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A JSON or YAML file, parsed, that can say where each of its values is written. */
export interface ParsedDocument {
  readonly format: 'json' | 'yaml';
  /** The content as JSON values; YAML short-form tags in their long JSON form. */
  readonly value: unknown;
  /**
   * Where the value at `path` is written. When the path leads into a value that is not a
   * mapping or list in the file (a JSON document inside a string, an intrinsic function), the
   * deepest node that exists along the path.
   */
  locate(path: readonly PathStep[]): SourceRegion | undefined;
}

/** The file is neither valid JSON nor valid YAML; the message says where and why. */
export class DocumentSyntaxError extends Error {}

/** The file is YAML larger than the limit for YAML; the message says so. */
export class DocumentTooLargeError extends Error {}

export interface ParseOptions {
  /**
   * YAML larger than this (bytes) is not parsed: the YAML parser takes about ten times the time
   * and memory of JSON.parse per byte (about 1 MB/s and 100 MB of memory per MB). Default: no limit.
   */
  readonly maxYamlBytes?: number;
}

/** YAML 1.1 tags CloudFormation does not support; unquoted dates, for one, stay strings. */
const UNSUPPORTED_YAML_1_1_TAGS = ['binary', 'omap', 'pairs', 'set', 'timestamp'];

const CLOUDFORMATION_YAML = {
  // CloudFormation reads YAML 1.1, without merge keys and without the tags it does not support.
  version: '1.1' as const,
  merge: false,
  customTags: (tags: Tags): Tags => [...tags.filter((t) => !UNSUPPORTED_YAML_1_1_TAGS.includes(typeof t === 'string' ? t : t.tag.replace('tag:yaml.org,2002:', ''))), ...CLOUDFORMATION_TAGS],
};

/**
 * Parses a file's text as JSON (when it looks like JSON and is valid JSON, with JSON's own
 * semantics: the last of duplicate keys wins) or else as YAML with CloudFormation's short-form
 * tags. Positions are computed only when asked for: of JSON values from the text by offset
 * (see JsonOffsets), of YAML values from the YAML parser's nodes.
 *
 * @throws DocumentSyntaxError with a one-line reason, including the line and column
 * @throws DocumentTooLargeError when the file is YAML larger than `maxYamlBytes`
 */
export function parseDocumentText(text: string, options: ParseOptions = {}): ParsedDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const yamlBytes = options.maxYamlBytes === undefined ? 0 : Buffer.byteLength(body);
  const tooLargeForYaml = options.maxYamlBytes !== undefined && yamlBytes > options.maxYamlBytes;
  if (/^\s*[{[]/.test(body)) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (jsonError) {
      // Not JSON, but maybe a YAML flow mapping (which CloudFormation would accept as YAML).
      try {
        if (tooLargeForYaml) throw jsonError;
        return yamlDocument(body);
      } catch {
        throw new DocumentSyntaxError(`not valid JSON: ${jsonErrorText(jsonError, body)}`);
      }
    }
    return jsonDocument(body, value);
  }
  if (tooLargeForYaml) {
    throw new DocumentTooLargeError(
      `is ${formatSize(yamlBytes)} of YAML, more than the limit of ${formatSize(options.maxYamlBytes!)} for YAML: not read ` +
        '(YAML takes about ten times the time and memory of JSON to read, so its limit is a tenth of --max-file-size)',
    );
  }
  return yamlDocument(body);
}

/**
 * A YAML document: read by the simple reader when the file has its shape (most templates), else
 * by `yaml`. Positions the simple reader does not know (a block mapping's, an empty value's) are
 * asked of `yaml`, parsing the file then, once.
 */
function yamlDocument(text: string): ParsedDocument {
  const simple = readSimpleYaml(text, SIMPLE_YAML);
  if (!simple) {
    return parsedYaml(text);
  }
  let lineStarts: number[] | undefined;
  let parsed: ParsedDocument | undefined;
  return {
    format: 'yaml',
    value: simple.value,
    locate(path) {
      const at = simple.locate(path);
      if (!at) {
        parsed ??= parsedYaml(text);
        return parsed.locate(path);
      }
      lineStarts ??= lineStartsOf(text);
      const start = linePosition(lineStarts, at.start);
      const end = linePosition(lineStarts, at.end);
      return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
    },
  };
}

const SIMPLE_YAML: SimpleYamlOptions = { shortForm: shortFormInfo, plain: resolvePlain };

/** The tests of the scalar tags `yaml` resolves a plain scalar by (null, bool, int, float), as its schema for CloudFormation has them. */
let plainTests: { readonly value: readonly RegExp[]; readonly key: readonly RegExp[] } | undefined;
/** Plain scalars some tag's test matches, resolved by `yaml`. */
const resolvedPlain = new Map<string, unknown>();
const MAX_RESOLVED_PLAIN = 10_000;

/**
 * A plain scalar's value as `yaml` gives it: a string when no tag of the schema claims it, as
 * `yaml` decides (the first default tag whose test matches, else a string); else the value
 * `yaml` reads for it as a document of its own, or PLAIN_DECLINED when that is not one plain
 * scalar without errors. A key must be a string.
 */
function resolvePlain(source: string, atKey: boolean): unknown {
  plainTests ??= tagTests();
  const tests = atKey ? plainTests.key : plainTests.value;
  if (!tests.some((t) => t.test(source))) return source;
  if (atKey) return PLAIN_DECLINED;
  let value = resolvedPlain.get(source);
  if (value === undefined && !resolvedPlain.has(source)) {
    const doc = yamlPackage().parseDocument(source, CLOUDFORMATION_YAML);
    const node = doc.contents;
    const whole = yamlPackage().isScalar(node) && !node.tag && node.range?.[0] === 0 && node.range[1] === source.length;
    value = whole && doc.errors.length === 0 && doc.warnings.length === 0 ? doc.toJS() : PLAIN_DECLINED;
    if (resolvedPlain.size < MAX_RESOLVED_PLAIN) resolvedPlain.set(source, value);
  }
  return value;
}

function tagTests(): { value: RegExp[]; key: RegExp[] } {
  const tags = new (yamlPackage().Document)(null, CLOUDFORMATION_YAML).schema.tags;
  const testOf = (t: (typeof tags)[number]): RegExp[] => {
    const test = 'test' in t ? t.test : undefined;
    if (!test || ('collection' in t && t.collection)) return [];
    return [new RegExp(test.source, test.flags.replace(/[gy]/g, ''))]; // no lastIndex to carry between calls
  };
  return {
    value: tags.filter((t) => t.default === true).flatMap(testOf),
    key: tags.filter((t) => t.default === true || t.default === 'key').flatMap(testOf),
  };
}

/** Whether the simple reader reads `text` (else `yaml` does): for the tests, which compare the two. */
export function readsSimply(text: string): boolean {
  return readSimpleYaml(text, SIMPLE_YAML) !== undefined;
}

/** A YAML document as the `yaml` package reads it, always: for the tests, which compare the simple reader with it. */
export function parsedYaml(text: string): ParsedDocument {
  const yaml = yamlPackage();
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { ...CLOUDFORMATION_YAML, lineCounter });
  if (doc.errors.length > 0) {
    const [first] = doc.errors;
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more error${doc.errors.length > 2 ? 's' : ''})` : '';
    throw new DocumentSyntaxError(`not valid YAML: ${firstLine(first.message)}${more}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    throw new DocumentSyntaxError(`not valid YAML: ${oneLine((e as Error).message)}`);
  }
  return { format: 'yaml', value, locate: (path) => locateIn(doc, lineCounter, path) };
}

function jsonDocument(text: string, value: unknown): ParsedDocument {
  let offsets: JsonOffsets | undefined;
  return {
    format: 'json',
    value,
    locate(path) {
      offsets ??= new JsonOffsets(text);
      return offsets.locate(path);
    },
  };
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * Offsets of values in a JSON text that JSON.parse accepted, found from the text itself instead
 * of a second parse into a tree: a path is followed from the root, each mapping or list along it
 * scanned once for the offsets of its members (whose values are skipped, not parsed), and line
 * and column computed from a line-start index for the one value asked for. Locating the few
 * images of a template touches the mappings on their paths only; nothing else is built.
 */
class JsonOffsets {
  /** Mapping start -> key -> offset of the value (of duplicate keys, the last, as JSON.parse takes it). */
  private readonly members = new Map<number, Map<string, number>>();
  /** List start -> offsets of its items. */
  private readonly items = new Map<number, number[]>();
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  public locate(path: readonly PathStep[]): SourceRegion | undefined {
    const text = this.text;
    let at = skipSpace(text, 0);
    if (at >= text.length) return undefined;
    for (const step of path) {
      const c = text.charCodeAt(at);
      let next: number | undefined;
      if (c === OPEN_BRACE) {
        next = this.membersOf(at).get(String(step));
      } else if (c === OPEN_BRACKET && typeof step === 'number') {
        next = this.itemsOf(at)[step];
      }
      if (next === undefined) break;
      at = next;
    }
    this.lineStarts ??= lineStartsOf(text);
    const start = linePosition(this.lineStarts, at);
    const end = linePosition(this.lineStarts, skipValue(text, at));
    return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
  }

  private membersOf(open: number): Map<string, number> {
    const text = this.text;
    let map = this.members.get(open);
    if (map) return map;
    map = new Map();
    let at = skipSpace(text, open + 1);
    while (at < text.length && text.charCodeAt(at) === QUOTE) {
      const keyEnd = skipString(text, at);
      const raw = text.slice(at + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(at, keyEnd)) as string) : raw;
      at = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
      map.set(key, at);
      at = skipSpace(text, skipValue(text, at));
      if (text.charCodeAt(at) !== COMMA) break; // not a comma: the closing brace
      at = skipSpace(text, at + 1);
    }
    this.members.set(open, map);
    return map;
  }

  private itemsOf(open: number): number[] {
    const text = this.text;
    let list = this.items.get(open);
    if (list) return list;
    list = [];
    let at = skipSpace(text, open + 1);
    if (text.charCodeAt(at) !== CLOSE_BRACKET) {
      while (at < text.length) {
        list.push(at);
        at = skipSpace(text, skipValue(text, at));
        if (text.charCodeAt(at) !== COMMA) break; // the closing bracket
        at = skipSpace(text, at + 1);
      }
    }
    this.items.set(open, list);
    return list;
  }
}

/** The offset just past the JSON value starting at `at` (nothing allocated; strings skipped by `indexOf`). */
function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return skipString(text, at);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let k = at; k < text.length; k++) {
      const ch = text.charCodeAt(k);
      if (ch === QUOTE) {
        k = skipString(text, k) - 1;
      } else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
        depth++;
      } else if ((ch === CLOSE_BRACE || ch === CLOSE_BRACKET) && --depth === 0) {
        return k + 1;
      }
    }
    return text.length;
  }
  let end = at;
  while (end < text.length && !isDelimiter(text.charCodeAt(end))) end++;
  return end;
}

/**
 * The offset just past the JSON string whose opening quote is at `at`: the next quote that an
 * even number of backslashes (none, mostly) leads. Most of a template's characters are in
 * strings, and `indexOf` finds a quote many times faster than a loop over character codes.
 */
function skipString(text: string, at: number): number {
  for (let from = at + 1; ;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let before = quote - 1;
    while (before > at && text.charCodeAt(before) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote + 1; // not escaped
    from = quote + 1;
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** What ends a number, `true`, `false` or `null`. */
function isDelimiter(c: number): boolean {
  return isSpace(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;
}

/**
 * The values of a mapping by key, built when a path first steps into it: locating every finding
 * of a template of many resources stays linear (a scan of the mapping per step would not).
 */
class KeyIndex<N extends object> {
  private readonly maps = new WeakMap<N, Map<string, N>>();
  constructor(private readonly entries: (node: N) => Iterable<[string, N]>) {}
  public get(node: N, key: PathStep): N | undefined {
    let map = this.maps.get(node);
    if (!map) {
      map = new Map();
      for (const [k, v] of this.entries(node)) map.set(k, v); // of duplicate keys, the last
      this.maps.set(node, map);
    }
    return map.get(String(key));
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset, by binary search over the line starts. */
function linePosition(lineStarts: number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, col: offset - lineStarts[low] + 1 };
}

const YAML_KEYS = new KeyIndex<YAMLMap>(function* (map) {
  const { isScalar } = yamlPackage();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== null && key !== undefined) yield [String(key), pair.value as YAMLMap];
  }
});

function locateIn(doc: Document, lineCounter: LineCounter, path: readonly PathStep[]): SourceRegion | undefined {
  const { isAlias, isMap, isNode, isSeq } = yamlPackage();
  let found: Node | undefined = isNode(doc.contents) ? doc.contents : undefined;
  let current: unknown = doc.contents;
  for (const step of path) {
    const target = isAlias(current) ? current.resolve(doc) : current;
    let next: unknown;
    if (isMap(target)) {
      next = YAML_KEYS.get(target, step);
    } else if (isSeq(target) && typeof step === 'number') {
      next = target.items[step];
    }
    if (!isNode(next)) {
      break;
    }
    current = next;
    found = next;
  }
  const range = found?.range;
  if (!range) {
    return undefined;
  }
  const start = lineCounter.linePos(range[0]);
  const end = lineCounter.linePos(range[1]);
  return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
}

/** `Nested mappings are not allowed ... at line 2, column 4:` and its excerpt -> the first line, without the colon. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:\s*$/, '');
}

/** V8's JSON.parse message on one line, with the line and column when it gives a position. */
function jsonErrorText(error: unknown, text: string): string {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const position = /at position (\d+)/.exec(message);
  if (!position) {
    return message;
  }
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return message.includes('line ') ? message : `${message} (line ${line}, column ${column})`;
}

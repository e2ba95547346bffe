import { Node as JsonNode, parseTree } from 'jsonc-parser';
import { Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, Node, parseDocument as parseYaml, Tags, YAMLMap } from 'yaml';
import { CLOUDFORMATION_TAGS } from './cloudformation-tags';
import { oneLine } from './input-error';
import { formatSize } from './read-file';

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
 * tags. Positions are computed only when first asked for: of JSON values by jsonc-parser, of
 * YAML values by the YAML parser.
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

function yamlDocument(text: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const doc = parseYaml(text, { ...CLOUDFORMATION_YAML, lineCounter });
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
  let index: { root: JsonNode; lineStarts: number[] } | null | undefined;
  return {
    format: 'json',
    value,
    locate(path) {
      if (index === undefined) {
        // jsonc-parser gives every value its offset, about ten times faster than the YAML parser.
        const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
        index = root ? { root, lineStarts: lineStartsOf(text) } : null;
      }
      return index ? locateInJson(index.root, index.lineStarts, path) : undefined;
    },
  };
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

const JSON_KEYS = new KeyIndex<JsonNode>(function* (node) {
  for (const property of node.children ?? []) {
    const [key, propertyValue] = property.children ?? [];
    if (key && propertyValue) yield [String(key.value), propertyValue];
  }
});

/** The deepest node along `path`; of duplicate keys, the last, as JSON.parse takes it. */
function locateInJson(root: JsonNode, lineStarts: number[], path: readonly PathStep[]): SourceRegion {
  let found = root;
  for (const step of path) {
    let next: JsonNode | undefined;
    if (found.type === 'object') {
      next = JSON_KEYS.get(found, step);
    } else if (found.type === 'array' && typeof step === 'number') {
      next = found.children?.[step];
    }
    if (!next) break;
    found = next;
  }
  const start = linePosition(lineStarts, found.offset);
  const end = linePosition(lineStarts, found.offset + found.length);
  return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
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
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== null && key !== undefined) yield [String(key), pair.value as YAMLMap];
  }
});

function locateIn(doc: Document, lineCounter: LineCounter, path: readonly PathStep[]): SourceRegion | undefined {
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

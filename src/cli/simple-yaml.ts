import { PathStep } from './parse-document';

/**
 * A reader for the plain shape most CloudFormation YAML templates have, many times cheaper than
 * the `yaml` package (which takes about 1 ms per 2.5 KB template, most of a mixed scan): block
 * mappings and lists indented by spaces, single-line plain and quoted scalars, one-line flow
 * lists, comments and CloudFormation's short-form tags. It gives the value `yaml` would give
 * (`toJS()` of the document) and the offsets of the scalars and flow lists it read.
 *
 * It never guesses. Whatever is outside that shape, or that `yaml` would read differently or
 * report as an error, makes it decline (`undefined`), and the caller parses the file with `yaml`
 * as before: tabs, carriage returns, document markers and directives, anchors and aliases, block
 * scalars, multi-line scalars, flow mappings, quoted keys, escapes in double quotes, duplicate
 * keys, a list as a mapping's value at the mapping's own indentation, tags other than the
 * short forms, a short form on a node it does not take. How a plain scalar resolves (string,
 * number, boolean, null) is decided by the `yaml` schema itself (see PlainResolver).
 */

/** What a short-form tag is: its long form's key and the node kinds it takes. */
export interface ShortFormInfo {
  readonly fn: string;
  readonly forms: readonly ('scalar' | 'seq' | 'map')[];
}

export interface SimpleYamlOptions {
  /** The short form of a tag (`!Ref`), or undefined when it is not one. */
  readonly shortForm: (tag: string) => ShortFormInfo | undefined;
  /** The value of a plain scalar as `yaml` resolves it, or DECLINE. */
  readonly plain: (source: string, atKey: boolean) => unknown;
}

/** A node read: its value and, for scalars and flow lists, where it is written (`start` -1: not known here). */
export interface SimpleNode {
  readonly value: unknown;
  readonly start: number;
  readonly end: number;
  readonly keys?: ReadonlyMap<string, SimpleNode>;
  readonly items?: readonly SimpleNode[];
}

export interface SimpleYaml {
  readonly value: unknown;
  /**
   * The node at `path` as `yaml`'s nodes are followed (the deepest node along the path), or
   * undefined when it is a node whose offsets this reader does not know (a block mapping or list,
   * an empty value): the caller then asks `yaml`.
   */
  locate(path: readonly PathStep[]): { start: number; end: number } | undefined;
}

/** Thrown to decline; one object, no stack trace taken. */
const DECLINE: unique symbol = Symbol('decline');
export const PLAIN_DECLINED: unknown = DECLINE;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SINGLE = 0x27;
const DOUBLE = 0x22;
const BANG = 0x21;

/** Characters a plain scalar may start with here (others are indicators, or left to `yaml`). */
const PLAIN_START = /[A-Za-z0-9_/$.~+(=^]/;
/** What may follow a dash that starts a plain scalar (`-1`, `-c`, `--port`), in a list or not. */
const DASH_PLAIN_NEXT = /[A-Za-z0-9_./$-]/;
/** A mapping key as written here: plain, no spaces, no indicators; `Fn::If` and `awslogs-group` included. */
const KEY = /^[A-Za-z0-9_$][A-Za-z0-9_$.:/@()=+-]*$/;
/** Characters that end a plain scalar in a flow list, or that it may not hold here. */
const FLOW_PLAIN_STOP = /[,[\]{}:#]/;

interface Line {
  /** Offset of the first character that is not a space. */
  readonly start: number;
  /** Offset just past the last character of the line that is not a space. */
  readonly end: number;
  readonly indent: number;
}

/** Tabs, carriage returns, other control characters, and what YAML 1.1 also takes for line breaks (NEL, LS, PS): left to `yaml`. */
const UNUSUAL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** Longer keys are an error for `yaml` (1,024 characters at most): left to it. */
const MAX_KEY = 1000;

export function readSimpleYaml(text: string, options: SimpleYamlOptions): SimpleYaml | undefined {
  if (UNUSUAL_CHARACTERS.test(text)) return undefined;
  try {
    const root = new Reader(text, options).document();
    return { value: root.value, locate: (path) => locateIn(root, path) };
  } catch {
    // Declined; or nested too deeply for the stack, or anything else unforeseen: `yaml` reads
    // the file then, and says what it says of it (as it did before this reader).
    return undefined;
  }
}

function locateIn(root: SimpleNode, path: readonly PathStep[]): { start: number; end: number } | undefined {
  let found = root;
  for (const step of path) {
    let next: SimpleNode | undefined;
    if (found.keys) {
      next = found.keys.get(String(step));
    } else if (found.items && typeof step === 'number') {
      next = found.items[step];
    }
    if (!next) break;
    found = next;
  }
  return found.start === -1 ? undefined : { start: found.start, end: found.end };
}

class Reader {
  private readonly lines: Line[] = [];
  private at = 0;

  constructor(private readonly text: string, private readonly options: SimpleYamlOptions) {
    for (let from = 0; from <= text.length;) {
      let eol = text.indexOf('\n', from);
      if (eol === -1) eol = text.length;
      let start = from;
      while (start < eol && text.charCodeAt(start) === SPACE) start++;
      let end = eol;
      while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
      if (start < end && text.charCodeAt(start) !== HASH) {
        if (start === from && /^(?:---|\.\.\.|%)/.test(text.slice(start, start + 3))) throw DECLINE;
        this.lines.push({ start, end, indent: start - from });
      }
      from = eol + 1;
    }
  }

  public document(): SimpleNode {
    if (this.lines.length === 0) throw DECLINE;
    const root = this.block(this.lines[0].indent);
    if (this.at !== this.lines.length) throw DECLINE;
    return root;
  }

  /** The block mapping or list whose lines start at the current line, at `indent`. */
  private block(indent: number): SimpleNode {
    const line = this.lines[this.at];
    return this.isItem(line.start) ? this.list(indent) : this.mapping(line.start, indent);
  }

  private isItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = this.text.charCodeAt(at + 1);
    return next === SPACE || Number.isNaN(next) || next === 0x0a;
  }

  /** A block mapping whose first key is at `first` (on the current line), the others on the following lines at `indent`. */
  private mapping(first: number, indent: number): SimpleNode {
    const value: Record<string, unknown> = {};
    const keys = new Map<string, SimpleNode>();
    let keyAt = first;
    for (;;) {
      const line = this.lines[this.at];
      const colon = this.keyEnd(keyAt, line.end);
      const key = this.text.slice(keyAt, colon);
      if (key.length > MAX_KEY || !KEY.test(key) || key === '__proto__' || keys.has(key) || typeof this.options.plain(key, true) !== 'string') throw DECLINE;
      const node = this.valueAfter(colon + 1, line, indent, false);
      keys.set(key, node);
      value[key] = node.value;
      if (this.at >= this.lines.length) break;
      const next = this.lines[this.at];
      if (next.indent < indent) break;
      if (next.indent > indent || this.isItem(next.start)) throw DECLINE;
      keyAt = next.start;
    }
    return { value, start: -1, end: -1, keys };
  }

  /** The offset of the colon that ends the key starting at `at`: the first `: ` or a colon at the end of the line. */
  private keyEnd(at: number, end: number): number {
    for (let k = this.text.indexOf(':', at); k !== -1 && k < end; k = this.text.indexOf(':', k + 1)) {
      if (k + 1 === end || this.text.charCodeAt(k + 1) === SPACE) return k;
    }
    throw DECLINE;
  }

  private list(indent: number): SimpleNode {
    const value: unknown[] = [];
    const items: SimpleNode[] = [];
    for (;;) {
      const line = this.lines[this.at];
      let item = line.start + 1;
      while (item < line.end && this.text.charCodeAt(item) === SPACE) item++;
      let node: SimpleNode;
      if (item < line.end && this.startsKey(item, line.end)) {
        // `- Name: web`: a mapping inside the item, its keys at the column of the first.
        node = this.mapping(item, indent + (item - line.start));
      } else {
        node = this.valueAfter(line.start + 1, line, indent, true);
      }
      items.push(node);
      value.push(node.value);
      if (this.at >= this.lines.length) break;
      const next = this.lines[this.at];
      if (next.indent < indent) break;
      if (next.indent > indent || !this.isItem(next.start)) throw DECLINE;
    }
    return { value, start: -1, end: -1, items };
  }

  /** Whether a mapping key starts at `at`: a key followed by `: ` or by a colon at the end of the line. */
  private startsKey(at: number, end: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c === SINGLE || c === DOUBLE || c === OPEN_BRACKET || c === BANG || c === DASH) return false;
    for (let k = this.text.indexOf(':', at); k !== -1 && k < end; k = this.text.indexOf(':', k + 1)) {
      if (k + 1 === end || this.text.charCodeAt(k + 1) === SPACE) return true;
    }
    return false;
  }

  /**
   * The value after a key's colon or an item's dash (at `from` on `line`): inline, or a block on
   * the following lines indented more than `indent`; the current line moves past it.
   */
  private valueAfter(from: number, line: Line, indent: number, inList: boolean): SimpleNode {
    let at = from;
    while (at < line.end && this.text.charCodeAt(at) === SPACE) at++;
    if (at > from && this.text.charCodeAt(at) === HASH) at = line.end; // a comment
    this.at++;
    if (at >= line.end) {
      return this.nested(indent, inList);
    }
    if (at === from) throw DECLINE; // `key:value` is not a key
    let tag: ShortFormInfo | undefined;
    if (this.text.charCodeAt(at) === BANG) {
      const tagEnd = this.wordEnd(at, line.end);
      tag = this.options.shortForm(this.text.slice(at, tagEnd));
      if (!tag) throw DECLINE;
      at = tagEnd;
      const before = at;
      while (at < line.end && this.text.charCodeAt(at) === SPACE) at++;
      if (at > before && this.text.charCodeAt(at) === HASH) at = line.end;
      if (at >= line.end) {
        const block = this.nested(indent, inList);
        if (!block.keys && !block.items) throw DECLINE; // an empty value under a tag
        return tagged(tag, block);
      }
    }
    const [node, end] = this.inline(at, line.end, false, tag !== undefined);
    this.restOfLine(end, line.end);
    return tag ? tagged(tag, node) : node;
  }

  /** A block on the following lines, more indented than `indent`, or an empty value. */
  private nested(indent: number, inList: boolean): SimpleNode {
    const next = this.lines[this.at];
    if (next && next.indent > indent) return this.block(next.indent);
    if (next && next.indent === indent && !inList && this.isItem(next.start)) throw DECLINE; // a list at the key's indentation
    return { value: null, start: -1, end: -1 };
  }

  private wordEnd(at: number, end: number): number {
    let k = at;
    while (k < end && this.text.charCodeAt(k) !== SPACE) k++;
    return k;
  }

  /** Only spaces and a comment may follow a value on its line. */
  private restOfLine(at: number, end: number): void {
    if (at === end) return;
    let k = at;
    while (k < end && this.text.charCodeAt(k) === SPACE) k++;
    if (k === at || this.text.charCodeAt(k) !== HASH) throw DECLINE;
  }

  /**
   * A scalar or flow list starting at `at`, within the line (before `end`): the node and the
   * offset just past it. `raw`: a tagged scalar, whose text is not resolved.
   */
  private inline(at: number, end: number, flow: boolean, raw: boolean): [SimpleNode, number] {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === OPEN_BRACKET) return this.flowList(at, end);
    if (c === SINGLE) {
      let k = at + 1;
      for (;;) {
        k = text.indexOf("'", k);
        if (k === -1 || k >= end) throw DECLINE;
        if (text.charCodeAt(k + 1) !== SINGLE) break;
        k += 2;
      }
      return [{ value: text.slice(at + 1, k).replace(/''/g, "'"), start: at, end: k + 1 }, k + 1];
    }
    if (c === DOUBLE) {
      const k = text.indexOf('"', at + 1);
      if (k === -1 || k >= end) throw DECLINE;
      const content = text.slice(at + 1, k);
      if (content.includes('\\')) throw DECLINE;
      return [{ value: content, start: at, end: k + 1 }, k + 1];
    }
    if (!PLAIN_START.test(text[at]) && !(c === DASH && DASH_PLAIN_NEXT.test(text[at + 1] ?? ''))) throw DECLINE;
    let k = at;
    if (flow) {
      while (k < end && !FLOW_PLAIN_STOP.test(text[k])) k++;
      let e = k;
      while (e > at && text.charCodeAt(e - 1) === SPACE) e--;
      const source = text.slice(at, e);
      if (source.includes(' #')) throw DECLINE;
      return [{ value: raw ? source : this.plain(source), start: at, end: e }, e];
    }
    const comment = text.indexOf(' #', at);
    let e = comment === -1 || comment >= end ? end : comment;
    while (e > at && text.charCodeAt(e - 1) === SPACE) e--;
    const source = text.slice(at, e);
    if (source.includes(': ') || source.endsWith(':')) throw DECLINE;
    return [{ value: raw ? source : this.plain(source), start: at, end: e }, e];
  }

  private plain(source: string): unknown {
    const value = this.options.plain(source, false);
    if (value === DECLINE) throw DECLINE;
    return value;
  }

  /** `[a, 'b', !Ref C, [d]]` on one line. */
  private flowList(open: number, end: number): [SimpleNode, number] {
    const text = this.text;
    const value: unknown[] = [];
    const items: SimpleNode[] = [];
    let at = skipSpaces(text, open + 1, end);
    if (text.charCodeAt(at) === CLOSE_BRACKET) {
      return [{ value, start: open, end: at + 1, items }, at + 1];
    }
    for (;;) {
      if (at >= end) throw DECLINE;
      let tag: ShortFormInfo | undefined;
      if (text.charCodeAt(at) === BANG) {
        const tagEnd = this.flowWordEnd(at, end);
        tag = this.options.shortForm(text.slice(at, tagEnd));
        if (!tag || text.charCodeAt(tagEnd) !== SPACE) throw DECLINE;
        at = skipSpaces(text, tagEnd, end);
        if (at >= end) throw DECLINE;
      }
      const [node, after] = this.inline(at, end, true, tag !== undefined);
      const item = tag ? tagged(tag, node) : node;
      items.push(item);
      value.push(item.value);
      at = skipSpaces(text, after, end);
      const c = text.charCodeAt(at);
      if (c === CLOSE_BRACKET) return [{ value, start: open, end: at + 1, items }, at + 1];
      if (c !== COMMA) throw DECLINE;
      at = skipSpaces(text, at + 1, end);
      if (text.charCodeAt(at) === CLOSE_BRACKET) throw DECLINE; // a trailing comma: left to `yaml`
    }
  }

  /** The end of a tag in a flow list: a space, a comma or a bracket. */
  private flowWordEnd(at: number, end: number): number {
    let k = at;
    for (; k < end; k++) {
      const c = this.text.charCodeAt(k);
      if (c === SPACE || c === COMMA || c === CLOSE_BRACKET || c === OPEN_BRACKET) break;
    }
    return k;
  }
}

function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && text.charCodeAt(at) === SPACE) at++;
  return at;
}

/** A short form's node: `!Ref x` a scalar whose value is `{ Ref: 'x' }`; `!Join [...]` a mapping `{ Fn::Join: [...] }` where the list is. */
function tagged(tag: ShortFormInfo, node: SimpleNode): SimpleNode {
  if (node.items || node.keys) {
    if (!tag.forms.includes(node.items ? 'seq' : 'map')) throw DECLINE;
    return { value: { [tag.fn]: node.value }, start: node.start, end: node.end, keys: new Map([[tag.fn, node]]) };
  }
  if (!tag.forms.includes('scalar') || typeof node.value !== 'string') throw DECLINE;
  const source = node.value;
  if (tag.fn === 'Fn::GetAtt') {
    const dot = source.indexOf('.');
    if (dot <= 0 || dot === source.length - 1) throw DECLINE;
    return { value: { [tag.fn]: [source.slice(0, dot), source.slice(dot + 1)] }, start: node.start, end: node.end };
  }
  return { value: { [tag.fn]: source }, start: node.start, end: node.end };
}

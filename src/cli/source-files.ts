import { InputError, oneLine } from './input-error';
import { DocumentSyntaxError, DocumentTooLargeError, parseDocumentText, ParsedDocument } from './parse-document';
import { DEFAULT_MAX_FILE_SIZE, readTextFile } from './read-file';

/** Documents nested deeper than this are not checked: no template needs it, and every walker recurses. */
export const MAX_DOCUMENT_DEPTH = 256;

/** YAML files may be this many times smaller than the limit: what the YAML parser costs per byte, against JSON.parse. */
export const YAML_COST = 10;

/**
 * Reads and parses files once each: the scanner asks for a file when it walks a directory, when
 * it detects its kind, and when it follows a template's nested stacks. Only regular files of at
 * most `maxFileSize` bytes are read (see read-file.ts), YAML of at most a tenth of it (it costs
 * ten times as much to parse), and a document nested deeper than {@link MAX_DOCUMENT_DEPTH}
 * levels is refused, so that no later step runs out of stack on it.
 */
export class SourceFiles {
  private readonly documents = new Map<string, ParsedDocument | InputError>();

  constructor(public readonly maxFileSize: number = DEFAULT_MAX_FILE_SIZE) {}

  /**
   * The parsed file.
   *
   * @throws InputError naming the file and why it cannot be read or parsed
   */
  public read(file: string): ParsedDocument {
    let entry = this.documents.get(file);
    if (!entry) {
      entry = load(file, this.maxFileSize);
      this.documents.set(file, entry);
    }
    if (entry instanceof InputError) {
      throw entry;
    }
    return entry;
  }

  /**
   * Forgets a file's parsed document (its text, and for YAML the parser's nodes), once the values
   * taken from it and the positions asked of it are all there are: reading it again parses it again.
   */
  public release(file: string): void {
    this.documents.delete(file);
  }

  /** Forgets every document but those of `files`. */
  public releaseAllBut(files: ReadonlySet<string>): void {
    for (const file of [...this.documents.keys()]) {
      if (!files.has(file)) this.documents.delete(file);
    }
  }

  /** The files whose documents are held. */
  public get held(): number {
    return this.documents.size;
  }

  /** The file's text, read with the same checks (for a file that could not be parsed). */
  public text(file: string): string {
    return readTextFile(file, this.maxFileSize);
  }
}

function load(file: string, maxFileSize: number): ParsedDocument | InputError {
  let text: string;
  try {
    text = readTextFile(file, maxFileSize);
  } catch (e) {
    return e instanceof InputError ? e : new InputError(file, `cannot be read: ${oneLine(String(e))}`);
  }
  let doc: ParsedDocument;
  try {
    doc = parseDocumentText(text, { maxYamlBytes: Math.floor(maxFileSize / YAML_COST) });
  } catch (e) {
    if (e instanceof DocumentTooLargeError) {
      return new InputError(file, e.message);
    }
    if (e instanceof DocumentSyntaxError) {
      // The YAML parser reports running out of stack as a syntax error: it is the nesting.
      return new InputError(file, /call stack/i.test(e.message) ? `is nested too deeply to be parsed (${e.message.replace(/^not valid YAML: /, '')})` : e.message);
    }
    if (e instanceof RangeError) {
      return new InputError(file, `is nested too deeply to be parsed (${oneLine(e.message)})`);
    }
    return new InputError(file, `cannot be parsed: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  if (deeperThan(doc.value, MAX_DOCUMENT_DEPTH)) {
    return new InputError(file, `is nested more than ${MAX_DOCUMENT_DEPTH} levels deep: not checked`);
  }
  return doc;
}

/**
 * Whether a parsed value nests deeper than `limit` lists and mappings (without recursion). The
 * values to visit and their depths are two stacks, not one of pairs: a pair per list and mapping
 * of every file read was garbage for the collector.
 */
function deeperThan(value: unknown, limit: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

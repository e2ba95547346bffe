import * as fs from 'fs';
import { describeFsError, InputError } from './input-error';
import { DocumentSyntaxError, parseDocumentText, ParsedDocument } from './parse-document';

/**
 * Reads and parses files once each: the scanner asks for a file when it walks a directory, when
 * it detects its kind, and when it follows a template's nested stacks.
 */
export class SourceFiles {
  private readonly documents = new Map<string, ParsedDocument | InputError>();

  /**
   * The parsed file.
   *
   * @throws InputError naming the file and why it cannot be read or parsed
   */
  public read(file: string): ParsedDocument {
    let entry = this.documents.get(file);
    if (!entry) {
      entry = load(file);
      this.documents.set(file, entry);
    }
    if (entry instanceof InputError) {
      throw entry;
    }
    return entry;
  }
}

function load(file: string): ParsedDocument | InputError {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return new InputError(file, describeFsError(e));
  }
  try {
    return parseDocumentText(text);
  } catch (e) {
    if (e instanceof DocumentSyntaxError) {
      return new InputError(file, e.message);
    }
    throw e;
  }
}

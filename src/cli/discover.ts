import * as fs from 'fs';
import * as path from 'path';
import { readCloudAssembly } from './cloud-assembly';
import { detectFileKind } from './file-kind';
import { InputError } from './input-error';
import { expandInputs, Input } from './inputs';
import { ParsedDocument } from './parse-document';
import { SourceFiles } from './source-files';
import { TaskDefinitionShape } from './task-definition-file';
import { loadTemplateTree } from '../assembly/template-tree';
import { CloudTemplate } from '../cfn/cloud-template';

/**
 * Finds what there is to scan behind the paths given: cloud assemblies (their stacks, Stages and
 * nested stacks), templates and task definition files, each read and parsed once. It checks
 * nothing; scan.ts checks what it finds.
 */

/** A file to check, once every template of its group is known. */
export type Entry =
  | {
    readonly kind: 'template';
    readonly file: string;
    readonly template: CloudTemplate;
    readonly stack?: string;
    readonly nestedIn?: { readonly templatePath: string; readonly logicalId: string };
    /** The cloud assembly the template belongs to, or STANDALONE. */
    readonly group: string;
  }
  | { readonly kind: 'task-definition'; readonly file: string; readonly shape: TaskDefinitionShape };

/** The group of templates given as files rather than as a cloud assembly. */
export const STANDALONE = '';

export interface Discovered {
  /** What to check, in input order. */
  readonly entries: readonly Entry[];
  /** Templates by group: a cloud assembly (Stages and nested stacks included), or the templates given as files. */
  readonly groups: ReadonlyMap<string, readonly CloudTemplate[]>;
  /** Inputs that could not be read, by file. */
  readonly problems: readonly InputError[];
  /** The parsed documents, for the positions of the values checked. */
  document(file: string): ParsedDocument;
}

/** Text that suggests a malformed file found by walking a directory was meant to be scanned. */
const SCANNABLE_HINT = /\b(Resources|AWSTemplateFormatVersion|containerDefinitions)\b/;

export function discover(paths: readonly string[], cwd: string, missingHint?: string): Discovered {
  return new Discovery(cwd).run(paths, missingHint);
}

class Discovery {
  private readonly files = new SourceFiles();
  private readonly entries: Entry[] = [];
  private readonly groups = new Map<string, CloudTemplate[]>();
  private readonly problems = new Map<string, InputError>();
  /** Files already taken, so that overlapping inputs and nested stacks are checked once. */
  private readonly taken = new Set<string>();
  private readonly assemblies = new Set<string>();
  /** Inputs found (scanned or reported) under each path given. */
  private readonly foundPerRoot = new Map<number, number>();

  constructor(private readonly cwd: string) {}

  public run(paths: readonly string[], missingHint: string | undefined): Discovered {
    const { inputs, errors } = expandInputs(paths, this.cwd, this.files, missingHint);
    errors.forEach((e) => this.problem(e));
    for (const input of inputs) {
      this.collect(input);
    }
    paths.forEach((given, root) => {
      const dir = path.resolve(this.cwd, given);
      if (!this.foundPerRoot.get(root) && isDirectory(dir) && !this.problems.has(dir)) {
        this.problem(new InputError(dir, 'holds no CloudFormation template, ECS task definition file or cloud assembly'));
      }
    });
    const files = this.files;
    return {
      entries: this.entries,
      groups: this.groups,
      problems: [...this.problems.values()],
      document: (file) => files.read(file),
    };
  }

  private collect(input: Input): void {
    if (input.kind === 'assembly') {
      this.found(input.root);
      this.collectAssembly(input.dir, input.root);
      return;
    }
    const file = input.file;
    if (this.taken.has(file)) {
      return; // already collected, as a nested stack of a template found before
    }
    let doc: ParsedDocument;
    try {
      doc = this.files.read(file);
    } catch (e) {
      if (input.explicit || mightBeScannable(file)) {
        this.found(input.root);
        this.problem(e);
      }
      return;
    }
    const kind = detectFileKind(doc.value);
    switch (kind.kind) {
      case 'template':
        this.found(input.root);
        this.collectTemplateTree(file, undefined, STANDALONE, input.root);
        break;
      case 'task-definition':
        this.found(input.root);
        this.taken.add(file);
        this.entries.push({ kind: 'task-definition', file, shape: kind.shape });
        break;
      case 'assembly-manifest':
        this.found(input.root);
        this.collectAssembly(path.dirname(file), input.root);
        break;
      default:
        if (input.explicit) {
          this.found(input.root);
          this.problem(new InputError(file, 'is not a CloudFormation template, an ECS task definition file or a cloud assembly manifest'));
        }
    }
  }

  private collectAssembly(dir: string, root: number): void {
    const errors: InputError[] = [];
    const stacks = readCloudAssembly(dir, this.files, errors, this.assemblies);
    errors.forEach((e) => this.problem(e));
    for (const stack of stacks) {
      this.collectTemplateTree(stack.templatePath, stack.stackName, dir, root);
    }
  }

  /** A template and its nested stacks' templates, through the library's loader. */
  private collectTemplateTree(templatePath: string, stack: string | undefined, group: string, root: number): void {
    const failed = new Set<string>();
    const readJson = (file: string): unknown => {
      try {
        return this.files.read(file).value;
      } catch (e) {
        if (!(e instanceof InputError) || file.endsWith('.assets.json')) {
          throw e; // the loader tolerates an unreadable asset manifest: it only cannot follow nested stacks by hash
        }
        failed.add(file);
        this.problem(e);
        return undefined;
      }
    };
    for (const loaded of loadTemplateTree(templatePath, readJson)) {
      const file = loaded.templatePath;
      if (failed.has(file) || this.taken.has(file)) continue;
      this.taken.add(file);
      this.found(root);
      const template = (isObject(loaded.template) ? loaded.template : {}) as CloudTemplate;
      this.entries.push({ kind: 'template', file, template, stack, nestedIn: loaded.nestedIn, group });
      const templates = this.groups.get(group);
      if (templates) templates.push(template);
      else this.groups.set(group, [template]);
    }
  }

  private problem(error: unknown): void {
    if (!(error instanceof InputError)) {
      throw error;
    }
    if (!this.problems.has(error.file)) {
      this.problems.set(error.file, error);
    }
  }

  private found(root: number): void {
    this.foundPerRoot.set(root, (this.foundPerRoot.get(root) ?? 0) + 1);
  }
}

function mightBeScannable(file: string): boolean {
  try {
    return SCANNABLE_HINT.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return true; // unreadable: it may be anything
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

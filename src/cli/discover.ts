import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, readCloudAssembly } from './cloud-assembly';
import { detectFileKind } from './file-kind';
import { InputError, oneLine, unexpected } from './input-error';
import { expandInputs, Input, WALKED_EXTENSIONS } from './inputs';
import { ParsedDocument } from './parse-document';
import { SourceFiles } from './source-files';
import { TaskDefinitionShape } from './task-definition-file';
import { readTemplateTree, UnfollowedStack } from '../assembly/template-tree';
import { CloudTemplate } from '../cfn/cloud-template';
import { expandForEach } from '../cfn/language-extensions';

/**
 * Finds what there is to scan behind the paths given: cloud assemblies (their stacks, Stages and
 * nested stacks), templates and task definition files, each read and parsed once. It checks
 * nothing; scan.ts checks what it finds. Whatever cannot be read, or is refused, is a problem
 * with its reason; a failure on one input never stops the others.
 */

/** A file to check, once every template of its group is known. */
export type Entry =
  | {
    readonly kind: 'template';
    readonly file: string;
    /** As written (`checkTemplate` expands its loops). */
    readonly template: CloudTemplate;
    readonly stack?: string;
    readonly nestedIn?: { readonly templatePath: string; readonly logicalId: string };
    /** Nested stacks whose template is not a file that was read. */
    readonly unfollowed?: readonly UnfollowedStack[];
    /** For a template found in a cloud assembly's directory that its manifest does not list: the manifest. */
    readonly unlistedIn?: string;
    /** The cloud assembly the template belongs to, or STANDALONE. */
    readonly group: string;
  }
  | { readonly kind: 'task-definition'; readonly file: string; readonly shape: TaskDefinitionShape; readonly unlistedIn?: string };

/** The group of templates given as files rather than as a cloud assembly. */
export const STANDALONE = '';

export interface DiscoverOptions {
  /** Added to the reason when a path does not exist (for the default `cdk.out`). */
  readonly missingHint?: string;
  /** Files larger than this are not read (bytes). */
  readonly maxFileSize?: number;
  /** Where files are read and held (tests look into it); one of `maxFileSize` by default. */
  readonly sourceFiles?: SourceFiles;
}

export interface Discovered {
  /** What to check, in input order. */
  readonly entries: readonly Entry[];
  /** Templates by group, loops expanded: a cloud assembly (Stages and nested stacks included), or the templates given as files. */
  readonly groups: ReadonlyMap<string, readonly CloudTemplate[]>;
  /** Inputs that could not be read, or not entirely, each with its reason. */
  readonly problems: readonly InputError[];
  /** The parsed documents, for the positions of the values checked. */
  document(file: string): ParsedDocument;
  /**
   * Lets the parsed document of an entry go, once its positions are taken (the values the
   * entries and groups hold stay): the heap then holds one file's text and parser nodes at a time
   * while checking, not every file's until the end.
   */
  release(file: string): void;
}

/** Text that suggests a malformed file found by walking a directory was meant to be scanned. */
const SCANNABLE_HINT = /\b(Resources|AWSTemplateFormatVersion|containerDefinitions)\b/;

/** What aws-cdk-lib writes into a cloud assembly besides templates: not looked into for unlisted templates. */
const ASSEMBLY_OWN_FILES = /^(manifest\.json|tree\.json|.*\.assets\.json|.*\.metadata\.json|asset\..*)$/;

export function discover(paths: readonly string[], cwd: string, options: DiscoverOptions | string = {}): Discovered {
  const opts = typeof options === 'string' ? { missingHint: options } : options;
  return new Discovery(cwd, opts.sourceFiles ?? new SourceFiles(opts.maxFileSize)).run(paths, opts.missingHint);
}

class Discovery {
  private readonly entries: Entry[] = [];
  private readonly groups = new Map<string, CloudTemplate[]>();
  private readonly problems = new Map<string, InputError>();
  private readonly problemFiles = new Set<string>();
  /** Files already taken, so that overlapping inputs and nested stacks are checked once. */
  private readonly taken = new Set<string>();
  private readonly assemblies = new Set<string>();
  /** Inputs found (scanned or reported) under each path given. */
  private readonly foundPerRoot = new Map<number, number>();

  constructor(private readonly cwd: string, private readonly files: SourceFiles) {}

  public run(paths: readonly string[], missingHint: string | undefined): Discovered {
    const { inputs, errors } = expandInputs(paths, this.cwd, this.files, missingHint);
    errors.forEach((e) => this.problem(e));
    for (const input of inputs) {
      const where = input.kind === 'assembly' ? path.join(input.dir, MANIFEST_FILE) : input.file;
      this.isolated(where, () => this.collect(input));
    }
    paths.forEach((given, root) => {
      const dir = path.resolve(this.cwd, given);
      if (!this.foundPerRoot.get(root) && isDirectory(dir) && !this.problemFiles.has(dir)) {
        this.problem(new InputError(dir, 'holds no CloudFormation template, ECS task definition file or cloud assembly'));
      }
    });
    const files = this.files;
    // Asset manifests, cloud assembly manifests and walked files that are not to be checked: their
    // values are taken, their documents not needed.
    files.releaseAllBut(new Set(this.entries.map((e) => e.file)));
    return {
      entries: this.entries,
      groups: this.groups,
      problems: [...this.problems.values()],
      document: (file) => files.read(file),
      release: (file) => files.release(file),
    };
  }

  /** Runs one step; whatever it throws is a problem of `file`, and the other inputs go on. */
  private isolated(file: string, step: () => void): void {
    try {
      step();
    } catch (e) {
      this.problem(e instanceof InputError ? e : new InputError(file, unexpected(e)));
    }
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
    const kind = this.kindOf(file, input.explicit);
    if (kind === undefined) return;
    if (kind.kind === 'unreadable') {
      this.found(input.root); // and reported
      return;
    }
    switch (kind.kind) {
      case 'template':
        this.found(input.root);
        this.collectTemplateTree(file, { group: STANDALONE, root: input.root });
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

  /**
   * What a file is; undefined when it cannot be read and is skipped (a walked file that does
   * not look like one to scan). A file that cannot be read is a problem when it was named, or
   * looks like a template.
   */
  private kindOf(file: string, explicit: boolean): ReturnType<typeof detectFileKind> | { kind: 'unreadable' } | undefined {
    try {
      return detectFileKind(this.files.read(file).value);
    } catch (e) {
      if (explicit || this.mightBeScannable(file)) {
        this.problem(e);
        return { kind: 'unreadable' };
      }
      return undefined;
    }
  }

  private collectAssembly(dir: string, root: number): void {
    const errors: InputError[] = [];
    const assembly = readCloudAssembly(dir, this.files, errors, this.assemblies);
    if (!assembly) return; // read before
    errors.forEach((e) => this.problem(e));
    const manifest = path.join(dir, MANIFEST_FILE);
    if (assembly.stacks.length === 0 && !errors.some((e) => e.file === manifest)) {
      this.problem(new InputError(manifest, 'lists no stacks (no artifact of type aws:cloudformation:stack, in it or in the assemblies of its Stages): there is nothing to check'));
    }
    for (const stack of assembly.stacks) {
      const at = { stack: stack.stackName, group: dir, root, within: dir };
      this.isolated(stack.templatePath, () => this.collectTemplateTree(stack.templatePath, at));
    }
    // Templates the manifest does not list are not hidden by it: they are scanned, and said to be unlisted.
    this.isolated(dir, () => this.collectUnlisted(dir, dir, manifest, root));
  }

  private collectUnlisted(dir: string, assemblyDir: string, manifest: string, root: number): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      this.problem(new InputError(dir, `cannot be listed: ${oneLine(String(e))}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || ASSEMBLY_OWN_FILES.test(entry.name)) continue;
      if (entry.isDirectory()) {
        this.collectUnlisted(full, assemblyDir, manifest, root);
      } else if (entry.isFile() && WALKED_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()) && !this.taken.has(full)) {
        this.isolated(full, () => {
          const kind = this.kindOf(full, false);
          if (kind?.kind === 'template') {
            this.collectTemplateTree(full, { group: assemblyDir, root, within: assemblyDir, unlistedIn: manifest });
          } else if (kind?.kind === 'task-definition') {
            this.taken.add(full);
            this.entries.push({ kind: 'task-definition', file: full, shape: kind.shape, unlistedIn: manifest });
          }
        });
      }
    }
  }

  /** A template and its nested stacks' templates, through the library's loader. */
  private collectTemplateTree(
    templatePath: string,
    at: { readonly stack?: string; readonly group: string; readonly root: number; readonly within?: string; readonly unlistedIn?: string },
  ): void {
    const tree = readTemplateTree(templatePath, {
      readJson: (file) => this.files.read(file).value,
      // Nested stacks are read from the assembly, or from beside the template given.
      within: at.within ?? path.dirname(path.resolve(templatePath)),
      withinName: at.within ? 'the cloud assembly directory' : 'the directory of the template',
    });
    tree.problems.forEach((p) => this.problem(new InputError(p.file, p.reason)));
    for (const loaded of tree.templates) {
      const file = loaded.templatePath;
      if (this.taken.has(file)) continue;
      this.taken.add(file);
      this.found(at.root);
      const expansion = expandForEach(loaded.template);
      expansion.problems.forEach((reason) => this.problem(new InputError(file, reason)));
      this.entries.push({
        kind: 'template',
        file,
        template: loaded.template,
        stack: at.stack,
        nestedIn: loaded.nestedIn,
        unfollowed: loaded.unfollowed,
        unlistedIn: at.unlistedIn,
        group: at.group,
      });
      const templates = this.groups.get(at.group);
      const expanded = expansion.template as CloudTemplate;
      if (templates) templates.push(expanded);
      else this.groups.set(at.group, [expanded]);
    }
  }

  private problem(error: unknown): void {
    const e = error instanceof InputError ? error : new InputError(this.cwd, unexpected(error));
    const key = `${e.file}\u0000${e.reason}`;
    if (!this.problems.has(key)) {
      this.problems.set(key, e);
      this.problemFiles.add(e.file);
    }
  }

  private found(root: number): void {
    this.foundPerRoot.set(root, (this.foundPerRoot.get(root) ?? 0) + 1);
  }

  private mightBeScannable(file: string): boolean {
    try {
      return SCANNABLE_HINT.test(this.files.text(file));
    } catch {
      return true; // unreadable, or refused: it may be anything
    }
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

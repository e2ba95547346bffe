import * as fs from 'fs';
import * as path from 'path';
import { readCloudAssembly } from './cloud-assembly';
import { detectFileKind } from './file-kind';
import { displayPath, InputError } from './input-error';
import { expandInputs, Input } from './inputs';
import { ParsedDocument, PathStep, SourceRegion } from './parse-document';
import { SourceFiles } from './source-files';
import { checkTaskDefinitionFile, TASK_DEFINITION_RESOURCE_TYPE, TaskDefinitionShape } from './task-definition-file';
import { ImageFinding } from '../check/check-resource';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { FindingSeverity } from '../policy/image-verdict';
import { AssemblyIndex, assemblyIndex, checkTemplate, CloudTemplate, loadTemplateTree } from '../templates/cloud-template';

/** One image found, judged, with where it is. */
export interface ScannedImage {
  /** The file, as reports show it (relative to the working directory, forward slashes). */
  readonly file: string;
  readonly absolutePath: string;
  readonly fileKind: 'template' | 'task-definition';
  /** For a template of a cloud assembly, the stack's name (`Prod/Web` inside the Stage `Prod`). */
  readonly stack?: string;
  /** For a nested stack's template: the parent template and the logical id of its `AWS::CloudFormation::Stack`. */
  readonly nestedIn?: { readonly file: string; readonly logicalId: string };
  /** The resource's logical id; for a task definition file, its `family:revision` (or the file name). */
  readonly resource: string;
  readonly resourceType: string;
  /** The construct path aws-cdk-lib recorded for the resource. */
  readonly constructPath?: string;
  /** The container's name, or the property path when it has none. */
  readonly container: string;
  /** Where the value is in the file: `Resources.Task.Properties.ContainerDefinitions.0.Image`, `containerDefinitions.0.image`. */
  readonly propertyPath: string;
  /** The shared check's finding (verdict, rule id, message). */
  readonly finding: ImageFinding;
  /** Line and column of the value in the file (computed when first read). */
  readonly position: SourceRegion | undefined;
}

/** A file or directory that could not be scanned. */
export interface ScanProblem {
  readonly file: string;
  readonly reason: string;
}

export interface ScanResult {
  /** Every image found, compliant or not, in input order. */
  readonly images: readonly ScannedImage[];
  readonly problems: readonly ScanProblem[];
  /** Templates and task definition files scanned. */
  readonly filesScanned: number;
}

export interface ScanOptions {
  readonly policy: ImagePinningPolicy;
  /** Paths are resolved, and shown, relative to this directory. @default process.cwd() */
  readonly cwd?: string;
  /** Added to the reason when a path does not exist (for the default `cdk.out`). */
  readonly missingHint?: string;
}

/** Exit code 2 when an input could not be scanned, else 1 when an image is an error, else 0. */
export function exitCodeOf(result: ScanResult): number {
  if (result.problems.length > 0) return 2;
  return result.images.some((i) => i.finding.verdict.severity === FindingSeverity.ERROR) ? 1 : 0;
}

/**
 * Scans cloud assemblies, CloudFormation/SAM templates (JSON or YAML) and ECS task definition
 * files, and directories of them. Never throws for bad input: each file that cannot be read or
 * parsed is a problem, and the other files are still scanned.
 */
export function scan(paths: readonly string[], options: ScanOptions): ScanResult {
  return new Scanner(options).run(paths);
}

/** Text that suggests a malformed file found by walking a directory was meant to be scanned. */
const SCANNABLE_HINT = /\b(Resources|AWSTemplateFormatVersion|containerDefinitions)\b/;

/** A file to check, once every template of its group is known. */
type Entry =
  | {
    readonly kind: 'template';
    readonly file: string;
    readonly template: CloudTemplate;
    readonly stack?: string;
    readonly nestedIn?: { readonly templatePath: string; readonly logicalId: string };
    readonly group: string;
  }
  | { readonly kind: 'task-definition'; readonly file: string; readonly shape: TaskDefinitionShape };

/** The group of templates given as files rather than as a cloud assembly. */
const STANDALONE = '';

class Scanner {
  private readonly cwd: string;
  private readonly files = new SourceFiles();
  private readonly entries: Entry[] = [];
  /** Templates by group: a cloud assembly (Stages and nested stacks included), or the templates given as files. */
  private readonly groups = new Map<string, CloudTemplate[]>();
  private readonly images: ScannedImage[] = [];
  private readonly problems = new Map<string, InputError>();
  private readonly scanned = new Set<string>();
  private readonly assemblies = new Set<string>();
  /** Inputs found (scanned or reported) under each path given. */
  private readonly foundPerRoot = new Map<number, number>();

  constructor(private readonly options: ScanOptions) {
    this.cwd = path.resolve(options.cwd ?? process.cwd());
  }

  public run(paths: readonly string[]): ScanResult {
    const { inputs, errors } = expandInputs(paths, this.cwd, this.files, this.options.missingHint);
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
    // Like the validation plugin: exports and ECR repositories are looked up across the templates
    // of one cloud assembly (or across the templates given as files).
    const indexes = new Map([...this.groups].map(([group, templates]) => [group, assemblyIndex(templates)]));
    for (const entry of this.entries) {
      if (entry.kind === 'template') {
        this.checkTemplateFile(entry, indexes.get(entry.group));
      } else {
        this.checkTaskDefinition(entry.file, entry.shape);
      }
    }
    return {
      images: this.images,
      problems: [...this.problems.values()].map((e) => ({ file: displayPath(e.file, this.cwd), reason: e.reason })),
      filesScanned: this.entries.length,
    };
  }

  private collect(input: Input): void {
    if (input.kind === 'assembly') {
      this.found(input.root);
      this.collectAssembly(input.dir, input.root);
      return;
    }
    const file = input.file;
    if (this.scanned.has(file)) {
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
        this.scanned.add(file);
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
      if (failed.has(file) || this.scanned.has(file)) continue;
      this.scanned.add(file);
      this.found(root);
      const template = (isObject(loaded.template) ? loaded.template : {}) as CloudTemplate;
      this.entries.push({ kind: 'template', file, template, stack, nestedIn: loaded.nestedIn, group });
      const templates = this.groups.get(group);
      if (templates) templates.push(template);
      else this.groups.set(group, [template]);
    }
  }

  private checkTemplateFile(entry: Extract<Entry, { kind: 'template' }>, index: AssemblyIndex | undefined): void {
    const doc = this.files.read(entry.file);
    const nestedIn = entry.nestedIn && { file: displayPath(entry.nestedIn.templatePath, this.cwd), logicalId: entry.nestedIn.logicalId };
    for (const found of checkTemplate(entry.template, entry.file, this.options.policy, index)) {
      const location: PathStep[] = ['Resources', found.logicalId, 'Properties', ...propertySteps(found.finding.image.propertyPath)];
      this.add(doc, location, {
        file: displayPath(entry.file, this.cwd),
        absolutePath: entry.file,
        fileKind: 'template',
        stack: entry.stack,
        nestedIn,
        resource: found.logicalId,
        resourceType: found.resourceType,
        constructPath: found.constructPath,
        container: found.finding.label,
        finding: found.finding,
      });
    }
  }

  private checkTaskDefinition(file: string, shape: TaskDefinitionShape): void {
    const doc = this.files.read(file);
    const result = checkTaskDefinitionFile(doc.value, shape, this.options.policy);
    for (const image of result.images) {
      this.add(doc, image.path, {
        file: displayPath(file, this.cwd),
        absolutePath: file,
        fileKind: 'task-definition',
        resource: result.name ?? path.basename(file),
        resourceType: TASK_DEFINITION_RESOURCE_TYPE,
        container: image.finding.label,
        finding: image.finding,
      });
    }
  }

  private add(doc: ParsedDocument, location: readonly PathStep[], image: Omit<ScannedImage, 'position' | 'propertyPath'>): void {
    let position: SourceRegion | undefined | null = null;
    this.images.push({
      ...image,
      propertyPath: location.join('.'),
      get position() {
        if (position === null) position = doc.locate(location);
        return position;
      },
    });
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

/** `ContainerDefinitions.0.Image` -> `['ContainerDefinitions', 0, 'Image']`. */
function propertySteps(propertyPath: string): PathStep[] {
  return propertyPath.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step));
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

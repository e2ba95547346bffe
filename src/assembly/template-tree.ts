import * as fs from 'fs';
import * as path from 'path';
import { CloudResource, CloudTemplate } from '../cfn/cloud-template';

/** A template and the nested stack templates it deploys, as files next to it. */
export interface LoadedTemplate {
  readonly templatePath: string;
  readonly template: CloudTemplate;
  /** For a nested stack: the logical id of its `AWS::CloudFormation::Stack` in the parent. */
  readonly nestedIn?: { readonly templatePath: string; readonly logicalId: string };
  /**
   * Nested stacks of this template whose template is not a file beside it (a `TemplateURL` to
   * S3 written by hand, say): their images are not read, and a report must say so.
   */
  readonly unfollowed?: readonly UnfollowedStack[];
}

/** A nested stack whose template is elsewhere than in the files read. */
export interface UnfollowedStack {
  readonly logicalId: string;
  /** Its `TemplateURL` as the template has it (a string or intrinsic functions), if it has one. */
  readonly templateUrl: unknown;
}

/** A template of the tree that could not be read, or that the reader refused to read. */
export interface TemplateTreeProblem {
  readonly file: string;
  readonly reason: string;
}

export interface TemplateTreeOptions {
  /** Reads and parses a file; throws, with a `reason` or a message, when it cannot. */
  readonly readJson?: (file: string) => unknown;
  /**
   * Nested stack templates (and the asset manifest's files) must be inside this directory,
   * symbolic links resolved: one that leaves it is a problem, not read. Default: anywhere.
   */
  readonly within?: string;
  /** What `within` is, for problems: `the cloud assembly directory`. */
  readonly withinName?: string;
}

export interface TemplateTree {
  /** The templates read: the root first, then its nested stacks', depth first. */
  readonly templates: LoadedTemplate[];
  /** Templates that could not be read: missing, unreadable, not a template, or outside `within`. */
  readonly problems: TemplateTreeProblem[];
}

/**
 * Reads a synthesized template and, recursively, the templates of its nested stacks, which
 * aws-cdk-lib writes as file assets beside it. The nested template's file is found from the
 * `aws:asset:path` metadata of the `AWS::CloudFormation::Stack` resource when the CLI asked for
 * asset metadata, else from the asset hash in its `TemplateURL` and the stack's asset manifest
 * (`<stack>.assets.json`, which lists the assets of all its nested stacks).
 *
 * Nothing is skipped in silence: a nested template that aws-cdk-lib says is a file but that
 * cannot be read is a problem; a nested stack whose template is not a file at all (a hand-written
 * `TemplateURL`) is listed in `unfollowed`.
 */
export function readTemplateTree(templatePath: string, options: TemplateTreeOptions = {}): TemplateTree {
  const readJson = options.readJson ?? readJsonFile;
  const templates: LoadedTemplate[] = [];
  const problems: TemplateTreeProblem[] = [];
  const seen = new Set<string>();
  const root = path.resolve(templatePath);
  const dir = path.dirname(root);
  // Read only for a nested stack without `aws:asset:path`: most templates have none.
  let assetFiles: Map<string, string> | undefined;
  const assets = () => (assetFiles ??= assetManifestFiles(root, readJson, options.within));
  const read = (file: string, nestedIn: LoadedTemplate['nestedIn']): CloudTemplate | undefined => {
    const of = nestedIn ? ` (the template of nested stack ${nestedIn.logicalId} in ${path.basename(nestedIn.templatePath)})` : '';
    let value: unknown;
    try {
      value = readJson(file);
    } catch (e) {
      problems.push({ file, reason: `${reasonOf(e)}${of}` });
      return undefined;
    }
    const notTemplate = templateShapeProblem(value);
    if (notTemplate) {
      problems.push({ file, reason: `${notTemplate}${of}` });
      return undefined;
    }
    return value as CloudTemplate;
  };
  const visit = (file: string, nestedIn?: LoadedTemplate['nestedIn']) => {
    if (seen.has(file)) return;
    seen.add(file);
    const template = read(file, nestedIn);
    if (!template) return;
    const unfollowed: UnfollowedStack[] = [];
    const loaded: LoadedTemplate = { templatePath: file, template, nestedIn, unfollowed };
    templates.push(loaded);
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
      const nested = nestedTemplateFile(resource, assets);
      if (nested.kind === 'elsewhere') {
        unfollowed.push({ logicalId, templateUrl: (resource.Properties as { TemplateURL?: unknown } | undefined)?.TemplateURL });
        continue;
      }
      if (nested.kind === 'unlisted') {
        problems.push({
          file,
          reason: `nested stack ${logicalId}: its TemplateURL names the asset ${nested.hash}, which the asset manifest beside the template does not list, so its template cannot be found`,
        });
        continue;
      }
      const nestedPath = path.resolve(dir, nested.file);
      if (options.within !== undefined && leavesDirectory(nestedPath, options.within)) {
        problems.push({ file, reason: `nested stack ${logicalId}: its template ${JSON.stringify(nested.file)} leads outside ${options.withinName ?? options.within}: not read` });
        continue;
      }
      visit(nestedPath, { templatePath: file, logicalId });
    }
  };
  visit(root);
  return { templates, problems };
}

/**
 * A template and its nested stacks' templates, for callers that read what aws-cdk-lib just
 * wrote (the validation plugin).
 *
 * @throws Error naming the file, when a template of the tree cannot be read
 */
export function loadTemplateTree(templatePath: string, readJson: (file: string) => unknown = readJsonFile): LoadedTemplate[] {
  const tree = readTemplateTree(templatePath, { readJson });
  const [problem] = tree.problems;
  if (problem) {
    throw new Error(`${problem.file}: ${problem.reason}`);
  }
  return tree.templates;
}

/** The top-level sections of a template, as the CloudFormation template anatomy lists them (and SAM's `Globals`). */
const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions',
  'Transform', 'Resources', 'Outputs', 'Hooks', 'Globals',
]);

/**
 * Why a parsed file is not a template, or undefined when it is one: a mapping with at least one
 * of the template sections (or none at all: `{}` is what aws-cdk-lib writes for an empty stack),
 * whose `Resources`, when present, is a mapping.
 */
export function templateShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `is not a CloudFormation template (it holds ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}, not a mapping)`;
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && !keys.some((k) => TEMPLATE_SECTIONS.has(k))) {
    return 'is not a CloudFormation template (it has none of the template sections, such as Resources)';
  }
  const resources = (value as { Resources?: unknown }).Resources;
  if (resources !== undefined && (typeof resources !== 'object' || resources === null || Array.isArray(resources))) {
    return 'is not a CloudFormation template (its Resources is not a mapping)';
  }
  return undefined;
}

/**
 * Whether `file` is outside `directory`: by its path, and where symbolic links (of the file or
 * of a directory on the way) really lead. A path that does not exist is judged by its path only
 * (reading it will fail, and say so).
 */
export function leavesDirectory(file: string, directory: string): boolean {
  return leavingDirectory(directory)(file);
}

/**
 * `leavesDirectory` for many files of one directory: where the directory's symbolic links lead
 * is looked up once (on the first file whose path stays inside), not once per file, as a cloud
 * assembly of a thousand stacks asked it.
 */
export function leavingDirectory(directory: string): (file: string) => boolean {
  const resolved = path.resolve(directory);
  let realDirectory: string | null | undefined;
  return (file) => {
    if (outside(path.relative(resolved, path.resolve(file)))) {
      return true;
    }
    if (realDirectory === undefined) {
      try {
        realDirectory = fs.realpathSync(directory);
      } catch {
        realDirectory = null;
      }
    }
    if (realDirectory === null) {
      return false;
    }
    let realFile: string;
    try {
      realFile = fs.realpathSync(file);
    } catch {
      return false;
    }
    return outside(path.relative(realDirectory, realFile));
  };
}

function outside(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

const ASSET_HASH_IN_URL = /([0-9a-f]{64})\.json/g;

type NestedTemplate =
  /** A file, relative to the parent template's directory. */
  | { readonly kind: 'file'; readonly file: string }
  /** An asset of aws-cdk-lib, by hash, that the asset manifest does not list. */
  | { readonly kind: 'unlisted'; readonly hash: string }
  /** Not a file the synthesizer wrote. */
  | { readonly kind: 'elsewhere' };

function nestedTemplateFile(resource: CloudResource, assetFiles: () => Map<string, string>): NestedTemplate {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string' && assetPath.endsWith('.json')) {
    return { kind: 'file', file: assetPath };
  }
  const url = JSON.stringify((resource.Properties as { TemplateURL?: unknown } | undefined)?.TemplateURL ?? '');
  let hash: string | undefined;
  for (const match of url.matchAll(ASSET_HASH_IN_URL)) {
    hash ??= match[1];
    const file = assetFiles().get(match[1]);
    if (file) return { kind: 'file', file };
  }
  return hash ? { kind: 'unlisted', hash } : { kind: 'elsewhere' };
}

/** Asset hash -> file name, from the asset manifest beside a stack template, if there is one. */
function assetManifestFiles(templatePath: string, readJson: (file: string) => unknown, within: string | undefined): Map<string, string> {
  const manifest = templatePath.replace(/\.template\.json$/, '.assets.json');
  const files = new Map<string, string>();
  if (manifest === templatePath || !fs.existsSync(manifest) || (within !== undefined && leavesDirectory(manifest, within))) {
    return files;
  }
  try {
    const parsed = readJson(manifest) as { files?: Record<string, { source?: { path?: unknown } }> };
    for (const [hash, asset] of Object.entries(parsed?.files ?? {})) {
      if (typeof asset?.source?.path === 'string') files.set(hash, asset.source.path);
    }
  } catch {
    // An unreadable asset manifest only means nested stacks cannot be found by hash: each is then a problem.
  }
  return files;
}

function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string') return reason;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}

function readJsonFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

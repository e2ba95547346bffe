import * as path from 'path';
import { discover, Discovered, Entry } from './discover';
import { displayPath, unexpected } from './input-error';
import { ParsedDocument, PathStep, SourceRegion } from './parse-document';
import { checkTaskDefinitionFile, TASK_DEFINITION_RESOURCE_TYPE } from './task-definition-file';
import { checkTemplate, checkTemplateGaps } from '../assembly/check-template';
import { StackFactsReader } from '../assembly/stack-facts';
import { AssemblyIndex, assemblyIndex, CloudTemplate, StackFacts } from '../cfn/cloud-template';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';
import { reportedLevel } from '../check/outcome';

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
  /** For a file found in a cloud assembly's directory that its manifest does not list: the manifest, as reports show it. */
  readonly unlistedIn?: string;
  /**
   * For a template: the template of its top-level stack (itself, unless it is a nested stack's),
   * absolute, and the logical ids of the nested stack resources that lead from it to this one.
   * Where the cloud assembly's metadata about the resource is (see creation-trace.ts).
   */
  readonly stackTemplate?: { readonly file: string; readonly nestedStacks: readonly string[] };
  /** The resource's logical id; for a task definition file, its `family:revision` (or the file name). */
  readonly resource: string;
  readonly resourceType: string;
  /** The construct path aws-cdk-lib recorded for the resource. */
  readonly constructPath?: string;
  /** The container's name, or the property path when it has none. */
  readonly container: string;
  /** Where the value is in the file: `Resources.Task.Properties.ContainerDefinitions.0.Image`, `containerDefinitions.0.image`. */
  readonly propertyPath: string;
  /** The shared check's finding (rule, parts, verdict, outcome). */
  readonly finding: ImageFinding;
  /** Line and column of the value in the file. */
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
  readonly settings: CheckSettings;
  /** Paths are resolved, and shown, relative to this directory. @default process.cwd() */
  readonly cwd?: string;
  /** Added to the reason when a path does not exist (for the default `cdk.out`). */
  readonly missingHint?: string;
  /** Files larger than this many bytes are input errors, not read. @default DEFAULT_MAX_FILE_SIZE (50 MB) */
  readonly maxFileSize?: number;
}

/** Exit code 2 when an input could not be scanned, else 1 when an image is an error, else 0. */
export function exitCodeOf(result: ScanResult): number {
  if (result.problems.length > 0) return 2;
  return result.images.some((i) => reportedLevel(i.finding.outcome) === 'error') ? 1 : 0;
}

/**
 * Scans cloud assemblies, CloudFormation/SAM templates (JSON or YAML) and ECS task definition
 * files, and directories of them. Never throws for bad input: each file that cannot be read,
 * parsed or checked is a problem, and the other files are still scanned and reported.
 */
export function scan(paths: readonly string[], options: ScanOptions): ScanResult {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const found = discover(paths, cwd, { missingHint: options.missingHint, maxFileSize: options.maxFileSize });
  // Like the validation plugin: exports and ECR repositories are looked up across the templates
  // of one cloud assembly (or across the templates given as files), with what the assembly's
  // manifest states about each stack (its account and region, its asset repositories).
  const stackOf = stackFactsOf(found.entries);
  const topOf = stackTemplates(found.entries);
  const indexes = new Map([...found.groups].map(([group, templates]) => [group, assemblyIndex(templates, stackOf)]));
  const images: ScannedImage[] = [];
  const problems: ScanProblem[] = found.problems.map((e) => ({ file: displayPath(e.file, cwd), reason: e.reason }));
  for (const entry of found.entries) {
    // One file that defeats the check (a bug, or a value it cannot walk) is that file's problem.
    try {
      const checked = entry.kind === 'template'
        ? checkTemplateFile(entry, indexes.get(entry.group), found, options.settings, cwd, topOf(entry))
        : checkTaskDefinition(entry, found, options.settings, cwd);
      for (const image of checked) images.push(image); // not push(...checked): a template can hold 500,000 images
    } catch (e) {
      problems.push({ file: displayPath(entry.file, cwd), reason: unexpected(e) });
    }
    found.release(entry.file); // its positions are taken
  }
  return { images, problems, filesScanned: found.entries.length };
}

function checkTemplateFile(
  entry: Extract<Entry, { kind: 'template' }>,
  index: AssemblyIndex | undefined,
  found: Discovered,
  settings: CheckSettings,
  cwd: string,
  stackTemplate: ScannedImage['stackTemplate'],
): ScannedImage[] {
  const doc = found.document(entry.file);
  const nestedIn = entry.nestedIn && { file: displayPath(entry.nestedIn.templatePath, cwd), logicalId: entry.nestedIn.logicalId };
  const findings = [
    ...checkTemplateGaps(entry.template, entry.file, settings, entry.unfollowed),
    ...checkTemplate(entry.template, entry.file, settings, index),
  ];
  return findings.map((t) =>
    scannedImage(doc, t.location, {
      file: displayPath(entry.file, cwd),
      absolutePath: entry.file,
      fileKind: 'template',
      stack: entry.stack,
      nestedIn,
      unlistedIn: entry.unlistedIn && displayPath(entry.unlistedIn, cwd),
      stackTemplate,
      resource: t.logicalId,
      resourceType: t.resourceType,
      constructPath: t.constructPath,
      container: t.finding.label,
      finding: t.finding,
    }),
  );
}

function checkTaskDefinition(entry: Extract<Entry, { kind: 'task-definition' }>, found: Discovered, settings: CheckSettings, cwd: string): ScannedImage[] {
  const file = entry.file;
  const doc = found.document(file);
  const result = checkTaskDefinitionFile(doc.value, entry.shape, settings);
  return result.images.map((image) =>
    scannedImage(doc, image.path, {
      file: displayPath(file, cwd),
      absolutePath: file,
      fileKind: 'task-definition',
      unlistedIn: entry.unlistedIn && displayPath(entry.unlistedIn, cwd),
      resource: result.name ?? path.basename(file),
      resourceType: TASK_DEFINITION_RESOURCE_TYPE,
      container: image.finding.label,
      finding: image.finding,
    }),
  );
}

/** The image with its position in the file, located now: the document is released once its file is checked. */
function scannedImage(doc: ParsedDocument, location: readonly PathStep[], image: Omit<ScannedImage, 'position' | 'propertyPath'>): ScannedImage {
  let position: SourceRegion | undefined;
  try {
    position = doc.locate(location);
  } catch {
    position = undefined; // a report without a line number rather than no report
  }
  return { ...image, propertyPath: location.join('.'), position };
}

/** The top-level template of each template, and the nested stack resources from it down (see ScannedImage.stackTemplate). */
function stackTemplates(entries: readonly Entry[]): (entry: Extract<Entry, { kind: 'template' }>) => ScannedImage['stackTemplate'] {
  const byFile = new Map(entries.filter((e): e is Extract<Entry, { kind: 'template' }> => e.kind === 'template').map((e) => [e.file, e]));
  return (entry) => {
    const nestedStacks: string[] = [];
    let at = entry;
    const seen = new Set<string>();
    while (at.nestedIn && byFile.has(at.nestedIn.templatePath) && !seen.has(at.file)) {
      seen.add(at.file);
      nestedStacks.unshift(at.nestedIn.logicalId);
      at = byFile.get(at.nestedIn.templatePath)!;
    }
    return { file: at.file, nestedStacks };
  };
}

/** What the manifest beside each stack's template states; a nested stack's is its parent stack's. */
function stackFactsOf(entries: readonly Entry[]): (template: CloudTemplate) => StackFacts | undefined {
  const templates = entries.filter((e): e is Extract<Entry, { kind: 'template' }> => e.kind === 'template');
  const byTemplate = new Map(templates.map((e) => [e.template, e]));
  const byFile = new Map(templates.map((e) => [e.file, e]));
  const reader = new StackFactsReader();
  return (template) => {
    let entry = byTemplate.get(template);
    while (entry?.nestedIn && byFile.has(entry.nestedIn.templatePath)) entry = byFile.get(entry.nestedIn.templatePath);
    return entry ? reader.of(entry.file) : undefined;
  };
}

import * as path from 'path';
import { MANIFEST_FILE } from './cloud-assembly';
import { DEFAULT_MAX_FILE_SIZE, readTextFile } from './read-file';
import { ScannedImage } from './scan';

/**
 * Where in the app's own source a resource of a cloud assembly was created, as aws-cdk-lib
 * records it. For each L1 resource (`CfnElement`), aws-cdk-lib adds construct metadata that the
 * cloud assembly keeps per stack artifact, keyed by construct path (`/Web/Task/Resource`):
 *
 * - `aws:cdk:logicalId`: the resource's logical id (unless the context
 *   `aws:cdk:disable-logicalId-metadata` is set);
 * - `aws:cdk:creationStack`: the call stack that created it, reduced to the app's own frames
 *   (`<anonymous> (/app/bin/app.ts:12:5)`, with `...new FargateTaskDefinition in aws-cdk-lib...`
 *   for the library's frames). aws-cdk-lib 2.258 records it by default, with `cdk synth` and with
 *   `app.synth()` alike; the context `aws:cdk:disable-creation-stack-traces` turns it off (but not
 *   under `CDK_DEBUG`, which `cdk synth --debug` sets). Older releases instead attach a `trace`
 *   to the `aws:cdk:logicalId` entry when stack traces are on; both are read.
 *
 * The metadata is in the artifact's `metadata` in `manifest.json`, or since cloud assembly
 * schema 41 in the file its `additionalMetadataFile` names (`Web.metadata.json`). The template
 * itself names each resource's construct path only with path metadata (`aws:cdk:path`, which
 * `cdk synth` enables and `app.synth()` does not unless the context
 * `aws:cdk:enable-path-metadata` is set); without it the resource is found by its logical id
 * within its stack, nested stacks told apart by the construct paths of their
 * `AWS::CloudFormation::Stack` resources (`/Web/Jobs.NestedStack/Jobs.NestedStackResource`).
 */

/** A place in the app's source: an absolute path, 1-based line and column. */
export interface SourceFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

interface MetadataEntry {
  readonly type?: unknown;
  readonly data?: unknown;
  readonly trace?: unknown;
}

/** One stack artifact's metadata: construct path to entries. */
interface StackMetadata {
  readonly byPath: ReadonlyMap<string, readonly MetadataEntry[]>;
  /** Logical id to the construct paths that have it (a nested stack may reuse its parent's). */
  readonly byLogicalId: ReadonlyMap<string, readonly string[]>;
  /** Construct paths of the nested stacks (`/Web/Jobs`), by the construct path of their stack resource. */
  readonly nestedStackOf: ReadonlyMap<string, string>;
}

const CREATION_STACK = 'aws:cdk:creationStack';
const LOGICAL_ID = 'aws:cdk:logicalId';
/** aws-cdk-lib's `NestedStack` is `<id>.NestedStack/<id>.NestedStackResource` beside the nested stack's own scope `<id>`. */
const NESTED_STACK_RESOURCE = /^(.*)\/([^/]+)\.NestedStack\/\2\.NestedStackResource$/;
/** `name (file:line:column)`, `at name (file:line:column)`, or `file:line:column`. */
const FRAME = /^(?:at\s+)?(?:.*?\()?(.+?):(\d+):(\d+)\)?$/;

/** Reads each cloud assembly's metadata once, and finds the app's frame for a scanned image. */
export class CreationTraces {
  /** Per manifest directory: template file name to the stack's metadata. */
  private readonly assemblies = new Map<string, ReadonlyMap<string, StackMetadata>>();

  constructor(private readonly maxFileSize: number = DEFAULT_MAX_FILE_SIZE) {}

  /** The first frame of the app's own code that created the image's resource, if the assembly records one. */
  public frameOf(image: ScannedImage): SourceFrame | undefined {
    const top = image.stackTemplate;
    if (!top || image.fileKind !== 'template') {
      return undefined;
    }
    const metadata = this.metadataOf(top.file);
    if (!metadata) {
      return undefined;
    }
    const constructPath = image.constructPath !== undefined ? `/${image.constructPath}` : resourcePath(metadata, top.nestedStacks, image.resource);
    const entries = constructPath === undefined ? undefined : metadata.byPath.get(constructPath);
    return entries ? userFrame(traceOf(entries)) : undefined;
  }

  private metadataOf(templateFile: string): StackMetadata | undefined {
    const dir = path.dirname(templateFile);
    let stacks = this.assemblies.get(dir);
    if (!stacks) {
      stacks = readAssemblyMetadata(dir, this.maxFileSize);
      this.assemblies.set(dir, stacks);
    }
    return stacks.get(path.basename(templateFile));
  }
}

/** The construct path of the resource with this logical id, in the nested stack the chain leads to (or the stack itself). */
function resourcePath(metadata: StackMetadata, nestedStacks: readonly string[], logicalId: string): string | undefined {
  let scope: string | undefined;
  for (const stack of nestedStacks) {
    const resource = inScope(metadata, scope, stack);
    scope = resource === undefined ? undefined : metadata.nestedStackOf.get(resource);
    if (scope === undefined) return undefined;
  }
  return inScope(metadata, scope, logicalId);
}

/** The one construct path with this logical id directly in `scope` (a nested stack's path; undefined: the stack itself). */
function inScope(metadata: StackMetadata, scope: string | undefined, logicalId: string): string | undefined {
  const nested = [...metadata.nestedStackOf.values()];
  const candidates = (metadata.byLogicalId.get(logicalId) ?? []).filter((p) => {
    if (scope !== undefined && !p.startsWith(`${scope}/`)) return false;
    // Not inside a nested stack deeper than the scope.
    return !nested.some((n) => n !== scope && p.startsWith(`${n}/`) && (scope === undefined || n.startsWith(`${scope}/`)));
  });
  return candidates.length === 1 ? candidates[0] : undefined;
}

function traceOf(entries: readonly MetadataEntry[]): readonly unknown[] {
  const creation = entries.find((e) => e?.type === CREATION_STACK && Array.isArray(e.data));
  if (creation) return creation.data as unknown[];
  const logicalId = entries.find((e) => e?.type === LOGICAL_ID && Array.isArray(e.trace));
  return logicalId ? (logicalId.trace as unknown[]) : [];
}

/** The first frame outside node_modules and Node.js itself, with a file, line and column. */
export function userFrame(trace: readonly unknown[]): SourceFrame | undefined {
  for (const frame of trace) {
    if (typeof frame !== 'string') continue;
    const match = FRAME.exec(frame.trim());
    if (!match) continue;
    const [, file, line, column] = match;
    if (/[\\/]node_modules[\\/]/.test(file) || file.startsWith('node:') || !path.isAbsolute(file)) continue;
    return { file, line: Number(line), column: Number(column) };
  }
  return undefined;
}

/** Every stack artifact's metadata in the manifest of `dir`, by template file name; empty when there is none to read. */
function readAssemblyMetadata(dir: string, maxFileSize: number): ReadonlyMap<string, StackMetadata> {
  const stacks = new Map<string, StackMetadata>();
  const manifest = readJson(dir, MANIFEST_FILE, maxFileSize) as { artifacts?: Record<string, unknown> } | undefined;
  for (const artifact of Object.values(manifest?.artifacts ?? {})) {
    const a = artifact as { type?: unknown; properties?: { templateFile?: unknown }; metadata?: unknown; additionalMetadataFile?: unknown } | null;
    const templateFile = a?.properties?.templateFile;
    if (a?.type !== 'aws:cloudformation:stack' || typeof templateFile !== 'string') continue;
    const byPath = new Map<string, MetadataEntry[]>();
    const add = (metadata: unknown) => {
      if (!metadata || typeof metadata !== 'object') return;
      for (const [constructPath, entries] of Object.entries(metadata)) {
        if (!Array.isArray(entries)) continue;
        byPath.set(constructPath, [...(byPath.get(constructPath) ?? []), ...entries]);
      }
    };
    add(a.metadata);
    if (typeof a.additionalMetadataFile === 'string') add(readJson(dir, a.additionalMetadataFile, maxFileSize));
    stacks.set(path.basename(templateFile), indexed(byPath));
  }
  return stacks;
}

function indexed(byPath: ReadonlyMap<string, readonly MetadataEntry[]>): StackMetadata {
  const byLogicalId = new Map<string, string[]>();
  const nestedStackOf = new Map<string, string>();
  for (const [constructPath, entries] of byPath) {
    for (const entry of entries) {
      if (entry?.type !== LOGICAL_ID || typeof entry.data !== 'string') continue;
      byLogicalId.set(entry.data, [...(byLogicalId.get(entry.data) ?? []), constructPath]);
    }
    const nested = NESTED_STACK_RESOURCE.exec(constructPath);
    if (nested) nestedStackOf.set(constructPath, `${nested[1]}/${nested[2]}`);
  }
  return { byPath, byLogicalId, nestedStackOf };
}

/** A JSON file of the assembly, read as the scanner reads any input (a regular file, not too large, inside `dir`); undefined if it cannot be. */
function readJson(dir: string, name: string, maxFileSize: number): unknown {
  const file = path.resolve(dir, name);
  if (path.relative(dir, file).startsWith('..') || path.isAbsolute(path.relative(dir, file))) {
    return undefined;
  }
  try {
    return JSON.parse(readTextFile(file, maxFileSize));
  } catch {
    return undefined; // no trace rather than no report: the template's location is used instead
  }
}

import * as path from 'path';
import { isAssemblyManifest } from './file-kind';
import { InputError } from './input-error';
import { SourceFiles } from './source-files';
import { leavingDirectory } from '../assembly/template-tree';

/** A stack of a cloud assembly: its template, and the name `cdk` shows for it. */
export interface AssemblyStack {
  readonly templatePath: string;
  /** e.g. `Prod/Web` for a stack inside the Stage `Prod`. */
  readonly stackName: string;
}

export interface CloudAssembly {
  /** The stacks of the assembly and of the nested assemblies of its Stages. */
  readonly stacks: AssemblyStack[];
  /** The directories of the assembly and of its nested assemblies. */
  readonly directories: string[];
}

export const MANIFEST_FILE = 'manifest.json';

interface Artifact {
  readonly type?: unknown;
  readonly displayName?: unknown;
  readonly properties?: { readonly templateFile?: unknown; readonly directoryName?: unknown };
}

/**
 * The stacks of a cloud assembly (a `cdk.out` directory), from its `manifest.json`: artifacts of
 * type `aws:cloudformation:stack` (their `templateFile`) and, recursively, the nested assemblies
 * of Stages (`cdk:cloud-assembly`, their `directoryName`). Nested stacks are found from each
 * template, by `readTemplateTree`.
 *
 * Only what is inside the assembly directory is read: a `templateFile` or `directoryName` that
 * leads out of it (by `..`, an absolute path or a symbolic link) is an error, not followed.
 * Undefined when the directory was read before (`seen`).
 */
export function readCloudAssembly(directory: string, files: SourceFiles, errors: InputError[], seen = new Set<string>()): CloudAssembly | undefined {
  const root = path.resolve(directory);
  if (seen.has(root)) {
    return undefined;
  }
  const assembly: CloudAssembly = { stacks: [], directories: [] };
  readManifest(root, leavingDirectory(root), files, errors, seen, assembly);
  return assembly;
}

/** `leavesRoot`: whether a path leads outside the assembly's root directory. */
function readManifest(
  dir: string,
  leavesRoot: (file: string) => boolean,
  files: SourceFiles,
  errors: InputError[],
  seen: Set<string>,
  into: CloudAssembly,
): void {
  if (seen.has(dir)) {
    return;
  }
  seen.add(dir);
  into.directories.push(dir);
  const manifestFile = path.join(dir, MANIFEST_FILE);
  let manifest: unknown;
  try {
    manifest = files.read(manifestFile).value;
  } catch (e) {
    errors.push(e as InputError);
    return;
  }
  if (!isAssemblyManifest(manifest)) {
    errors.push(new InputError(manifestFile, 'is not a cloud assembly manifest (it has no "version" and "artifacts")'));
    return;
  }
  const artifacts = (manifest as { artifacts: Record<string, Artifact | null> }).artifacts;
  for (const [id, artifact] of Object.entries(artifacts)) {
    const properties = artifact?.properties;
    if (artifact?.type === 'aws:cloudformation:stack') {
      const templatePath = inside(manifestFile, id, 'templateFile', properties?.templateFile, dir, leavesRoot, errors);
      if (templatePath) {
        into.stacks.push({ templatePath, stackName: typeof artifact.displayName === 'string' ? artifact.displayName : id });
      }
    } else if (artifact?.type === 'cdk:cloud-assembly') {
      const nested = inside(manifestFile, id, 'directoryName', properties?.directoryName, dir, leavesRoot, errors);
      if (nested) {
        readManifest(nested, leavesRoot, files, errors, seen, into);
      }
    }
  }
}

/** The path a property of an artifact names, when it is a string that stays inside the assembly. */
function inside(
  manifestFile: string,
  id: string,
  property: string,
  value: unknown,
  dir: string,
  leavesRoot: (file: string) => boolean,
  errors: InputError[],
): string | undefined {
  if (typeof value !== 'string') {
    errors.push(new InputError(manifestFile, `artifact ${JSON.stringify(id)} has no properties.${property}`));
    return undefined;
  }
  const target = path.resolve(dir, value);
  if (leavesRoot(target)) {
    errors.push(new InputError(manifestFile, `artifact ${JSON.stringify(id)}: its ${property} ${JSON.stringify(value)} leads outside the cloud assembly directory: not read`));
    return undefined;
  }
  return target;
}

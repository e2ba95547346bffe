import * as path from 'path';
import { isAssemblyManifest } from './file-kind';
import { InputError } from './input-error';
import { SourceFiles } from './source-files';

/** A stack of a cloud assembly: its template, and the name `cdk` shows for it. */
export interface AssemblyStack {
  readonly templatePath: string;
  /** e.g. `Prod/Web` for a stack inside the Stage `Prod`. */
  readonly stackName: string;
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
 * template, by `loadTemplateTree`.
 */
export function readCloudAssembly(directory: string, files: SourceFiles, errors: InputError[], seen = new Set<string>()): AssemblyStack[] {
  const dir = path.resolve(directory);
  if (seen.has(dir)) {
    return [];
  }
  seen.add(dir);
  const manifestFile = path.join(dir, MANIFEST_FILE);
  let manifest: unknown;
  try {
    manifest = files.read(manifestFile).value;
  } catch (e) {
    errors.push(e as InputError);
    return [];
  }
  if (!isAssemblyManifest(manifest)) {
    errors.push(new InputError(manifestFile, 'is not a cloud assembly manifest (it has no "version" and "artifacts")'));
    return [];
  }
  const stacks: AssemblyStack[] = [];
  const artifacts = (manifest as { artifacts: Record<string, Artifact | null> }).artifacts;
  for (const [id, artifact] of Object.entries(artifacts)) {
    const properties = artifact?.properties;
    if (artifact?.type === 'aws:cloudformation:stack') {
      if (typeof properties?.templateFile !== 'string') {
        errors.push(new InputError(manifestFile, `artifact ${JSON.stringify(id)} has no properties.templateFile`));
        continue;
      }
      stacks.push({
        templatePath: path.resolve(dir, properties.templateFile),
        stackName: typeof artifact.displayName === 'string' ? artifact.displayName : id,
      });
    } else if (artifact?.type === 'cdk:cloud-assembly') {
      if (typeof properties?.directoryName !== 'string') {
        errors.push(new InputError(manifestFile, `artifact ${JSON.stringify(id)} has no properties.directoryName`));
        continue;
      }
      stacks.push(...readCloudAssembly(path.resolve(dir, properties.directoryName), files, errors, seen));
    }
  }
  return stacks;
}

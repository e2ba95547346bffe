import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE } from './cloud-assembly';
import { isAssemblyManifest } from './file-kind';
import { describeFsError, InputError } from './input-error';
import { SourceFiles } from './source-files';

/** Something to scan: a cloud assembly directory, or a file whose kind is read from its content. */
export type Input =
  | { readonly kind: 'assembly'; readonly dir: string; readonly root: number }
  /** `explicit`: named on the command line, not found by walking a directory. */
  | { readonly kind: 'file'; readonly file: string; readonly explicit: boolean; readonly root: number };

/** Files looked at when walking a directory; a file named on the command line is read whatever its name. */
export const WALKED_EXTENSIONS = ['.json', '.yaml', '.yml', '.template'];

/** Directories never walked into: dependencies and hidden directories (`.git`, `.venv`, ...). */
function skippedDirectory(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

export interface ExpandedInputs {
  readonly inputs: Input[];
  readonly errors: InputError[];
}

/**
 * The inputs behind the paths given: a directory with a cloud assembly `manifest.json` is a cloud
 * assembly; any other directory is walked (in name order, hidden directories and node_modules
 * skipped), and a cloud assembly found inside it is scanned as one; files are taken as they are.
 * `root` is the index of the path each input came from.
 */
export function expandInputs(paths: readonly string[], cwd: string, files: SourceFiles, missingHint?: string): ExpandedInputs {
  const inputs: Input[] = [];
  const errors: InputError[] = [];
  paths.forEach((given, root) => {
    const file = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      const reason = describeFsError(e);
      errors.push(new InputError(file, missingHint && (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${reason} (${missingHint})` : reason));
      return;
    }
    if (stat.isDirectory()) {
      if (isAssemblyDirectory(file, files)) {
        inputs.push({ kind: 'assembly', dir: file, root });
      } else {
        walk(file, root, inputs, errors, files, new Set([realPath(file)]));
      }
    } else {
      inputs.push({ kind: 'file', file, explicit: true, root });
    }
  });
  return { inputs, errors };
}

function walk(dir: string, root: number, inputs: Input[], errors: InputError[], files: SourceFiles, visited: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push(new InputError(dir, describeFsError(e)));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // a dangling link is not an input
      }
    }
    if (isDirectory) {
      const real = realPath(full);
      if (skippedDirectory(entry.name) || visited.has(real)) continue;
      visited.add(real);
      if (isAssemblyDirectory(full, files)) {
        inputs.push({ kind: 'assembly', dir: full, root });
      } else {
        walk(full, root, inputs, errors, files, visited);
      }
    } else if (isFile && WALKED_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      inputs.push({ kind: 'file', file: full, explicit: false, root });
    }
  }
}

/** A directory with a `manifest.json` that is a cloud assembly's (or that cannot be read: the assembly reader says why). */
function isAssemblyDirectory(dir: string, files: SourceFiles): boolean {
  const manifest = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(manifest)) {
    return false;
  }
  try {
    return isAssemblyManifest(files.read(manifest).value);
  } catch {
    return true;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

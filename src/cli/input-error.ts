import * as path from 'path';

/**
 * A file or directory that could not be scanned: it cannot be read, it is malformed, or it is
 * not something the scanner knows. Reported with its path and the reason; the other inputs are
 * still scanned, and the exit code is 2.
 */
export class InputError extends Error {
  /** @param file absolute path of the file or directory */
  constructor(public readonly file: string, public readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
  }
}

/** A file system error as a short reason: `cannot be read: permission denied (EACCES)`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied (${code})`;
    case 'EISDIR':
      return 'is a directory where a file was expected (EISDIR)';
    case 'ENOTDIR':
      return 'a part of the path is not a directory (ENOTDIR)';
    case 'ELOOP':
      return 'cannot be read: too many levels of symbolic links (ELOOP)';
    default:
      return `cannot be read: ${oneLine(error instanceof Error ? error.message : String(error))}`;
  }
}

/** A path as reports show it: relative to `cwd` with forward slashes, or absolute when outside it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative === '') return '.';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}

/** Whitespace (newlines included) collapsed, for one-line messages. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The reason for an error no step expected: a file that defeats a walker, or a bug. */
export function unexpected(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return `is too deeply nested or too large to be checked (${oneLine(error.message)})`;
  }
  return `could not be checked: ${oneLine(error instanceof Error ? error.message : String(error))} (an internal error of cdk-image-pinning: please report it)`;
}

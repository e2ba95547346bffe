import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { LOCK_FILE_SCHEMA_PATH, LockFile, LockFileError, parseLockFile } from '../../lock/lock-file';
import { describeFsError } from '../input-error';

/**
 * Reading and writing the lock file for the command line. Writing is atomic: the text goes to a
 * temporary file in the lock file's own directory (so the rename stays on one file system), is
 * flushed to disk, then renamed over the lock file. A reader sees the old file or the new one,
 * never half of one; a failed write leaves the old file as it was and removes the temporary file.
 */

/** The lock file as read: its text and content, or nothing when it does not exist. */
export interface ReadLock {
  readonly file: string;
  readonly exists: boolean;
  readonly text?: string;
  readonly lock: LockFile;
}

/**
 * Reads the lock file; a missing file is an empty lock.
 *
 * @param shown the name messages use for it
 * @throws LockFileError naming the file (and the key and field) when it cannot be read or is malformed
 */
export function readLock(file: string, shown: string): ReadLock {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return { file, exists: false, lock: { lockfileVersion: 1, images: {} } };
    }
    throw new LockFileError(`lock file ${shown}: ${describeFsError(e)}`);
  }
  return { file, exists: true, text, lock: parseLockFile(text, shown) };
}

/**
 * Writes `text` to `file` atomically (temporary file in the same directory, fsync, rename). A
 * symbolic link is followed: its target is replaced, the link stays.
 *
 * @throws the file system error, after removing the temporary file
 */
export function writeFileAtomic(file: string, text: string): void {
  const target = realTarget(file);
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode: number | undefined; // a new file: the default mode, less the umask
  try {
    mode = fs.statSync(target).mode % 0o1000; // an existing file keeps its permission bits
  } catch {
    // it does not exist yet
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o666);
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** The `$schema` a new lock file gets: the schema in the package, relative to the lock file, as installed beside the app. */
export function defaultSchemaReference(lockFile: string, cwd: string): string {
  const schema = path.join(cwd, 'node_modules', 'cdk-image-pinning', LOCK_FILE_SCHEMA_PATH);
  const relative = path.relative(path.dirname(lockFile), schema).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function realTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

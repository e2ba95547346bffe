import * as fs from 'fs';
import { describeFsError, InputError } from './input-error';

/**
 * Reading a file the scanner was pointed at, and nothing that is not a file: a named pipe, a
 * socket or a device (`/dev/zero`, `/dev/stdin`) is refused before anything is read from it, so a
 * scan never waits on a writer or reads forever; a file larger than the limit is refused by its
 * size, before its text is in memory.
 *
 * The file is opened non-blocking (a pipe with no writer does not hold up `open`), and the
 * checks are made on the opened file, so what is checked is what is read.
 */

/** The default `--max-file-size`: a synthesized template is at most 1 MB (CloudFormation's own limit). */
export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;

const NON_BLOCKING = fs.constants.O_NONBLOCK ?? 0;
const CHUNK = 1024 * 1024;

/**
 * The text of a regular file of at most `maxBytes` bytes, as UTF-8.
 *
 * @throws InputError naming the file and why it was not read
 */
export function readTextFile(file: string, maxBytes: number): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new InputError(file, describeFsError(e));
  }
  checkStat(file, stat, maxBytes); // before opening: opening a socket fails, a device may have effects
  let fd: number;
  try {
    // eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
    fd = fs.openSync(file, fs.constants.O_RDONLY | NON_BLOCKING);
  } catch (e) {
    throw new InputError(file, describeFsError(e));
  }
  try {
    const opened = fs.fstatSync(fd);
    checkStat(file, opened, maxBytes); // the file opened is the file checked
    // Its size and one byte more, to see it grow; never more than the limit and one byte.
    let buffer = Buffer.allocUnsafe(Math.min(opened.size + 1, maxBytes + 1));
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) throw new InputError(file, tooLarge(total, maxBytes, 'grew while it was read'));
        const larger = Buffer.allocUnsafe(Math.min(buffer.length + Math.max(buffer.length, CHUNK), maxBytes + 1));
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      const read = fs.readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) break;
      total += read;
    }
    if (total > maxBytes) throw new InputError(file, tooLarge(total, maxBytes, 'grew while it was read'));
    return buffer.toString('utf8', 0, total);
  } catch (e) {
    throw e instanceof InputError ? e : new InputError(file, describeFsError(e));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Refuses what is not a regular file, or is larger than `maxBytes`; lets directories and
 * missing files through (the caller's own reading says what is wrong with them).
 *
 * @throws InputError naming the file and why it is not read
 */
export function checkReadableFile(file: string, maxBytes: number): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return;
  }
  if (!stat.isDirectory()) checkStat(file, stat, maxBytes);
}

function checkStat(file: string, stat: fs.Stats, maxBytes: number): void {
  if (stat.isDirectory()) {
    throw new InputError(file, describeFsError({ code: 'EISDIR' }));
  }
  if (!stat.isFile()) {
    throw new InputError(file, `is ${kindOf(stat)}, not a regular file: not read`);
  }
  if (stat.size > maxBytes) {
    throw new InputError(file, tooLarge(stat.size, maxBytes));
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
}

function tooLarge(size: number, maxBytes: number, how = ''): string {
  // Bytes when rounding would show the two sizes alike (`is 50 MB, more than the limit of 50 MB`).
  const [shown, limit] = formatSize(size) === formatSize(maxBytes) ? [`${size} bytes`, `${maxBytes} bytes (${formatSize(maxBytes)})`] : [formatSize(size), formatSize(maxBytes)];
  return `is ${shown}${how ? ` (it ${how})` : ''}, more than the limit of ${limit}: not read (--max-file-size raises the limit)`;
}

const UNITS: ReadonlyArray<[string, number]> = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]];

/** `52428800` -> `50 MB` (units of 1024). */
export function formatSize(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) {
      return `${(bytes / size).toFixed(1).replace(/\.0$/, '')} ${unit}`;
    }
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(?:(k|m|g)(?:i?b)?|b)?$/i;
const MULTIPLIER: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `50MB`, `50M`, `512KB`, `1.5GB`, `1048576` (bytes); units are of 1024. Undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * (match[2] ? MULTIPLIER[match[2].toLowerCase()] : 1));
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

import * as fs from 'fs';
import * as path from 'path';
import { removeTemporaryDirectories, temporaryDirectory } from './cli-process';
import { InputError } from '../../src/cli/input-error';
import { formatSize, parseSize, readTextFile } from '../../src/cli/read-file';

afterAll(removeTemporaryDirectories);

describe('readTextFile: regular files within the limit, nothing else', () => {
  test('a file within the limit is read; one byte more is refused by its size', () => {
    const file = path.join(temporaryDirectory(), 'a.json');
    fs.writeFileSync(file, '{"a": "é"}'); // 11 bytes
    expect(readTextFile(file, 11)).toBe('{"a": "é"}');
    expect(() => readTextFile(file, 10)).toThrow(new InputError(file, 'is 11 bytes, more than the limit of 10 bytes: not read (--max-file-size raises the limit)'));
  });

  test('sizes that round alike are written in bytes', () => {
    const file = path.join(temporaryDirectory(), 'b.json');
    fs.writeFileSync(file, 'x'.repeat(1025));
    expect(() => readTextFile(file, 1024)).toThrow(expect.objectContaining({ reason: 'is 1025 bytes, more than the limit of 1024 bytes (1 KB): not read (--max-file-size raises the limit)' }));
  });

  test.each([
    ['/dev/null', 'is a character device, not a regular file: not read'],
    ['/no/such/file.json', 'does not exist'],
  ])('%s', (file, reason) => {
    expect(() => readTextFile(file, 1024)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('sizes', () => {
  test.each([
    ['50MB', 50 * 1024 ** 2],
    ['50m', 50 * 1024 ** 2],
    ['50 MiB', 50 * 1024 ** 2],
    ['512KB', 512 * 1024],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['1048576', 1048576],
    ['10b', 10],
  ])('parseSize(%j)', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each(['', 'lots', '-1', '0', '5 TB', '1e6'])('parseSize(%j) is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  test.each([
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [2048, '2 KB'],
    [52428800, '50 MB'],
    [104857600 + 200, '100 MB'],
    [1.5 * 1024 ** 3, '1.5 GB'],
  ])('formatSize(%d)', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

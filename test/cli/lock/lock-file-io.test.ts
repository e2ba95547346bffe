import * as fs from 'fs';
import * as path from 'path';
import { defaultSchemaReference, readLock, writeFileAtomic } from '../../../src/cli/lock/lock-file-io';
import { LockFileError } from '../../../src/lock/lock-file';
import { removeTemporaryDirectories, temporaryDirectory } from '../cli-process';

afterAll(removeTemporaryDirectories);

describe('writeFileAtomic', () => {
  test('a new file: written whole, no temporary file left', () => {
    const dir = temporaryDirectory();
    const file = path.join(dir, 'lock.json');
    writeFileAtomic(file, 'one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('one\n');
    expect(fs.readdirSync(dir)).toEqual(['lock.json']);
  });

  test('an existing file is replaced by a rename (a new inode), keeping its permissions', () => {
    const dir = temporaryDirectory();
    const file = path.join(dir, 'lock.json');
    fs.writeFileSync(file, 'old\n', { mode: 0o600 });
    const before = fs.statSync(file);
    writeFileAtomic(file, 'new\n');
    const after = fs.statSync(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode % 0o1000).toBe(0o600);
  });

  test('a symbolic link is followed: its target is replaced and the link stays', () => {
    const dir = temporaryDirectory();
    fs.mkdirSync(path.join(dir, 'real'));
    const target = path.join(dir, 'real', 'lock.json');
    fs.writeFileSync(target, 'old\n');
    const link = path.join(dir, 'lock.json');
    fs.symlinkSync(target, link);
    writeFileAtomic(link, 'new\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('new\n');
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual(['lock.json']);
  });

  test('when the rename fails, the error is thrown, the target is untouched and the temporary file is removed', () => {
    const dir = temporaryDirectory();
    const target = path.join(dir, 'lock.json');
    fs.mkdirSync(target); // a non-empty directory cannot be renamed over
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    expect(() => writeFileAtomic(target, 'new\n')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(fs.readdirSync(dir)).toEqual(['lock.json']);
    expect(fs.readdirSync(target)).toEqual(['keep']);
  });

  test('the temporary file is in the target\'s directory (so the rename never crosses file systems)', async () => {
    const dir = temporaryDirectory();
    const seen: string[] = [];
    const watcher = fs.watch(dir, (_event, name) => {
      if (name) seen.push(String(name));
    });
    try {
      writeFileAtomic(path.join(dir, 'lock.json'), 'x\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      watcher.close();
    }
    expect(seen.some((n) => /^\.lock\.json\.\d+\.[0-9a-f]{12}\.tmp$/.test(n))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['lock.json']);
  });
});

describe('readLock', () => {
  test('a missing file is an empty lock; a malformed one a LockFileError naming it', () => {
    const dir = temporaryDirectory();
    expect(readLock(path.join(dir, 'none.json'), 'none.json')).toMatchObject({ exists: false, lock: { lockfileVersion: 1, images: {} } });
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"lockfileVersion": 1}');
    expect(() => readLock(path.join(dir, 'bad.json'), 'bad.json')).toThrow(LockFileError);
    expect(() => readLock(path.join(dir, 'bad.json'), 'bad.json')).toThrow('lock file bad.json: "images" must be an object');
  });

  test('the default $schema is the package\'s schema relative to the lock file', () => {
    expect(defaultSchemaReference('/app/cdk-image-pinning.lock.json', '/app')).toBe('./node_modules/cdk-image-pinning/schemas/lock-file.schema.json');
    expect(defaultSchemaReference('/app/locks/x.json', '/app')).toBe('../node_modules/cdk-image-pinning/schemas/lock-file.schema.json');
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, FIXTURES, removeTemporaryDirectories, runCli, temporaryDirectory } from './cli-process';
import { painter, shouldColour } from '../../src/cli/colour';

// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[/;

afterAll(removeTemporaryDirectories);

describe('colour', () => {
  test('by default only on a terminal, without NO_COLOR (set and non-empty), and not on TERM=dumb', () => {
    expect(shouldColour({ isTTY: true, env: {} })).toBe(true);
    expect(shouldColour({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(shouldColour({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldColour({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(shouldColour({ isTTY: false, env: {} })).toBe(false);
    expect(shouldColour({ isTTY: undefined, env: {} })).toBe(false);
  });

  test('FORCE_COLOR colours even off a terminal, and over NO_COLOR; FORCE_COLOR=0 or false turns it off', () => {
    for (const value of ['1', '2', '3', 'true']) {
      expect(shouldColour({ isTTY: false, env: { FORCE_COLOR: value } })).toBe(true);
      expect(shouldColour({ isTTY: false, env: { FORCE_COLOR: value, NO_COLOR: '1' } })).toBe(true);
    }
    expect(shouldColour({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(shouldColour({ isTTY: true, env: { FORCE_COLOR: 'false' } })).toBe(false);
    expect(shouldColour({ isTTY: true, env: { FORCE_COLOR: '' } })).toBe(true); // empty: as if unset
  });

  test('--color and --no-color win over everything else', () => {
    expect(shouldColour({ isTTY: false, env: { NO_COLOR: '1', FORCE_COLOR: '0' }, flag: true })).toBe(true);
    expect(shouldColour({ isTTY: true, env: { FORCE_COLOR: '1' }, flag: false })).toBe(false);
  });

  test('a painter that does not colour returns the text as it is', () => {
    expect(painter(false)('error', 'x')).toBe('x');
    expect(painter(true)('error', '')).toBe('');
  });
});

describe('colour of the real CLI', () => {
  const args = ['scan', 'task-definitions'];

  test('a pipe gets no colour; FORCE_COLOR=1 or --color colours it (a CI log); --no-color and FORCE_COLOR=0 do not', () => {
    expect(runCli(args).stdout).not.toMatch(ESCAPE);
    expect(runCli(args, { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ESCAPE);
    expect(runCli(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).toMatch(ESCAPE);
    expect(runCli([...args, '--color']).stdout).toMatch(ESCAPE);
    expect(runCli([...args, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ESCAPE);
    expect(runCli(args, { env: { FORCE_COLOR: '0' } }).stdout).not.toMatch(ESCAPE);
  });

  test('JSON, SARIF and --output are never coloured, FORCE_COLOR or not', () => {
    for (const format of ['json', 'sarif']) {
      const run = runCli([...args, '--format', format], { env: { FORCE_COLOR: '1' } });
      expect(run.stdout).not.toMatch(ESCAPE);
      expect(() => JSON.parse(run.stdout)).not.toThrow();
    }
    const file = path.join(temporaryDirectory(), 'report.txt');
    runCli([...args, '--output', file], { env: { FORCE_COLOR: '1' } });
    expect(fs.readFileSync(file, 'utf8')).toContain('ImagePinning-ECS1');
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(ESCAPE);
  });

  // A real terminal: `script` runs the CLI on a pseudo-terminal (util-linux; skipped where it is missing).
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  (hasScript ? test : test.skip)('a terminal is coloured, unless NO_COLOR is set or FORCE_COLOR=0', () => {
    const onTerminal = (env: Record<string, string>) => {
      const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
      const result = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: FIXTURES,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env },
        timeout: 30_000,
      });
      expect(result.stdout).toContain('ImagePinning-ECS1');
      return result.stdout;
    };
    expect(onTerminal({})).toMatch(ESCAPE);
    expect(onTerminal({ NO_COLOR: '1' })).not.toMatch(ESCAPE);
    expect(onTerminal({ FORCE_COLOR: '0' })).not.toMatch(ESCAPE);
    expect(onTerminal({ TERM: 'dumb' })).not.toMatch(ESCAPE);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Helpers for the command-line tests: every test runs the real bin, as a process. */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'cdk-image-pinning');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cli');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time of the run. */
  readonly milliseconds: number;
}

/**
 * Runs `cdk-image-pinning ...args` with `cwd` (default: the CLI fixtures). Colour variables are
 * removed from the environment unless `env` sets them, so that only the TTY decides (and a spawned
 * process has none).
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.NO_COLOR === undefined) delete env.NO_COLOR;
  if (options.env?.FORCE_COLOR === undefined) delete env.FORCE_COLOR;
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? FIXTURES, encoding: 'utf8', env, timeout: options.timeout ?? 30_000 });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, milliseconds: Date.now() - started };
}

/** A run's output holds no stack trace and no escape code; stderr lines are one-line messages. */
export function expectCleanOutput(run: CliRun): void {
  const all = `${run.stdout}\n${run.stderr}`;
  expect(all).not.toMatch(/^\s+at .+(:\d+:\d+\)?|\(native\))$/m);
  expect(all).not.toMatch(/\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/);
  // eslint-disable-next-line no-control-regex
  expect(all).not.toMatch(/\u001b\[/);
}

/** Parses a run's stdout as JSON (with the output in the failure message if it is not). */
export function stdoutJson<T = any>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** A fresh temporary directory, removed by `removeTemporaryDirectories`. */
const temporary: string[] = [];
export function temporaryDirectory(prefix = 'image-pinning-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}
export function removeTemporaryDirectories(): void {
  for (const dir of temporary.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text at a 1-based line and column of a file, to the end of that line. */
export function textAt(file: string, line: number, column: number): string {
  return fs.readFileSync(file, 'utf8').split('\n')[line - 1].slice(column - 1);
}

/** 1-based line of the first line of `file` that contains `needle` (after line `after`). */
export function lineOf(file: string, needle: string, after = 0): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l, i) => i >= after && l.includes(needle));
  if (index === -1) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

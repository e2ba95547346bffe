/**
 * Transpiles src/ and bench/ to JavaScript under `.bench/build/` (same layout), once per benchmark
 * run, so the measured child processes run plain `node`:
 *
 * - no ts-node in them: transpiling the library on every start cost about 1 s of CPU per process
 *   (a sixth of a 1,000-task-definition measurement), and
 * - no source-map-support (which ts-node installs as `Error.prepareStackTrace`), so stack traces,
 *   which annotations capture, cost what they cost in the compiled package users install.
 *
 * `BENCH_TS_NODE=1` runs the children under ts-node instead, as a CDK app started by
 * `npx ts-node bin/app.ts` runs (see `childCommand`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
// The benchmark is not part of the package (npmignored): a dev dependency is what it should use.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.bench', 'build');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

let built = false;

function transpile(files: readonly string[], from: string, out: string): void {
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
  };
  for (const file of files) {
    const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
    const target = path.join(out, path.relative(from, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, output.outputText);
  }
  // src/cli/package-info.ts reads the package's own package.json two levels above src/cli/.
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
}

/** Transpiles (once per process) and returns the directory of the compiled tree. */
export function buildBench(): string {
  if (built) return OUT;
  fs.rmSync(OUT, { recursive: true, force: true });
  transpile([...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'bench'))], ROOT, OUT);
  built = true;
  return OUT;
}

/**
 * Transpiles the library's src/ as it is at git revision `rev`, with today's bench/, to
 * `.bench/baseline/`, so that a benchmark can measure the code before a change in the same run,
 * rounds interleaved, as after it. Returns the directory of the compiled tree.
 */
export function buildBaseline(rev: string): string {
  const out = path.join(ROOT, '.bench', 'baseline');
  const checkout = path.join(ROOT, '.bench', 'baseline-src');
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(checkout, { recursive: true, force: true });
  fs.mkdirSync(checkout, { recursive: true });
  execFileSync('sh', ['-c', 'git archive "$1" src | tar -x -C "$2"', 'sh', rev, checkout], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  transpile(sources(path.join(checkout, 'src')), checkout, out);
  transpile(sources(path.join(ROOT, 'bench')), ROOT, out);
  return out;
}

/** The command line of a measured child running `bench/<script>.ts`, compiled unless BENCH_TS_NODE=1. */
export function childCommand(script: string, nodeFlags: readonly string[], args: readonly string[]): string[] {
  if (process.env.BENCH_TS_NODE === '1') {
    return [...nodeFlags, '-r', 'ts-node/register/transpile-only', path.join(ROOT, 'bench', `${script}.ts`), ...args];
  }
  return [...nodeFlags, path.join(buildBench(), 'bench', `${script}.js`), ...args];
}

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The README's demo app for the scanner (a stack, a nested stack, a stack in a Stage). */
export const DEMO_APP = path.join(ROOT, 'test', 'fixtures', 'apps', 'scan-demo-app.ts');

/**
 * Synthesizes a CDK app with the real aws-cdk-lib, as `cdk synth` runs it (`CDK_OUTDIR`,
 * `CDK_CONTEXT_JSON`), into a fresh directory under `parent` (default: the system's temporary
 * directory), and returns that directory. `source` is a TypeScript file, or JavaScript code run
 * with `node -e` from the repository root.
 */
export function synthesize(source: { file: string } | { code: string }, context: Record<string, unknown> = {}, parent = os.tmpdir()): string {
  const outdir = fs.mkdtempSync(path.join(parent, 'image-pinning-assembly-'));
  const args = 'file' in source ? ['-r', 'ts-node/register/transpile-only', source.file] : ['-e', source.code];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`synthesis failed (${result.status}): ${result.stderr}${result.error ?? ''}`);
  }
  return outdir;
}

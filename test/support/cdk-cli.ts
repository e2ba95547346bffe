import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');

export interface CliResult {
  readonly status: number | null;
  /** stdout and stderr together, as a user sees them. */
  readonly output: string;
  /** The validation report aws-cdk-lib wrote into the output directory, parsed; undefined when none was written. */
  readonly validationReport?: any;
}

export interface CdkSynthOptions {
  /** `--quiet`, which keeps templates off stdout. @default true */
  readonly quiet?: boolean;
  /** Stack selection patterns, e.g. `['**']`. @default none (the CLI's default selection) */
  readonly stacks?: string[];
}

/**
 * Runs `cdk synth` from the installed aws-cdk CLI on a TypeScript app file (relative to the
 * repository root), in a fresh output directory that is removed afterwards. Offline: notices,
 * version checks and telemetry are off. `--quiet` unless `options.quiet` is false.
 */
export function cdkSynth(appFile: string, context: Record<string, string> = {}, options: CdkSynthOptions = {}): CliResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-synth-'));
  const contextArgs = Object.entries(context).flatMap(([k, v]) => ['--context', `${k}=${v}`]);
  try {
    const result = spawnSync(
      CDK,
      [
        'synth',
        ...(options.stacks ?? []),
        '--app',
        `node -r ts-node/register/transpile-only ${appFile}`,
        ...contextArgs,
        '--output',
        outdir,
        '--no-notices',
        // --quiet keeps templates off stdout, but it also hides validation plugin reports.
        ...(options.quiet === false ? [] : ['--quiet']),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
      },
    );
    const reportFile = fs.readdirSync(outdir).find((f) => f.endsWith('validation-report.json'));
    return {
      status: result.status,
      output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`,
      validationReport: reportFile === undefined ? undefined : JSON.parse(fs.readFileSync(path.join(outdir, reportFile), 'utf8')),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** How often `part` occurs in `text`: a finding printed twice is a bug. */
export function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

import * as fs from 'fs';
import * as path from 'path';
import type { Option } from 'commander';
import { CheckSettings } from '../../check/check-settings';
import { oneLine } from '../input-error';
import type { CliIo } from '../main';
import { scan, ScanResult } from '../scan';
import { terminalText } from '../terminal-text';

/** What `main` gives the online commands (`verify`, `lock`) when it registers them. */
export interface OnlineCommandContext {
  readonly io: CliIo;
  /** The program's name, for messages: `cdk-image-pinning`. */
  readonly name: string;
  /**
   * The options of `scan`, so that the online commands take the same inputs and policy options
   * under the same names and checks (`verify` takes them all; `lock` those that decide which images are found).
   */
  readonly scanOptions: readonly Option[];
  /** Sets the process's exit code. */
  setExitCode(code: number): void;
}

/** The default input, as for `scan`. */
export const DEFAULT_PATH = 'cdk.out';
export const MISSING_HINT = 'run cdk synth first, or name the files and directories to scan';

/**
 * Scans the inputs as `scan` does (cdk.out when none is named), and says each input problem on
 * stderr: `verify` and `lock` then work on the images found, and exit 2 for the problems.
 */
export function scanInputs(paths: readonly string[], settings: CheckSettings, maxFileSize: number, ctx: Pick<OnlineCommandContext, 'io' | 'name'>): ScanResult {
  const scanned = scan(paths.length > 0 ? paths : [DEFAULT_PATH], {
    settings,
    cwd: ctx.io.cwd,
    maxFileSize,
    missingHint: paths.length > 0 ? undefined : MISSING_HINT,
  });
  for (const problem of scanned.problems) {
    warn(ctx.io, ctx.name, `${problem.file}: ${problem.reason}`);
  }
  return scanned;
}

/** Writes a report to stdout, or to `--output` (relative to the working directory); false, after one line on stderr, when the file cannot be written. */
export function writeReport(io: CliIo, name: string, text: string, output: string | undefined): boolean {
  if (output === undefined) {
    io.stdout.write(text);
    return true;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, output), text);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`${name}: cannot write the report to ${terminalText(output)}${code ? ` (${code})` : ''}\n`);
    return false;
  }
}

/** One line on stderr, escaped for the terminal. */
export function warn(io: CliIo, name: string, text: string): void {
  io.stderr.write(`${name}: ${terminalText(oneLine(text))}\n`);
}

/** The AWS SDK's switch for its warning that its releases after early January 2027 need Node.js 22. */
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * The SDK's Node 20 notice is about its own future releases, not this run: kept off stderr unless
 * the environment sets the switch (`false` shows it), as `audit` does. See the README, "Node 20".
 */
export function quietSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SDK_NODE_WARNING_SWITCH] === undefined) env[SDK_NODE_WARNING_SWITCH] = 'true';
}

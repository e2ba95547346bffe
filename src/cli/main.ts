import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { addAuditCommand } from './audit/audit-command';
import { COLOR_OPTION_HELP, NO_COLOR_OPTION_HELP, shouldColour } from './colour';
import { oneLine } from './input-error';
import { registerOnlineCommands } from './online/commands';
import { packageInfo } from './package-info';
import { addPolicyOptions, optionsFrom, parseMaxFileSize, parseUnlocked, PolicyFlags } from './policy-options';
import { DEFAULT_MAX_FILE_SIZE, formatSize } from './read-file';
import { OUTPUT_FORMATS, OutputFormat, runScan } from './run';
import { terminalText } from './terminal-text';
import { CheckSettings, compileOptions } from '../check/check-settings';
import { POLICY_FILE_CONTEXT } from '../check/policy-file';

/** Where the command line reads and writes; the process's own by default. */
export interface CliIo {
  readonly stdout: { readonly isTTY?: boolean; write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

interface ScanFlags extends PolicyFlags {
  readonly format: OutputFormat;
  readonly inventory?: boolean;
  readonly summary?: boolean;
  readonly output?: string;
  /** `--color` true, `--no-color` false, neither undefined. */
  readonly color?: boolean;
  readonly maxFileSize?: number;
}

const DEFAULT_PATH = 'cdk.out';

const HELP_AFTER = `
Examples:
  $ cdk-image-pinning scan                                   ./cdk.out (run cdk synth first)
  $ cdk-image-pinning scan templates/ task-defs/             walk directories: templates and task definitions
  $ cdk-image-pinning scan --inventory cdk.out               every image, pinned or not, and where it is used
  $ cdk-image-pinning scan --summary                         one line per image, for big scans
  $ cdk-image-pinning scan --format sarif -o pinning.sarif   for code scanning dashboards
  $ cdk-image-pinning scan --policy image-policy.json --level digest

The policy file is the JSON file the library reads through the CDK context key
${POLICY_FILE_CONTEXT}; options given here override its keys.

Exit codes:
  0  no image is an error (warnings are allowed)
  1  an image is not pinned (or is unresolved, with --unresolved error)
  2  a usage error, a failed write of the report, or an input that could not be read, parsed or
     checked, or was refused (not a regular file, over --max-file-size, outside the cloud
     assembly); the other inputs are still scanned and reported
`;

/**
 * The command line: `cdk-image-pinning scan [paths...]`. Returns the exit code; never throws and
 * never prints a stack trace: every expected failure is one line on stderr and exit code 2.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const tool = packageInfo();
  let exitCode = 0;
  const program = new Command(tool.name)
    .description('Finds container images that are not pinned, in cloud assemblies, CloudFormation templates and ECS task definition files.')
    .version(tool.version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${tool.name}: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError(`(${tool.name} --help for usage)`);

  const scanCli = program
    .command('scan')
    .description(
      'Scan cloud assemblies (every stack of manifest.json, Stages and nested stacks included), CloudFormation and SAM templates ' +
        '(JSON or YAML, short-form tags included), ECS task definition files (register-task-definition input or describe-task-definition ' +
        'output), and directories of them. Each file\'s kind is read from its content.',
    )
    .argument('[paths...]', `files and directories to scan (default: ${DEFAULT_PATH})`);
  const scan = addPolicyOptions(scanCli)
    .option('--lock-file <file>', 'the lock file (cdk-image-pinning lock writes it): an image whose tag is not in it is reported as --unlocked says')
    .option('--unlocked <action>', 'error, warn or ignore images whose tag is not in the lock file (default: warn)', parseUnlocked)
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--inventory', 'list every image found, pinned or not, with registry, repository, tag, digest and where it is used')
    .option('--summary', 'one line per image (how many findings, where it is used) instead of one per finding, and the counts per rule')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--max-file-size <size>', `files larger than this are input errors, not read, e.g. 200MB (default: ${formatSize(DEFAULT_MAX_FILE_SIZE)})`, parseMaxFileSize)
    .option('--color', COLOR_OPTION_HELP)
    .option('--no-color', NO_COLOR_OPTION_HELP)
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError(`(${tool.name} scan --help for the options)`)
    .action((paths: string[], flags: ScanFlags) => {
      exitCode = scanCommand(paths, flags, io, tool.name);
    });
  registerOnlineCommands(program, { io, name: tool.name, scanOptions: scan.options, setExitCode: (code) => (exitCode = code) });

  addAuditCommand(program, io, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed the message (or the help, or the version)
      return e.exitCode === 0 ? 0 : 2;
    }
    io.stderr.write(`${tool.name}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 2;
  }
}

function scanCommand(paths: string[], flags: ScanFlags, io: CliIo, name: string): number {
  if (flags.summary && flags.format !== 'table') {
    io.stderr.write(`${name}: --summary is for the table (--format table); the ${flags.format} report lists every finding\n`);
    return 2;
  }
  const maxFileSize = flags.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let settings: CheckSettings;
  try {
    settings = compileOptions(optionsFrom(flags, maxFileSize));
  } catch (e) {
    io.stderr.write(`${name}: ${terminalText(oneLine((e as Error).message))}\n`);
    return 2;
  }
  const report = runScan({
    paths: paths.length > 0 ? paths : [DEFAULT_PATH],
    missingHint: paths.length > 0 ? undefined : 'run cdk synth first, or name the files and directories to scan',
    settings,
    maxFileSize,
    cwd: io.cwd,
    format: flags.format,
    inventory: flags.inventory === true,
    summary: flags.summary === true,
    colour: flags.format === 'table' && !flags.output && shouldColour({ isTTY: io.stdout.isTTY, env: io.env, flag: flags.color }),
  });
  for (const problem of report.result.problems) {
    // Paths and reasons quote the files scanned: escaped, so that each problem is one line.
    io.stderr.write(`${name}: ${terminalText(`${problem.file}: ${problem.reason}`)}\n`);
  }
  if (flags.output === undefined) {
    io.stdout.write(report.text);
    return report.exitCode;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, flags.output), report.text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`${name}: cannot write the report to ${terminalText(flags.output)}${code ? ` (${code})` : ''}\n`);
    return 2;
  }
  return report.exitCode;
}

function processIo(): CliIo {
  // A closed pipe (`| head`) ends the output quietly; any other write error is one line, and
  // exit code 2 whatever the scan found: the error may come after main has returned its code
  // (a write to a pipe or a full disk fails later), so the code is decided again on exit.
  let failed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || failed) return;
    failed = true;
    process.stderr.write(`cdk-image-pinning: cannot write to stdout (${e.code ?? oneLine(e.message)})\n`);
    process.exitCode = 2;
  });
  process.on('exit', () => {
    if (failed) process.exitCode = 2;
  });
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

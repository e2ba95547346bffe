import { Command, Option } from 'commander';
import { formatVerifyJson } from './format-verify-json';
import { formatVerifySarif } from './format-verify-sarif';
import { formatVerifyTable } from './format-verify-table';
import { verifyExitCode, verifyImages } from './verify-images';
import { CheckSettings, compileOptions } from '../../check/check-settings';
import { RegistryClient } from '../../registry/registry-client';
import { painter, shouldColour } from '../colour';
import { DEFAULT_PATH, OnlineCommandContext, quietSdkNodeWarning, scanInputs, warn, writeReport } from '../online/command-context';
import { SdkEcrRepositories } from '../online/ecr-repositories';
import { collectInsecure, collectMirror, parseConcurrency, parseTimeout, RegistryFlags, registryClientOptions } from '../online/registry-flags';
import { packageInfo } from '../package-info';
import { optionsFrom, PolicyFlags } from '../policy-options';
import { DEFAULT_MAX_FILE_SIZE } from '../read-file';
import { OutputFormat } from '../run';

interface VerifyFlags extends PolicyFlags, RegistryFlags {
  readonly format: OutputFormat;
  readonly inventory?: boolean;
  readonly output?: string;
  readonly color: boolean;
  readonly maxFileSize?: number;
}

const HELP_AFTER = `
Examples:
  $ cdk-image-pinning verify                                       ./cdk.out (run cdk synth first)
  $ cdk-image-pinning verify --lock-file cdk-image-pinning.lock.json   no GET for the images in the lock
  $ cdk-image-pinning verify --registry-mirror docker.io=https://mirror.example.com
  $ cdk-image-pinning verify --inventory --format json -o verify.json

Every image whose registry and tag or digest are known at synthesis is looked up in its
registry (a HEAD per distinct reference; a GET by digest only for the platforms a resource
needs), with the credentials of the Docker config and, for ECR, the AWS SDK's default chain
(install @aws-sdk/client-ecr). Nothing is pulled, pushed or written, except --output.

Registry rules (besides scan's):
  ImagePinning-REG1  error    the tag or digest does not exist (or the registry did not authorize us)
  ImagePinning-REG2  error    the platform the resource runs on is not in the image
  ImagePinning-REG3  error    a Lambda function's image is a multi-architecture index
  ImagePinning-REG4  warning  the tag can move (ECR repository with mutable tags), or name:tag@digest whose tag moved

Exit codes:
  0  no image is an error (warnings are allowed)
  1  an image is not pinned, or a registry rule found an error
  2  a usage error, an input that could not be scanned, or an image that could not be verified
     (its registry could not be reached or limited the requests: nothing was judged for it)
`;

/** Registers `verify [paths...]`. */
export function registerVerifyCommand(program: Command, ctx: OnlineCommandContext): Command {
  const command = program
    .command('verify')
    .description(
      'Scan like `scan`, then look up every image known at synthesis in its registry: the tag or digest exists, the resource\'s platform is in it, ' +
        'a Lambda function\'s image is not an index, and its tag cannot move.',
    )
    .argument('[paths...]', `files and directories to verify (default: ${DEFAULT_PATH})`);
  for (const option of ctx.scanOptions) {
    command.addOption(option);
  }
  addRegistryOptions(command)
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError(`(${ctx.name} verify --help for the options)`)
    .action(async (paths: string[], flags: VerifyFlags) => {
      ctx.setExitCode(await verifyCommand(paths, flags, ctx));
    });
  return command;
}

/** The registry options `verify` and `lock` share. */
export function addRegistryOptions(command: Command): Command {
  return command
    .addOption(new Option('--registry-mirror <host=url>', 'reach a registry at another endpoint, e.g. docker.io=https://mirror.example.com (repeatable)').argParser(collectMirror))
    .addOption(new Option('--insecure-registry <host>', 'a registry that may be reached over plain HTTP (loopback hosts always may) (repeatable)').argParser(collectInsecure))
    .addOption(new Option('--concurrency <n>', 'registry requests in flight at once (default: 16, at most 6 per registry)').argParser(parseConcurrency))
    .addOption(new Option('--timeout <seconds>', 'time for one registry request attempt (default: 30)').argParser(parseTimeout));
}

async function verifyCommand(paths: string[], flags: VerifyFlags, ctx: OnlineCommandContext): Promise<number> {
  const { io, name } = ctx;
  const maxFileSize = flags.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let settings: CheckSettings;
  let client: RegistryClient;
  try {
    // The lock file (--lock-file, or the policy file's lockFile) is read here, as scan reads it.
    settings = compileOptions(optionsFrom(flags, maxFileSize));
    client = new RegistryClient(registryClientOptions(flags, io.env));
  } catch (e) {
    // A bad policy file or option, a malformed mirror, an unreadable or malformed lock file: usage errors.
    warn(io, name, e instanceof Error ? e.message : String(e));
    return 2;
  }
  const scanned = scanInputs(paths, settings, maxFileSize, ctx);
  quietSdkNodeWarning();
  const ecr = new SdkEcrRepositories(io.env);
  let result;
  try {
    result = await verifyImages(scanned, { client, lock: settings.lock?.lock, ecr });
  } finally {
    ecr.close();
  }
  for (const n of result.notVerified) {
    warn(io, name, `not verified: ${n.message}`);
  }
  const exitCode = verifyExitCode(result);
  const tool = packageInfo();
  let text: string;
  switch (flags.format) {
    case 'json':
      text = formatVerifyJson(result, { inventory: flags.inventory === true, exitCode, tool });
      break;
    case 'sarif':
      text = formatVerifySarif(result, { inventory: flags.inventory === true, exitCode, tool, cwd: io.cwd });
      break;
    default: {
      const colour = !flags.output && shouldColour({ isTTY: io.stdout.isTTY, env: io.env, flag: flags.color });
      text = formatVerifyTable(result, { inventory: flags.inventory === true, paint: painter(colour) });
    }
  }
  return writeReport(io, name, text, flags.output) ? exitCode : 2;
}

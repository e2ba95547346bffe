import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { formatLockCheck, formatLockUpdate } from './format-lock';
import { defaultSchemaReference, readLock, ReadLock, writeFileAtomic } from './lock-file-io';
import { checkLock, lockUses, updateLock } from './lock-images';
import { CheckSettings, compileOptions } from '../../check/check-settings';
import { DEFAULT_LOCK_FILE, serializeLockFile } from '../../lock/lock-file';
import { Glob } from '../../policy/glob';
import { RegistryClient } from '../../registry/registry-client';
import { DEFAULT_PATH, OnlineCommandContext, quietSdkNodeWarning, scanInputs, warn } from '../online/command-context';
import { RegistryFlags, registryClientOptions } from '../online/registry-flags';
import { optionsFrom, PolicyFlags } from '../policy-options';
import { DEFAULT_MAX_FILE_SIZE } from '../read-file';
import { addRegistryOptions } from '../verify/verify-command';

interface LockFlags extends PolicyFlags, RegistryFlags {
  readonly maxFileSize?: number;
  readonly update?: boolean | string;
  readonly prune?: boolean;
  readonly check?: boolean;
  readonly offline?: boolean;
}

/** The options of `scan` that decide which images are found: `lock` takes these. */
const SCAN_OPTIONS_FOR_LOCK = ['--policy', '--exclude-resource-type', '--max-file-size'];

const HELP_AFTER = `
Examples:
  $ cdk-image-pinning lock                         add the images of ./cdk.out the lock lacks
  $ cdk-image-pinning lock --update                re-resolve every entry
  $ cdk-image-pinning lock --update 'docker.io/library/nginx:*' --prune
  $ cdk-image-pinning lock --check                 in CI, after cdk synth: exit 1 when the lock is not current
  $ cdk-image-pinning lock --check --offline       only what needs no registry: images used but not locked

The lock file maps each image's normalized name and tag (docker.io/library/nginx:1.27.3) to its
digest, media type and platforms; keys sorted, no timestamps: running lock twice with no registry
change writes the same bytes. It is written atomically (a temporary file renamed over it).

Exit codes:
  0  the lock was written (or is up to date); with --check, it holds every image used and matches the registries
  1  an image could not be locked (its tag does not exist, or the registry did not authorize us); with --check,
     an image used but not locked, an entry whose tag moved, or a locked digest that no longer exists
  2  a usage error, an input that could not be scanned, a lock file that cannot be read or written,
     or a registry that could not be reached (those images were not locked or checked)
`;

/** Registers `lock [paths...]`. */
export function registerLockCommand(program: Command, ctx: OnlineCommandContext): Command {
  const command = program
    .command('lock')
    .description(`Lock the tags of the images found (as by \`scan\`) to their digests, in ${DEFAULT_LOCK_FILE}, which the library applies at synthesis.`)
    .argument('[paths...]', `files and directories to read images from (default: ${DEFAULT_PATH})`);
  for (const option of ctx.scanOptions.filter((o) => SCAN_OPTIONS_FOR_LOCK.includes(o.long ?? ''))) {
    command.addOption(option);
  }
  command
    .option('--lock-file <file>', `the lock file (default: the policy file's lockFile, else ${DEFAULT_LOCK_FILE})`)
    .option('--update [pattern]', 're-resolve every entry, or those whose key matches the pattern (* is a wildcard), e.g. \'docker.io/library/nginx:*\'')
    .option('--prune', 'remove the entries no image uses')
    .option('--check', 'write nothing; exit 1 when an image used is not locked, an entry\'s tag moved, or a locked digest no longer exists')
    .option('--offline', 'with --check: only the checks that need no registry (images used but not locked, images synthesized from another lock)');
  addRegistryOptions(command)
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError(`(${ctx.name} lock --help for the options)`)
    .action(async (paths: string[], flags: LockFlags) => {
      ctx.setExitCode(await lockCommand(paths, flags, ctx));
    });
  return command;
}

async function lockCommand(paths: string[], flags: LockFlags, ctx: OnlineCommandContext): Promise<number> {
  const { io, name } = ctx;
  const usage = (message: string) => {
    warn(io, name, `${message} (${name} lock --help for the options)`);
    return 2;
  };
  if (flags.offline && !flags.check) return usage('--offline is for --check only');
  if (flags.check && (flags.update !== undefined || flags.prune)) return usage('--check writes nothing: leave out --update and --prune');
  if (flags.update === '') return usage('--update \'\' matches no key: leave out the pattern to update every entry');

  const maxFileSize = flags.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let shown: string = DEFAULT_LOCK_FILE;
  let file: string;
  let settings: CheckSettings;
  let read: ReadLock;
  let client: RegistryClient | undefined;
  try {
    // The lock file is --lock-file, else the policy file's lockFile; it is this command's to
    // write, so the check does not read it (nor report images missing from it).
    const { lockFile, unlockedImages: _unlocked, ...options } = optionsFrom(flags, maxFileSize);
    shown = lockFile ?? DEFAULT_LOCK_FILE;
    file = path.resolve(io.cwd, shown);
    settings = compileOptions(options);
    read = readLock(file, shown);
    client = flags.offline ? undefined : new RegistryClient(registryClientOptions(flags, io.env));
  } catch (e) {
    warn(io, name, e instanceof Error ? e.message : String(e));
    return 2;
  }
  const scanned = scanInputs(paths, settings, maxFileSize, ctx);
  quietSdkNodeWarning();
  const inputProblems = scanned.problems.length > 0;
  const uses = lockUses(scanned);
  if (typeof flags.update === 'string') {
    const pattern = new Glob(flags.update);
    const keys = [...Object.keys(read.lock.images), ...uses.keys.keys()];
    if (!keys.some((k) => pattern.matches(k))) {
      const isPath = fs.existsSync(path.resolve(io.cwd, flags.update));
      return usage(
        isPath
          ? `--update ${flags.update}: ${flags.update} is a path, not a pattern of lock keys; write the paths before --update, or --update=PATTERN`
          : `--update ${flags.update} matches no entry of the lock and no image used (keys are written docker.io/library/nginx:1.27.3)`,
      );
    }
  }

  if (flags.check) {
    const check = await checkLock(read.lock, uses, client);
    io.stdout.write(formatLockCheck(check, uses, { file: shown, offline: flags.offline === true }));
    if (inputProblems || check.notChecked.length > 0) return 2;
    return check.failures.length > 0 ? 1 : 0;
  }

  const update = await updateLock(read.lock, uses, client!, { update: flags.update, prune: flags.prune });
  const lock = { ...update.lock, $schema: update.lock.$schema ?? defaultSchemaReference(file, io.cwd) };
  const text = serializeLockFile(lock);
  let written = false;
  if (text !== read.text) {
    try {
      writeFileAtomic(file, text);
      written = true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      warn(io, name, `cannot write the lock file ${shown}${code ? ` (${code})` : ''}`);
      return 2;
    }
  }
  io.stdout.write(formatLockUpdate(update, uses, { file: shown, written, existed: read.exists }));
  if (inputProblems || update.problems.some((p) => p.severity === 'not-checked')) return 2;
  return update.problems.length > 0 ? 1 : 0;
}

import { Command, InvalidArgumentError } from 'commander';
import { InputError } from './input-error';
import { checkReadableFile, DEFAULT_MAX_FILE_SIZE, parseSize } from './read-file';
import { compileOptions, ImagePinningOptions } from '../check/check-settings';
import { mergeOptions, POLICY_FILE_CONTEXT, readPolicyFile } from '../check/policy-file';
import { PinningLevel, UnlockedImageAction, UnresolvedImageAction } from '../policy/pinning-level';

/**
 * The policy options on the command line. Each value is checked by the library's own validation
 * as it is parsed, so a bad value is a usage error that names the option and says what is wrong,
 * in the library's words.
 */
export interface PolicyFlags {
  readonly policy?: string;
  readonly level?: PinningLevel;
  readonly replaceMovingTags?: string[];
  readonly movingTag?: string[];
  readonly allow?: string[];
  readonly unresolved?: UnresolvedImageAction;
  readonly allowAssetImages?: boolean;
  readonly trustImmutableTags?: boolean;
  readonly excludeResourceType?: string[];
  readonly lockFile?: string;
  readonly unlocked?: UnlockedImageAction;
}

export interface CliOption {
  /** The key commander gives the option's value. */
  readonly flag: keyof PolicyFlags;
  /** The option as the help shows it. */
  readonly option: string;
}

/** What a command says of the policy options where its meaning differs from `scan`'s. */
export interface PolicyOptionsHelp {
  /** The help of `--trust-immutable-tags`. */
  readonly trustImmutableTags?: string;
  /** The help of `--exclude-resource-type`. */
  readonly excludeResourceType?: string;
}

/**
 * Adds the policy options (all but the lock file's, which each command explains in its own terms)
 * to a command: `scan` and `audit` judge images with the same policy, so they take the same flags.
 */
export function addPolicyOptions(command: Command, help: PolicyOptionsHelp = {}): Command {
  return command
    .option('--policy <file>', `policy file (JSON): the file the library reads through the CDK context key ${POLICY_FILE_CONTEXT}`)
    .option('--level <level>', 'how strictly images must be pinned: tag, version or digest (default: tag)', parseLevel)
    .option('--moving-tag <tag>', 'a tag that moves, added to the list (repeatable; * is a wildcard)', collectMovingTag)
    .option('--replace-moving-tags <tags>', 'comma-separated tags that move, replacing the built-in list ("" for none)', collectReplacedMovingTags)
    .option('--allow <pattern>', 'an image name that need not be pinned, e.g. "docker.io/library/nginx" or "public.ecr.aws/aws-observability/*" (repeatable)', collectAllowed)
    .option('--unresolved <action>', 'error, warn or ignore images whose tag or digest is only known at deploy time (default: warn)', parseUnresolved)
    .option('--allow-asset-images', 'CDK asset images pass at level digest (the default)')
    .option('--no-allow-asset-images', 'CDK asset images fail at level digest')
    .option('--trust-immutable-tags', help.trustImmutableTags ?? 'a tag counts as pinned when it cannot move (an ECR repository of the app with immutable tags) (the default)')
    .option('--no-trust-immutable-tags', 'tags of repositories with immutable tags are judged like any other tag')
    .option('--exclude-resource-type <type>', help.excludeResourceType ?? 'a resource type not to check, e.g. AWS::CodeBuild::Project (repeatable)', collectExcludedType);
}

/**
 * Which command-line option sets each library option. A `Record` over every key of
 * `ImagePinningOptions`: an option added to the library does not compile until it is here.
 */
export const CLI_OPTIONS: { readonly [K in keyof Required<ImagePinningOptions>]: CliOption } = {
  level: { flag: 'level', option: '--level' },
  movingTags: { flag: 'replaceMovingTags', option: '--replace-moving-tags' },
  additionalMovingTags: { flag: 'movingTag', option: '--moving-tag' },
  allowedImages: { flag: 'allow', option: '--allow' },
  unresolvedImages: { flag: 'unresolved', option: '--unresolved' },
  allowAssetImages: { flag: 'allowAssetImages', option: '--[no-]allow-asset-images' },
  trustImmutableTags: { flag: 'trustImmutableTags', option: '--[no-]trust-immutable-tags' },
  excludeResourceTypes: { flag: 'excludeResourceType', option: '--exclude-resource-type' },
  lockFile: { flag: 'lockFile', option: '--lock-file' },
  unlockedImages: { flag: 'unlocked', option: '--unlocked' },
};

/** `--level tag|version|digest`, any case. */
export function parseLevel(value: string): PinningLevel {
  return choice(value, Object.values(PinningLevel));
}

/** `--unresolved error|warn|ignore`, any case. */
export function parseUnresolved(value: string): UnresolvedImageAction {
  return choice(value, Object.values(UnresolvedImageAction));
}

/** `--unlocked error|warn|ignore`, any case. */
export function parseUnlocked(value: string): UnlockedImageAction {
  return choice(value, Object.values(UnlockedImageAction));
}

/** One of the enum's values, in any case; else an error that leaves the value as the user wrote it (commander quotes it). */
function choice<T extends string>(value: string, values: readonly T[]): T {
  const found = values.find((v) => v === value.toUpperCase());
  if (found === undefined) {
    throw new InvalidArgumentError(`Allowed choices are ${values.map((v) => v.toLowerCase()).join(', ')} (any case).`);
  }
  return found;
}

/** `--moving-tag <tag>`, repeatable: added to the moving tags (`additionalMovingTags`). */
export function collectMovingTag(value: string, previous: string[] | undefined): string[] {
  check({ additionalMovingTags: [value] });
  return [...(previous ?? []), value];
}

/** `--replace-moving-tags <tags>`: comma-separated, replacing the built-in list (`movingTags`); `""` for none. */
export function collectReplacedMovingTags(value: string, previous: string[] | undefined): string[] {
  const tags = value.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  check({ movingTags: tags });
  return [...(previous ?? []), ...tags];
}

/** `--allow <pattern>`, repeatable: an image name that need not be pinned (`allowedImages`). */
export function collectAllowed(value: string, previous: string[] | undefined): string[] {
  check({ allowedImages: [value] });
  return [...(previous ?? []), value];
}

/** `--exclude-resource-type <type>`, repeatable (`excludeResourceTypes`). */
export function collectExcludedType(value: string, previous: string[] | undefined): string[] {
  check({ excludeResourceTypes: [value] });
  return [...(previous ?? []), value];
}

/**
 * The policy options: those of the `--policy` file (read by the library's `readPolicyFile`),
 * overridden by those given on the command line (`mergeOptions`; a list given on the command
 * line replaces the file's list). The policy file is read only if it is a regular file of at
 * most `maxFileSize` bytes, like every input: a pipe or a device is refused, never waited on.
 *
 * @throws Error naming the policy file and the key, when the file cannot be read or holds a bad option
 */
export function optionsFrom(flags: PolicyFlags, maxFileSize = DEFAULT_MAX_FILE_SIZE): ImagePinningOptions {
  const explicit = Object.fromEntries(
    Object.entries(CLI_OPTIONS).map(([key, { flag }]) => [key, flags[flag]]),
  ) as ImagePinningOptions;
  if (flags.policy !== undefined) {
    try {
      checkReadableFile(flags.policy, maxFileSize);
    } catch (e) {
      throw new Error(`policy file ${flags.policy}: ${(e as InputError).reason}`);
    }
  }
  return mergeOptions(flags.policy === undefined ? {} : readPolicyFile(flags.policy), explicit);
}

/** `--max-file-size <size>`: `50MB`, `512KB`, `1GB` or a number of bytes; units of 1024. */
export function parseMaxFileSize(value: string): number {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    throw new InvalidArgumentError('write a size such as 50MB, 512KB, 1GB or a number of bytes (units of 1024).');
  }
  return bytes;
}

function check(options: ImagePinningOptions): void {
  try {
    compileOptions(options);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

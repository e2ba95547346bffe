import * as fs from 'fs';
import { ReportActions } from './outcome';
import { LockFile, LockFileError, parseLockFile } from '../lock/lock-file';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { ImageVerdict } from '../policy/image-verdict';
import { UnlockedImageAction } from '../policy/pinning-level';
import { compilePolicyOptions, enumOption, ImagePinningPolicyProps } from '../policy/policy-options';
import { Coverage } from '../rules/coverage';

/**
 * Options of every front door (`ImagePinning.enforce`, `ImagePinningAspect`, `ImagePinningChecks`,
 * `ImagePinningValidator`, `ImagePinning.check`) and of the policy file: the pinning policy, which
 * resource types are checked, and the lock file.
 */
export interface ImagePinningOptions extends ImagePinningPolicyProps {
  /**
   * Resource types not to check, e.g. `['AWS::CodeBuild::Project']`. Each must be one of the
   * resource types this library checks (see the README).
   *
   * @default - every resource type is checked
   */
  readonly excludeResourceTypes?: string[];

  /**
   * The lock file (`cdk-image-pinning lock` writes it): tags locked to digests. `ImagePinning.enforce`
   * synthesizes every literal image found in it pinned to its digest, offline; every front door
   * reports an image whose tag is not in it as `unlockedImages` says. Relative to the directory
   * the app runs in.
   *
   * @default - the file the CDK context key `cdk-image-pinning:lockFile` names, else no lock file
   */
  readonly lockFile?: string;

  /**
   * What to do with an image whose tag is not in the lock file, when there is one.
   *
   * @default UnlockedImageAction.WARN
   */
  readonly unlockedImages?: UnlockedImageAction;
}

/** The lock file in use, read once. */
export interface LoadedLock {
  /** The file as named, for messages. */
  readonly file: string;
  readonly lock: LockFile;
}

/** The options, checked and compiled: what the check needs. */
export interface CheckSettings {
  readonly policy: ImagePinningPolicy;
  readonly coverage: Coverage;
  /** What to do with unresolved and unlocked images. */
  readonly actions: ReportActions;
  /** The lock file, when one is in use. */
  readonly lock?: LoadedLock;
  /**
   * Verdicts on literal images, by image: most apps use each image many times, and a literal image
   * with nothing else to know about it (no repository, no asset) has one verdict per policy.
   */
  readonly literalVerdicts: Map<string, ImageVerdict>;
}

/**
 * Checks every option and compiles it, reading the lock file if one is named. The one place
 * options are validated: the front doors, the policy file and the command line all come here.
 *
 * @param prefix put before option names in errors, e.g. `policy file p.json: `
 * @throws Error naming the option and what is wrong with it, or the lock file, key and field
 */
export function compileOptions(options: ImagePinningOptions = {}, prefix = ''): CheckSettings {
  const policy = ImagePinningPolicy._fromCompiled(compilePolicyOptions(options, prefix));
  const unlockedImages = enumOption(UnlockedImageAction, options.unlockedImages, UnlockedImageAction.WARN, `${prefix}unlockedImages`);
  if (options.lockFile !== undefined && (typeof options.lockFile !== 'string' || options.lockFile.length === 0)) {
    throw new Error(`${prefix}lockFile must be the path of a lock file, got ${JSON.stringify(options.lockFile)}`);
  }
  return {
    policy,
    coverage: new Coverage(options.excludeResourceTypes, `${prefix}excludeResourceTypes`),
    actions: { unresolvedImages: policy.unresolvedImages, unlockedImages },
    lock: options.lockFile === undefined ? undefined : readLock(options.lockFile),
    literalVerdicts: new Map(),
  };
}

/** Lock files by path and modification time: every front door of an app reads the same file once. */
const LOCKS = new Map<string, { readonly mtimeMs: number; readonly loaded: LoadedLock }>();

/** Reads a lock file: synchronous and local, so synthesis stays offline. */
function readLock(file: string): LoadedLock {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new LockFileError(`lock file ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); run \`npx cdk-image-pinning lock\` to write it`);
  }
  if (!stat.isFile()) {
    throw new LockFileError(`lock file ${file}: is not a regular file`);
  }
  const cached = LOCKS.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs) {
    return cached.loaded;
  }
  const loaded = { file, lock: parseLockFile(fs.readFileSync(file, 'utf8'), file) };
  LOCKS.set(file, { mtimeMs: stat.mtimeMs, loaded });
  return loaded;
}

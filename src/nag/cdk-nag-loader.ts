/**
 * cdk-nag, loaded only when the rule pack is constructed.
 *
 * cdk-nag is an optional peer dependency: the Aspect, the validation plugin, the policy and the
 * command-line scanner do not need it, an app on cdk-nag 2 must be able to install this package,
 * and loading cdk-nag 3 costs about 0.2 s that an Aspect-only app should not pay. So nothing here
 * requires `cdk-nag` when the package's index is loaded.
 *
 * The pack must still extend cdk-nag's `NagPack` in the jsii assembly, so that Python, Java, .NET
 * and Go get a `NagPack` subclass. jsii takes a class's base from the type of its `extends`
 * expression, not from a runtime value: `NagPackBase` below is typed `typeof NagPack` (a type-only
 * import, erased from the JavaScript), so the assembly records the base `cdk-nag.NagPack`, while at
 * runtime it is a stand-in constructor. The first time a pack is constructed, the stand-in loads
 * cdk-nag, puts the real `NagPack` under itself in the prototype chain (so `super.validateScope`,
 * `applyRule` and `instanceof NagPack` work), and constructs the object with the real constructor.
 * Without cdk-nag 3 it throws `CdkNagUnavailableError` instead, which says what to install.
 */
import type * as CdkNag from 'cdk-nag';

/** What the pack needs and how to get it, in the messages below. */
const INSTALL = 'npm install cdk-nag@^3';

/**
 * cdk-nag 3 is not installed, or another major version is: the message says what to install, and
 * that the Aspect and the validation plugin work without it.
 */
export class CdkNagUnavailableError extends Error {
  /**
   * @param installedVersion the version of cdk-nag found, or undefined when none is installed
   */
  constructor(public readonly installedVersion: string | undefined) {
    super(
      installedVersion === undefined
        ? `ImagePinningChecks needs cdk-nag 3, which is not installed: ${INSTALL}. ` +
            'The Aspect (ImagePinning.enforce) and the validation plugin (ImagePinningValidator) work without cdk-nag.'
        : `ImagePinningChecks needs cdk-nag 3, but cdk-nag ${installedVersion} is installed: ${INSTALL}; ` +
            'with cdk-nag 2, call ImagePinning.check from a cdk-nag 2 pack instead (README, "cdk-nag 2").',
    );
    this.name = 'CdkNagUnavailableError';
  }
}

let loaded: typeof CdkNag | undefined;

/**
 * The cdk-nag 3 module, loaded on the first call.
 *
 * @throws CdkNagUnavailableError when cdk-nag is missing, or is not version 3
 */
export function loadCdkNag(): typeof CdkNag {
  if (loaded !== undefined) {
    return loaded;
  }
  let module: typeof CdkNag;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require('cdk-nag');
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    // Only cdk-nag itself missing; an error inside cdk-nag (say, its own peer missing) stays as it is.
    if (error?.code === 'MODULE_NOT_FOUND' && String(error.message).includes("'cdk-nag'")) {
      throw new CdkNagUnavailableError(undefined);
    }
    throw e;
  }
  // cdk-nag 2's NagPack is an Aspect (it has `visit`, no `validateScope`); only 3 is a validation plugin.
  if (typeof module.NagPack?.prototype?.validateScope !== 'function') {
    throw new CdkNagUnavailableError(versionOfInstalledCdkNag());
  }
  loaded = module;
  return module;
}

function versionOfInstalledCdkNag(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(require('cdk-nag/package.json').version);
  } catch {
    return 'of another major version';
  }
}

/** Runtime stand-in for cdk-nag's NagPack; see the file comment. */
class NagPackStandIn {
  constructor(...args: unknown[]) {
    const real = loadCdkNag().NagPack;
    if (Object.getPrototypeOf(NagPackStandIn.prototype) !== real.prototype) {
      Object.setPrototypeOf(NagPackStandIn.prototype, real.prototype);
      Object.setPrototypeOf(NagPackStandIn, real);
    }
    // The object gets the subclass's prototype (new.target) and the real NagPack's fields; the
    // subclass's constructor then continues with it as `this`.
    return Reflect.construct(real, args, new.target);
  }
}

/** The base class of the pack: cdk-nag's NagPack to the type checker and jsii, lazy at runtime. */
export const NagPackBase = NagPackStandIn as unknown as typeof CdkNag.NagPack;

/**
 * The AWS SDK for JavaScript v3, loaded only when an online command needs it (`verify` and `lock`
 * for ECR registries, `audit`).
 *
 * The SDK is not a dependency of this package: its clients and credential providers are about
 * 23 MB installed, and a CDK app that only uses the Aspect must not pay for them. The online
 * commands `require` the client they need at the moment they need it; when it is missing, the
 * error says which package to install, and nothing else is affected.
 */

/** The SDK clients the online commands use. */
export type SdkPackage =
  | '@aws-sdk/client-ecr'
  | '@aws-sdk/client-ecs'
  | '@aws-sdk/client-lambda'
  | '@aws-sdk/client-batch'
  | '@aws-sdk/client-sts'
  | '@aws-sdk/client-organizations';

const SDK_MISSING = Symbol.for('cdk-image-pinning.SdkMissingError');

/** SDK client packages are not installed; the message says what to install and why. */
export class SdkMissingError extends Error {
  /** Whether `error` is an SdkMissingError, also across copies of this module (checked by a brand, not `instanceof`). */
  public static isSdkMissingError(error: unknown): error is SdkMissingError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[SDK_MISSING] === true;
  }

  /** The first missing package. */
  public readonly packageName: SdkPackage;
  /** Every missing package, so that one install fixes it. */
  public readonly packageNames: SdkPackage[];

  constructor(missing: SdkPackage | SdkPackage[], purpose: string) {
    const names = Array.isArray(missing) ? missing : [missing];
    const list = names.join(' ');
    super(
      `${purpose} needs the AWS SDK ${names.length === 1 ? 'package' : 'packages'} ${names.join(', ')}, ` +
        `which ${names.length === 1 ? 'is' : 'are'} not installed: ` +
        `run \`npm install --save-dev ${list}\` next to cdk-image-pinning ` +
        `(or \`npx -p cdk-image-pinning ${names.map((n) => `-p ${n}`).join(' ')} cdk-image-pinning ...\`)`,
    );
    this.name = 'SdkMissingError';
    this.packageName = names[0];
    this.packageNames = names;
    Object.defineProperty(this, SDK_MISSING, { value: true });
  }
}

function isMissing(e: unknown, packageName: string): boolean {
  const error = e as NodeJS.ErrnoException;
  return error?.code === 'MODULE_NOT_FOUND' && String(error.message).includes(packageName);
}

/**
 * The SDK client package, loaded now.
 *
 * @param purpose what needs it, for the message when it is missing, e.g. `verify of ECR images`
 * @throws SdkMissingError when the package is not installed
 */
export function loadSdk<T = unknown>(packageName: SdkPackage, purpose: string): T {
  try {
    // The one place the SDK is loaded: at the moment a command needs it, never at import time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(packageName) as T;
  } catch (e) {
    if (isMissing(e, packageName)) throw new SdkMissingError(packageName, purpose);
    throw e;
  }
}

/**
 * Several SDK client packages, loaded now; when some are missing, one error names them all (a
 * command that needs four clients should not take four installs to find out).
 *
 * @throws SdkMissingError naming every package that is not installed
 */
export function loadSdks(packageNames: readonly SdkPackage[], purpose: string): Partial<Record<SdkPackage, unknown>> {
  const loaded: Partial<Record<SdkPackage, unknown>> = {};
  const missing: SdkPackage[] = [];
  for (const name of packageNames) {
    try {
      loaded[name] = loadSdk(name, purpose);
    } catch (e) {
      if (!SdkMissingError.isSdkMissingError(e)) throw e;
      missing.push(name);
    }
  }
  if (missing.length > 0) throw new SdkMissingError(missing, purpose);
  return loaded;
}

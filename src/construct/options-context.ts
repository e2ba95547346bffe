import { IConstruct } from 'constructs';
import { CheckSettings, compileOptions, ImagePinningOptions } from '../check/check-settings';
import { mergeOptions, POLICY_FILE_CONTEXT, readPolicyFile } from '../check/policy-file';
import { LOCK_FILE_CONTEXT } from '../lock/lock-file';

/**
 * The check settings for a front door with a scope: the options of the policy file the CDK
 * context key `cdk-image-pinning:policyFile` names (relative to the directory the app runs in),
 * overridden by the options given in code.
 *
 * @throws Error naming the option, the file or the context key, when one is invalid
 */
export function settingsFor(scope: IConstruct | undefined, explicit: ImagePinningOptions = {}): CheckSettings {
  return compileOptions(optionsFor(scope, explicit));
}

/**
 * The options `settingsFor` compiles: the policy file's, overridden by those given in code; the
 * lock file the CDK context key `cdk-image-pinning:lockFile` names, unless the options name one.
 */
export function optionsFor(scope: IConstruct | undefined, explicit: ImagePinningOptions = {}): ImagePinningOptions {
  const policyFile = contextPath(scope, POLICY_FILE_CONTEXT, 'a policy file');
  const options = policyFile === undefined ? explicit : mergeOptions(readPolicyFile(policyFile), explicit);
  const lockFile = contextPath(scope, LOCK_FILE_CONTEXT, 'a lock file');
  return options.lockFile === undefined && lockFile !== undefined ? { ...options, lockFile } : options;
}

function contextPath(scope: IConstruct | undefined, key: string, what: string): string | undefined {
  const file = scope?.node.tryGetContext(key);
  if (file !== undefined && (typeof file !== 'string' || file.length === 0)) {
    throw new Error(`CDK context ${key} must be the path of ${what}, got ${JSON.stringify(file)}`);
  }
  return file;
}

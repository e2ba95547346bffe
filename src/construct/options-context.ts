import { IConstruct } from 'constructs';
import { CheckSettings, compileOptions, ImagePinningOptions } from '../check/check-settings';
import { mergeOptions, POLICY_FILE_CONTEXT, readPolicyFile } from '../check/policy-file';

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

/** The options `settingsFor` compiles: the policy file's, overridden by those given in code. */
export function optionsFor(scope: IConstruct | undefined, explicit: ImagePinningOptions = {}): ImagePinningOptions {
  const file = scope?.node.tryGetContext(POLICY_FILE_CONTEXT);
  if (file === undefined) {
    return explicit;
  }
  if (typeof file !== 'string' || file.length === 0) {
    throw new Error(`CDK context ${POLICY_FILE_CONTEXT} must be the path of a policy file, got ${JSON.stringify(file)}`);
  }
  return mergeOptions(readPolicyFile(file), explicit);
}

import { IConstruct } from 'constructs';
import { mergePolicyProps, POLICY_FILE_CONTEXT, readPolicyFile } from '../policy/policy-file';
import { ImagePinningPolicyProps } from '../policy/policy-options';

/**
 * The policy options for a front door with a scope: the file the CDK context key
 * `cdk-image-pinning:policyFile` names (relative to the directory the app runs in), overridden by
 * the options given in code.
 */
export function policyPropsFor(scope: IConstruct | undefined, explicit: ImagePinningPolicyProps = {}): ImagePinningPolicyProps {
  const file = scope?.node.tryGetContext(POLICY_FILE_CONTEXT);
  if (file === undefined) {
    return explicit;
  }
  if (typeof file !== 'string' || file.length === 0) {
    throw new Error(`CDK context ${POLICY_FILE_CONTEXT} must be the path of a policy file, got ${JSON.stringify(file)}`);
  }
  return mergePolicyProps(readPolicyFile(file), explicit);
}

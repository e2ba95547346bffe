import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { ImageVerdict } from '../policy/image-verdict';
import { compilePolicyOptions, ImagePinningPolicyProps } from '../policy/policy-options';
import { Coverage } from '../rules/coverage';

/**
 * Options of every front door (`ImagePinning.enforce`, `ImagePinningAspect`, `ImagePinningChecks`,
 * `ImagePinningValidator`, `ImagePinning.check`) and of the policy file: the pinning policy, and
 * which resource types are checked.
 */
export interface ImagePinningOptions extends ImagePinningPolicyProps {
  /**
   * Resource types not to check, e.g. `['AWS::CodeBuild::Project']`. Each must be one of the
   * resource types this library checks (see the README).
   *
   * @default - every resource type is checked
   */
  readonly excludeResourceTypes?: string[];
}

/** The options, checked and compiled: what the check needs. */
export interface CheckSettings {
  readonly policy: ImagePinningPolicy;
  readonly coverage: Coverage;
  /**
   * Verdicts on literal images, by image: most apps use each image many times, and a literal image
   * with nothing else to know about it (no repository, no asset) has one verdict per policy.
   */
  readonly literalVerdicts: Map<string, ImageVerdict>;
}

/**
 * Checks every option and compiles it. The one place options are validated: the front doors,
 * the policy file and the command line all come here.
 *
 * @param prefix put before option names in errors, e.g. `policy file p.json: `
 * @throws Error naming the option and what is wrong with it
 */
export function compileOptions(options: ImagePinningOptions = {}, prefix = ''): CheckSettings {
  return {
    policy: ImagePinningPolicy._fromCompiled(compilePolicyOptions(options, prefix)),
    coverage: new Coverage(options.excludeResourceTypes, `${prefix}excludeResourceTypes`),
    literalVerdicts: new Map(),
  };
}

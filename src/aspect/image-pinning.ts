import { AspectPriority, Aspects, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ImagePinningAspect } from './image-pinning-aspect';
import { ImagePinningFinding, publicFinding } from './image-pinning-finding';
import { CheckSettings, compileOptions, ImagePinningOptions } from '../check/check-settings';
import { readPolicyFile } from '../check/policy-file';
import { checkConstruct } from '../construct/check-construct';
import { addExemption, ImagePinningExemptionProps } from '../construct/exemption';
import { optionsFor } from '../construct/options-context';
import { placeFinding } from '../construct/place-finding';
import { nestedStages } from '../construct/stages';

/**
 * The one-line entry point: `ImagePinning.enforce(app)`.
 */
export class ImagePinning {
  /**
   * Makes synthesis fail for every container image under `scope` that is not pinned.
   *
   * Checks the resources of `scope` from one validation of it (`node.addValidation`), which
   * aws-cdk-lib runs after every aspect of any priority, so sidecars and images that aspects add
   * or rewrite are judged as synthesized, with one walk of the tree. With a lock file, it also
   * adds the {@link ImagePinningAspect} it returns, with `AspectPriority.READONLY`, to pin the
   * locked images of nested stacks before their templates are hashed. Validations and aspects do
   * not cross Stage boundaries, so they are also added to every `Stage` nested under `scope` (CDK
   * Pipelines stages) that exists now. A Stage the check cannot run on (synthesized before this
   * call, as CDK Pipelines' `addStage` does, synthesized with `skipValidation`, or created after
   * it) is checked from its synthesized templates instead, and its findings are reported in the
   * validation report; so is every error inside a nested Stage, which `cdk synth` without a stack
   * selection would not show otherwise.
   *
   * @param scope usually the App; any construct works
   * @param options policy options; they override those of the policy file the CDK context key
   * `cdk-image-pinning:policyFile` names, if it names one
   * @returns the Aspect that does the checking (added to the tree with a lock file)
   */
  public static enforce(scope: IConstruct, options: ImagePinningOptions = {}): ImagePinningAspect {
    const aspect = new ImagePinningAspect(optionsFor(scope, options));
    for (const target of [scope, ...nestedStages(scope)]) {
      if (aspect._checkInValidationOf(target)) {
        Aspects.of(target).add(aspect, { priority: AspectPriority.READONLY });
      }
    }
    aspect._reportOnStagesOf(scope);
    return aspect;
  }

  /**
   * Exempts every image under `scope` from pinning, for a stated reason and optionally until a
   * date. Findings under the scope become info annotations that name the exemption; once the
   * exemption expires they are errors again and say that it expired.
   *
   * @throws Error when the reason is empty or `expires` is not a `YYYY-MM-DD` date
   */
  public static exempt(scope: IConstruct, props: ImagePinningExemptionProps): void {
    addExemption(scope, props);
  }

  /**
   * The check, on one resource: a finding for every image it runs, with its outcome after
   * exemptions and acknowledgements. For tools that want the check without the Aspect, such as
   * a cdk-nag 2 rule pack (see the README).
   *
   * @param resource any L1 resource; resources that run no images give no findings
   * @param options the policy options; the defaults when omitted
   */
  public static check(resource: CfnResource, options: ImagePinningOptions = {}): ImagePinningFinding[] {
    let settings = CHECK_SETTINGS.get(options);
    if (!settings) {
      settings = compileOptions(options);
      CHECK_SETTINGS.set(options, settings);
    }
    return checkConstruct(resource, settings).map((finding) => publicFinding(placeFinding(resource, finding, settings)));
  }

  /**
   * Reads a policy file: a JSON object with the options (`level`, `movingTags`,
   * `additionalMovingTags`, `allowedImages`, `unresolvedImages`, `allowAssetImages`,
   * `trustImmutableTags`, `excludeResourceTypes`), the same file the command-line scanner reads
   * with `--policy`.
   *
   * `ImagePinning.enforce`, `ImagePinningChecks` and `ImagePinningValidator` read it by themselves
   * when the CDK context key `cdk-image-pinning:policyFile` names it; options given in code
   * override the file's.
   *
   * @param file path to the JSON file
   * @throws Error naming the file and the key, when the file cannot be read or holds a bad option
   */
  public static readPolicyFile(file: string): ImagePinningOptions {
    return readPolicyFile(file);
  }

  private constructor() {}
}

/** Compiled options by options object: `check` is called once per resource, with the same options. */
const CHECK_SETTINGS = new WeakMap<ImagePinningOptions, CheckSettings>();

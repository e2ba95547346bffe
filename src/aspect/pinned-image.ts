import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { compileOptions } from '../check/check-settings';
import { pinnedToLock } from '../check/lock-check';
import { optionsFor } from '../construct/options-context';
import { lockKey } from '../lock/lock-file';

/**
 * Images pinned to the digests of the lock file, written out in code, for apps that want the pin
 * explicit rather than left to `ImagePinning.enforce(app, { lockFile })`. The lock file is the one
 * the CDK context key `cdk-image-pinning:lockFile` names (or the policy file's `lockFile`); it is read
 * from disk, offline.
 *
 * @example
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { PinnedImage } from 'cdk-image-pinning';
 *
 * declare const taskDefinition: ecs.FargateTaskDefinition;
 * taskDefinition.addContainer('web', { image: PinnedImage.fromRegistry(taskDefinition, 'nginx:1.27.3') });
 */
export class PinnedImage {
  /**
   * An ECS container image pinned to the digest its tag has in the lock file.
   *
   * @param scope any construct of the app (it says which lock file: the CDK context of the app)
   * @param image the image with its tag, as `cdk-image-pinning lock` locked it, e.g. `nginx:1.27.3`
   * @throws Error when there is no lock file, or the image is not in it (run `npx cdk-image-pinning lock`)
   */
  public static fromRegistry(scope: IConstruct, image: string): ContainerImage {
    return ContainerImage.fromRegistry(PinnedImage.uri(scope, image));
  }

  /**
   * The image URI pinned to the digest its tag has in the lock file: `name@sha256:…`. For any
   * property that takes an image URI (`lambda.CfnFunction`'s `code.imageUri`, ...).
   *
   * @param scope any construct of the app (it says which lock file)
   * @param image the image with its tag, e.g. `nginx:1.27.3`
   * @param platform the platform to pin a multi-platform image for, e.g. `linux/arm64` (Lambda rejects an index)
   * @throws Error when there is no lock file, or the image is not in it
   */
  public static uri(scope: IConstruct, image: string, platform?: string): string {
    const lock = compileOptions(optionsFor(scope)).lock;
    if (!lock) {
      throw new Error(`PinnedImage(${image}): no lock file: set the CDK context key cdk-image-pinning:lockFile (or lockFile in the policy file)`);
    }
    const key = lockKey(image);
    const entry = key === undefined ? undefined : lock.lock.images[key];
    if (!entry) {
      throw new Error(`PinnedImage(${image}): not in the lock file ${lock.file}; run \`npx cdk-image-pinning lock\` and commit the file`);
    }
    return pinnedToLock(image, entry, platform);
  }

  private constructor() {}
}

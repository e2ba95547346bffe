/**
 * The example app: an ECS service whose containers are either unpinned (the default) or pinned
 * (`-c variant=pinned`). `npm run example` synthesizes both with the real CDK CLI.
 *
 * In your own app, import from the package instead: `import { ImagePinning } from 'cdk-image-pinning';`
 * (this example imports the sources so it runs straight from a clone).
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning } from '../src';

const app = new App();
const pinned = app.node.tryGetContext('variant') === 'pinned';
const stack = new Stack(app, 'ImagePinningExample');

const repository = new ecr.Repository(stack, 'AppRepository');
const task = new ecs.FargateTaskDefinition(stack, 'WebTask', { cpu: 512, memoryLimitMiB: 1024 });

// The FireLens log router: left to aws-cdk-lib, it would come from the SSM parameter
// /aws/service/aws-for-fluent-bit/latest. The pinned variant adds it with a fixed version.
if (pinned) {
  task.addFirelensLogRouter('log-router', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4'),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
  });
}

task.addContainer('web', {
  image: ecs.ContainerImage.fromRegistry(pinned ? 'nginx:1.27.3' : 'nginx'),
  logging: ecs.LogDrivers.firelens({}),
});
task.addContainer('api', {
  // Without a tag, fromEcrRepository uses "latest".
  image: pinned ? ecs.ContainerImage.fromEcrRepository(repository, 'v1.4.2') : ecs.ContainerImage.fromEcrRepository(repository),
});
task.addContainer('cache', {
  image: ecs.ContainerImage.fromRegistry(
    pinned ? 'redis:7.2.4@sha256:3e5d6e79a1a0e2a6d9e6bc1ad3b1e6c4a6b1e9d2f6a4f3c7b8e2d1c0a9f8e7d6' : 'redis:latest',
  ),
});

// The one line that makes `cdk synth` fail for unpinned images. The pinned variant also applies the
// lock file: nginx:1.27.3 is synthesized as nginx@sha256:..., the digest its tag had when locked.
// (This example's lock file stands for what `npx cdk-image-pinning lock` writes; run that in your
// app to record the digests your registries really hold.)
ImagePinning.enforce(app, pinned ? { lockFile: path.join(__dirname, 'cdk-image-pinning.lock.json') } : {});

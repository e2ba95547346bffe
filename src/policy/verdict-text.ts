/**
 * The sentences of a verdict: what is wrong and how to fix it. Kept apart from the rules so the
 * wording can be read (and reviewed) in one place.
 */

const DIGEST_PLACEHOLDER = 'sha256:<digest>';
const FLUENT_BIT_PARAMETER_PREFIX = '/aws/service/aws-for-fluent-bit/';

/**
 * Fixes show the corrected image. `name` is the name as written, or undefined when part of it is
 * only known at deploy time; then only the part to append is shown.
 */
export function noTag(image: string, name: string | undefined) {
  return {
    message: `image "${image}" has no tag, so it runs whatever "latest" points to when a task starts`,
    fix: `pin a version tag or a digest, e.g. "${name ?? ''}:<version>" or "${name ?? ''}@${DIGEST_PLACEHOLDER}"`,
  };
}

export function movingTag(image: string, name: string | undefined, tag: string) {
  return {
    message: `image "${image}" uses the moving tag "${tag}": the registry can point it at a different image at any time`,
    fix: `replace ":${tag}" with a version tag, e.g. "${name ?? ''}:<version>", or add a digest: "${name ?? ''}@${DIGEST_PLACEHOLDER}"`,
  };
}

export function floatingTag(image: string, name: string | undefined, tag: string) {
  return {
    message: `image "${image}" uses the tag "${tag}", which names a release line or variant rather than one version (pinning level VERSION)`,
    fix: `use a tag that names one exact version (a full version like "${name ?? ''}:1.27.3", a date stamp or a commit hash), or a digest: "${name ?? ''}@${DIGEST_PLACEHOLDER}"`,
  };
}

export function noVersion(image: string, name: string | undefined, tag: string) {
  return {
    message: `image "${image}" uses the tag "${tag}", which names no version: an alias that the registry moves to each new release`,
    fix: `use a tag that names a version, e.g. "${name ?? ''}:<version>-${tag}", or a digest: "${name ?? ''}@${DIGEST_PLACEHOLDER}"`,
  };
}

export function officialReleaseLine(image: string, name: string | undefined, tag: string) {
  return {
    message: `image "${image}" uses the tag "${tag}", a release line of a Docker Official Image, which the registry moves to each new release of the line`,
    fix: `use the full version, e.g. "${name ?? ''}:<major>.<minor>.<patch>", or a digest: "${name ?? ''}@${DIGEST_PLACEHOLDER}"`,
  };
}

export function channelAfterVersion(image: string, name: string | undefined, tag: string, channel: string) {
  return {
    message: `image "${image}" uses the tag "${tag}", whose "${channel}" after the version is a pre-release channel, rebuilt under the same tag (pinning level VERSION)`,
    fix: `use a release tag that names one exact version (a full version like "${name ?? ''}:1.27.3", a date stamp or a commit hash), or a digest: "${name ?? ''}@${DIGEST_PLACEHOLDER}"`,
  };
}

export function noDigest(image: string, nameAndTag: string | undefined, detail: string) {
  return {
    message: `image "${image}" has no digest (pinning level DIGEST)${detail ? `; ${detail}` : ''}`,
    fix: nameAndTag
      ? `append the digest of the image you tested: "${nameAndTag}@${DIGEST_PLACEHOLDER}" (\`docker buildx imagetools inspect ${nameAndTag}\` prints it)`
      : `append the digest of the image you tested: "@${DIGEST_PLACEHOLDER}" (\`docker buildx imagetools inspect <image>\` prints it)`,
  };
}

export function invalid(reason: string) {
  return {
    message: reason,
    fix: 'write the image as [registry/]repository[:tag][@sha256:<64 hex>], with a lowercase repository path',
  };
}

/**
 * Fixes that name aws-cdk-lib's API or CDK context are for CDK apps; `templateFix` says the same
 * for a CloudFormation template or a task definition file, where the image is written out.
 */
export function unresolved(image: string, unknown: string) {
  return {
    message: `the tag or digest of image "${image}" is only known at deploy time (it comes from ${unknown}), so synthesis cannot check it`,
    fix: 'pass the tag or digest as a literal at synth time (for example from CDK context or an environment variable); if your pipeline always supplies an immutable tag or digest, acknowledge this finding or set unresolvedImages to IGNORE',
    templateFix: 'write the tag or digest into the template as a literal; if every deployment passes an immutable tag or digest, set unresolvedImages to IGNORE in the policy file (or scan with --unresolved ignore)',
  };
}

export function unreadable(what: string) {
  return {
    message: `its images cannot be found at synth time: ${what}, so whatever it holds at deploy time is not checked`,
    fix: 'write the property as the template will have it (a list of objects with literal images), or check the deployed resource; acknowledge this finding if the images are pinned elsewhere',
    templateFix: 'write the property as a list of objects with literal images, or scan the template CloudFormation deployed (aws cloudformation get-template --template-stage Processed --stack-name <stack>)',
  };
}

export function beyondLimit(image: string, limit: string) {
  return {
    message: `image "${image}" was not checked: it is ${limit}`,
    fix: 'simplify how the image is written (fewer nested Fn::If or Fn::FindInMap alternatives), so that every value it can take can be checked',
  };
}

export function movingSsmParameter(image: string, parameterName: string, tag: string) {
  const fix = parameterName.startsWith(FLUENT_BIT_PARAMETER_PREFIX)
    ? 'add the FireLens log router yourself, with a pinned image, before any container uses the FireLens log driver: ' +
      "taskDefinition.addFirelensLogRouter('log-router', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:<version>'), " +
      'firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT } })'
    : `use an image with a version tag or a digest instead of the SSM parameter "${parameterName}"`;
  const templateFix = parameterName.startsWith(FLUENT_BIT_PARAMETER_PREFIX)
    ? 'write the FireLens log router\'s image with a version instead of the SSM parameter, e.g. ' +
      '"public.ecr.aws/aws-observability/aws-for-fluent-bit:<version>" (the container with FirelensConfiguration Type fluentbit)'
    : undefined;
  return {
    message: `image "${image}" comes from the SSM parameter "${parameterName}", whose "${tag}" always points at the newest release`,
    fix,
    templateFix,
  };
}

export function notLocked(image: string, lockFile: string) {
  return {
    message: `image "${image}" is not in the lock file ${lockFile}, so synthesis cannot pin it to the digest its tag points at`,
    fix: `run \`npx cdk-image-pinning lock\` to add it to ${lockFile}, and commit the file`,
  };
}

export function pinnedTag(image: string, tag: string) {
  return { message: `image "${image}" is pinned to the tag "${tag}"` };
}

export function pinnedDigest(image: string) {
  return { message: `image "${image}" is pinned to a digest` };
}

export function asset(image: string) {
  return { message: `image "${image}" is a CDK asset, tagged with the hash of its content` };
}

export function allowed(message: string, pattern: string) {
  return { message: `${message}; allowed by the allowedImages pattern "${pattern}"` };
}

export function immutableTag(image: string, tag: string, why: string) {
  return { message: `image "${image}" has the tag "${tag}" in ${why}, so the tag cannot move` };
}

export function versionedImage(image: string) {
  return { message: `image "${image}" is a Lightsail image pushed to its container service, stored under a version that never changes` };
}

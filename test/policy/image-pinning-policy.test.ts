import { evaluateIntrinsic } from '../../src/cfn/intrinsics';
import { ImagePinningPolicy } from '../../src/policy/image-pinning-policy';
import { ImageVerdict, PinningReason } from '../../src/policy/image-verdict';
import { PinningLevel, UnresolvedImageAction } from '../../src/policy/pinning-level';
import { ImagePinningPolicyProps } from '../../src/policy/policy-options';
import { ImageValue } from '../../src/value/image-value';
import { reportedAs } from '../support/outcome';

const HEX64 = '0123456789abcdef'.repeat(4);
const DIGEST = `sha256:${HEX64}`;
const ASSET_HASH = 'a1b2c3d4e5f6'.repeat(6).slice(0, 64);
const ASSET_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:${ASSET_HASH}`;
const LEGACY_ASSET_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-cdk/assets:${ASSET_HASH}`;

const R = PinningReason;

function evaluate(image: string, props: ImagePinningPolicyProps = {}): ImageVerdict {
  return new ImagePinningPolicy(props).evaluate(image);
}

/** `nginx:<param:Tag>`: an image whose tag is a CloudFormation parameter. */
function unresolvedTemplate(name = 'nginx') {
  return evaluateIntrinsic(
    { 'Fn::Join': ['', [`${name}:`, { Ref: 'Tag' }]] },
    { parameter: (id) => (id === 'Tag' ? { type: 'String' } : undefined) },
  );
}

/** Checks what every verdict must satisfy, whatever its reason. */
function expectConsistent(verdict: ImageVerdict, image: string): void {
  expect(verdict.image).toBe(image);
  // parse errors quote long inputs elided (their start, and the length)
  const quoted = verdict.reason === PinningReason.INVALID_REFERENCE && image.length > 80 ? image.slice(0, 40) : image;
  expect(verdict.message).toContain(quoted);
  if (verdict.compliant) {
    expect(verdict.fix).toBeUndefined();
  } else {
    expect(verdict.fix).toEqual(expect.any(String));
    expect(verdict.fix!.length).toBeGreaterThan(0);
  }
}

describe('required expectations', () => {
  test.each<[string, PinningReason]>([
    ['nginx', R.NO_TAG],
    ['nginx:latest', R.MOVING_TAG],
    ['nginx:LATEST', R.MOVING_TAG],
    ['nginx:stable', R.MOVING_TAG],
    ['nginx:1.27.3', R.PINNED_TAG],
    ['localhost:5000/app', R.NO_TAG],
    // docker.io/library/test.com with the tag 5000: shaped like a release line of an official image.
    ['test.com:5000', R.FLOATING_TAG],
    [`app@${DIGEST}`, R.PINNED_DIGEST],
    [`app:latest@${DIGEST}`, R.PINNED_DIGEST],
    ['app@sha256:abc', R.INVALID_REFERENCE],
    ['MyApp:1.0', R.INVALID_REFERENCE],
  ])('level TAG (the default): %s is %s', (image, reason) => {
    const verdict = new ImagePinningPolicy().evaluate(image);
    expect(verdict.reason).toBe(reason);
    expectConsistent(verdict, image);
  });

  test('the default level is TAG', () => {
    expect(new ImagePinningPolicy().level).toBe(PinningLevel.TAG);
    expect(new ImagePinningPolicy({ level: PinningLevel.DIGEST }).level).toBe(PinningLevel.DIGEST);
  });

  test.each<[string, PinningReason]>([
    ['node:20', R.FLOATING_TAG],
    ['nginx:1.27', R.FLOATING_TAG],
  ])('level VERSION: %s is %s', (image, reason) => {
    expect(evaluate(image, { level: PinningLevel.VERSION }).reason).toBe(reason);
  });

  test('level DIGEST: nginx:1.27.3 is NO_DIGEST', () => {
    expect(evaluate('nginx:1.27.3', { level: PinningLevel.DIGEST }).reason).toBe(R.NO_DIGEST);
  });
});

describe('every reason at every level', () => {
  const fluentBit = 'public.ecr.aws/aws-observability/aws-for-fluent-bit';
  const allowFluentBit: ImagePinningPolicyProps = { allowedImages: ['public.ecr.aws/aws-observability/*'] };

  // image, reason at TAG, at VERSION, at DIGEST, extra props
  test.each<[string, PinningReason, PinningReason, PinningReason, ImagePinningPolicyProps]>([
    ['nginx', R.NO_TAG, R.NO_TAG, R.NO_DIGEST, {}],
    ['registry.example.com:5000/team/app', R.NO_TAG, R.NO_TAG, R.NO_DIGEST, {}],
    ['nginx:latest', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    ['nginx:Stable', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    ['ubuntu:devel', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    // Release lines of Docker Official Images move with each release; elsewhere they pass at TAG.
    ['node:20', R.FLOATING_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['python:3.12-slim', R.FLOATING_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['postgres:16', R.FLOATING_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['postgres:16.4', R.PINNED_TAG, R.PINNED_TAG, R.NO_DIGEST, {}],
    ['postgres:9.6', R.FLOATING_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['ghcr.io/team/app:20', R.PINNED_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    // A tag without a digit names no version at all.
    ['debian:bookworm', R.NO_VERSION, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['nginx:alpine', R.NO_VERSION, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['ghcr.io/team/app:prod', R.NO_VERSION, R.FLOATING_TAG, R.NO_DIGEST, {}],
    // A channel word as a component moves like the word itself, unless the tag names an exact version.
    ['nginx:latest-arm64v8', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    ['nginx:stable-alpine', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    ['node:lts-alpine', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    ['nginx:mainline-alpine3.20-perl', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, {}],
    ['ghcr.io/team/app:1.2.3-SNAPSHOT', R.PINNED_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['ghcr.io/team/app:1.2.3-nightly', R.PINNED_TAG, R.FLOATING_TAG, R.NO_DIGEST, {}],
    ['ghcr.io/team/app:nightly-20260810', R.PINNED_TAG, R.PINNED_TAG, R.NO_DIGEST, {}],
    ['nginx:1.27.3', R.PINNED_TAG, R.PINNED_TAG, R.NO_DIGEST, {}],
    ['ubuntu:jammy-20260810', R.PINNED_TAG, R.PINNED_TAG, R.NO_DIGEST, {}],
    ['localhost:5000/app:v2.4.1-alpine3.20', R.PINNED_TAG, R.PINNED_TAG, R.NO_DIGEST, {}],
    [`nginx@${DIGEST}`, R.PINNED_DIGEST, R.PINNED_DIGEST, R.PINNED_DIGEST, {}],
    [`nginx:latest@${DIGEST}`, R.PINNED_DIGEST, R.PINNED_DIGEST, R.PINNED_DIGEST, {}],
    [`node:20@${DIGEST}`, R.PINNED_DIGEST, R.PINNED_DIGEST, R.PINNED_DIGEST, {}],
    ['app@sha256:abc', R.INVALID_REFERENCE, R.INVALID_REFERENCE, R.INVALID_REFERENCE, {}],
    ['MyApp:1.0', R.INVALID_REFERENCE, R.INVALID_REFERENCE, R.INVALID_REFERENCE, {}],
    ['app:', R.INVALID_REFERENCE, R.INVALID_REFERENCE, R.INVALID_REFERENCE, {}],
    [`app@sha512:${HEX64}${HEX64}`, R.INVALID_REFERENCE, R.INVALID_REFERENCE, R.INVALID_REFERENCE, {}],
    // Written as a plain string, an asset repository's 64-hex tag is a tag (no stack makes it its own asset).
    [ASSET_IMAGE, R.PINNED_TAG, R.PINNED_TAG, R.NO_DIGEST, {}],
    [`${fluentBit}:latest`, R.ALLOWED, R.ALLOWED, R.ALLOWED, allowFluentBit],
    [fluentBit, R.ALLOWED, R.ALLOWED, R.ALLOWED, allowFluentBit],
    [`${fluentBit}:2`, R.PINNED_TAG, R.ALLOWED, R.ALLOWED, allowFluentBit],
    [`${fluentBit}:2.32.0`, R.PINNED_TAG, R.PINNED_TAG, R.ALLOWED, allowFluentBit],
    [`${fluentBit}@${DIGEST}`, R.PINNED_DIGEST, R.PINNED_DIGEST, R.PINNED_DIGEST, allowFluentBit],
    ['nginx:latest', R.ALLOWED, R.ALLOWED, R.ALLOWED, { allowedImages: ['docker.io/library/nginx'] }],
    ['nginx:latest', R.MOVING_TAG, R.MOVING_TAG, R.NO_DIGEST, { allowedImages: ['docker.io/library/redis'] }],
  ])('%s: %s at TAG, %s at VERSION, %s at DIGEST, options %j', (image, atTag, atVersion, atDigest, props) => {
    const expected: Array<[PinningLevel, PinningReason]> = [
      [PinningLevel.TAG, atTag],
      [PinningLevel.VERSION, atVersion],
      [PinningLevel.DIGEST, atDigest],
    ];
    for (const [level, reason] of expected) {
      const verdict = evaluate(image, { ...props, level });
      expect({ level, reason: verdict.reason }).toEqual({ level, reason });
      const compliant = [R.PINNED_TAG, R.PINNED_DIGEST, R.ASSET, R.ALLOWED].includes(reason);
      expect({ level, compliant: verdict.compliant }).toEqual({ level, compliant });
      expect({ level, reported: reportedAs(verdict) }).toEqual({ level, reported: compliant ? 'none' : 'error' });
      expectConsistent(verdict, image);
    }
  });

  test('valid verdicts carry the parsed parts; invalid ones do not', () => {
    const pinned = evaluate(`localhost:5000/app:1.2.3@${DIGEST}`);
    expect(pinned.name).toBe('localhost:5000/app');
    expect(pinned.tag).toBe('1.2.3');
    expect(pinned.digest).toBe(DIGEST);
    expect(pinned.reference?.toString()).toBe(`localhost:5000/app:1.2.3@${DIGEST}`);

    const hub = evaluate('nginx:latest');
    expect(hub.name).toBe('docker.io/library/nginx');
    expect(hub.tag).toBe('latest');
    expect(hub.digest).toBeUndefined();

    const invalid = evaluate('MyApp:1.0');
    expect(invalid.reference).toBeUndefined();
    expect(invalid.tag).toBeUndefined();
  });
});

describe('messages and fixes', () => {
  test('an invalid reference says what is wrong and where', () => {
    const verdict = evaluate('MyApp:1.0');
    expect(verdict.message).toMatch(/^Invalid image reference/);
    expect(verdict.message).toMatch(/uppercase/);
    expect(verdict.message).toMatch(/\(position 1\)/);
    expect(reportedAs(verdict)).toBe('error');
  });

  test('a moving tag names the tag, and the fix keeps the image name', () => {
    const verdict = evaluate('registry.example.com/team/app:latest');
    expect(verdict.message).toContain('"latest"');
    expect(verdict.fix).toContain('registry.example.com/team/app:');
    expect(verdict.fix).toContain('registry.example.com/team/app@sha256:');
  });

  test('a missing tag: the fix suggests a tag or a digest for the name as written', () => {
    const verdict = evaluate('nginx');
    expect(verdict.fix).toContain('nginx:');
    expect(verdict.fix).toContain('nginx@sha256:');
    expect(verdict.fix).not.toContain('docker.io/library');
  });

  test('a missing digest: the fix appends a digest to the image as written', () => {
    expect(evaluate('nginx:1.27.3', { level: PinningLevel.DIGEST }).fix).toContain('nginx:1.27.3@sha256:');
    expect(evaluate('nginx', { level: PinningLevel.DIGEST }).fix).toContain('nginx@sha256:');
  });

  test('a floating tag names the tag', () => {
    const verdict = evaluate('node:20', { level: PinningLevel.VERSION });
    expect(verdict.message).toContain('"20"');
    expect(verdict.fix).toContain('node');
  });
});

describe('VERSION: tags that name one exact version (src/policy/version-tag.ts)', () => {
  const versionPolicy = new ImagePinningPolicy({ level: PinningLevel.VERSION });

  test.each([
    // full versions
    '1.27.3',
    'v2.4.1-alpine3.20',
    'V2.4.1',
    '17.0.9_9-jdk',
    'release-1.2.3',
    '1.2.3.4',
    '1.27.3-rc.1',
    'bookworm_1.2.3',
    // date stamps
    'jammy-20260810',
    '20260810',
    '2026-08-10',
    '2026.08.10',
    '2026_08_10',
    'nightly-20260810123000',
    'build-202608101230',
    '19991231',
    // commit hashes
    'sha-1a2b3c4',
    '3f9e2c1d8b7a',
    '0123456789abcdef0123456789abcdef01234567',
    'ABCDEF1',
    HEX64,
  ])('%s is exact', (tag) => {
    const verdict = versionPolicy.evaluate(`app:${tag}`);
    expect(verdict.reason).toBe(R.PINNED_TAG);
    expect(verdict.compliant).toBe(true);
  });

  test.each([
    // release lines
    '20',
    '1.27',
    '2.x',
    '22.04',
    '1.2.3.x',
    '1.x.3',
    'v1.2',
    // a full version glued to a word or followed by more digits or dots
    'alpine1.2.3',
    '1.2.3.',
    // variants and codenames
    'alpine',
    'slim',
    'bookworm',
    'jammy',
    '3.12-slim',
    // hex-like words that are not hashes
    'deadbeef',
    'cafebabe',
    '1234567',
    'abc123',
    // implausible or embedded dates
    '20261340',
    '20260832',
    '2026-13-10',
    '2026-08.10',
    '120260810',
    '18990101',
  ])('%s floats', (tag) => {
    const verdict = versionPolicy.evaluate(`app:${tag}`);
    expect(verdict.reason).toBe(R.FLOATING_TAG);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('error');
  });

  test('a 65-character hex tag is not a commit hash (longer than 64)', () => {
    expect(versionPolicy.evaluate(`app:${'a1'.repeat(32)}f`).reason).toBe(R.FLOATING_TAG);
  });

  test('at level TAG, release lines other than those of Docker Official Images pass; a tag without a digit does not', () => {
    expect(evaluate('app:2.x').reason).toBe(R.PINNED_TAG);
    expect(evaluate('team/app:20').reason).toBe(R.PINNED_TAG);
    expect(evaluate('app:alpine').reason).toBe(R.NO_VERSION);
    expect(evaluate('app:alpine').message).toBe('image "app:alpine" uses the tag "alpine", which names no version: an alias that the registry moves to each new release');
  });
});

describe('moving tags', () => {
  test('defaultMovingTags() returns the documented channel words', () => {
    expect(ImagePinningPolicy.defaultMovingTags()).toEqual([
      'latest', 'stable', 'mainline', 'edge', 'nightly', 'current', 'lts', 'rolling', 'devel',
      'testing', 'unstable', 'sid', 'main', 'master', 'develop', 'dev', 'canary', 'snapshot',
    ]);
  });

  test('defaultMovingTags() returns a copy', () => {
    const tags = ImagePinningPolicy.defaultMovingTags();
    tags.length = 0;
    expect(ImagePinningPolicy.defaultMovingTags()).toContain('latest');
    expect(evaluate('nginx:latest').reason).toBe(R.MOVING_TAG);
  });

  test.each(ImagePinningPolicy.defaultMovingTags().flatMap((t) => [t, t.toUpperCase(), t[0].toUpperCase() + t.slice(1)]))(
    'default moving tag %s (any case)',
    (tag) => {
      expect(evaluate(`app:${tag}`).reason).toBe(R.MOVING_TAG);
    },
  );

  test.each(['latest-alpine', 'mainline-1.27', 'v1-dev-build', 'lts_slim', 'edge.2'])('%s has a channel word as a component: it moves', (tag) => {
    expect(evaluate(`ghcr.io/team/app:${tag}`).reason).toBe(R.MOVING_TAG);
  });

  test.each(['stable1', 'mainline1.27', '1.2.3-dev', 'dev-5f3c2a1', 'latest-20260810'])('%s: no channel word as a whole component, or an exact version too: it does not move', (tag) => {
    expect(evaluate(`ghcr.io/team/app:${tag}`).reason).toBe(R.PINNED_TAG);
  });

  test('movingTags replaces the list, words and components alike', () => {
    const props = { movingTags: ['edge', 'prod'] };
    expect(evaluate('app:latest-1', props).reason).toBe(R.PINNED_TAG);
    expect(evaluate('app:stable-2', props).reason).toBe(R.PINNED_TAG);
    expect(evaluate('app:edge', props).reason).toBe(R.MOVING_TAG);
    expect(evaluate('app:PROD', props).reason).toBe(R.MOVING_TAG);
    expect(evaluate('app:prod-eu1', props).reason).toBe(R.MOVING_TAG);
  });

  test('an empty movingTags list means no tag moves as a channel (a tag without a digit still names no version)', () => {
    expect(evaluate('app:latest-1', { movingTags: [] }).reason).toBe(R.PINNED_TAG);
    expect(evaluate('app:latest', { movingTags: [] }).reason).toBe(R.NO_VERSION);
    expect(evaluate('app', { movingTags: [] }).reason).toBe(R.NO_TAG);
  });

  test('additionalMovingTags extends the built-in list', () => {
    const props = { additionalMovingTags: ['prod'] };
    expect(evaluate('app:latest', props).reason).toBe(R.MOVING_TAG);
    expect(evaluate('app:prod', props).reason).toBe(R.MOVING_TAG);
    expect(evaluate('app:1.0.0', props).reason).toBe(R.PINNED_TAG);
  });

  test('additionalMovingTags extends movingTags', () => {
    const props = { movingTags: ['edge'], additionalMovingTags: ['prod'] };
    expect(evaluate('app:edge', props).reason).toBe(R.MOVING_TAG);
    expect(evaluate('app:prod', props).reason).toBe(R.MOVING_TAG);
    expect(evaluate('app:latest-1', props).reason).toBe(R.PINNED_TAG);
  });

  test.each<[string, string, PinningReason]>([
    ['*-snapshot', '1.2.3-snapshot', R.MOVING_TAG],
    ['*-snapshot', '1.2.3-SNAPSHOT', R.MOVING_TAG],
    ['*-snapshot', '1.2.3-snapshot-2', R.PINNED_TAG],
    ['*-snapshot', 'snapshot', R.MOVING_TAG], // 'snapshot' is a built-in
    ['*-latest', 'alpine-latest', R.MOVING_TAG],
    ['*-latest', 'latest-alpine', R.MOVING_TAG], // 'latest' is a component
    ['latest-*', 'latest-alpine', R.MOVING_TAG],
    ['*nightly*', '1.0-nightly-2', R.MOVING_TAG],
    ['v*.x', 'v2.x', R.MOVING_TAG],
    ['v*.x', 'v2.1', R.PINNED_TAG],
    ['*', '1.2.3', R.MOVING_TAG],
  ])('additional moving tag %s: %s is %s', (pattern, tag, reason) => {
    expect(evaluate(`ghcr.io/team/app:${tag}`, { additionalMovingTags: [pattern] }).reason).toBe(reason);
  });

  test('a moving tag with a digest is pinned', () => {
    expect(evaluate(`app:latest@${DIGEST}`, { additionalMovingTags: ['*'] }).reason).toBe(R.PINNED_DIGEST);
  });
});

describe('allowedImages', () => {
  test('a wildcard pattern allows an image with a moving tag, and the message names the pattern', () => {
    const image = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:latest';
    const verdict = evaluate(image, { allowedImages: ['public.ecr.aws/aws-observability/*'] });
    expect(verdict.reason).toBe(R.ALLOWED);
    expect(verdict.compliant).toBe(true);
    expect(verdict.fix).toBeUndefined();
    expect(verdict.message).toContain(image);
    expect(verdict.message).toContain('public.ecr.aws/aws-observability/*');
    // the verdict still says what the problem would have been
    expect(verdict.message).toContain('latest');
  });

  test('patterns match the normalized name', () => {
    expect(evaluate('nginx', { allowedImages: ['docker.io/library/nginx'] }).reason).toBe(R.ALLOWED);
    expect(evaluate('index.docker.io/nginx:latest', { allowedImages: ['docker.io/library/nginx'] }).reason).toBe(R.ALLOWED);
    expect(evaluate('docker.io/library/nginx', { allowedImages: ['docker.io/library/*'] }).reason).toBe(R.ALLOWED);
    expect(evaluate('bitnami/redis', { allowedImages: ['docker.io/bitnami/*'] }).reason).toBe(R.ALLOWED);
  });

  test('patterns match the whole name, not a prefix or the tag', () => {
    expect(evaluate('nginx-extra:latest', { allowedImages: ['docker.io/library/nginx'] }).reason).toBe(R.MOVING_TAG);
    expect(evaluate('public.ecr.aws/other/app:latest', { allowedImages: ['public.ecr.aws/aws-observability/*'] }).reason).toBe(R.MOVING_TAG);
    expect(evaluate('nginx:latest', { allowedImages: ['*:latest'] }).reason).toBe(R.MOVING_TAG);
  });

  test('"*" matches across "/"', () => {
    expect(evaluate('registry.example.com/a/b/c:latest', { allowedImages: ['registry.example.com/*'] }).reason).toBe(R.ALLOWED);
    expect(evaluate('registry.example.com/a/b/c:latest', { allowedImages: ['*/c'] }).reason).toBe(R.ALLOWED);
  });

  test('an invalid reference is not allowed, even by "*"', () => {
    const verdict = evaluate('MyApp:1.0', { allowedImages: ['*'] });
    expect(verdict.reason).toBe(R.INVALID_REFERENCE);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('error');
    expect(evaluate('app@sha256:abc', { allowedImages: ['*'] }).reason).toBe(R.INVALID_REFERENCE);
  });

  test('a compliant image keeps its own reason', () => {
    expect(evaluate('nginx:1.27.3', { allowedImages: ['*'] }).reason).toBe(R.PINNED_TAG);
    expect(evaluate(`nginx@${DIGEST}`, { allowedImages: ['*'] }).reason).toBe(R.PINNED_DIGEST);
    expect(evaluate(ASSET_IMAGE, { allowedImages: ['*'] }).reason).toBe(R.PINNED_TAG);
  });

  test('the first matching pattern is named', () => {
    const verdict = evaluate('nginx', { allowedImages: ['docker.io/library/redis', 'docker.io/*', '*'] });
    expect(verdict.message).toContain('"docker.io/*"');
  });
});

describe('unresolved images', () => {
  test('an image with a parameter tag is UNRESOLVED with a WARNING by default', () => {
    const verdict = new ImagePinningPolicy()._evaluateValue(unresolvedTemplate());
    expect(verdict.reason).toBe(R.UNRESOLVED);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('warning');
    expect(verdict.image).toBe('nginx:<param:Tag>');
    expect(verdict.message).toContain('nginx:<param:Tag>');
    expect(verdict.fix).toEqual(expect.any(String));
    expect(verdict.name).toBe('docker.io/library/nginx');
  });

  test.each<[UnresolvedImageAction, string]>([
    [UnresolvedImageAction.WARN, 'warning'],
    [UnresolvedImageAction.ERROR, 'error'],
    [UnresolvedImageAction.IGNORE, 'none'],
  ])('unresolvedImages %s: reported as %s, at every level', (unresolvedImages, severity) => {
    for (const level of [PinningLevel.TAG, PinningLevel.VERSION, PinningLevel.DIGEST]) {
      const verdict = new ImagePinningPolicy({ level, unresolvedImages })._evaluateValue(unresolvedTemplate());
      expect(verdict.reason).toBe(R.UNRESOLVED);
      expect(reportedAs(verdict, new ImagePinningPolicy({ unresolvedImages }).unresolvedImages)).toBe(severity);
      expect(verdict.compliant).toBe(false);
    }
  });

  test('unresolvedImages does not change the severity of other findings', () => {
    expect(reportedAs(evaluate('nginx:latest'), UnresolvedImageAction.IGNORE)).toBe('error');
    expect(reportedAs(evaluate('nginx'), UnresolvedImageAction.WARN)).toBe('error');
  });

  test('allowedImages applies to an unresolved image whose name is known', () => {
    const verdict = new ImagePinningPolicy({ allowedImages: ['docker.io/library/nginx'] })._evaluateValue(unresolvedTemplate());
    expect(verdict.reason).toBe(R.ALLOWED);
    expect(verdict.compliant).toBe(true);
    expect(new ImagePinningPolicy({ allowedImages: ['docker.io/library/redis'] })._evaluateValue(unresolvedTemplate()).reason).toBe(R.UNRESOLVED);
  });
});

describe("asset images: content-pinned in the stack's own asset repository (the check decides where an image is)", () => {
  const asAsset = (image: string, props: ImagePinningPolicyProps = {}) =>
    new ImagePinningPolicy(props)._evaluateValue(ImageValue.literal(image), { stackAssetImage: true });

  test.each([ASSET_IMAGE, LEGACY_ASSET_IMAGE])("%s in its stack's asset repository is an ASSET at DIGEST by default", (image) => {
    const verdict = asAsset(image, { level: PinningLevel.DIGEST });
    expect(verdict.reason).toBe(R.ASSET);
    expect(verdict.compliant).toBe(true);
  });

  test('the same 64-hex tag anywhere else is just a tag: no digest at DIGEST', () => {
    expect(evaluate(ASSET_IMAGE, { level: PinningLevel.DIGEST }).reason).toBe(R.NO_DIGEST);
  });

  test.each([ASSET_IMAGE, LEGACY_ASSET_IMAGE])('%s is NO_DIGEST at DIGEST with allowAssetImages: false', (image) => {
    const verdict = asAsset(image, { level: PinningLevel.DIGEST, allowAssetImages: false });
    expect(verdict.reason).toBe(R.NO_DIGEST);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('error');
    expect(verdict.fix).toContain('@sha256:');
  });

  test('allowAssetImages: false does not matter at TAG and VERSION', () => {
    expect(asAsset(ASSET_IMAGE, { allowAssetImages: false }).reason).toBe(R.ASSET);
    expect(asAsset(ASSET_IMAGE, { level: PinningLevel.VERSION, allowAssetImages: false }).reason).toBe(R.ASSET);
  });

  test.each([
    [`123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:${ASSET_HASH.slice(1)}`],
    [`123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:${ASSET_HASH.toUpperCase()}`],
  ])('%s: not a content hash, not an asset', (image) => {
    expect(asAsset(image, { level: PinningLevel.DIGEST }).reason).toBe(R.NO_DIGEST);
  });
});

describe('options are validated at construction', () => {
  test.each<[string, ImagePinningPolicyProps, RegExp]>([
    ['unknown level', { level: 'STRICT' as any }, /level.*STRICT/],
    ['lowercase level', { level: 'tag' as any }, /level/],
    ['unknown unresolvedImages', { unresolvedImages: 'FAIL' as any }, /unresolvedImages.*FAIL/],
    ['allowAssetImages not a boolean', { allowAssetImages: 'no' as any }, /allowAssetImages/],
    ['empty allowedImages entry', { allowedImages: [''] }, /allowedImages\[0\].*empty/],
    ['allowedImages entry with a tag', { allowedImages: ['docker.io/library/nginx:1.2'] }, /allowedImages\[0\].*tag/],
    ['allowedImages entry with a digest', { allowedImages: [`docker.io/library/nginx@${DIGEST}`] }, /allowedImages\[0\].*digest/],
    ['allowedImages entry with a space', { allowedImages: ['docker.io/library/ng inx'] }, /allowedImages\[0\]/],
    ['allowedImages entry with a unicode character', { allowedImages: ['docker.io/library/café'] }, /allowedImages\[0\]/],
    ['allowedImages bare name', { allowedImages: ['nginx'] }, /allowedImages\[0\].*docker\.io\/library\/nginx/],
    ['allowedImages second entry', { allowedImages: ['docker.io/library/nginx', ''] }, /allowedImages\[1\]/],
    ['allowedImages entry not a string', { allowedImages: [42 as any] }, /allowedImages\[0\]/],
    ['allowedImages not a list', { allowedImages: 'docker.io/library/nginx' as any }, /allowedImages.*list/],
    ['empty movingTags entry', { movingTags: [''] }, /movingTags\[0\].*empty/],
    ['movingTags entry with "/"', { movingTags: ['a/b'] }, /movingTags\[0\]/],
    ['movingTags entry with a space', { movingTags: ['la test'] }, /movingTags\[0\]/],
    ['movingTags entry starting with "."', { movingTags: ['.x'] }, /movingTags\[0\]/],
    ['movingTags entry over 128 characters', { movingTags: ['a'.repeat(129)] }, /movingTags\[0\]/],
    ['movingTags not a list', { movingTags: 'latest' as any }, /movingTags.*list/],
    ['additionalMovingTags entry with ":"', { additionalMovingTags: ['ok', 'a:b'] }, /additionalMovingTags\[1\]/],
    ['additionalMovingTags not a list', { additionalMovingTags: { latest: true } as any }, /additionalMovingTags.*list/],
  ])('%s', (_title, props, error) => {
    expect(() => new ImagePinningPolicy(props)).toThrow(error);
  });

  test.each<[string, ImagePinningPolicyProps]>([
    ['no options', {}],
    ['every level', { level: PinningLevel.VERSION }],
    ['a host with port and wildcard', { allowedImages: ['localhost:5000/*'] }],
    ['an IPv6 host', { allowedImages: ['[::1]:5000/app'] }],
    ['an unknown part as shown', { allowedImages: ['<account>.dkr.ecr.<region>.<urlsuffix>/base'] }],
    ['a bare "*"', { allowedImages: ['*'] }],
    ['tag patterns', { movingTags: ['*-snapshot', '_x', 'V1.x'], additionalMovingTags: ['*'] }],
    ['explicit defaults', { unresolvedImages: UnresolvedImageAction.WARN, allowAssetImages: true }],
  ])('accepts %s', (_title, props) => {
    expect(() => new ImagePinningPolicy(props)).not.toThrow();
  });
});

describe('evaluate never throws', () => {
  test.each<[string, unknown]>([
    ['empty string', ''],
    ['spaces', '   '],
    ['100,000 characters', 'a'.repeat(100_000)],
    ['100,000 characters of a hostile shape', 'a-'.repeat(50_000) + 'A'],
    ['a long valid host', 'a.'.repeat(50_000) + 'a/b'],
    ['newline', 'nginx\n:1.0'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { image: 'nginx' }],
  ])('%s', (_title, input) => {
    const policy = new ImagePinningPolicy({ allowedImages: ['docker.io/*', '*/x*y*z*'] });
    let verdict: ImageVerdict | undefined;
    const start = process.hrtime.bigint();
    expect(() => {
      verdict = policy.evaluate(input as string);
    }).not.toThrow();
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1_000);
    expect(verdict).toBeDefined();
    expect(typeof verdict!.message).toBe('string');
    expect(Object.values(PinningReason)).toContain(verdict!.reason);
  });

  test.each(['', '   ', 'a'.repeat(100_000)])('malformed string %#: INVALID_REFERENCE', (input) => {
    const verdict = evaluate(input);
    expect(verdict.reason).toBe(R.INVALID_REFERENCE);
    expect(verdict.compliant).toBe(false);
    expect(verdict.message).toMatch(/^Invalid image reference/);
    expect(verdict.message.length).toBeLessThan(1_000);
  });

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['a number', 42],
    ['null', null],
  ])('non-string input (%s) is an INVALID_REFERENCE error that says so', (_title, input) => {
    const verdict = new ImagePinningPolicy({ unresolvedImages: UnresolvedImageAction.IGNORE }).evaluate(input as string);
    expect(verdict.compliant).toBe(false);
    expect(verdict.reason).toBe(R.INVALID_REFERENCE);
    expect(reportedAs(verdict)).toBe('error');
    expect(verdict.message).toMatch(/the image is not a string \(got <(undefined|number|null)>\)/);
  });
});

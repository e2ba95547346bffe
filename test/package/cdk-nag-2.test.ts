import { AWS_CDK_LIB, CONSTRUCTS, FreshApp, FreshAppResult, installFreshApp, INSTALL_TIMEOUT } from './fresh-app';

// (b) An app on cdk-nag 2: the package installs beside it (no ERESOLVE), the Aspect and the
// plugin work, the README's cdk-nag 2 pack works, and the cdk-nag 3 pack says what it needs.
describe('the packed package in a fresh app with cdk-nag 2', () => {
  let app: FreshApp & { remove(): void };
  let result: FreshAppResult;

  beforeAll(() => {
    app = installFreshApp('cdk-nag-2', [AWS_CDK_LIB, CONSTRUCTS, 'cdk-nag@^2']);
    result = app.run('--cdk-nag-2-pack');
  }, INSTALL_TIMEOUT);
  afterAll(() => app?.remove());

  test('npm installs cdk-nag 2 beside the package', () => {
    expect(app.installedVersion('cdk-nag')).toMatch(/^2\./);
  });

  test('ImagePinning.enforce puts the error annotation on the container', () => {
    expect(result.aspect).toEqual([expect.stringMatching(/^\/S\/Task\/web \[ImagePinning-ECS1\] Container "web"/)]);
  });

  test('the validation plugin reports the finding and fails synthesis', () => {
    expect(result.validator).toEqual({ violations: ['ImagePinningValidator error ImagePinning-ECS1[web]'], exitCode: 1 });
  });

  test("the README's cdk-nag 2 pack (ImagePinning.check) reports the finding", () => {
    expect(result.cdkNag2Pack).toEqual([expect.stringMatching(/^\/S\/Task\/Resource ImagePinning-ECS1\[web\]: \[ImagePinning-ECS1\] Container "web"/)]);
  });

  test('constructing the cdk-nag 3 pack names the installed version and both ways out', () => {
    expect(result.pack.error).toMatchObject({ name: 'CdkNagUnavailableError' });
    expect(result.pack.error?.message).toBe(
      `ImagePinningChecks needs cdk-nag 3, but cdk-nag ${app.installedVersion('cdk-nag')} is installed: npm install cdk-nag@^3; ` +
        'with cdk-nag 2, call ImagePinning.check from a cdk-nag 2 pack instead (README, "cdk-nag 2").',
    );
  });
});

import { AWS_CDK_LIB, CONSTRUCTS, FreshApp, FreshAppResult, installFreshApp, INSTALL_TIMEOUT } from './fresh-app';

// (c) An app on cdk-nag 3: every front door, the pack included, reports the unpinned image.
describe('the packed package in a fresh app with cdk-nag 3', () => {
  let app: FreshApp & { remove(): void };
  let result: FreshAppResult;

  beforeAll(() => {
    app = installFreshApp('cdk-nag-3', [AWS_CDK_LIB, CONSTRUCTS, 'cdk-nag@3.0.2']);
    result = app.run();
  }, INSTALL_TIMEOUT);
  afterAll(() => app?.remove());

  test('npm installs cdk-nag 3 beside the package', () => {
    expect(app.installedVersion('cdk-nag')).toBe('3.0.2');
  });

  test('ImagePinning.enforce puts the error annotation on the container', () => {
    expect(result.aspect).toEqual([expect.stringMatching(/^\/S\/Task\/web \[ImagePinning-ECS1\] Container "web"/)]);
  });

  test('the validation plugin reports the finding and fails synthesis', () => {
    expect(result.validator).toEqual({ violations: ['ImagePinningValidator error ImagePinning-ECS1[web]'], exitCode: 1 });
  });

  test('the pack, registered with Validations, reports the finding and fails synthesis', () => {
    expect(result.pack).toEqual({ violations: ['ImagePinningChecks error ImagePinning-ECS1[web]'], exitCode: 1 });
  });
});

import { AWS_CDK_LIB, CONSTRUCTS, FreshApp, FreshAppResult, installFreshApp, INSTALL_TIMEOUT, TYPESCRIPT_APP } from './fresh-app';

// (a) An app that only uses the Aspect, the plugin and the CLI: npm installs no cdk-nag, and
// nothing but constructing the pack needs it.
describe('the packed package in a fresh app without cdk-nag', () => {
  let app: FreshApp & { remove(): void };
  let result: FreshAppResult;

  beforeAll(() => {
    app = installFreshApp('no-cdk-nag', [AWS_CDK_LIB, CONSTRUCTS]);
    result = app.run();
  }, INSTALL_TIMEOUT);
  afterAll(() => app?.remove());

  test('npm installs no cdk-nag (it is an optional peer)', () => {
    expect(app.installedVersion('cdk-nag')).toBeUndefined();
    expect(app.installedVersion('cdk-image-pinning')).toBeDefined();
  });

  test('require loads every export', () => {
    expect(result.exports).toEqual(expect.arrayContaining(['ImagePinning', 'ImagePinningChecks', 'ImagePinningValidator', 'ImagePinningPolicy']));
  });

  test('ImagePinning.enforce puts the error annotation on the container', () => {
    expect(result.aspect).toEqual([expect.stringMatching(/^\/S\/Task\/web \[ImagePinning-ECS1\] Container "web": image "nginx:latest" uses the moving tag "latest"/)]);
  });

  test('the validation plugin reports the finding and fails synthesis', () => {
    expect(result.validator).toEqual({ violations: ['ImagePinningValidator error ImagePinning-ECS1[web]'], exitCode: 1 });
  });

  test('constructing the pack says to install cdk-nag 3, and no "Cannot find module"', () => {
    expect(result.pack.error).toMatchObject({
      name: 'CdkNagUnavailableError',
      message: expect.stringMatching(/^ImagePinningChecks needs cdk-nag 3, which is not installed: npm install cdk-nag@\^3\. /),
    });
    expect(result.pack.error?.stack).not.toContain('Cannot find module');
  });

  test('the command-line scanner reports the unpinned image in the assembly and exits 1', () => {
    const scan = app.cli('scan', 'cdk.out');
    expect(scan.stderr).toBe('');
    expect(scan.stdout).toMatch(/error\s+ImagePinning-ECS1\s+Container "web": image "nginx:latest"/);
    expect(scan.status).toBe(1);
  });

  test('a TypeScript app with the settings of `cdk init` type-checks', () => {
    const check = app.typecheck(TYPESCRIPT_APP);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  test('with skipLibCheck off, the declarations need cdk-nag types (as the README says)', () => {
    const check = app.typecheck(TYPESCRIPT_APP, { skipLibCheck: false });
    expect(check.stdout).toContain("error TS2307: Cannot find module 'cdk-nag'");
  });
});

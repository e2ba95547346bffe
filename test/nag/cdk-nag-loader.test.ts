// The pack loads cdk-nag when it is constructed (src/nag/cdk-nag-loader.ts). Here jest stands in
// for the missing and the wrong cdk-nag; test/package/ checks the same with the packed tarball in
// fresh apps.
type Src = typeof import('../../src');
type Cdk = typeof import('aws-cdk-lib');

// A fresh module registry each time: the pack requires cdk-nag after this returns, into the
// registry of the test, so jest.isolateModules would not isolate it.
// aws-cdk-lib comes from the same registry, so that the pack's App is the App it knows.
function loadSrcWith(cdkNag: () => unknown): Src & { App: Cdk['App'] } {
  jest.resetModules();
  jest.doMock('cdk-nag', cdkNag);
  /* eslint-disable @typescript-eslint/no-require-imports */
  return { ...require('../../src'), App: require('aws-cdk-lib').App };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

afterEach(() => {
  jest.dontMock('cdk-nag');
  jest.resetModules();
});

describe('cdk-nag, loaded when the pack is constructed', () => {
  test('loading the index does not load cdk-nag', () => {
    const factory = jest.fn(() => jest.requireActual('cdk-nag'));
    const src = loadSrcWith(factory);
    expect(factory).not.toHaveBeenCalled();
    expect(() => new src.ImagePinningAspect()).not.toThrow();
  });

  test('the pack is a cdk-nag 3 NagPack once constructed', () => {
    const src = loadSrcWith(() => jest.requireActual('cdk-nag'));
    const nag = jest.requireActual('cdk-nag');
    const pack = new src.ImagePinningChecks(new src.App());
    expect(pack).toBeInstanceOf(nag.NagPack);
    expect(pack).toBeInstanceOf(src.ImagePinningChecks);
    expect(pack.readPackName).toBe('ImagePinning');
    expect(pack.validateScope(new src.App()).success).toBe(true);
  });

  test('without cdk-nag, constructing the pack says what to install', () => {
    const src = loadSrcWith(() => {
      throw Object.assign(new Error("Cannot find module 'cdk-nag' from 'src/nag/cdk-nag-loader.ts'"), { code: 'MODULE_NOT_FOUND' });
    });
    expect(() => new src.ImagePinningChecks(new src.App())).toThrow(
      'ImagePinningChecks needs cdk-nag 3, which is not installed: npm install cdk-nag@^3. ' +
        'The Aspect (ImagePinning.enforce) and the validation plugin (ImagePinningValidator) work without cdk-nag.',
    );
  });

  test('with cdk-nag 2, constructing the pack says it needs 3 and what to do with 2', () => {
    const src = loadSrcWith(() => jest.requireActual('cdk-nag-v2'));
    expect(() => new src.ImagePinningChecks(new src.App())).toThrow(
      /^ImagePinningChecks needs cdk-nag 3, but cdk-nag \S+ is installed: npm install cdk-nag@\^3; with cdk-nag 2, call ImagePinning.check from a cdk-nag 2 pack instead/,
    );
  });

  test('an error inside cdk-nag is not reported as cdk-nag missing', () => {
    const src = loadSrcWith(() => {
      throw Object.assign(new Error("Cannot find module 'aws-cdk-lib/some-module'"), { code: 'MODULE_NOT_FOUND' });
    });
    expect(() => new src.ImagePinningChecks(new src.App())).toThrow("Cannot find module 'aws-cdk-lib/some-module'");
  });
});

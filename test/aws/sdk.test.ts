import { loadSdk, loadSdks, SdkMissingError, SdkPackage } from '../../src/aws/sdk';

describe('loadSdk', () => {
  test('loads an installed client', () => {
    const sdk = loadSdk<{ ECSClient: unknown }>('@aws-sdk/client-ecs', 'audit');
    expect(typeof sdk.ECSClient).toBe('function');
  });

  test('a missing client is an SdkMissingError that says what to install and why', () => {
    const missing = '@aws-sdk/client-not-installed' as SdkPackage;
    let error: unknown;
    try {
      loadSdk(missing, 'audit of Lambda functions');
    } catch (e) {
      error = e;
    }
    expect(SdkMissingError.isSdkMissingError(error)).toBe(true);
    expect((error as SdkMissingError).packageName).toBe(missing);
    expect((error as Error).message).toBe(
      'audit of Lambda functions needs the AWS SDK package @aws-sdk/client-not-installed, which is not installed: ' +
        'run `npm install --save-dev @aws-sdk/client-not-installed` next to cdk-image-pinning ' +
        '(or `npx -p cdk-image-pinning -p @aws-sdk/client-not-installed cdk-image-pinning ...`)',
    );
  });

  test('other errors are not taken for a missing SDK', () => {
    expect(SdkMissingError.isSdkMissingError(new Error('x'))).toBe(false);
    expect(SdkMissingError.isSdkMissingError(undefined)).toBe(false);
  });
});

describe('loadSdks', () => {
  test('loads every installed client', () => {
    const sdks = loadSdks(['@aws-sdk/client-ecs', '@aws-sdk/client-sts'], 'audit');
    expect(Object.keys(sdks)).toEqual(['@aws-sdk/client-ecs', '@aws-sdk/client-sts']);
  });

  test('names every missing client in one error', () => {
    const a = '@aws-sdk/client-not-installed-a' as SdkPackage;
    const b = '@aws-sdk/client-not-installed-b' as SdkPackage;
    let error: unknown;
    try {
      loadSdks([a, '@aws-sdk/client-ecs', b], 'audit');
    } catch (e) {
      error = e;
    }
    expect(SdkMissingError.isSdkMissingError(error)).toBe(true);
    expect((error as SdkMissingError).packageNames).toEqual([a, b]);
    expect((error as Error).message).toBe(
      `audit needs the AWS SDK packages ${a}, ${b}, which are not installed: run \`npm install --save-dev ${a} ${b}\` next to cdk-image-pinning ` +
        `(or \`npx -p cdk-image-pinning -p ${a} -p ${b} cdk-image-pinning ...\`)`,
    );
  });
});

import { loadSdk, SdkMissingError, SdkPackage } from '../../src/aws/sdk';

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

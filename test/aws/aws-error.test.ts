import { describeAwsError, Redactor } from '../../src/aws/aws-error';

describe('describeAwsError', () => {
  test.each([
    [{ name: 'AccessDeniedException', message: 'User: arn:aws:iam::1:user/a is not authorized', $metadata: { httpStatusCode: 400, attempts: 1 } }, 'AccessDeniedException', false],
    [{ name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 5 } }, 'ThrottlingException', true],
    [{ name: 'TooManyRequestsException', message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }, 'TooManyRequestsException', true],
    [{ name: 'Error', Code: 'Throttling', message: 'Rate exceeded' }, 'Throttling', true],
    [{ name: 'ServiceUnavailable', message: 'slow down', $metadata: { httpStatusCode: 429 } }, 'ServiceUnavailable', true],
    [{ name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' }, 'CredentialsProviderError', false],
  ])('%j is %s, throttled %p', (error, code, throttled) => {
    const info = describeAwsError(error, new Redactor());
    expect(info.code).toBe(code);
    expect(info.throttled).toBe(throttled);
  });

  test('keeps the attempts the SDK made and the message on one line', () => {
    const info = describeAwsError({ name: 'X', message: 'line one\n  line two', $metadata: { attempts: 3, httpStatusCode: 500 } }, new Redactor());
    expect(info).toMatchObject({ message: 'line one line two', attempts: 3, httpStatus: 500 });
  });

  test('a thrown non-error is described too', () => {
    expect(describeAwsError('plain', new Redactor())).toMatchObject({ code: 'Error', message: 'plain' });
  });
});

describe('Redactor', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  test.each([
    ['an access key id', 'key AKIAIOSFODNN7EXAMPLE was refused', 'key [redacted] was refused'],
    ['a temporary access key id', 'ASIAXXXXXXXXXXXXXXXX expired', '[redacted] expired'],
    ['a SigV4 credential and signature', 'Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/ecs/aws4_request, Signature=' + 'ab'.repeat(32),
      'Authorization: AWS4-HMAC-SHA256 Credential=[redacted], Signature=[redacted]'],
    ['a session token header', 'X-Amz-Security-Token: FwoGZXIvYXdzEJr//////////wEaDH', 'X-Amz-Security-Token: [redacted]'],
    ['a JSON session token', '{"sessionToken":"IQoJb3JpZ2luX2VjEJr"}', '{"sessionToken":"[redacted]"}'],
    ['a known secret', `secret ${secret} leaked`, 'secret [redacted] leaked'],
  ])('removes %s', (_what, text, expected) => {
    const redactor = new Redactor();
    redactor.add(secret, undefined, 'short');
    expect(redactor.redact(text)).toBe(expected);
  });

  test('leaves ordinary messages alone (ARNs, actions, short values it was given)', () => {
    const redactor = new Redactor();
    redactor.add('short');
    const text = 'User: arn:aws:sts::123456789012:assumed-role/Audit/short is not authorized to perform: ecs:ListTasks';
    expect(redactor.redact(text)).toBe(text);
  });
});

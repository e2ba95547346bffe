import { describeUrl, REDACTED, SecretRedactor } from '../../src/registry/secrets';

describe('SecretRedactor', () => {
  test.each<[string[], string, string]>([
    [['hunter22'], 'password hunter22 rejected', `password ${REDACTED} rejected`],
    [['hunter22'], `auth ${Buffer.from('hunter22').toString('base64')}`, `auth ${REDACTED}`],
    [['a b&c'], 'refresh_token=a%20b%26c', `refresh_token=${REDACTED}`],
    [['tok', 'longer-secret'], 'tok longer-secret', `tok ${REDACTED}`], // too short to redact safely
    [['abcd', 'abcdef'], 'abcdef', REDACTED], // longest first
    [[], 'nothing to hide', 'nothing to hide'],
  ])('%p in %s', (secrets, text, expected) => {
    const redactor = new SecretRedactor();
    redactor.add(...secrets);
    expect(redactor.redact(text)).toBe(expected);
  });
});

describe('describeUrl', () => {
  test.each([
    ['https://user:pw@registry.example.com/v2/app/blobs/sha256:1?X-Amz-Signature=abc', 'https://registry.example.com/v2/app/blobs/sha256:1'],
    ['http://127.0.0.1:5000/v2/', 'http://127.0.0.1:5000/v2/'],
  ])('%s -> %s', (url, expected) => {
    expect(describeUrl(url)).toBe(expected);
  });
});

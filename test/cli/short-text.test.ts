import { shortDigest, shortTag, tableImage } from '../../src/cli/short-text';
import { ImagePinningPolicy } from '../../src/policy/image-pinning-policy';

const HEX = '3e5d6e79a1a0'.padEnd(64, 'f');

describe('images as the tables show them', () => {
  test.each([
    [`sha256:${HEX}`, 'sha256:3e5d6e79a1a0…'],
    ['sha256:abc', 'sha256:abc'], // not a real digest: left as it is
    ['sha512:' + 'a'.repeat(128), 'sha512:aaaaaaaaaaaa…'],
  ])('digest %s', (digest, short) => {
    expect(shortDigest(digest)).toBe(short);
  });

  test.each([
    [HEX, '3e5d6e79a1a0…'],
    ['1.27.3', '1.27.3'],
    [HEX.slice(0, 40), HEX.slice(0, 40)], // a commit hash is a version: whole
  ])('tag %s', (tag, short) => {
    expect(shortTag(tag)).toBe(short);
  });

  test('normalized, hashes shortened; what the policy cannot normalize, as written', () => {
    const policy = new ImagePinningPolicy();
    expect(tableImage(policy.evaluate(`nginx:1.27.3@sha256:${HEX}`))).toBe('docker.io/library/nginx:1.27.3@sha256:3e5d6e79a1a0…');
    expect(tableImage(policy.evaluate(`example/app:${HEX}`))).toBe('docker.io/example/app:3e5d6e79a1a0…');
    expect(tableImage(policy.evaluate('nginx'))).toBe('docker.io/library/nginx');
    expect(tableImage(policy.evaluate('Not A Reference'))).toBe('Not A Reference');
  });
});

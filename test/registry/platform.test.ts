import { findPlatform, platformKey } from '../../src/registry/platform';

describe('platformKey', () => {
  test.each<[object, string]>([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'x86_64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    [{ os: 'Linux', architecture: 'AMD64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v3' }, 'linux/amd64/v3'],
  ])('%p -> %s', (platform, key) => {
    expect(platformKey(platform as never)).toBe(key);
  });
});

describe('findPlatform', () => {
  const platforms = { 'linux/amd64': 'sha256:a', 'linux/arm64': 'sha256:b', 'linux/arm/v7': 'sha256:c' };
  test.each<[string, string | undefined]>([
    ['linux/amd64', 'sha256:a'],
    ['linux/arm64', 'sha256:b'],
    ['linux/arm64/v8', 'sha256:b'],
    ['linux/arm/v7', 'sha256:c'],
    ['linux/arm', undefined],
    ['linux/s390x', undefined],
    ['windows/amd64', undefined],
    ['linux', undefined],
  ])('%s -> %p', (key, digest) => {
    expect(findPlatform(platforms, key)).toBe(digest);
  });
});

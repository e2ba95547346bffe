import { LockFile, lockedDigest, LockFileError, lockKey, parseLockFile, serializeLockFile } from '../../src/lock/lock-file';

const D1 = `sha256:${'1a'.repeat(32)}`;
const D2 = `sha256:${'2b'.repeat(32)}`;
const D3 = `sha256:${'3c'.repeat(32)}`;

describe('the lock file', () => {
  test('keys are normalized references with a tag; a digest is left out; untagged or invalid images have none', () => {
    expect(lockKey('nginx:1.27.3')).toBe('docker.io/library/nginx:1.27.3');
    expect(lockKey(`index.docker.io/library/nginx:1.27.3@${D1}`)).toBe('docker.io/library/nginx:1.27.3');
    expect(lockKey('localhost:5000/app:v1')).toBe('localhost:5000/app:v1');
    expect(lockKey('nginx')).toBeUndefined();
    expect(lockKey(`nginx@${D1}`)).toBeUndefined();
    expect(lockKey('MyApp:1')).toBeUndefined();
  });

  test('serialized sorted with no timestamps: the same images give the same bytes, and parse back', () => {
    const lock: LockFile = {
      lockfileVersion: 1,
      images: {
        'docker.io/library/redis:7.2.4': { digest: D1 },
        'docker.io/library/nginx:1.27.3': { digest: D2, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: { 'linux/arm64': D3, 'linux/amd64': D1 } },
      },
    };
    const text = serializeLockFile(lock);
    expect(text).toBe(serializeLockFile(parseLockFile(text, 'l.json')));
    expect(Object.keys(JSON.parse(text).images)).toEqual(['docker.io/library/nginx:1.27.3', 'docker.io/library/redis:7.2.4']);
    expect(Object.keys(JSON.parse(text).images['docker.io/library/nginx:1.27.3'].platforms)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  test('the digest for a platform is its child when the entry has one', () => {
    const entry = { digest: D2, platforms: { 'linux/arm64': D3 } };
    expect(lockedDigest(entry, 'linux/arm64')).toBe(D3);
    expect(lockedDigest(entry, 'linux/amd64')).toBe(D2);
    expect(lockedDigest(entry)).toBe(D2);
  });

  test.each([
    ['{', /^lock file l\.json: not valid JSON/],
    ['[]', /^lock file l\.json: must hold a JSON object/],
    ['{"lockfileVersion": 2, "images": {}}', /^lock file l\.json: lockfileVersion must be 1, got 2$/],
    ['{"lockfileVersion": 1, "images": {}, "extra": 1}', /^lock file l\.json: unknown key "extra"/],
    ['{"lockfileVersion": 1, "images": []}', /^lock file l\.json: "images" must be an object/],
    ['{"lockfileVersion": 1, "images": {"nginx:1.27.3": {"digest": "sha256:' + '1a'.repeat(32) + '"}}}', /images\["nginx:1\.27\.3"\]: the key must be written normalized, as "docker\.io\/library\/nginx:1\.27\.3"$/],
    ['{"lockfileVersion": 1, "images": {"docker.io/library/nginx": {}}}', /images\["docker\.io\/library\/nginx"\]: the key must be an image reference with a tag/],
    ['{"lockfileVersion": 1, "images": {"docker.io/library/nginx:1": {"digest": "sha256:abc"}}}', /images\["docker\.io\/library\/nginx:1"\]\.digest: must be "sha256:" and 64/],
    ['{"lockfileVersion": 1, "images": {"docker.io/library/nginx:1": {"digest": "' + D1 + '", "tag": "1"}}}', /images\["docker\.io\/library\/nginx:1"\]\.tag: unknown field/],
    ['{"lockfileVersion": 1, "images": {"docker.io/library/nginx:1": {"digest": "' + D1 + '", "platforms": {"amd64": "' + D1 + '"}}}}', /\.platforms\["amd64"\]: not a platform/],
  ])('%s fails naming the file, the key and the field', (text, error) => {
    expect(() => parseLockFile(text, 'l.json')).toThrow(LockFileError);
    expect(() => parseLockFile(text, 'l.json')).toThrow(error);
  });
});

describe('the lock file: $schema and single-image platforms', () => {
  test('$schema is kept and written first; a single image\'s platform round-trips', () => {
    const text = serializeLockFile({
      $schema: './node_modules/cdk-image-pinning/schemas/lock-file.schema.json',
      lockfileVersion: 1,
      images: { 'docker.io/library/redis:7.2.4': { digest: D1, mediaType: 'application/vnd.oci.image.manifest.v1+json', platform: 'linux/arm64' } },
    });
    expect(Object.keys(JSON.parse(text))).toEqual(['$schema', 'lockfileVersion', 'images']);
    const parsed = parseLockFile(text, 'l.json');
    expect(parsed.$schema).toBe('./node_modules/cdk-image-pinning/schemas/lock-file.schema.json');
    expect(parsed.images['docker.io/library/redis:7.2.4'].platform).toBe('linux/arm64');
    expect(serializeLockFile(parsed)).toBe(text);
  });

  test.each([
    ['{"lockfileVersion": 1, "images": {}, "$schema": 3}', /^lock file l\.json: "\$schema" must be a string, got 3$/],
    ['{"lockfileVersion": 1, "images": {"docker.io/library/nginx:1": {"digest": "' + D1 + '", "platform": "amd64"}}}', /images\["docker\.io\/library\/nginx:1"\]\.platform: not a platform/],
    [
      '{"lockfileVersion": 1, "images": {"docker.io/library/nginx:1": {"digest": "' + D1 + '", "platform": "linux/amd64", "platforms": {"linux/amd64": "' + D1 + '"}}}}',
      /images\["docker\.io\/library\/nginx:1"\]: an entry has "platforms" \(an index\) or "platform" \(a single image\), not both$/,
    ],
  ])('%s fails naming the field', (text, error) => {
    expect(() => parseLockFile(text, 'l.json')).toThrow(error);
  });
});

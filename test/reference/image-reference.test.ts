import { ImageReference } from '../../src/reference/image-reference';

const HEX64 = '0123456789abcdef'.repeat(4);
const DIGEST = `sha256:${HEX64}`;

/** Parses `input` and returns the thrown error (fails the test when nothing is thrown). */
function parseError(input: string): Error {
  try {
    ImageReference.parse(input);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected ${JSON.stringify(input.slice(0, 60))} to be rejected`);
}

/** The 1-based position a parse error reports, from the `(position N)` at the end of the message. */
function reportedPosition(message: string): number | undefined {
  const match = /\(position (\d+)\)$/.exec(message);
  return match ? Number(match[1]) : undefined;
}

describe('ImageReference.parse: valid references', () => {
  // input, registry, repository, tag, digest, canonical toString()
  test.each<[string, string, string, string | undefined, string | undefined, string]>([
    // Docker Hub normalization
    ['nginx', 'docker.io', 'library/nginx', undefined, undefined, 'docker.io/library/nginx'],
    ['nginx:1.27.3', 'docker.io', 'library/nginx', '1.27.3', undefined, 'docker.io/library/nginx:1.27.3'],
    ['index.docker.io/nginx', 'docker.io', 'library/nginx', undefined, undefined, 'docker.io/library/nginx'],
    ['docker.io/nginx:stable', 'docker.io', 'library/nginx', 'stable', undefined, 'docker.io/library/nginx:stable'],
    ['docker.io/library/nginx', 'docker.io', 'library/nginx', undefined, undefined, 'docker.io/library/nginx'],
    ['bitnami/redis:7.2.4', 'docker.io', 'bitnami/redis', '7.2.4', undefined, 'docker.io/bitnami/redis:7.2.4'],
    ['index.docker.io/bitnami/redis', 'docker.io', 'bitnami/redis', undefined, undefined, 'docker.io/bitnami/redis'],
    ['grafana/loki/canary:3.0.0', 'docker.io', 'grafana/loki/canary', '3.0.0', undefined, 'docker.io/grafana/loki/canary:3.0.0'],
    // localhost and ports: a ':' is a port only when a '/' follows the host
    ['localhost/app', 'localhost', 'app', undefined, undefined, 'localhost/app'],
    ['localhost:5000/app', 'localhost:5000', 'app', undefined, undefined, 'localhost:5000/app'],
    ['localhost:5000/app:1.0', 'localhost:5000', 'app', '1.0', undefined, 'localhost:5000/app:1.0'],
    ['localhost:5000', 'docker.io', 'library/localhost', '5000', undefined, 'docker.io/library/localhost:5000'],
    ['test.com:5000', 'docker.io', 'library/test.com', '5000', undefined, 'docker.io/library/test.com:5000'],
    ['localhostx/app', 'docker.io', 'localhostx/app', undefined, undefined, 'docker.io/localhostx/app'],
    ['registry:5000/team/app', 'registry:5000', 'team/app', undefined, undefined, 'registry:5000/team/app'],
    // IPv6
    ['[::1]:5000/app:1.0', '[::1]:5000', 'app', '1.0', undefined, '[::1]:5000/app:1.0'],
    ['[fe80::1:ABCD]/team/app', '[fe80::1:ABCD]', 'team/app', undefined, undefined, '[fe80::1:ABCD]/team/app'],
    // uppercase is allowed in the host, and an uppercase first component is a host
    ['Registry.Example.com/app', 'Registry.Example.com', 'app', undefined, undefined, 'Registry.Example.com/app'],
    ['Foo/bar', 'Foo', 'bar', undefined, undefined, 'Foo/bar'],
    // ECR and other registries
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2.3',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'team/app', 'v1.2.3', undefined,
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2.3',
    ],
    [
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app',
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'app', undefined, undefined,
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app',
    ],
    [
      'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0',
      'public.ecr.aws', 'aws-observability/aws-for-fluent-bit', '2.32.0', undefined,
      'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0',
    ],
    ['a-b.c1/x', 'a-b.c1', 'x', undefined, undefined, 'a-b.c1/x'],
    ['1.2.3.4:443/x', '1.2.3.4:443', 'x', undefined, undefined, '1.2.3.4:443/x'],
    // separators within a path component
    ['a.b', 'docker.io', 'library/a.b', undefined, undefined, 'docker.io/library/a.b'],
    ['a_b', 'docker.io', 'library/a_b', undefined, undefined, 'docker.io/library/a_b'],
    ['a__b', 'docker.io', 'library/a__b', undefined, undefined, 'docker.io/library/a__b'],
    ['a---b', 'docker.io', 'library/a---b', undefined, undefined, 'docker.io/library/a---b'],
    ['a-b.c_d__e---f0', 'docker.io', 'library/a-b.c_d__e---f0', undefined, undefined, 'docker.io/library/a-b.c_d__e---f0'],
    ['ns/a.b_c', 'docker.io', 'ns/a.b_c', undefined, undefined, 'docker.io/ns/a.b_c'],
    ['0/9', 'docker.io', '0/9', undefined, undefined, 'docker.io/0/9'],
    // multiple path components
    ['registry.example.com/a/b/c/d:tag', 'registry.example.com', 'a/b/c/d', 'tag', undefined, 'registry.example.com/a/b/c/d:tag'],
    // tags: word characters first, then word characters, '.' and '-'; uppercase allowed
    ['app:_private', 'docker.io', 'library/app', '_private', undefined, 'docker.io/library/app:_private'],
    ['app:V1.0-RC.1_b', 'docker.io', 'library/app', 'V1.0-RC.1_b', undefined, 'docker.io/library/app:V1.0-RC.1_b'],
    // digests
    [`nginx@${DIGEST}`, 'docker.io', 'library/nginx', undefined, DIGEST, `docker.io/library/nginx@${DIGEST}`],
    [`nginx:1.27.3@${DIGEST}`, 'docker.io', 'library/nginx', '1.27.3', DIGEST, `docker.io/library/nginx:1.27.3@${DIGEST}`],
    [`localhost:5000/app@${DIGEST}`, 'localhost:5000', 'app', undefined, DIGEST, `localhost:5000/app@${DIGEST}`],
    [`public.ecr.aws/x/y:latest@${DIGEST}`, 'public.ecr.aws', 'x/y', 'latest', DIGEST, `public.ecr.aws/x/y:latest@${DIGEST}`],
  ])('%s', (input, registry, repository, tag, digest, canonical) => {
    const ref = ImageReference.parse(input);
    expect(ref.registry).toBe(registry);
    expect(ref.repository).toBe(repository);
    expect(ref.tag).toBe(tag);
    expect(ref.digest).toBe(digest);
    expect(ref.name).toBe(`${registry}/${repository}`);
    expect(ref.toString()).toBe(canonical);
    // the canonical form is itself a valid reference with the same canonical form
    expect(ImageReference.parse(canonical).toString()).toBe(canonical);
  });

  test('a tag of exactly 128 characters is accepted', () => {
    const tag = 'v' + 'A1._-'.repeat(26).slice(0, 127);
    expect(tag).toHaveLength(128);
    const ref = ImageReference.parse(`app:${tag}`);
    expect(ref.tag).toBe(tag);
    expect(ref.toString()).toBe(`docker.io/library/app:${tag}`);
  });

  test('a repository path of exactly 255 characters is accepted (the domain is not counted)', () => {
    const path = 'team/' + 'a'.repeat(250);
    expect(path).toHaveLength(255);
    const ref = ImageReference.parse(`registry.example.com/${path}:1.0`);
    expect(ref.registry).toBe('registry.example.com');
    expect(ref.repository).toBe(path);
    expect(ref.tag).toBe('1.0');
    // on Docker Hub, a namespaced path is not changed by normalization
    expect(ImageReference.parse(path).repository).toBe(path);
  });

  test('a long registry host does not count towards the path limit', () => {
    const host = 'a-'.repeat(200) + 'a.example.com';
    const ref = ImageReference.parse(`${host}/${'b'.repeat(255)}`);
    expect(ref.registry).toBe(host);
    expect(ref.repository).toBe('b'.repeat(255));
  });

  // The canonical form of an accepted reference must parse again. For single-name Docker Hub images,
  // normalization adds `library/` (8 characters) to the path; Docker (distribution/reference
  // ParseNormalizedNamed) checks the 255 limit on that normalized path and rejects these names.
  test.each([
    ['250-character single name', 'a'.repeat(250)],
    ["255-character single name after 'docker.io/'", 'docker.io/' + 'a'.repeat(255)],
  ])('a %s is rejected like Docker does, counting the added library/', (_title, input) => {
    expect(() => ImageReference.parse(input)).toThrow(/with the 'library\/' Docker Hub adds\); the limit is 255/);
  });

  test('the longest single Docker Hub name accepted has a canonical form that parses again', () => {
    const canonical = ImageReference.parse('a'.repeat(247)).toString();
    expect(canonical).toBe(`docker.io/library/${'a'.repeat(247)}`);
    expect(ImageReference.parse(canonical).toString()).toBe(canonical);
  });

  test('a bare name of 64 hex characters is an image ID, not a repository', () => {
    expect(() => ImageReference.parse('ab'.repeat(32))).toThrow(/is an image ID, not a repository name \(position 1\)/);
    expect(ImageReference.parse(`example.com/${'ab'.repeat(32)}`).repository).toBe('ab'.repeat(32));
  });
});

describe('ImageReference.parse: invalid references', () => {
  const over128 = 'a'.repeat(129);
  // input, a fragment of what is wrong, expected 1-based position
  test.each<[string, string, string | RegExp, number]>([
    ['empty string', '', /empty/, 1],
    ['uppercase letter in the path', 'MyApp:1.0', /uppercase letter 'M'/, 1],
    ['uppercase letter in a later path component', 'team/myApp', /uppercase letter 'A'/, 8],
    ['uppercase letter in the path after a registry', 'example.com:5000/UP', /uppercase letter 'U'/, 18],
    ['empty tag', 'app:', /empty tag/, 4],
    ['tag over 128 characters', `app:${over128}`, /129 characters.*128/, 4 + 128 + 1],
    ['tag starting with "."', 'app:.1', /tag must start with/, 5],
    ['tag starting with "-"', 'app:-1', /tag must start with/, 5],
    ['invalid tag character', 'app:1.0+x', /'\+' in the tag/, 8],
    ['second ":" (in the path)', 'app:tag:x', /':'/, 4],
    ['digest of the wrong length', 'app@sha256:abc', /64 hexadecimal characters.*3/, 12],
    ['digest one character too long', `app@sha256:${HEX64}0`, /64 hexadecimal characters.*65/, 12],
    ['sha512 digest', `app@sha512:${HEX64}${HEX64}`, /unsupported digest algorithm 'sha512'/, 5],
    ['md5 digest', 'app@md5:d41d8cd98f00b204e9800998ecf8427e', /unsupported digest algorithm 'md5'/, 5],
    ['uppercase hex in the digest', `app@sha256:${HEX64.slice(0, 62)}AB`, /uppercase hex 'A'/, 4 + 7 + 62 + 1],
    ['non-hex character in the digest', `app@sha256:${HEX64.slice(0, 10)}g${HEX64.slice(11)}`, /'g' in the digest/, 4 + 7 + 10 + 1],
    ['digest without algorithm', `app@${HEX64}`, /no algorithm/, 5],
    ['empty digest', 'app@', /empty digest/, 5],
    ['empty digest after a tag', 'app:1@', /empty digest/, 7],
    ['path over 255 characters', 'a/'.repeat(127) + 'aa', /256 characters.*255/, 256],
    ['single Docker Hub name over 247 characters', 'a'.repeat(248), /248 characters long \(256 with the 'library\/'.*255/, 248],
    ['path over 255 characters after a registry', `example.com/${'a'.repeat(256)}`, /256 characters.*255/, 12 + 255 + 1],
    ['empty path component', 'a//b', /empty repository path component/, 3],
    ['leading "/"', '/app', /empty repository path component/, 1],
    ['trailing "/"', 'app/', /empty repository path component/, 4],
    ['separator at the end', 'app-', /separator '-'/, 4],
    ['two separators', 'a._b', /separator '\.'.*'_'/, 3],
    ['three underscores', 'a___b', /separator '__'/, 4],
    ['two dots', 'a..b', /separator '\.'/, 3],
    ['separator at the start', '-app', /must start with a lowercase letter or digit/, 1],
    ['"_" in the registry host', 'my_registry.com/app', /'_' is not allowed in a host/, 3],
    ['host label starting with "-"', '-registry.com/app', /may not start with '-'/, 1],
    ['later host label starting with "-"', 'registry.-x.com/app', /may not start with '-'/, 10],
    ['host label ending with "-"', 'registry-.com/app', /may not end with '-'/, 9],
    ['empty host label', 'registry..com/app', /registry host/, 10],
    ['non-digit port', 'localhost:50a0/app', /'a' in the registry port/, 13],
    ['empty port', 'localhost:/app', /registry port/, 11],
    ['space', 'my app', /space/, 3],
    ['space before the tag', 'nginx :1.0', /space/, 6],
    ['control character', 'ap\u0001p', /control character U\+0001/, 3],
    ['control character in the tag', 'app:1.0\u007f', /control character U\+007F/, 8],
    ['unicode character', 'café', /'é'/, 4],
    ['unicode character in the tag', 'app:1.0é', /'é' in the tag/, 8],
    ['astral unicode character', 'app\u{1F600}', /'\u{1F600}'/u, 4],
    ['":tag" with an empty name', ':tag', /name is empty/, 1],
    ['"@digest" with an empty name', `@${DIGEST}`, /name is empty/, 1],
    ['two "@"', `app@${DIGEST}@${DIGEST}`, /'@' in the digest/, 4 + 71 + 1],
  ])('%s: %j', (_title, input, fragment, position) => {
    const error = parseError(input);
    expect(error).toBeInstanceOf(Error);
    expect(error.message.startsWith('Invalid image reference')).toBe(true);
    expect(error.message).toMatch(fragment);
    expect(reportedPosition(error.message)).toBe(position);
  });

  test('the message quotes a short input', () => {
    expect(parseError('MyApp:1.0').message).toContain('"MyApp:1.0"');
  });

  test('the message of a huge input stays short', () => {
    const error = parseError('A'.repeat(100_000));
    expect(error.message.startsWith('Invalid image reference')).toBe(true);
    expect(error.message.length).toBeLessThan(500);
  });
});

describe('ImageReference.parse: linear time on hostile input', () => {
  /** A guard against catastrophic backtracking, not a benchmark. */
  const BOUND_MS = 500;

  function timed<T>(fn: () => T): { result: T; ms: number } {
    const start = process.hrtime.bigint();
    const result = fn();
    return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  }

  test.each<[string, string, string | RegExp, number]>([
    ["'a' x 100000", 'a'.repeat(100_000), /100000 characters.*255/, 248],
    ["'a-' x 50000 + 'A'", 'a-'.repeat(50_000) + 'A', /100001 characters.*255/, 248],
    ["'a_' x 50000", 'a_'.repeat(50_000), /100000 characters.*255/, 248],
    ["'a/' x 50000", 'a/'.repeat(50_000), /100000 characters.*255/, 256],
    ["'0.' x 50000 + '/x'", '0.'.repeat(50_000) + '/x', /registry host/, 100_001],
    ["'x:' + 'a' x 100000", 'x:' + 'a'.repeat(100_000), /100000 characters.*128/, 2 + 128 + 1],
    ["'x@sha256:' + 'a' x 100000", 'x@sha256:' + 'a'.repeat(100_000), /64 hexadecimal characters.*100000/, 10],
    ["'[' + ':' x 100000", '[' + ':'.repeat(100_000), /100000 characters.*255/, 248],
  ])('%s is rejected quickly', (_title, input, fragment, position) => {
    const { result: error, ms } = timed(() => parseError(input));
    expect(error.message.startsWith('Invalid image reference')).toBe(true);
    expect(error.message).toMatch(fragment);
    expect(reportedPosition(error.message)).toBe(position);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test.each<[string, string, string]>([
    ["'a-' x 50000 + 'a.com/x'", 'a-'.repeat(50_000) + 'a.com/x', 'x'],
    ["'[' + ':' x 100000 + ']/x'", '[' + ':'.repeat(100_000) + ']/x', 'x'],
    ["'a.' x 50000 + 'a/b:' + 128-char tag", 'a.'.repeat(50_000) + 'a/b:' + 'T'.repeat(128), 'b'],
  ])('%s (a long but valid registry host) is accepted quickly', (_title, input, repository) => {
    const { result: ref, ms } = timed(() => ImageReference.parse(input));
    expect(ref.repository).toBe(repository);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test.each<[string, string]>([
    ["a 255-character path of 'a-' ending in '_'", 'h.com/' + 'a-'.repeat(127) + '_'],
    ["'x:a' + '-' x 99998 + '_' (a tag of valid characters, too long)", 'x:a' + '-'.repeat(99_998) + '_'],
    ["'a' + '_' x 99999 in the host", 'a' + '_'.repeat(99_999) + '.com/x'],
    ["'[' + 100001 hex and ':' characters + '/x' (unclosed IPv6)", '[' + 'f'.repeat(50_000) + ':' + 'f'.repeat(50_000) + '/x'],
  ])('%s is rejected quickly', (_title, input) => {
    const { result: error, ms } = timed(() => parseError(input));
    expect(error.message.startsWith('Invalid image reference')).toBe(true);
    expect(reportedPosition(error.message)).toBeGreaterThan(0);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

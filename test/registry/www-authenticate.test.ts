import { parseWwwAuthenticate } from '../../src/registry/www-authenticate';

describe('parseWwwAuthenticate', () => {
  test.each<[string, Array<{ scheme: string; params: Record<string, string> }>]>([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } }],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['basic', [{ scheme: 'basic', params: {} }]],
    [
      'Bearer realm="https://r/token",service="s",scope="repository:a:pull",error="insufficient_scope"',
      [{ scheme: 'bearer', params: { realm: 'https://r/token', service: 's', scope: 'repository:a:pull', error: 'insufficient_scope' } }],
    ],
    // Two challenges joined by Headers.get; a quoted comma stays in its value.
    [
      'Basic realm="a, b", Bearer realm="https://r/token",service="s"',
      [{ scheme: 'basic', params: { realm: 'a, b' } }, { scheme: 'bearer', params: { realm: 'https://r/token', service: 's' } }],
    ],
    // Case-insensitive names, spaces around '=', escapes, unquoted values.
    ['BEARER Realm = "https://r/t" , Service=svc', [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 'svc' } }]],
    ['Bearer realm="a\\"b"', [{ scheme: 'bearer', params: { realm: 'a"b' } }]],
    // Several scopes in one value (space separated).
    ['Bearer realm="x",scope="repository:a:pull repository:b:pull"', [{ scheme: 'bearer', params: { realm: 'x', scope: 'repository:a:pull repository:b:pull' } }]],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  test.each([null, undefined, '', '   ', '"unterminated', '=oops'])('%p gives no usable challenge', (header) => {
    const parsed = parseWwwAuthenticate(header);
    expect(parsed.filter((c) => c.params.realm)).toEqual([]);
  });

  test('a hostile header is parsed in linear time', () => {
    const header = 'Bearer ' + 'a=b,'.repeat(50_000);
    const start = process.hrtime.bigint();
    parseWwwAuthenticate(header);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  });
});

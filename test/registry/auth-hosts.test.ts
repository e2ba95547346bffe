import { whyCredentialsWithheld } from '../../src/registry/auth-hosts';
import { RegistryHosts } from '../../src/registry/hosts';

describe('whyCredentialsWithheld: which token realms get a registry\'s credentials', () => {
  const hosts = new RegistryHosts({ registryMirrors: ['mirrored.example.com=https://cache.example.com'] });
  const plain = (h: string) => hosts.allowsPlainHttp(h);

  // registry, realm, allowed
  test.each<[string, string, boolean]>([
    ['ghcr.io', 'https://ghcr.io/token', true],
    ['quay.io', 'https://quay.io/v2/auth', true],
    ['registry.example.com:5000', 'https://registry.example.com:5001/auth', true], // same host, another port
    ['docker.io', 'https://auth.docker.io/token', true], // documented
    ['registry.gitlab.com', 'https://gitlab.com/jwt/auth', true], // documented
    ['mirrored.example.com', 'https://cache.example.com/token', true], // the mirror is the endpoint
    ['127.0.0.1:5000', 'http://127.0.0.1:6000/token', true], // loopback may use plain HTTP
    ['ghcr.io', 'https://evil.example.com/token', false],
    ['docker.io', 'https://auth.docker.io.evil.example/token', false],
    ['ghcr.io', 'https://token.ghcr.io/token', false], // a sub-domain is another host
    ['registry.example.com', 'http://registry.example.com/token', false], // plain HTTP off loopback
    ['127.0.0.1:5000', 'http://127.0.0.2:6000/token', false], // another loopback address is another host
    ['mirrored.example.com', 'https://mirrored.example.com/token', false], // the mirror, not the original host, is the endpoint
  ])('%s -> %s: %s', (registry, realm, allowed) => {
    const why = whyCredentialsWithheld(hosts.endpoint(registry), new URL(realm), plain);
    expect(why === undefined).toBe(allowed);
  });

  test('a caller may name a registry\'s auth host (self-managed GitLab)', () => {
    const endpoint = hosts.endpoint('registry.example.com');
    const realm = new URL('https://gitlab.example.com/jwt/auth');
    expect(whyCredentialsWithheld(endpoint, realm, plain)).toContain('on another host');
    expect(whyCredentialsWithheld(endpoint, realm, plain, { 'registry.example.com': ['gitlab.example.com'] })).toBeUndefined();
  });
});

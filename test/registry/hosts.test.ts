import { DOCKER_HUB_API_HOST, hostnameOf, isLoopbackHost, RegistryHosts } from '../../src/registry/hosts';
import { isRegistryOptionError } from '../../src/registry/registry-option-error';

describe('isLoopbackHost', () => {
  test.each<[string, boolean]>([
    ['localhost', true],
    ['localhost:5000', true],
    ['LOCALHOST:5000', true],
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['127.255.3.4:80', true],
    ['[::1]', true],
    ['[::1]:5000', true],
    ['[0:0:0:0:0:0:0:1]:5000', true],
    ['[::ffff:127.0.0.1]:5000', true],
    ['128.0.0.1:5000', false],
    ['10.0.0.1:5000', false],
    ['[::2]:5000', false],
    ['[::ffff:10.0.0.1]', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['registry.example.com:5000', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('hostnameOf', () => {
  test.each([
    ['Registry.Example.com:5000', 'registry.example.com'],
    ['[::1]:5000', '::1'],
    ['[fe80::1]', 'fe80::1'],
    ['docker.io', 'docker.io'],
  ])('%s -> %s', (host, expected) => {
    expect(hostnameOf(host)).toBe(expected);
  });
});

describe('RegistryHosts.endpoint', () => {
  const hosts = new RegistryHosts({
    insecureRegistries: ['registry.internal:5000', 'plain.internal'],
    registryMirrors: ['docker.io=https://mirror.example.com/', '123456789012.dkr.ecr.eu-west-1.amazonaws.com=http://127.0.0.1:5999/prefix/'],
  });

  // registry, base URL, mirrored
  test.each<[string, string, boolean]>([
    ['docker.io', 'https://mirror.example.com', true],
    ['index.docker.io', 'https://mirror.example.com', true],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'http://127.0.0.1:5999/prefix', true],
    ['ghcr.io', 'https://ghcr.io', false],
    ['localhost:5000', 'http://localhost:5000', false],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000', false],
    ['[::1]:5000', 'http://[::1]:5000', false],
    ['registry.internal:5000', 'http://registry.internal:5000', false],
    ['registry.internal:5001', 'https://registry.internal:5001', false],
    ['plain.internal:8080', 'http://plain.internal:8080', false],
    ['10.0.0.1:5000', 'https://10.0.0.1:5000', false],
  ])('%s -> %s', (registry, baseUrl, mirrored) => {
    expect(hosts.endpoint(registry)).toMatchObject({ baseUrl, mirrored });
  });

  test('Docker Hub without a mirror is served by registry-1.docker.io', () => {
    expect(new RegistryHosts().endpoint('docker.io')).toEqual({ registry: 'docker.io', baseUrl: `https://${DOCKER_HUB_API_HOST}`, mirrored: false });
  });

  test('mirrors may be given as an object', () => {
    expect(new RegistryHosts({ registryMirrors: { 'ghcr.io': 'https://cache.example.com' } }).endpoint('ghcr.io').baseUrl).toBe('https://cache.example.com');
  });

  test.each([
    ['docker.io', 'not HOST=URL'],
    ['docker.io=', 'not HOST=URL'],
    ['=https://x', 'not HOST=URL'],
    ['docker.io=mirror.example.com', 'not a URL'],
    ['docker.io=ftp://mirror.example.com', 'http:// or https://'],
    ['docker.io=http://mirror.example.com', 'plain HTTP to mirror.example.com is allowed only'],
    ['docker.io=https://user:secret@mirror.example.com', 'credentials in the Docker config'],
  ])('mirror %s is rejected (%s)', (spec, message) => {
    let error: unknown;
    try {
      new RegistryHosts({ registryMirrors: [spec] });
    } catch (e) {
      error = e;
    }
    expect(isRegistryOptionError(error)).toBe(true);
    expect((error as Error).message).toContain(message === 'not HOST=URL' ? 'must be HOST=URL' : message);
    expect((error as Error).message).not.toContain('secret');
  });

  test.each([
    ['cache.internal:8080', 'http://cache.internal:8080', 'http://cache.internal:8080'],
    ['cache.internal:80', 'http://cache.internal:80', 'http://cache.internal'], // URL drops the default port
    ['cache.internal', 'http://cache.internal:8080', 'http://cache.internal:8080'],
  ])('a plain-HTTP mirror on insecure registry %s is allowed: %s', (insecure, mirror, baseUrl) => {
    const hosts2 = new RegistryHosts({ insecureRegistries: [insecure], registryMirrors: [`docker.io=${mirror}`] });
    expect(hosts2.endpoint('docker.io').baseUrl).toBe(baseUrl);
  });
});

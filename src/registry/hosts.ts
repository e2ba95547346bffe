import { isIP } from 'net';
import { RegistryOptionError } from './registry-option-error';
import { DOCKER_HUB } from '../reference/docker-hub';

/**
 * Where a registry named in an image reference is reached, and over which scheme.
 *
 * - Docker Hub (`docker.io`) is served by `registry-1.docker.io`.
 * - HTTPS everywhere, except plain HTTP for loopback hosts (127.0.0.0/8, ::1, `localhost`, as Docker
 *   treats them) and the hosts named in `insecureRegistries`. Unlike Docker, an insecure host is not
 *   tried over HTTPS first: the scheme is decided by configuration, so a run makes the same requests
 *   every time. A loopback registry served over TLS is named with a mirror: `HOST=https://127.0.0.1:5443`.
 * - `registryMirrors` maps a registry host to another endpoint (`HOST=URL`): a pull-through cache, or
 *   a test registry standing in for ECR or Docker Hub. The registry's credentials go to that endpoint
 *   (the user named it as the registry's endpoint), and to nothing else.
 * - Custom certificate authorities: Node's `fetch` trusts the CAs in `NODE_EXTRA_CA_CERTS` (a PEM file,
 *   read when the process starts), e.g. `NODE_EXTRA_CA_CERTS=/etc/ssl/corp-ca.pem cdk-image-pinning verify`.
 */

/** The API host of Docker Hub. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** How the client reaches one registry. */
export interface RegistryEndpoint {
  /** The registry as named in image references (`docker.io`, `localhost:5000`, an ECR host). */
  readonly registry: string;
  /** The base URL requests go to, without trailing slash: `${baseUrl}/v2/<name>/manifests/<ref>`. */
  readonly baseUrl: string;
  /** True when a `registryMirrors` entry chose the endpoint. */
  readonly mirrored: boolean;
}

/** Host options of the registry client. */
export interface RegistryHostOptions {
  /**
   * Hosts (`host` or `host:port`) that may be reached over plain HTTP, like Docker's
   * `--insecure-registry`. Loopback hosts always may. CIDR ranges are not supported.
   *
   * @default []
   */
  readonly insecureRegistries?: readonly string[];
  /**
   * Registry host to endpoint: `['docker.io=https://mirror.example.com']` or the same as an object.
   * An `http://` endpoint must be a loopback host or one named in `insecureRegistries`.
   *
   * @default {}
   */
  readonly registryMirrors?: readonly string[] | Readonly<Record<string, string>>;
}

/** The host name of `host[:port]` (brackets of an IPv6 literal removed), lowercased. */
export function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end < 0 ? lower : lower.slice(1, end);
  }
  const colon = lower.indexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}

/**
 * Is this host (`host[:port]`) on the loopback interface? `localhost`, 127.0.0.0/8, `::1` and the
 * IPv4-mapped `::ffff:127.x.x.x`. No DNS lookup: a name is loopback only when it is `localhost`.
 */
export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host);
  if (name === 'localhost') {
    return true;
  }
  const family = isIP(name);
  if (family === 4) {
    return name.startsWith('127.');
  }
  if (family === 6) {
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
    if (mapped) {
      return mapped[1].startsWith('127.');
    }
    return expandIpv6(name) === '0000:0000:0000:0000:0000:0000:0000:0001';
  }
  return false;
}

/** The registry hosts of one client: endpoints, and who may use plain HTTP. */
export class RegistryHosts {
  private readonly insecure: ReadonlySet<string>;
  private readonly mirrors: ReadonlyMap<string, string>;

  /** @throws RegistryOptionError for a malformed mirror or a plain-HTTP mirror that is not allowed */
  constructor(options: RegistryHostOptions = {}) {
    this.insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
    const mirrors = new Map<string, string>();
    const entries = Array.isArray(options.registryMirrors)
      ? (options.registryMirrors as readonly string[]).map(splitMirror)
      : Object.entries(options.registryMirrors ?? {});
    for (const [host, url] of entries) {
      mirrors.set(normalizeRegistry(host), this.checkMirrorUrl(host, url));
    }
    this.mirrors = mirrors;
  }

  /** The endpoint of a registry as named in an image reference. */
  public endpoint(registry: string): RegistryEndpoint {
    const key = normalizeRegistry(registry);
    const mirror = this.mirrors.get(key);
    if (mirror !== undefined) {
      return { registry: key, baseUrl: mirror, mirrored: true };
    }
    const apiHost = key === DOCKER_HUB ? DOCKER_HUB_API_HOST : key;
    const scheme = this.allowsPlainHttp(apiHost) ? 'http' : 'https';
    return { registry: key, baseUrl: `${scheme}://${apiHost}`, mirrored: false };
  }

  /** May this host (`host[:port]`) be reached over plain HTTP? Loopback and `insecureRegistries` only. */
  public allowsPlainHttp(host: string): boolean {
    const lower = host.toLowerCase();
    return isLoopbackHost(lower) || this.insecure.has(lower) || this.insecure.has(hostnameOf(lower));
  }

  private checkMirrorUrl(host: string, url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RegistryOptionError(`Registry mirror for ${host}: ${JSON.stringify(url)} is not a URL (expected HOST=https://mirror.example.com)`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new RegistryOptionError(`Registry mirror for ${host}: ${JSON.stringify(url)} must be an http:// or https:// URL`);
    }
    if (parsed.username || parsed.password) {
      throw new RegistryOptionError(`Registry mirror for ${host}: put credentials in the Docker config, not in the mirror URL`);
    }
    // URL drops a default port (`http://cache:80` has host `cache`): an insecure entry may name it.
    if (parsed.protocol === 'http:' && !this.allowsPlainHttp(parsed.host) && !this.allowsPlainHttp(`${parsed.hostname}:80`)) {
      throw new RegistryOptionError(
        `Registry mirror for ${host}: plain HTTP to ${parsed.host} is allowed only for loopback hosts and insecure registries ` +
          `(add ${parsed.host} to the insecure registries, or use https://)`,
      );
    }
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  }
}

/** The registry's canonical key: lowercase, `index.docker.io` as `docker.io`. */
function normalizeRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  return lower === 'index.docker.io' || lower === DOCKER_HUB_API_HOST ? DOCKER_HUB : lower;
}

function splitMirror(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) {
    throw new RegistryOptionError(`Registry mirror ${JSON.stringify(spec)} must be HOST=URL, e.g. docker.io=https://mirror.example.com`);
  }
  return [spec.slice(0, eq).trim(), spec.slice(eq + 1).trim()];
}

/** The eight groups of an IPv6 address, each as four hex digits. */
function expandIpv6(address: string): string {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((g) => g.padStart(4, '0')).join(':');
}

import { hostnameOf, RegistryEndpoint } from './hosts';
import { DOCKER_HUB } from '../reference/docker-hub';

/**
 * Which token services may receive a registry's credentials.
 *
 * A registry names its token service in the `realm` of its Bearer challenge, and Docker sends the
 * user's credentials to whatever realm that is. We do not: a registry (or anything that can answer
 * for it, such as a misconfigured proxy) could otherwise collect the credentials of another. The
 * rule:
 *
 * 1. Credentials go to a realm on the same host name as the registry's endpoint (any port: an
 *    auth service beside the registry on the same machine), over HTTPS, or over plain HTTP only
 *    where the endpoint itself may use plain HTTP (loopback, insecure registries).
 * 2. Or to a token service the registry documents on another host: `auth.docker.io` for Docker
 *    Hub, `gitlab.com` for `registry.gitlab.com`, plus the pairs the caller adds (`authHosts`, e.g.
 *    a self-managed GitLab whose registry is `registry.example.com` and realm `gitlab.example.com`).
 * 3. Any other realm gets an anonymous token request: public images still resolve, and a private
 *    one is reported as not authorized, saying which realm the credentials were withheld from.
 */

/** Token services on another host than their registry, as the registries document them. */
export const DOCUMENTED_AUTH_HOSTS: Readonly<Record<string, readonly string[]>> = {
  [DOCKER_HUB]: ['auth.docker.io'],
  'registry.gitlab.com': ['gitlab.com'],
};

/** May the registry's credentials be sent to this token realm? `undefined` when yes, else why not. */
export function whyCredentialsWithheld(
  endpoint: RegistryEndpoint,
  realm: URL,
  allowsPlainHttp: (host: string) => boolean,
  extraAuthHosts: Readonly<Record<string, readonly string[]>> = {},
): string | undefined {
  if (realm.protocol === 'http:' && !allowsPlainHttp(realm.host)) {
    return `the token service ${realm.origin} uses plain HTTP`;
  }
  const realmHost = realm.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const endpointHost = hostnameOf(new URL(endpoint.baseUrl).host);
  if (realmHost === endpointHost) {
    return undefined;
  }
  const documented = [...(DOCUMENTED_AUTH_HOSTS[endpoint.registry] ?? []), ...(extraAuthHosts[endpoint.registry] ?? [])];
  if (documented.map((h) => h.toLowerCase()).includes(realmHost)) {
    return undefined;
  }
  return (
    `the token service ${realm.origin} is on another host than the registry ${endpoint.registry}` +
    ' (credentials go only to the registry\'s own host or its documented auth host; add it to authHosts if it is the registry\'s)'
  );
}

/**
 * A credential for one registry, as Docker's config and credential helpers give them.
 *
 * - `basic`: user name and password (or an ECR authorization token's `AWS:<password>`). Sent as
 *   `Basic` to a registry that challenges with Basic, or to its token service.
 * - `identity-token`: an OAuth2 refresh token (`identitytoken` in the config, or a helper's
 *   `Username: "<token>"`), exchanged at the token service with `grant_type=refresh_token`.
 * - `registry-token`: a bearer token sent to the registry as it is (`registrytoken` in the config).
 */
export type Credential =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'identity-token'; readonly token: string }
  | { readonly kind: 'registry-token'; readonly token: string };

/** What looking up a registry's credential found, and where. */
export interface CredentialLookup {
  /** The credential, or undefined for anonymous access. */
  readonly credential?: Credential;
  /** Where it came from, for messages: `credHelpers (docker-credential-ecr-login)`, `auths`, `ecr:GetAuthorizationToken`. */
  readonly source?: string;
  /** Why a source that should have answered did not (a helper that failed, an ECR token error); secrets redacted. */
  readonly problem?: string;
}

/** Something that finds a registry's credential. */
export interface CredentialSource {
  /** The credential for this registry (as named in image references: `docker.io`, an ECR host). Never throws. */
  lookup(registry: string): Promise<CredentialLookup>;
}

/** The secrets in a credential, for the redactor. */
export function secretsOf(credential: Credential | undefined): string[] {
  if (credential === undefined) {
    return [];
  }
  if (credential.kind === 'basic') {
    return [credential.password, `${credential.username}:${credential.password}`];
  }
  return [credential.token];
}

import { CredentialLookup, CredentialSource } from './credential';
import { EcrHost, parseEcrHost } from './ecr-host';
import { loadSdk } from '../aws/sdk';

/**
 * ECR registry credentials from `ecr:GetAuthorizationToken`: a base64 `AWS:<password>` valid for
 * 12 hours, for the registries the caller may read. The default source calls the AWS SDK with its
 * default credential chain (environment, profile, SSO, container and instance roles) in the
 * registry's region, FIPS and dual-stack as the host says; the SDK honours `AWS_ENDPOINT_URL_ECR`
 * and `AWS_ENDPOINT_URL`. Tokens are cached per registry until five minutes before they expire.
 */

/** What GetAuthorizationToken gives: a user name (`AWS`) and password for the registry's Basic auth. */
export interface EcrAuthorization {
  readonly username: string;
  readonly password: string;
  /** When the token expires. @default - 12 hours after it was issued */
  readonly expiresAt?: Date;
}

/** Where ECR authorization tokens come from: the AWS SDK by default; tests and callers may supply their own. */
export interface EcrTokenSource {
  /** A token for this registry. @throws Error saying why (no AWS credentials, access denied, ...), without secrets */
  getAuthorizationToken(registry: EcrHost): Promise<EcrAuthorization>;
}

/** The part of `@aws-sdk/client-ecr` used here (the package is loaded lazily; no type import from it). */
interface EcrSdk {
  ECRClient: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown>; destroy(): void };
  GetAuthorizationTokenCommand: new (input: Record<string, unknown>) => unknown;
}

interface GetAuthorizationTokenOutput {
  authorizationData?: Array<{ authorizationToken?: string; expiresAt?: Date }>;
}

/** Renew a cached token this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** `ecr:GetAuthorizationToken` through the AWS SDK for JavaScript v3 and its default credential chain. */
export class SdkEcrTokenSource implements EcrTokenSource {
  /**
   * @param clientConfig extra `ECRClient` configuration (credentials, endpoint, ...); region, FIPS and dual-stack come from the host
   * @param env where `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL` are read from
   */
  constructor(private readonly clientConfig: Readonly<Record<string, unknown>> = {}, private readonly env: NodeJS.ProcessEnv = process.env) {}

  public async getAuthorizationToken(registry: EcrHost): Promise<EcrAuthorization> {
    const sdk = loadSdk<EcrSdk>('@aws-sdk/client-ecr', `Reading images from the ECR registry ${registry.host}`);
    // An explicit endpoint decides where the call goes; the SDK refuses FIPS or dual-stack with one
    // ("FIPS and custom endpoint are not supported"), so those flags apply to its own endpoints only.
    const customEndpoint = this.clientConfig.endpoint ?? this.env.AWS_ENDPOINT_URL_ECR ?? this.env.AWS_ENDPOINT_URL;
    const client = new sdk.ECRClient({
      region: registry.region,
      ...(customEndpoint ? {} : { useFipsEndpoint: registry.fips, useDualstackEndpoint: registry.dualStack }),
      ...this.clientConfig,
    });
    try {
      const output = (await client.send(new sdk.GetAuthorizationTokenCommand({}))) as GetAuthorizationTokenOutput;
      const data = output.authorizationData?.[0];
      if (!data?.authorizationToken) {
        throw new Error('GetAuthorizationToken returned no authorization data');
      }
      return { ...decodeAuthorizationToken(data.authorizationToken), expiresAt: data.expiresAt };
    } finally {
      client.destroy();
    }
  }
}

/** `AWS:<password>` in base64, as GetAuthorizationToken returns it, split. */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new Error('GetAuthorizationToken returned a token that is not base64 user:password');
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** ECR hosts' credentials from a token source, one token per registry, renewed before it expires. */
export class EcrCredentialSource implements CredentialSource {
  private readonly cache = new Map<string, { readonly promise: Promise<CredentialLookup>; renewAt: number }>();

  constructor(private readonly tokens: EcrTokenSource, private readonly now: () => number = Date.now) {}

  public lookup(registry: string): Promise<CredentialLookup> {
    const host = parseEcrHost(registry);
    if (host === undefined) {
      return Promise.resolve({});
    }
    const cached = this.cache.get(host.host);
    if (cached && this.now() < cached.renewAt) {
      return cached.promise;
    }
    // While the call is in flight, concurrent lookups share it; afterwards a token is kept until
    // shortly before it expires, and a failure is kept for the run (asking again would fail again).
    const entry: { promise: Promise<CredentialLookup>; renewAt: number } = { promise: Promise.resolve({}), renewAt: Number.POSITIVE_INFINITY };
    entry.promise = this.fetch(host, (expiresAt) => {
      entry.renewAt = expiresAt - RENEW_BEFORE_MS;
    });
    this.cache.set(host.host, entry);
    return entry.promise;
  }

  private async fetch(host: EcrHost, expires: (at: number) => void): Promise<CredentialLookup> {
    const source = 'ecr:GetAuthorizationToken';
    try {
      const auth = await this.tokens.getAuthorizationToken(host);
      expires(auth.expiresAt?.getTime() ?? this.now() + TOKEN_LIFETIME_MS);
      return { credential: { kind: 'basic', username: auth.username, password: auth.password }, source };
    } catch (e) {
      const error = e as Error;
      const name = error?.name && error.name !== 'Error' ? `${error.name}: ` : '';
      return { source, problem: `${source} for ${host.host} (region ${host.region}) failed: ${name}${error?.message ?? String(e)}` };
    }
  }
}

import { whyCredentialsWithheld } from './auth-hosts';
import { Credential, CredentialLookup, CredentialSource, secretsOf } from './credential';
import { RegistryEndpoint, RegistryHosts } from './hosts';
import { describeRegistryErrors, parseRegistryErrors } from './registry-errors';
import { describeUrl, SecretRedactor } from './secrets';
import { HttpAnswer, Transport } from './transport';
import { Challenge, parseWwwAuthenticate } from './www-authenticate';

/**
 * Authentication as Docker does it: send the request, and on a 401 follow the `WWW-Authenticate`
 * challenge. `Basic`: the registry's credential, to the registry. `Bearer`: a token from the
 * challenge's realm for its `service` and `scope` (anonymous, `Basic` user and password, or an
 * identity token exchanged with `grant_type=refresh_token`), then the request again with the token.
 *
 * What a host's first challenge taught is kept for the run: later requests to the same registry
 * send `Basic`, or fetch the next repository's token, before the registry asks, saving a 401 round
 * trip per repository. Tokens are cached per registry and scope until they expire (`expires_in`,
 * 60 s when absent); concurrent requests for one scope share one token request.
 */

/** The outcome of preparing a request's authorization. */
export type AuthStep =
  /** Send the request with this `Authorization` (undefined: anonymously). */
  | { readonly type: 'send'; readonly authorization?: string }
  /** Not authorized: stop, with the reason (secrets redacted). */
  | { readonly type: 'denied'; readonly message: string }
  /** The token service could not be reached or answered nonsense. */
  | { readonly type: 'unreachable'; readonly message: string };

/** Auth settings of the client. */
export interface AuthOptions {
  /** Token services on other hosts that may receive a registry's credentials: `{ 'registry.example.com': ['gitlab.example.com'] }`. @default {} */
  readonly authHosts?: Readonly<Record<string, readonly string[]>>;
}

/** Tokens are thrown away this long before the service says they expire. */
const TOKEN_MARGIN_MS = 10_000;
const DEFAULT_TOKEN_SECONDS = 60;
const MAX_TOKEN_BODY = 1024 * 1024;
/** The client id Docker sends with OAuth2 token requests; any string is accepted. */
const CLIENT_ID = 'cdk-image-pinning';

type HostScheme = { readonly scheme: 'basic' } | { readonly scheme: 'bearer'; readonly challenge: Challenge };

interface CachedToken {
  step: Promise<AuthStep>;
  expiresAt: number;
}

export class Authenticator {
  private readonly schemes = new Map<string, HostScheme>();
  private readonly tokens = new Map<string, CachedToken>();
  /** Per registry, why its credentials were kept from its token realm, for the "not authorized" message. */
  private readonly withheld = new Map<string, string>();
  /** Per registry, where its credential came from, for messages. */
  private readonly sources = new Map<string, string>();

  constructor(
    private readonly transport: Transport,
    private readonly keychain: CredentialSource,
    private readonly hosts: RegistryHosts,
    private readonly redactor: SecretRedactor,
    private readonly options: AuthOptions = {},
  ) {}

  /** The authorization to send before any challenge, from what this registry's earlier challenges taught. */
  public async before(endpoint: RegistryEndpoint, repository: string): Promise<AuthStep> {
    const known = this.schemes.get(endpoint.registry);
    if (known === undefined) {
      return { type: 'send' };
    }
    if (known.scheme === 'basic') {
      const lookup = await this.credential(endpoint.registry);
      return { type: 'send', authorization: basicHeader(lookup.credential) };
    }
    return this.token(endpoint, known.challenge, scopeFor(known.challenge, repository, false));
  }

  /**
   * The authorization to retry with after a 401. A request is answered at most once: when the
   * retried request gets a 401 too, the caller reports it as not authorized.
   *
   * @param sent the authorization the 401 answered
   */
  public async after401(endpoint: RegistryEndpoint, repository: string, answer: HttpAnswer, sent: string | undefined): Promise<AuthStep> {
    const challenges = parseWwwAuthenticate(answer.headers.get('www-authenticate'));
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      this.schemes.set(endpoint.registry, { scheme: 'bearer', challenge: bearer });
      const scope = scopeFor(bearer, repository, true);
      if (sent !== undefined && sent.startsWith('Bearer ')) {
        if (bearer.params.error === 'insufficient_scope') {
          return this.denied(endpoint, repository, answer, 'the token does not grant pull (insufficient_scope)');
        }
        // The token was refused for another reason (expired early, revoked): fetch a new one once.
        this.tokens.delete(tokenKey(endpoint, bearer, scope));
      }
      return this.token(endpoint, bearer, scope);
    }
    if (basic) {
      this.schemes.set(endpoint.registry, { scheme: 'basic' });
      const lookup = await this.credential(endpoint.registry);
      const header = basicHeader(lookup.credential);
      if (header === undefined) {
        return this.denied(endpoint, repository, answer, noCredentialReason(endpoint.registry, lookup));
      }
      if (header === sent) {
        return this.denied(endpoint, repository, answer, `the registry rejected the credentials from ${lookup.source}`);
      }
      return { type: 'send', authorization: header };
    }
    return this.denied(endpoint, repository, answer, 'the registry answered 401 without a Basic or Bearer challenge');
  }

  /** The message for a request that was refused after its one answered challenge (or a 403). */
  public deniedMessage(endpoint: RegistryEndpoint, repository: string, answer: HttpAnswer, sent: string | undefined): string {
    const challenge = parseWwwAuthenticate(answer.headers.get('www-authenticate')).find((c) => c.scheme === 'bearer');
    let why: string;
    if (challenge?.params.error === 'insufficient_scope') {
      why = 'the token does not grant pull (insufficient_scope)';
    } else if (answer.status === 403) {
      why = 'access denied (403)';
    } else if (sent === undefined) {
      why = 'the registry needs credentials';
    } else if (sent.startsWith('Basic ')) {
      why = `the registry rejected the credentials from ${this.sources.get(endpoint.registry) ?? 'the Docker config'}`;
    } else {
      why = 'the registry rejected the token';
    }
    return this.deniedText(endpoint, repository, answer, why);
  }

  private async token(endpoint: RegistryEndpoint, challenge: Challenge, scope: string): Promise<AuthStep> {
    const key = tokenKey(endpoint, challenge, scope);
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.expiresAt) {
      return cached.step;
    }
    const entry: CachedToken = { step: Promise.resolve({ type: 'send' }), expiresAt: Number.POSITIVE_INFINITY };
    entry.step = this.fetchToken(endpoint, challenge, scope, (expiresAt) => {
      entry.expiresAt = expiresAt;
    });
    this.tokens.set(key, entry);
    return entry.step;
  }

  private async fetchToken(endpoint: RegistryEndpoint, challenge: Challenge, scope: string, expires: (at: number) => void): Promise<AuthStep> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      return { type: 'unreachable', message: `the token realm ${JSON.stringify(challenge.params.realm)} is not a URL` };
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      return { type: 'unreachable', message: `the token realm ${realm.protocol} is not HTTP` };
    }
    const withheld = whyCredentialsWithheld(endpoint, realm, (h) => this.hosts.allowsPlainHttp(h), this.options.authHosts);
    if (withheld !== undefined) {
      this.withheld.set(endpoint.registry, withheld);
    }
    const lookup: CredentialLookup = withheld === undefined ? await this.credential(endpoint.registry) : {};
    const credential = lookup.credential;
    if (credential?.kind === 'registry-token') {
      // A registry token is itself the bearer: no exchange.
      expires(Number.POSITIVE_INFINITY);
      return { type: 'send', authorization: `Bearer ${credential.token}` };
    }
    if (withheld !== undefined && realm.protocol === 'http:' && !this.hosts.allowsPlainHttp(realm.host)) {
      return { type: 'denied', message: this.redactor.redact(`no token requested: ${withheld}`) };
    }
    const params = new URLSearchParams();
    if (challenge.params.service) {
      params.set('service', challenge.params.service);
    }
    params.set('scope', scope);
    let answer;
    if (credential?.kind === 'identity-token') {
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', credential.token);
      params.set('client_id', CLIENT_ID);
      answer = await this.transport.send({
        kind: 'token',
        method: 'POST',
        url: realm,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
        maxBodyBytes: MAX_TOKEN_BODY,
      });
    } else {
      const url = new URL(realm);
      for (const [k, v] of params) {
        url.searchParams.append(k, v);
      }
      answer = await this.transport.send({ kind: 'token', method: 'GET', url, authorization: basicHeader(credential), maxBodyBytes: MAX_TOKEN_BODY });
    }
    const from = credential === undefined ? 'anonymously' : `with the credentials from ${lookup.source}`;
    const where = `the token service ${describeUrl(realm)} (asked ${from})`;
    if (answer.type === 'failure') {
      return { type: 'unreachable', message: this.redactor.redact(`${where}: ${answer.message}`) };
    }
    if (answer.status === 401 || answer.status === 403) {
      const detail = describeRegistryErrors(parseRegistryErrors(answer.body));
      const reason = credential === undefined ? noCredentialReason(endpoint.registry, lookup, withheld) : 'the credentials were rejected';
      return { type: 'denied', message: this.redactor.redact(`${where} refused a token (${answer.status}): ${reason}${detail ? `: ${detail}` : ''}`) };
    }
    if (answer.status !== 200) {
      return { type: 'unreachable', message: this.redactor.redact(`${where} answered ${answer.status}`) };
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      return { type: 'unreachable', message: `${where} answered something that is not JSON` };
    }
    const token = typeof body.access_token === 'string' && body.access_token ? body.access_token : body.token;
    if (typeof token !== 'string' || token === '') {
      return { type: 'unreachable', message: `${where} answered without a token` };
    }
    this.redactor.add(token);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : NaN;
    // A token server's clock may differ from ours: count from now unless issued_at is earlier.
    const start = Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now());
    expires(start + seconds * 1000 - TOKEN_MARGIN_MS);
    return { type: 'send', authorization: `Bearer ${token}` };
  }

  private async credential(registry: string): Promise<CredentialLookup> {
    const lookup = await this.keychain.lookup(registry);
    this.redactor.add(...secretsOf(lookup.credential));
    if (lookup.source !== undefined) {
      this.sources.set(registry, lookup.source);
    }
    if (lookup.credential?.kind === 'basic') {
      this.redactor.add(basicHeader(lookup.credential)!.slice('Basic '.length));
    }
    return lookup;
  }

  private denied(endpoint: RegistryEndpoint, repository: string, answer: HttpAnswer, why: string): AuthStep {
    return { type: 'denied', message: this.deniedText(endpoint, repository, answer, why) };
  }

  private deniedText(endpoint: RegistryEndpoint, repository: string, answer: HttpAnswer, reason: string): string {
    const detail = describeRegistryErrors(parseRegistryErrors(answer.body));
    const withheld = this.withheld.get(endpoint.registry);
    const why = withheld === undefined ? reason : `${reason}; credentials, if any, were not sent: ${withheld}`;
    return this.redactor.redact(`not authorized to pull ${repository} from ${endpoint.registry}: ${why}${detail ? ` (${detail})` : ''}`);
  }
}

/** `Basic base64(user:password)` for a basic credential, else undefined. */
export function basicHeader(credential: Credential | undefined): string | undefined {
  if (credential?.kind !== 'basic') {
    return undefined;
  }
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

/** The scope to ask for: the challenge's when it names this repository, else pull on the repository. */
function scopeFor(challenge: Challenge, repository: string, fromThisChallenge: boolean): string {
  const pull = `repository:${repository}:pull`;
  const asked = challenge.params.scope;
  if (fromThisChallenge && asked && asked.split(' ').some((s) => s.startsWith(`repository:${repository}:`))) {
    return asked;
  }
  return pull;
}

function tokenKey(endpoint: RegistryEndpoint, challenge: Challenge, scope: string): string {
  return `${endpoint.registry}\n${challenge.params.realm}\n${challenge.params.service ?? ''}\n${scope}`;
}

function noCredentialReason(registry: string, lookup: CredentialLookup, withheld?: string): string {
  if (withheld !== undefined) {
    return `credentials were not sent: ${withheld}`;
  }
  const problem = lookup.problem ? ` (${lookup.problem})` : '';
  return `no credentials for ${registry} were found in the Docker config${problem}; run \`docker login ${registry}\``;
}

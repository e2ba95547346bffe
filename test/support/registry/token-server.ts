import { createPrivateKey, randomUUID, sign, X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { CertificateFiles } from './certificates';
import { close, listen, readRequestBody } from './loopback';

/**
 * A small token server for distribution's token auth (the Docker registry v2 token spec), enough to
 * test the client's Bearer flow against the real registry: `GET /token?service=&scope=` with
 * optional Basic credentials, and `POST /token` with `grant_type=refresh_token` (identity tokens).
 * Tokens are JWTs signed ES256 with a self-signed certificate carried in the `x5c` header, which
 * the registry trusts through its `rootcertbundle`.
 */

export interface TokenUser {
  readonly password: string;
  /** Repository names this user may pull; `*` for all. */
  readonly pull: readonly string[];
  /** Repository names this user may push; `*` for all. */
  readonly push?: readonly string[];
}

export interface TokenServerOptions {
  readonly signer: CertificateFiles;
  readonly service: string;
  readonly issuer: string;
  readonly users: Readonly<Record<string, TokenUser>>;
  /** Repositories anyone may pull without credentials. @default [] */
  readonly anonymousPull?: readonly string[];
  /** Identity (refresh) tokens to the user they stand for. @default {} */
  readonly identityTokens?: Readonly<Record<string, string>>;
  /** `expires_in` of the tokens, in seconds. @default 300 */
  readonly expiresInSeconds?: number;
  /** Loopback address to listen on. @default 127.0.0.1 */
  readonly address?: string;
}

/** One token request, as the server saw it. */
export interface TokenRequest {
  readonly method: string;
  readonly authorization?: string;
  readonly scope?: string;
  readonly service?: string;
  readonly grantType?: string;
  /** The user the request authenticated as; undefined for anonymous. */
  readonly user?: string;
}

export interface TokenServer {
  /** The realm for the registry config and challenges: `http://<address>:<port>/token`. */
  readonly realm: string;
  readonly requests: TokenRequest[];
  stop(): Promise<void>;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(fs.readFileSync(options.signer.key));
  const certDer = new X509Certificate(fs.readFileSync(options.signer.cert)).raw.toString('base64');
  const requests: TokenRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://token');
      let params = url.searchParams;
      if (req.method === 'POST') {
        params = new URLSearchParams((await readRequestBody(req)).toString('utf8'));
      }
      const user = authenticate(req.headers.authorization, params, options);
      const record: TokenRequest = {
        method: req.method ?? '',
        authorization: req.headers.authorization,
        scope: params.get('scope') ?? undefined,
        service: params.get('service') ?? undefined,
        grantType: params.get('grant_type') ?? undefined,
        user: user === null ? undefined : user,
      };
      requests.push(record);
      if (user === null && (req.headers.authorization !== undefined || params.get('grant_type') === 'refresh_token')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication failed' }] }));
        return;
      }
      const access = (params.getAll('scope').join(' ').split(' ').filter(Boolean)).map((scope) => grant(scope, user ?? undefined, options));
      const token = signToken(key, certDer, options, user ?? '', access.filter((a) => a.actions.length > 0));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: options.expiresInSeconds ?? 300, issued_at: new Date().toISOString() }));
    })();
  });
  const host = await listen(server, options.address ?? '127.0.0.1');
  return { realm: `http://${host}/token`, requests, stop: () => close(server) };
}

/** The user name the request proves, undefined for anonymous, null for failed authentication. */
function authenticate(header: string | undefined, params: URLSearchParams, options: TokenServerOptions): string | undefined | null {
  if (params.get('grant_type') === 'refresh_token') {
    return options.identityTokens?.[params.get('refresh_token') ?? ''] ?? null;
  }
  if (header === undefined) {
    return undefined;
  }
  if (!header.startsWith('Basic ')) {
    return null;
  }
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  return colon > 0 && options.users[name]?.password === decoded.slice(colon + 1) ? name : null;
}

/** The actions of a `repository:<name>:<actions>` scope this user gets. */
function grant(scope: string, user: string | undefined, options: TokenServerOptions): { type: string; name: string; actions: string[] } {
  const [type, ...rest] = scope.split(':');
  const actionsAsked = rest.pop()?.split(',') ?? [];
  const name = rest.join(':');
  const allowed = (list: readonly string[] | undefined) => (list ?? []).some((r) => r === '*' || r === name);
  const account = user === undefined ? undefined : options.users[user];
  const actions = actionsAsked.filter((action) => {
    if (action === 'pull') {
      return allowed(options.anonymousPull) || allowed(account?.pull);
    }
    if (action === 'push') {
      return allowed(account?.push);
    }
    return false;
  });
  return { type, name, actions };
}

function signToken(
  key: ReturnType<typeof createPrivateKey>,
  certDer: string,
  options: TokenServerOptions,
  subject: string,
  access: Array<{ type: string; name: string; actions: string[] }>,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer] };
  const claims = {
    iss: options.issuer,
    sub: subject,
    aud: options.service,
    exp: now + (options.expiresInSeconds ?? 300),
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${signingInput}.${signature}`;
}

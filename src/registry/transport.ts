import { ConcurrencyLimiter } from './limiter';
import { RequestCounters, RequestKind } from './request-counters';
import {
  backoffDelay,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRIES,
  isRetryableStatus,
  parseRetryAfter,
  RetryOptions,
} from './retry-policy';
import { describeUrl, SecretRedactor } from './secrets';

/**
 * The one place the registry client talks HTTP, on Node's global `fetch`: timeouts, retries,
 * bounded concurrency, request counters, redirects and bounded bodies. Auth and registry semantics
 * live above it; the commands never see it.
 *
 * Redirects are followed here, by hand (`redirect: 'manual'`), so that the `Authorization` header is
 * sent only to the origin it was meant for: a registry redirecting a blob to a CDN or to S3 (as
 * Docker Hub and ECR do) gets the credentials, the CDN does not. A redirect from HTTPS to plain HTTP
 * is refused unless the target may use plain HTTP (loopback, insecure registries).
 */

/** Transport settings. */
export interface TransportOptions extends RetryOptions {
  /** Time for one attempt, headers and body, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
  /** Requests in flight at once, all hosts together. @default 16 */
  readonly maxConcurrency?: number;
  /** Requests in flight at once to one host. @default 6 */
  readonly maxConcurrencyPerHost?: number;
  /** Redirects followed for one request. @default 5 */
  readonly maxRedirects?: number;
  /** `User-Agent` of every request. @default 'cdk-image-pinning' */
  readonly userAgent?: string;
  /** Debug lines (method, URL without query, status); secrets redacted. @default - no logging */
  readonly log?: (line: string) => void;
}

/** One HTTP request as the layers above describe it. */
export interface TransportRequest {
  readonly kind: RequestKind;
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: URL;
  /** Headers that carry no secret. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `Authorization` value: sent to `url`'s origin only, dropped on a redirect to another origin. */
  readonly authorization?: string;
  /** A form body (token requests). */
  readonly body?: string;
  /** Largest successful body accepted; a larger one is a `too-large` failure, not an out-of-memory. */
  readonly maxBodyBytes: number;
  /** Is this 429 final (no retry)? Docker Hub's pull limit is. */
  readonly isFinal429?: (answer: HttpAnswer) => boolean;
}

/** An HTTP answer (any status). */
export interface HttpAnswer {
  readonly type: 'answer';
  readonly status: number;
  readonly headers: Headers;
  /** A 2xx body in full; other statuses at most {@link ERROR_BODY_BYTES}; empty for HEAD. */
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: URL;
  /** Attempts made, 1 when the first one answered. */
  readonly attempts: number;
  /** Set when retries stopped because `Retry-After` asked for a longer wait than allowed. */
  readonly retryAfterMs?: number;
}

/** No usable HTTP answer. */
export interface TransportFailure {
  readonly type: 'failure';
  /** `tls`: a certificate problem; `too-large`: a body over the cap; `redirect`: a refused or endless redirect. */
  readonly reason: 'network' | 'timeout' | 'tls' | 'too-large' | 'redirect';
  /** What happened, with the URL (no query); secrets redacted. */
  readonly message: string;
  readonly url: URL;
  readonly attempts: number;
}

export type TransportOutcome = HttpAnswer | TransportFailure;

/** How much of an error body is read: enough for a registry's JSON error, not a whole HTML page. */
export const ERROR_BODY_BYTES = 64 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONCURRENCY = 16;
export const DEFAULT_MAX_CONCURRENCY_PER_HOST = 6;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Network error codes worth another attempt: the connection, not the request, failed. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** Certificate errors: no retry will fix them, and the message says how to trust a private CA. */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export class Transport {
  public readonly counters = new RequestCounters();
  private readonly limiter: ConcurrencyLimiter;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly log?: (line: string) => void;

  constructor(
    options: TransportOptions,
    private readonly allowsPlainHttp: (host: string) => boolean,
    private readonly redactor: SecretRedactor,
  ) {
    this.limiter = new ConcurrencyLimiter(
      options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      options.maxConcurrencyPerHost ?? DEFAULT_MAX_CONCURRENCY_PER_HOST,
    );
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.userAgent = options.userAgent ?? 'cdk-image-pinning';
    this.log = options.log;
  }

  /** Sends the request, retrying as the retry policy says. Never throws. */
  public async send(request: TransportRequest): Promise<TransportOutcome> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.exchange(request, attempt);
      const retriesLeft = attempt < this.retries;
      if (outcome.type === 'failure') {
        if (!retriesLeft || !outcome.retryable) {
          return { ...outcome.failure, attempts: attempt + 1 };
        }
        await sleep(backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs));
        continue;
      }
      const answer: HttpAnswer = { ...outcome.answer, attempts: attempt + 1 };
      if (!isRetryableStatus(answer.status) || (answer.status === 429 && request.isFinal429?.(answer))) {
        return answer;
      }
      const retryAfter = parseRetryAfter(answer.headers.get('retry-after'));
      if (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs) {
        return { ...answer, retryAfterMs: retryAfter };
      }
      if (!retriesLeft) {
        return retryAfter === undefined ? answer : { ...answer, retryAfterMs: retryAfter };
      }
      await sleep(retryAfter ?? backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs));
    }
  }

  /** One attempt: the request and the redirects it leads to. */
  private async exchange(
    request: TransportRequest,
    attempt: number,
  ): Promise<{ type: 'answer'; answer: Omit<HttpAnswer, 'attempts'> } | { type: 'failure'; failure: Omit<TransportFailure, 'attempts'>; retryable: boolean }> {
    let url = request.url;
    let authorization = request.authorization;
    let method = request.method;
    let requestBody = request.body;
    for (let hop = 0; ; hop++) {
      const release = await this.limiter.acquire(url.host);
      try {
        this.counters.count(request.kind, hop > 0 ? 'redirect' : attempt > 0 ? 'retry' : 'first');
        const headers: Record<string, string> = { 'user-agent': this.userAgent, ...request.headers };
        if (authorization !== undefined) {
          headers.authorization = authorization;
        }
        const response = await fetch(url, {
          method,
          headers,
          body: requestBody,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        this.debug(`${method} ${describeUrl(url)} -> ${response.status}`);
        const location = response.headers.get('location');
        if (REDIRECT_STATUSES.has(response.status) && location !== null) {
          await response.body?.cancel();
          let next = this.redirectTarget(url, location, hop);
          if (typeof next !== 'string' && requestBody !== undefined && next.origin !== url.origin && response.status !== 303 && !(response.status <= 302 && method === 'POST')) {
            // A 307/308 re-sends the body; a token request's body may hold an identity token.
            next = `${describeUrl(url)}: refused to send a request body on to ${next.origin} (another host)`;
          }
          if (typeof next === 'string') {
            return { type: 'failure', failure: { type: 'failure', reason: 'redirect', message: this.redactor.redact(next), url }, retryable: false };
          }
          if (response.status === 303 || (response.status <= 302 && method === 'POST')) {
            // As browsers and fetch do: a POST answered 301/302/303 is followed with a GET, without its body.
            method = 'GET';
            requestBody = undefined;
          }
          // Credentials belong to the origin they were given for; another origin never gets them,
          // and a later redirect back does not restore them.
          if (next.origin !== url.origin) {
            authorization = undefined;
          }
          url = next;
          continue;
        }
        const ok = response.status >= 200 && response.status < 300;
        const limit = ok ? request.maxBodyBytes : ERROR_BODY_BYTES;
        const body = request.method === 'HEAD' ? Buffer.alloc(0) : await readBody(response, limit, !ok);
        if (body === undefined) {
          const message = `${request.method} ${describeUrl(url)}: the body is larger than ${limit} bytes; refusing to read it`;
          return { type: 'failure', failure: { type: 'failure', reason: 'too-large', message, url }, retryable: false };
        }
        return { type: 'answer', answer: { type: 'answer', status: response.status, headers: response.headers, body, url } };
      } catch (e) {
        return this.classify(request, url, e);
      } finally {
        release();
      }
    }
  }

  /** The next URL of a redirect, or why it is refused. */
  private redirectTarget(from: URL, location: string, hop: number): URL | string {
    if (hop >= this.maxRedirects) {
      return `${describeUrl(from)}: more than ${this.maxRedirects} redirects`;
    }
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      return `${describeUrl(from)}: redirect to a malformed location`;
    }
    if (next.protocol === 'https:' || (next.protocol === 'http:' && this.allowsPlainHttp(next.host))) {
      return next;
    }
    return `${describeUrl(from)}: refused a redirect to ${next.protocol}//${next.host} (plain HTTP only for loopback and insecure registries)`;
  }

  private classify(request: TransportRequest, url: URL, e: unknown): { type: 'failure'; failure: Omit<TransportFailure, 'attempts'>; retryable: boolean } {
    const error = e as Error & { cause?: { code?: string; message?: string } };
    const where = `${request.method} ${describeUrl(url)}`;
    if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
      const message = `${where}: no answer within ${this.timeoutMs} ms`;
      return { type: 'failure', failure: { type: 'failure', reason: 'timeout', message, url }, retryable: true };
    }
    const code = error?.cause?.code;
    const detail = this.redactor.redact(String(error?.cause?.message ?? error?.message ?? e));
    if (code !== undefined && TLS_CODES.has(code)) {
      const hint = code === 'ERR_SSL_WRONG_VERSION_NUMBER'
        ? ' (the server does not speak TLS: is it a plain-HTTP registry? name it in the insecure registries)'
        : ' (for a registry with a private certificate authority, run with NODE_EXTRA_CA_CERTS=<ca.pem>)';
      return { type: 'failure', failure: { type: 'failure', reason: 'tls', message: `${where}: ${code}: ${detail}${hint}`, url }, retryable: false };
    }
    const message = `${where}: ${code === undefined ? '' : `${code}: `}${detail}`;
    return { type: 'failure', failure: { type: 'failure', reason: 'network', message, url }, retryable: code !== undefined && RETRYABLE_CODES.has(code) };
  }

  private debug(line: string): void {
    this.log?.(this.redactor.redact(line));
  }
}

/**
 * The body, or undefined when it is larger than `limit` bytes. With `truncate`, a larger body is cut
 * at the limit instead (error bodies: only their start matters).
 */
async function readBody(response: Response, limit: number, truncate: boolean): Promise<Buffer | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (!truncate && declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) {
    return Buffer.alloc(0);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    if (total + value.length > limit) {
      await reader.cancel();
      if (!truncate) {
        return undefined;
      }
      chunks.push(value.subarray(0, limit - total));
      total = limit;
      break;
    }
    chunks.push(value);
    total += value.length;
  }
  return Buffer.concat(chunks, total);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

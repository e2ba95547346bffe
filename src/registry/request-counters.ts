/**
 * Counts of the HTTP requests a client sent, by kind, so a benchmark can print them and a test can
 * assert "one HEAD per distinct reference". Every attempt and every redirect hop counts: they are
 * requests the registry saw.
 */

/** What a request was for. `HEAD` and `GET` go to the registry; `token` to its token service. */
export type RequestKind = 'HEAD' | 'GET' | 'token';

/** A snapshot of the counters. */
export interface RequestCounts {
  /** Manifest HEAD requests (tag to digest; not a pull on Docker Hub). */
  readonly head: number;
  /** Manifest and blob GET requests (each one is a pull on Docker Hub). */
  readonly get: number;
  /** Token requests to the registry's token service. */
  readonly token: number;
  /** All requests: `head + get + token`. */
  readonly total: number;
  /** Of those, repeated attempts after a retryable answer or network error. */
  readonly retries: number;
  /** Of those, requests that followed a redirect. */
  readonly redirects: number;
}

export class RequestCounters {
  private head = 0;
  private get = 0;
  private token = 0;
  private retries = 0;
  private redirects = 0;

  public count(kind: RequestKind, why: 'first' | 'retry' | 'redirect'): void {
    if (kind === 'HEAD') {
      this.head++;
    } else if (kind === 'GET') {
      this.get++;
    } else {
      this.token++;
    }
    if (why === 'retry') {
      this.retries++;
    } else if (why === 'redirect') {
      this.redirects++;
    }
  }

  public snapshot(): RequestCounts {
    return {
      head: this.head,
      get: this.get,
      token: this.token,
      total: this.head + this.get + this.token,
      retries: this.retries,
      redirects: this.redirects,
    };
  }
}

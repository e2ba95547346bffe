/**
 * When to try a request again, and how long to wait first.
 *
 * As go-containerregistry's `remote` transport does: 408, 429 and 5xx answers and network errors are
 * retried with exponential backoff and full jitter; a `Retry-After` header (seconds or an HTTP date)
 * sets the wait instead. A `Retry-After` longer than the caller accepts ends the retries: the
 * answer is reported as rate limited rather than stalling the run.
 */

/** Retry settings of the transport. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  readonly retries?: number;
  /** Backoff before the first retry, doubled each time. @default 250 */
  readonly baseDelayMs?: number;
  /** Longest backoff. @default 8000 */
  readonly maxDelayMs?: number;
  /** Longest `Retry-After` the client waits for; a longer one ends the retries. @default 60000 */
  readonly maxRetryAfterMs?: number;
}

export const DEFAULT_RETRIES = 3;
export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 8_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Is an HTTP status worth another try? 408 Request Timeout, 429 Too Many Requests, 5xx except 501 and 505. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds, or undefined when absent or malformed.
 * A date in the past is a wait of 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  // An HTTP date has letters and a comma or spaces; a bare negative or decimal number is malformed.
  if (!/[a-z]/i.test(trimmed)) {
    return undefined;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Backoff before retry number `retry` (0 for the first retry): a random wait between 0 and
 * `min(maxDelay, baseDelay * 2^retry)` ("full jitter"), so clients that failed together do not retry
 * together.
 */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

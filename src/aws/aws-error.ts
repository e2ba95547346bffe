/**
 * SDK errors as data a report can print: the service's error code, a one-line message with no
 * credential in it, and whether it was throttling.
 *
 * The messages AWS returns name principals and actions, not keys, but an error can quote a
 * request (a signature, a header, an access key id) or a credential provider can say too much;
 * so every message goes through {@link Redactor} before it is kept.
 */

/** What is kept of a failed call. */
export interface AwsErrorInfo {
  /** The service's error code (`AccessDeniedException`, `ThrottlingException`), or the SDK's error name. */
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number;
  readonly throttled: boolean;
  /** How many attempts the SDK made, retries included. */
  readonly attempts?: number;
}

/** Error codes the services use for throttling (the SDK's own list, plus HTTP 429). */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const REDACTED = '[redacted]';

/**
 * Removes credentials from text: the secrets it was told about (the keys and tokens in use), and
 * anything shaped like an access key id, a SigV4 signature or credential scope, or a session token.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Also removes these values (short ones are ignored: they would redact ordinary words). */
  public add(...values: Array<string | undefined>) {
    for (const v of values) if (v && v.length >= 8) this.secrets.add(v);
  }

  public redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out
      .replace(/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g, REDACTED)
      .replace(/(Signature=)[0-9a-f]{16,}/gi, `$1${REDACTED}`)
      .replace(/(Credential=)[^,\s]+/gi, `$1${REDACTED}`)
      .replace(/((?:X-Amz-Security-Token|SessionToken|sessionToken|aws_session_token|aws_secret_access_key)["']?\s*[=:]\s*["']?)[^\s"',&]+/gi, `$1${REDACTED}`);
  }
}

/** The code, message and status of an error thrown by an SDK client (or anything else). */
export function describeAwsError(error: unknown, redactor: Redactor): AwsErrorInfo {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
    $retryable?: { throttling?: boolean };
  };
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Error';
  const httpStatus = e.$metadata?.httpStatusCode;
  const message = redactor.redact(oneLine(e.message ?? ''));
  return {
    code,
    message: message || code,
    httpStatus,
    throttled: THROTTLING_CODES.has(code) || httpStatus === 429 || e.$retryable?.throttling === true,
    attempts: e.$metadata?.attempts,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

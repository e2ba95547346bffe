/**
 * Credentials of a role in another account, through STS `AssumeRole`, for the clients that read
 * that account: obtained once, shared by every client of the account, and obtained again shortly
 * before they expire (an audit of a large organization can outlast a role session).
 */
import type { AwsCredentials, AwsCredentialsProvider } from './client-config';

/** Renew this long before expiry, as the SDK's own providers do. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A provider that calls `assume` the first time, then again once the credentials it returned are
 * within five minutes of their expiration. Concurrent callers share one call.
 */
export function refreshingCredentials(assume: () => Promise<AwsCredentials>, now: () => number = Date.now): AwsCredentialsProvider {
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  return async () => {
    if (current && (!current.expiration || current.expiration.getTime() - now() > REFRESH_MARGIN_MS)) return current;
    pending ??= assume().then(
      (credentials) => {
        current = credentials;
        pending = undefined;
        return credentials;
      },
      (error) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

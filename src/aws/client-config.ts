/**
 * The configuration every SDK client of the online commands gets: the SDK's standard sources
 * (default credential chain, shared config and credentials files, `AWS_PROFILE`,
 * `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`) with, on top, only what the user chose:
 * a region, a profile, and for another account the credentials of an assumed role.
 *
 * Retries use the SDK's `adaptive` mode: on throttling, each client slows its own sending rate,
 * on top of the backoff of the standard mode.
 */

/** Credentials as the SDK takes them, or a function the SDK calls (and caches) to get them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

export interface ClientSettings {
  /** The region; the SDK's configured one (`AWS_REGION`, the profile's) when absent. */
  readonly region?: string;
  /** A profile of the shared config files, as `--profile` gives it. */
  readonly profile?: string;
  /** Credentials to use instead of the default chain (an assumed role). */
  readonly credentials?: AwsCredentialsProvider;
  /** Attempts per call, retries included (the SDK's default is 3). */
  readonly maxAttempts?: number;
}

/** The default number of attempts per call: throttled calls are retried with backoff up to this. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The client configuration object for `new XxxClient(...)`. */
export function clientConfig(settings: ClientSettings): Record<string, unknown> {
  return {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}

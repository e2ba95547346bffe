/**
 * Keeps credentials out of messages. Every secret the client learns (passwords, identity tokens,
 * bearer tokens, ECR authorization tokens, and the `Basic` header values made from them) is
 * registered here, and every message the client builds (results, logs) passes through `redact`.
 * Messages are built without headers in the first place; this catches what a registry, a
 * credential helper or the AWS SDK echoes back.
 */

/** What a redacted secret reads as. */
export const REDACTED = '<redacted>';

/** Shortest value worth redacting: shorter "secrets" would blank ordinary words. */
const MIN_SECRET_LENGTH = 4;

export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Remembers secrets (and their base64 and URL-encoded forms) so `redact` removes them. */
  public add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (value !== undefined && value.length >= MIN_SECRET_LENGTH) {
        this.secrets.add(value);
        this.secrets.add(encodeURIComponent(value));
        this.secrets.add(Buffer.from(value).toString('base64'));
      }
    }
  }

  /** The text with every known secret replaced by `<redacted>`. Longest first, so no fragment is left. */
  public redact(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) {
        out = out.split(secret).join(REDACTED);
      }
    }
    return out;
  }
}

/**
 * A URL as messages show it: scheme, host and path, never the query (pre-signed blob URLs carry
 * signatures there) nor user information.
 */
export function describeUrl(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
}

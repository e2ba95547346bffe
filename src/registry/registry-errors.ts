/**
 * The error body of the distribution API: `{"errors": [{"code": "MANIFEST_UNKNOWN", "message": "...",
 * "detail": ...}]}`. Codes are upper case in the spec; Docker Hub's pull limit says `TOOMANYREQUESTS`,
 * some registries write `toomanyrequests`, so codes are compared in upper case.
 */

export interface RegistryError {
  /** The code in upper case, e.g. `MANIFEST_UNKNOWN`, `NAME_UNKNOWN`, `DENIED`, `TOOMANYREQUESTS`. */
  readonly code: string;
  readonly message: string;
}

/** Longest registry error message quoted: a registry may send a page of HTML. */
const MAX_MESSAGE = 300;

/** The errors in a response body; empty when the body is not the distribution error form. */
export function parseRegistryErrors(body: Uint8Array): RegistryError[] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return [];
  }
  const errors = (json as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) {
    return [];
  }
  return errors
    .filter((e): e is { code: unknown; message?: unknown } => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string')
    .map((e) => ({
      code: String(e.code).toUpperCase(),
      message: typeof e.message === 'string' ? e.message.slice(0, MAX_MESSAGE) : '',
    }));
}

/** `CODE: message; CODE: message`, for a result's message; empty when there are none. */
export function describeRegistryErrors(errors: readonly RegistryError[]): string {
  return errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
}

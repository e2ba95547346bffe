/**
 * A registry client option is malformed (a mirror that is not `HOST=URL`, a plain-HTTP mirror on a
 * host that may not use plain HTTP, ...). Thrown when the client is built, before any request: a
 * caller error, not a registry answer. Callers test `isRegistryOptionError(e)` rather than the message.
 */
const BRAND = Symbol.for('cdk-image-pinning.RegistryOptionError');

export class RegistryOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryOptionError';
    Object.defineProperty(this, BRAND, { value: true });
  }
}

export function isRegistryOptionError(x: unknown): x is RegistryOptionError {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}

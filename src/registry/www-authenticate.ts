/**
 * The `WWW-Authenticate` header of a 401 (RFC 9110 section 11.6.1), as registries send it:
 *
 *   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"
 *   Basic realm="Registry Realm"
 *
 * A header may carry several challenges, and `Headers.get` joins repeated headers with ", ", so the
 * parser splits challenges where a bare token (a scheme) follows a comma rather than `name=value`.
 * Parameter names are case-insensitive; quoted values may contain commas and `\"` escapes.
 */

/** One challenge: its scheme in lower case (`bearer`, `basic`) and its parameters (names lowercased). */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const WHITESPACE = /[ \t]*/y;

/** The challenges of a `WWW-Authenticate` header value; empty for null or unparseable input. */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  if (!header) {
    return [];
  }
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  let i = 0;
  const skipSpace = () => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(header);
    i = WHITESPACE.lastIndex;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(header);
    if (!m) {
      return undefined;
    }
    i = TOKEN.lastIndex;
    return m[0];
  };
  while (i < header.length) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const name = token();
    if (name === undefined) {
      break;
    }
    skipSpace();
    const current = challenges[challenges.length - 1];
    if (header[i] === '=' && current !== undefined && header[i + 1] !== '=') {
      // name=value: a parameter of the current challenge.
      i++;
      skipSpace();
      let value: string;
      if (header[i] === '"') {
        i++;
        value = '';
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) {
            i++;
          }
          value += header[i];
          i++;
        }
        i++; // closing quote
      } else {
        value = token() ?? '';
      }
      current.params[name.toLowerCase()] = value;
      continue;
    }
    // A bare token starts a new challenge: its scheme.
    challenges.push({ scheme: name.toLowerCase(), params: {} });
  }
  return challenges;
}

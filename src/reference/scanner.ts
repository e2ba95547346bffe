import { isDockerHub, OFFICIAL_NAMESPACE } from './docker-hub';

/**
 * A hand-written, single-pass scanner for the image reference grammar of
 * distribution/reference (regexp.go, normalize.go):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path
 *   domain    := host [ ":" port ]            host: dot-separated labels, or "[" ipv6 "]"
 *   path      := component ( "/" component )*  at most 255 characters
 *   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 lowercase hex characters
 *
 * A scanner rather than one big regular expression: JavaScript regexes backtrack, and the
 * component grammar's `(?:[._]|__|[-]+)` groups explode on long hostile input. Every function
 * here looks at each character a bounded number of times, so the cost is linear in the input.
 *
 * Errors are values, not exceptions, so callers that work on partially known images (tokens,
 * intrinsics) can map the position back to what the user wrote.
 */

/** The most characters the repository path may have (the domain is not counted). */
export const MAX_PATH_LENGTH = 255;
/** The most characters a tag may have. */
export const MAX_TAG_LENGTH = 128;
/** The only digest algorithm ECS, Lambda and the other services accept. */
export const DIGEST_ALGORITHM = 'sha256';
/** Hex characters in a sha256 digest. */
export const DIGEST_HEX_LENGTH = 64;
/** A bare name of this many hex characters is an image ID (reference.go's anchoredIdentifier). */
const IMAGE_ID_LENGTH = 64;
/** Length of the 'library/' Docker Hub puts before single-component names. */
const OFFICIAL_PREFIX_LENGTH = OFFICIAL_NAMESPACE.length;

/** The parts of a reference exactly as written, before Docker normalization. */
export interface ScannedReference {
  /** The registry host (and port) as written; undefined when the name has none. */
  readonly domain?: string;
  /** The repository path as written (no `library/` added). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Index where the name ends: the `:` of the tag, the `@` of the digest, or the end. */
  readonly nameEnd: number;
}

/** What is wrong with a reference, and the 0-based index of the offending character. */
export interface ScanError {
  readonly problem: string;
  readonly index: number;
}

export type ScanResult =
  | { readonly ok: true; readonly reference: ScannedReference }
  | { readonly ok: false; readonly error: ScanError };

/** Scans `s` as an image reference. Never throws. */
export function scanImageReference(s: string): ScanResult {
  if (s.length === 0) {
    return fail('the reference is empty', 0);
  }

  // Structure first: the first '@' starts the digest; a ':' after the last '/' of the name starts
  // the tag (a ':' followed by a '/' is a registry port, as in localhost:5000/app).
  const at = s.indexOf('@');
  const nameAndTagEnd = at === -1 ? s.length : at;
  const lastSlash = nameAndTagEnd === 0 ? -1 : s.lastIndexOf('/', nameAndTagEnd - 1);
  const lastColon = nameAndTagEnd === 0 ? -1 : s.lastIndexOf(':', nameAndTagEnd - 1);
  const nameEnd = lastColon > lastSlash ? lastColon : nameAndTagEnd;

  if (nameEnd === 0) {
    return fail('the image name is empty', 0);
  }

  // The first component is a registry only if a '/' follows it and it looks like a host.
  let pathStart = 0;
  let domain: string | undefined;
  const firstSlash = s.indexOf('/');
  if (firstSlash !== -1 && firstSlash < nameEnd && looksLikeDomain(s, 0, firstSlash)) {
    const domainError = scanDomain(s, 0, firstSlash);
    if (domainError) {
      return { ok: false, error: domainError };
    }
    domain = s.slice(0, firstSlash);
    pathStart = firstSlash + 1;
  }

  // Docker Hub names get 'library/' in front of a single component (normalize.go), and the
  // length limit applies to the normalized path: count it, or a name we accept would have a
  // canonical form we reject.
  const addedPrefix = isDockerHub(domain) && s.lastIndexOf('/', nameEnd - 1) < pathStart ? OFFICIAL_PREFIX_LENGTH : 0;
  const pathError = scanPath(s, pathStart, nameEnd, addedPrefix);
  if (pathError) {
    return { ok: false, error: pathError };
  }
  if (domain === undefined && nameEnd - pathStart === IMAGE_ID_LENGTH && isLowerHexRun(s, pathStart, nameEnd)) {
    return fail('a name of 64 hexadecimal characters is an image ID, not a repository name', pathStart);
  }

  let tag: string | undefined;
  if (nameEnd < nameAndTagEnd) {
    const tagError = scanTag(s, nameEnd + 1, nameAndTagEnd);
    if (tagError) {
      return { ok: false, error: tagError };
    }
    tag = s.slice(nameEnd + 1, nameAndTagEnd);
  }

  let digest: string | undefined;
  if (at !== -1) {
    const digestError = scanDigest(s, at + 1, s.length);
    if (digestError) {
      return { ok: false, error: digestError };
    }
    digest = s.slice(at + 1);
  }

  return { ok: true, reference: { domain, path: s.slice(pathStart, nameEnd), tag, digest, nameEnd } };
}

/** normalize.go: a first component is a registry if it has a '.' or ':', is localhost, or has an uppercase letter. */
function looksLikeDomain(s: string, start: number, end: number): boolean {
  if (end - start === 'localhost'.length && s.startsWith('localhost', start)) {
    return true;
  }
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT || c === COLON || isUpper(c)) {
      return true;
    }
  }
  return false;
}

function scanDomain(s: string, start: number, end: number): ScanError | undefined {
  let i = start;
  if (s.charCodeAt(i) === OPEN_BRACKET) {
    // An IPv6 literal: "[" hex digits and colons "]".
    i++;
    const hexStart = i;
    while (i < end && (isHex(s.charCodeAt(i)) || s.charCodeAt(i) === COLON)) i++;
    if (i === hexStart || i >= end || s.charCodeAt(i) !== CLOSE_BRACKET) {
      return { problem: `${describe(s, i, end)} in an IPv6 registry address (expected hex digits and ':' inside '[...]')`, index: i };
    }
    i++;
  } else {
    // Dot-separated labels: [a-zA-Z0-9] or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9].
    for (;;) {
      const labelStart = i;
      while (i < end && (isAlnum(s.charCodeAt(i)) || s.charCodeAt(i) === DASH)) i++;
      if (i === labelStart) {
        return { problem: `${describe(s, i, end)} in the registry host (expected a letter or digit)`, index: i };
      }
      if (s.charCodeAt(labelStart) === DASH) {
        return { problem: "a registry host label may not start with '-'", index: labelStart };
      }
      if (s.charCodeAt(i - 1) === DASH) {
        return { problem: "a registry host label may not end with '-'", index: i - 1 };
      }
      if (i < end && s.charCodeAt(i) === DOT) {
        i++;
        continue;
      }
      break;
    }
  }
  if (i < end && s.charCodeAt(i) === COLON) {
    i++;
    const portStart = i;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
    if (i === portStart || i < end) {
      return { problem: `${describe(s, i, end)} in the registry port (expected digits)`, index: i };
    }
  }
  if (i < end) {
    const hint = s.charCodeAt(i) === UNDERSCORE ? " ('_' is not allowed in a host name)" : '';
    return { problem: `${describe(s, i, end)} in the registry host${hint}`, index: i };
  }
  return undefined;
}

function scanPath(s: string, start: number, end: number, addedPrefix: number): ScanError | undefined {
  if (end - start + addedPrefix > MAX_PATH_LENGTH) {
    const normalized = addedPrefix > 0 ? ` (${end - start + addedPrefix} with the 'library/' Docker Hub adds)` : '';
    return {
      problem: `the repository path is ${end - start} characters long${normalized}; the limit is ${MAX_PATH_LENGTH}`,
      index: start + MAX_PATH_LENGTH - addedPrefix,
    };
  }
  let i = start;
  for (;;) {
    // A component: alphanumeric runs joined by single separators.
    if (i >= end || !isLowerAlnum(s.charCodeAt(i))) {
      if (i >= end || s.charCodeAt(i) === SLASH) {
        // At the end of the path, point at the trailing '/' rather than past it.
        return { problem: 'empty repository path component', index: i >= end && i > start ? i - 1 : i };
      }
      return { problem: pathCharProblem(s, i, end, 'a path component must start with a lowercase letter or digit'), index: i };
    }
    while (i < end && isLowerAlnum(s.charCodeAt(i))) i++;
    while (i < end && isSeparator(s.charCodeAt(i))) {
      const separatorStart = i;
      const c = s.charCodeAt(i);
      if (c === DOT) {
        i++;
      } else if (c === UNDERSCORE) {
        i += s.charCodeAt(i + 1) === UNDERSCORE && i + 1 < end ? 2 : 1;
      } else {
        while (i < end && s.charCodeAt(i) === DASH) i++;
      }
      if (i >= end || !isLowerAlnum(s.charCodeAt(i))) {
        const sep = s.slice(separatorStart, i);
        const after = i >= end ? 'the end of the path' : describe(s, i, end);
        return {
          problem: `separator '${sep}' must be followed by a lowercase letter or digit, not ${after}`,
          index: i >= end ? separatorStart : i,
        };
      }
      while (i < end && isLowerAlnum(s.charCodeAt(i))) i++;
    }
    if (i >= end) {
      return undefined;
    }
    if (s.charCodeAt(i) !== SLASH) {
      return { problem: pathCharProblem(s, i, end, 'not allowed in a repository path'), index: i };
    }
    i++;
  }
}

function pathCharProblem(s: string, i: number, end: number, otherwise: string): string {
  const c = s.charCodeAt(i);
  if (isUpper(c)) {
    return `uppercase letter '${s[i]}' in the repository path (repository names must be lowercase)`;
  }
  return `${describe(s, i, end)}: ${otherwise}`;
}

function scanTag(s: string, start: number, end: number): ScanError | undefined {
  if (start === end) {
    return { problem: "empty tag after ':'", index: start - 1 };
  }
  if (!isWord(s.charCodeAt(start))) {
    return { problem: `${describe(s, start, end)}: a tag must start with a letter, digit or '_'`, index: start };
  }
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isWord(c) && c !== DOT && c !== DASH) {
      return { problem: `${describe(s, i, end)} in the tag (allowed: letters, digits, '_', '.', '-')`, index: i };
    }
  }
  if (end - start > MAX_TAG_LENGTH) {
    return { problem: `the tag is ${end - start} characters long; the limit is ${MAX_TAG_LENGTH}`, index: start + MAX_TAG_LENGTH };
  }
  return undefined;
}

function scanDigest(s: string, start: number, end: number): ScanError | undefined {
  const expected = `a digest is '${DIGEST_ALGORITHM}:' followed by ${DIGEST_HEX_LENGTH} lowercase hexadecimal characters`;
  const colon = s.indexOf(':', start);
  if (colon === -1 || colon >= end) {
    return { problem: start === end ? `empty digest after '@' (${expected})` : `the digest has no algorithm (${expected})`, index: start };
  }
  const algorithm = s.slice(start, colon);
  if (algorithm !== DIGEST_ALGORITHM) {
    const shown = algorithm.length > 20 ? `${algorithm.slice(0, 20)}...` : algorithm;
    return { problem: `unsupported digest algorithm '${shown}' (only ${DIGEST_ALGORITHM} is accepted)`, index: start };
  }
  for (let i = colon + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c) || (c >= LOWER_A && c <= LOWER_F)) continue;
    if (c >= UPPER_A && c <= UPPER_F) {
      return { problem: `uppercase hex '${s[i]}' in the digest (digests are lowercase)`, index: i };
    }
    return { problem: `${describe(s, i, end)} in the digest (expected hexadecimal)`, index: i };
  }
  const hexLength = end - colon - 1;
  if (hexLength !== DIGEST_HEX_LENGTH) {
    return {
      problem: `a ${DIGEST_ALGORITHM} digest has ${DIGEST_HEX_LENGTH} hexadecimal characters, this one has ${hexLength}`,
      index: colon + 1,
    };
  }
  return undefined;
}

/** Are the characters from `start` to `end` all lowercase hexadecimal digits? */
function isLowerHexRun(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && !(c >= LOWER_A && c <= LOWER_F)) return false;
  }
  return true;
}

/** A readable name for the character at `i` (control characters by code point), or "nothing" past `end`. */
function describe(s: string, i: number, end: number): string {
  if (i >= end) {
    return 'nothing';
  }
  const c = s.charCodeAt(i);
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
    return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  if (c === 0x20) {
    return 'a space';
  }
  const ch = String.fromCodePoint(s.codePointAt(i)!);
  return `character '${ch}'`;
}

function fail(problem: string, index: number): ScanResult {
  return { ok: false, error: { problem, index } };
}

const DOT = 0x2e;
const COLON = 0x3a;
const SLASH = 0x2f;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_A = 0x61;
const LOWER_F = 0x66;
const UPPER_A = 0x41;
const UPPER_F = 0x46;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}
function isLowerAlnum(c: number): boolean {
  return isLower(c) || isDigit(c);
}
function isAlnum(c: number): boolean {
  return isLower(c) || isUpper(c) || isDigit(c);
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= LOWER_A && c <= LOWER_F) || (c >= UPPER_A && c <= UPPER_F);
}
function isWord(c: number): boolean {
  return isAlnum(c) || c === UNDERSCORE;
}
function isSeparator(c: number): boolean {
  return c === DOT || c === UNDERSCORE || c === DASH;
}

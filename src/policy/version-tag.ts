/**
 * What a tag says about the version it names. Used by the pinning rules.
 *
 * A tag names one exact version when, ignoring case, it contains one of:
 * - a full version: three or more dot-separated numbers, optionally after `v`, at the start of the
 *   tag or after `-` or `_`, and not followed by another `.` or digit
 *   (`1.27.3`, `v2.4.1-alpine3.20`, `17.0.9_9-jdk`, `release-1.2.3`, `1.2.3.4`);
 * - a date stamp: `YYYYMMDD` (optionally followed by 2, 4 or 6 more digits of time: hh, hhmm, hhmmss), or
 *   `YYYY-MM-DD`, `YYYY.MM.DD`, `YYYY_MM_DD`, with a plausible month and day, not inside a longer
 *   number (`jammy-20260810`, `2026-08-10`, `nightly-20260810123000`);
 * - a commit hash: 7 to 64 hexadecimal characters with at least one digit and one letter, not
 *   inside a longer word (`sha-1a2b3c4`, `3f9e2c1d8b7a`, a full 40-character hash).
 *
 * Everything else floats: release lines (`20`, `1.27`, `2.x`, `22.04`), variants and codenames
 * (`alpine`, `slim`, `bookworm`, `jammy`) and channel words.
 *
 * Tags are at most 128 characters (the scanner enforces it first), so these expressions stay cheap.
 */
const FULL_VERSION = /(?:^|[-_])v?\d+(?:\.\d+){2,}(?![.\d])/i;
const COMPACT_DATE = /(?:^|\D)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{2}|\d{4}|\d{6})?(?!\d)/;
const SEPARATED_DATE = /(?:^|\D)(?:19|20)\d\d([-._])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?!\d)/;
const HEX_RUN = /(?:^|[^a-z0-9])([0-9a-f]{7,64})(?![a-z0-9])/gi;
/** The start of a release line: a major, or major.minor, version: `20`, `3.12`, `v16`, `22.04`. */
const RELEASE_LINE = /^v?(\d+)(?:\.(\d+))?$/i;

export function isExactVersionTag(tag: string): boolean {
  return exactVersionIndex(tag) !== -1;
}

/** Where the first exact version in the tag starts, or -1 when it names none. */
export function exactVersionIndex(tag: string): number {
  const starts = [FULL_VERSION.exec(tag)?.index, COMPACT_DATE.exec(tag)?.index, SEPARATED_DATE.exec(tag)?.index, commitHashIndex(tag)].filter(
    (i): i is number => i !== undefined && i !== -1,
  );
  return starts.length === 0 ? -1 : Math.min(...starts);
}

function commitHashIndex(tag: string): number {
  for (const match of tag.matchAll(HEX_RUN)) {
    const run = match[1];
    if (/\d/.test(run) && /[a-f]/i.test(run)) {
      return match.index! + match[0].length - run.length;
    }
  }
  return -1;
}

/** Does the tag hold a digit at all? A tag that holds none names no version (`alpine`, `bookworm`, `slim`). */
export function namesAVersion(tag: string): boolean {
  return /\d/.test(tag);
}

/**
 * The components of a tag, split at `-`, `_` and `.`, with where each starts:
 * `mainline-alpine3.20-perl` is `mainline`, `alpine3`, `20`, `perl`.
 */
export function tagComponents(tag: string): Array<{ readonly text: string; readonly index: number }> {
  const components: Array<{ text: string; index: number }> = [];
  const pattern = /[^-_.]+/g;
  for (let m = pattern.exec(tag); m; m = pattern.exec(tag)) {
    components.push({ text: m[0], index: m.index });
  }
  return components;
}

/**
 * The major (and minor) version of a release line: the tag's first `-`/`_` component is a major
 * or major.minor version (`20`, `3.12-slim`, `16-alpine`, `1.27-perl`) and the tag names no exact
 * version. Undefined when the tag is not a release line.
 */
export function releaseLine(tag: string): { readonly major: number; readonly minor?: number } | undefined {
  if (isExactVersionTag(tag)) {
    return undefined;
  }
  const first = tag.split(/[-_]/)[0];
  const match = RELEASE_LINE.exec(first);
  return match ? { major: Number(match[1]), minor: match[2] === undefined ? undefined : Number(match[2]) } : undefined;
}

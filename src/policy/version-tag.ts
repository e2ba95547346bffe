/**
 * Does a tag name one exact version? Used by PinningLevel.VERSION.
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

export function isExactVersionTag(tag: string): boolean {
  return FULL_VERSION.test(tag) || COMPACT_DATE.test(tag) || SEPARATED_DATE.test(tag) || hasCommitHash(tag);
}

function hasCommitHash(tag: string): boolean {
  for (const match of tag.matchAll(HEX_RUN)) {
    const run = match[1];
    if (/\d/.test(run) && /[a-f]/i.test(run)) {
      return true;
    }
  }
  return false;
}

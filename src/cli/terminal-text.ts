/**
 * Text from templates (file names, logical ids, container names, images) made safe to print on
 * a terminal: every control character (C0, DEL, C1, whose ESC and CSI start escape sequences that
 * move the cursor, erase lines or set colours), the line and paragraph separators, and the
 * bidirectional overrides that reorder what is shown, written as an escape (`\n`, `\x1b`,
 * `\u202e`). So a template cannot start a new report line, rewrite one, or hide a finding. The
 * table and the lines on stderr use it; JSON and SARIF keep the exact strings (JSON escapes them).
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? escapeCode(c.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

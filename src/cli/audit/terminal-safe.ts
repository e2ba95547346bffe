/**
 * Text read from an AWS account (image names, container and service names, error messages) made
 * safe to print on a terminal: control characters (C0, DEL, C1: ESC and CSI start escape
 * sequences), line and paragraph separators and bidirectional overrides are written as escapes
 * (`\n`, `\x1b`, `\u202e`), so that a value registered in an account cannot start a new report
 * line, rewrite one, or hide a finding. The table and stderr use it; JSON and SARIF keep the exact
 * strings (JSON escapes them).
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? escapeCode(c.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

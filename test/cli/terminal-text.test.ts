import { terminalText } from '../../src/cli/terminal-text';

describe('terminalText: control characters written as escapes', () => {
  test.each([
    ['plain text, quotes and backslashes stay', 'nginx:1.27 "web" C:\\x', 'nginx:1.27 "web" C:\\x'],
    ['newline, carriage return, tab', 'a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['ESC (colours, erase line, cursor up)', '\u001b[2K\u001b[1A\u001b[31m', '\\x1b[2K\\x1b[1A\\x1b[31m'],
    ['NUL, BEL, DEL and the C1 CSI', '\u0000\u0007\u007f\u009b', '\\x00\\x07\\x7f\\x9b'],
    ['line separators and bidirectional overrides', '\u2028\u2029\u202e\u2066\u200f', '\\u2028\\u2029\\u202e\\u2066\\u200f'],
    ['other Unicode stays', 'café 日本 😀', 'café 日本 😀'],
  ])('%s', (_, text, shown) => {
    expect(terminalText(text)).toBe(shown);
  });
});

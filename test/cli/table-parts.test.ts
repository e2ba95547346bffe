import { groupedDigits, plural } from '../../src/cli/table-parts';

describe('groupedDigits', () => {
  test('writes counts as toLocaleString("en-US") does', () => {
    const counts = [0, 1, 9, 10, 99, 100, 999, 1_000, 1_001, 9_999, 10_000, 123_456, 999_999, 1_000_000, 1_234_567, 1_234_567_890];
    counts.push(Number.MAX_SAFE_INTEGER);
    for (let digits = 1; digits <= 16; digits++) counts.push(Number('9'.repeat(digits)), 10 ** (digits - 1));
    for (const n of counts) expect(groupedDigits(n)).toBe(n.toLocaleString('en-US'));
  });

  test('leaves other numbers to toLocaleString', () => {
    for (const n of [-1, -1_500, 1.5, 1_234.5678, NaN, Infinity, 2 ** 60]) expect(groupedDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});

describe('plural', () => {
  test('counts with the word, plural unless one', () => {
    expect(plural(0, 'error')).toBe('0 errors');
    expect(plural(1, 'error')).toBe('1 error');
    expect(plural(1_500, 'error')).toBe('1,500 errors');
  });
});

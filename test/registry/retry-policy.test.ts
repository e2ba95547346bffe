import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../src/registry/retry-policy';

describe('isRetryableStatus', () => {
  test.each<[number, boolean]>([
    [408, true], [429, true], [500, true], [502, true], [503, true], [504, true], [599, true],
    [501, false], [505, false], [200, false], [301, false], [400, false], [401, false], [403, false], [404, false],
  ])('%d -> %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test.each<[string | null, number | undefined]>([
    ['0', 0],
    ['2', 2000],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0], // in the past
    [null, undefined],
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
  ])('%p -> %p', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  test.each<[number, number]>([
    [0, 250],
    [1, 500],
    [2, 1000],
    [5, 8000], // capped
    [30, 8000],
  ])('retry %d waits below %d ms (full jitter)', (retry, ceiling) => {
    expect(backoffDelay(retry, 250, 8000, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelay(retry, 250, 8000, () => 0)).toBe(0);
  });
});

import { painter, shouldColour } from '../../src/cli/colour';

describe('colour', () => {
  test('only on a terminal, without NO_COLOR (set and non-empty) and without --no-color', () => {
    expect(shouldColour({ isTTY: true, env: {} })).toBe(true);
    expect(shouldColour({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(shouldColour({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldColour({ isTTY: true, env: {}, flag: false })).toBe(false);
    expect(shouldColour({ isTTY: false, env: {} })).toBe(false);
    expect(shouldColour({ isTTY: undefined, env: {} })).toBe(false);
  });

  test('a painter that does not colour returns the text as it is', () => {
    expect(painter(false)('error', 'x')).toBe('x');
    expect(painter(true)('error', '')).toBe('');
  });
});

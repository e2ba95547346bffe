import { Limiter } from '../../src/aws/limiter';

const tick = () => new Promise((r) => setImmediate(r));

describe('Limiter', () => {
  test('never runs more than max at once, and runs everything', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const results = await limiter.map(Array.from({ length: 20 }, (_, i) => i), async (i) => {
      active += 1;
      peak = Math.max(peak, active);
      await tick();
      active -= 1;
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  test('a failing task frees its slot', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  test('waiting tasks start in order of arrival', async () => {
    const limiter = new Limiter(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => limiter.run(async () => {
      order.push(n);
      await tick();
    })));
    expect(order).toEqual([1, 2, 3]);
  });

  test.each([0, -1, 1.5, NaN])('rejects a concurrency of %p', (max) => {
    expect(() => new Limiter(max)).toThrow(/positive integer/);
  });
});

import { ConcurrencyLimiter, Semaphore } from '../../src/registry/limiter';

/** Runs `tasks` jobs through `acquire`, each holding its slot for a few ms; returns the most held at once, per key. */
async function peak(acquire: (key: string) => Promise<() => void>, keys: string[]): Promise<{ overall: number; byKey: Record<string, number> }> {
  let active = 0;
  let overall = 0;
  const activeByKey: Record<string, number> = {};
  const byKey: Record<string, number> = {};
  await Promise.all(
    keys.map(async (key) => {
      const release = await acquire(key);
      active++;
      activeByKey[key] = (activeByKey[key] ?? 0) + 1;
      overall = Math.max(overall, active);
      byKey[key] = Math.max(byKey[key] ?? 0, activeByKey[key]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      activeByKey[key]--;
      release();
    }),
  );
  return { overall, byKey };
}

describe('Semaphore', () => {
  test.each([1, 2, 5])('limit %d is never exceeded and is reached', async (limit) => {
    const semaphore = new Semaphore(limit);
    const result = await peak(() => semaphore.acquire(), Array(20).fill('x'));
    expect(result.overall).toBe(limit);
    expect(semaphore.inUse).toBe(0);
  });

  test('releasing twice frees one slot only', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    release();
    release();
    const again = await semaphore.acquire();
    expect(semaphore.inUse).toBe(1);
    again();
  });

  test.each([0, -1, 1.5])('limit %p is rejected', (limit) => {
    expect(() => new Semaphore(limit)).toThrow(/positive integer/);
  });
});

describe('ConcurrencyLimiter', () => {
  test('bounds each host and all hosts together', async () => {
    const limiter = new ConcurrencyLimiter(5, 2);
    const keys = [...Array(10).fill('a'), ...Array(10).fill('b'), ...Array(10).fill('c')];
    const result = await peak((key) => limiter.acquire(key), keys);
    expect(result.overall).toBeLessThanOrEqual(5);
    expect(result.overall).toBeGreaterThanOrEqual(4); // three hosts at two each, capped at five
    expect(Object.values(result.byKey).every((n) => n === 2)).toBe(true);
  });
});

/**
 * Bounded concurrency: at most `max` tasks run at once, the rest wait in order of arrival.
 *
 * One limiter bounds all the API calls of a run, across accounts and regions, so the number of
 * requests in flight does not grow with the account (the services throttle per account and
 * region, and the SDK's adaptive retry slows each client down when they do).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`concurrency must be a positive integer, got ${max}`);
  }

  /** Runs `task` when a slot is free. */
  public async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  /** `task` for each item, at most `max` at a time; results in the order of `items`. */
  public async map<I, O>(items: readonly I[], task: (item: I) => Promise<O>): Promise<O[]> {
    return Promise.all(items.map((item) => this.run(() => task(item))));
  }
}

/**
 * Bounded concurrency, overall and per host: a run that verifies hundreds of images must not open
 * hundreds of connections to one registry (Docker Hub and ECR throttle bursts), nor starve one slow
 * registry's neighbours.
 */

/** A counting semaphore: at most `limit` holders at once, the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`Concurrency limit must be a positive integer, got ${limit}`);
    }
  }

  /** Holders right now. */
  public get inUse(): number {
    return this.active;
  }

  /** Waits for a slot; call the returned function exactly once to free it. */
  public async acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      // The releasing holder hands its slot over: `active` stays the same.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.active--;
      }
    };
  }
}

/** One slot overall and one for the host, held together for the length of one HTTP exchange. */
export class ConcurrencyLimiter {
  private readonly overall: Semaphore;
  private readonly hosts = new Map<string, Semaphore>();

  constructor(overall: number, private readonly perHost: number) {
    this.overall = new Semaphore(overall);
    new Semaphore(perHost); // validates the per-host limit now, not at the first request
  }

  /** Waits for a slot for this host (the host slot first, so a busy host does not hold overall slots). */
  public async acquire(host: string): Promise<() => void> {
    let hostSemaphore = this.hosts.get(host);
    if (!hostSemaphore) {
      hostSemaphore = new Semaphore(this.perHost);
      this.hosts.set(host, hostSemaphore);
    }
    const releaseHost = await hostSemaphore.acquire();
    const releaseOverall = await this.overall.acquire();
    return () => {
      releaseOverall();
      releaseHost();
    };
  }
}

import { sleep } from './retry.ts';

/**
 * A client-side token bucket: `acquire()` resolves when one more call fits under
 * `ratePerSecond` with at most `burst` calls at once. It keeps a sweep under the per-account
 * API quota instead of discovering it through 429s (quotas: reference guide, "Quotas for AWS
 * Account Management"). Waiters are served in order.
 */
export class Pacer {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be above 0, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = this.now();
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.wait(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';

/** How many calls per second, and at once, a reader may make. */
export interface QuotaShare {
  ratePerSecond: number;
  burst: number;
}

/**
 * A client-side token bucket: `acquire()` resolves when one more call fits under the rate, with
 * at most `burst` calls at once. It keeps a sweep under the per-account API quota instead of
 * discovering it through 429s. Waiters are served in order.
 *
 * The quota is per calling account, so anything else in that account (a second sweep, the
 * real-time handler, an engineer's script) spends the same budget. When AWS throttles anyway,
 * `throttled()` halves the rate (at most once a second) and every answered call wins a little
 * of it back (`answered()`), up to the configured rate: the sweep settles on what is left of the
 * budget instead of spending its retries on 429s and ending accounts UNKNOWN.
 */
export class Pacer {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private rate: number;
  private lastBackOff = Number.NEGATIVE_INFINITY;
  /** The slowest the pacer goes after throttling: a twentieth of the configured rate. */
  readonly minRatePerSecond: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be above 0, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.rate = ratePerSecond;
    this.minRatePerSecond = ratePerSecond / 20;
    this.tokens = burst;
    this.last = this.now();
  }

  /**
   * A pacer for one reader's share of a quota: its burst is whole calls (quotas.ts `deployedShares`
   * rounds down, never up); a share below one call is refused by the constructor, not raised to one.
   */
  static forShare(share: QuotaShare): Pacer {
    return new Pacer(share.ratePerSecond, share.burst);
  }

  /** Spends the saved-up burst: the next call waits one interval, as if the pacer had just been busy. */
  startEmpty(): this {
    this.tokens = 0;
    return this;
  }

  /** The rate the pacer runs at now (below the configured one after throttling). */
  get currentRatePerSecond(): number {
    return this.rate;
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    return turn;
  }

  /** AWS answered 429: halve the rate and drop the saved-up burst. */
  throttled(): void {
    const now = this.now();
    // Concurrent calls sent at the same rate come back throttled together: one cut for them all.
    if (now - this.lastBackOff < 1000) return;
    this.lastBackOff = now;
    this.refill(now);
    this.rate = Math.max(this.minRatePerSecond, this.rate / 2);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** AWS answered (not throttled): win back a twentieth of the configured rate, up to it. */
  answered(): void {
    if (this.rate >= this.ratePerSecond) return;
    this.refill(this.now());
    this.rate = Math.min(this.ratePerSecond, this.rate + this.ratePerSecond / 20);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private async take(): Promise<void> {
    for (;;) {
      this.refill(this.now());
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.wait(Math.ceil(((1 - this.tokens) / this.rate) * 1000));
    }
  }
}

/**
 * A pacer for the only reader of an operation in this process and account (the command line): a
 * `fraction` of the quota's rate (above 1 only against the emulator's scaled quotas), its burst in
 * the quota's proportion and at least one call, which a quota's burst (≥ 1) always allows. Readers that share a quota get exact whole-call
 * shares instead ({@link Pacer.forShare} with quotas.ts `deployedShares`).
 */
export function soleReaderPacer(quota: QuotaShare, fraction = 1): Pacer {
  const rate = quota.ratePerSecond * fraction;
  return new Pacer(rate, Math.max(1, Math.floor((rate * quota.burst) / quota.ratePerSecond)));
}

import { setTimeout as sleep } from 'node:timers/promises';

/** GetAlternateContact: 10 calls per second, burst 15, per calling account (reference guide, "Quotas for AWS Account Management"). */
export const GET_QUOTA = { ratePerSecond: 10, burst: 15 } as const;

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

  /** A pacer for GetAlternateContact at `ratePerSecond`, its burst in the quota's proportion (10/s → 15). */
  static forGetQuota(ratePerSecond: number = GET_QUOTA.ratePerSecond): Pacer {
    return new Pacer(ratePerSecond, Math.max(1, Math.floor((ratePerSecond * GET_QUOTA.burst) / GET_QUOTA.ratePerSecond)));
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
 * A share of the one GetAlternateContact budget of the calling account: calls per second and at
 * once. Shares add up: any window of T seconds sees at most Σ(burst_i + rate_i · T) calls from
 * token buckets of these shares, so shares whose rates sum to ≤ 10/s and bursts to ≤ 15 never
 * exceed the quota's own bucket together (docs/operations.md, "How the budget is shared").
 */
export interface QuotaShare {
  ratePerSecond: number;
  burst: number;
}

/**
 * The read quotas per calling account, per operation (AWS Account Management "Quotas"): each
 * operation has its own bucket, so a sweep paces each one separately. GetPrimaryEmail is the
 * tightest, 3 per second with no burst beyond that.
 */
export const READ_QUOTAS = {
  GetAlternateContact: GET_QUOTA,
  GetContactInformation: { ratePerSecond: 10, burst: 15 },
  GetPrimaryEmail: { ratePerSecond: 3, burst: 3 },
} as const;

/**
 * A pacer for one operation's quota, scaled by `share` (0–1] of it: a caller that knows something
 * else spends the same budget asks for less. The burst scales in the quota's proportion.
 */
export function pacerForQuota(quota: { ratePerSecond: number; burst: number }, share = 1): Pacer {
  const rate = quota.ratePerSecond * share;
  return new Pacer(rate, Math.max(1, Math.floor((rate * quota.burst) / quota.ratePerSecond)));
}

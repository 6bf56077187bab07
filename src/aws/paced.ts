/**
 * One paced, retried AWS call, counted: the pattern every reader of a quota-limited API follows
 * (take a token, send, tell the pacer whether AWS throttled, retry what is worth retrying).
 */
import { httpStatus, isThrottling } from './errors.ts';
import type { Pacer } from './pacer.ts';
import { DEFAULT_RETRY, withRetries, type RetryOptions } from './retry.ts';

/** Counters a sweep reports: every attempt, the retried ones, the throttled ones, and reads that failed for good. */
export interface CallStats {
  calls: number;
  retries: number;
  throttled: number;
  failed: number;
}

export const newCallStats = (): CallStats => ({ calls: 0, retries: 0, throttled: 0, failed: 0 });

export interface PacedOptions {
  pacer?: Pacer;
  retry?: RetryOptions;
  stats?: CallStats;
}

/** Runs `send` under `pacer` with retries; throws the last error (the caller tells absence from failure). */
export async function pacedCall<T>(send: () => Promise<T>, options: PacedOptions): Promise<T> {
  const { pacer, stats } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  return withRetries(
    async () => {
      await pacer?.acquire();
      if (stats) stats.calls++;
      try {
        const out = await send();
        pacer?.answered();
        return out;
      } catch (error) {
        if (isThrottling(error)) {
          if (stats) stats.throttled++;
          pacer?.throttled();
        } else if (httpStatus(error) !== undefined && httpStatus(error)! < 500) {
          // AWS answered (ResourceNotFound, AccessDenied …): the rate is not the problem.
          pacer?.answered();
        }
        throw error;
      }
    },
    {
      ...retry,
      onRetry: (info) => {
        if (stats) stats.retries++;
        retry.onRetry?.(info);
      },
    },
  );
}

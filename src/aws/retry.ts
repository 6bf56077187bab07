import { isRetryable, isThrottling } from './errors.ts';

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Called before each new attempt; lets a sweep count retries and throttles. */
  onRetry?: (info: { attempt: number; throttled: boolean; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` until it succeeds, fails with an error not worth retrying, or runs out of attempts.
 * Backoff is exponential with full jitter. The SDK's own retries are turned off for the clients
 * this wraps (maxAttempts 1): the SDK's retry quota runs dry under sustained faults, and the
 * sweep must keep trying an account rather than report it unread.
 */
export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= options.attempts || !isRetryable(error)) throw error;
      options.onRetry?.({ attempt, throttled: isThrottling(error), error });
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await wait(Math.max(1, Math.floor(random() * ceiling)));
    }
  }
}

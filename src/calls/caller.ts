/**
 * How every adapter calls AWS, in one place: take a token from the pacer (when the API has a
 * quota to stay under), send, tell the pacer whether AWS throttled, retry what is worth retrying
 * with backoff, and count it all. An adapter builds one caller and writes
 * `this.call(() => this.client.send(new XCommand(…)))`.
 *
 * The SDK's own retries are turned off for the clients this wraps (maxAttempts 1, clients.ts):
 * the SDK's retry quota runs dry under sustained faults, and a sweep must keep trying an account
 * rather than report it unread.
 *
 * The same loop serves Alibaba Cloud's adapter (src/providers/alibaba/directory.ts) with Alibaba's error
 * classification: {@link pacedCaller} takes the classification; src/providers/aws/awsCaller.ts's `awsCaller` is it for AWS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pacer } from './pacer.ts';

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** For tests: how to wait between attempts and where the jitter comes from. */
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Counters a sweep reports: every attempt, the retried ones, the throttled ones, and reads that failed for good. */
export interface CallStats {
  calls: number;
  retries: number;
  throttled: number;
  failed: number;
}

export const newCallStats = (): CallStats => ({ calls: 0, retries: 0, throttled: 0, failed: 0 });

export interface CallerOptions {
  /** Paces the calls under an API quota; without one, calls go as fast as they are made. */
  pacer?: Pacer | undefined;
  retry?: RetryOptions | undefined;
  stats?: CallStats | undefined;
}

/** Sends one request, paced and retried; throws the last error (the adapter tells absence from failure). */
export type AwsCall = <T>(send: () => Promise<T>) => Promise<T>;

/** How a cloud's errors are told apart, for pacing and retries. */
export interface ErrorClassification {
  /** The service asked the caller to slow down. */
  isThrottling(error: unknown): boolean;
  /** Worth another attempt: throttling, 5xx, a dropped connection, a timeout. */
  isRetryable(error: unknown): boolean;
  /** The HTTP status the service answered with; undefined when it did not answer. */
  httpStatus(error: unknown): number | undefined;
}

/** A paced, retried, counted caller for a service whose errors `errors` classifies. */
export function pacedCaller(errors: ErrorClassification, options: CallerOptions = {}): AwsCall {
  const { pacer, stats } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const wait = retry.sleep ?? sleep;
  const random = retry.random ?? Math.random;

  const once = async <T>(send: () => Promise<T>): Promise<T> => {
    await pacer?.acquire();
    if (stats) stats.calls++;
    try {
      const out = await send();
      pacer?.answered();
      return out;
    } catch (error) {
      const status = errors.httpStatus(error);
      if (errors.isThrottling(error)) {
        if (stats) stats.throttled++;
        pacer?.throttled();
      } else if (status !== undefined && status < 500) {
        // The service answered (not found, access denied …): the rate is not the problem.
        pacer?.answered();
      }
      throw error;
    }
  };

  // Until it succeeds, fails with an error not worth retrying, or runs out of attempts; the
  // backoff is exponential with full jitter.
  return async <T>(send: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(send);
      } catch (error) {
        if (attempt >= retry.attempts || !errors.isRetryable(error)) throw error;
        if (stats) stats.retries++;
        const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
        await wait(Math.max(1, Math.floor(random() * ceiling)));
      }
    }
  };
}

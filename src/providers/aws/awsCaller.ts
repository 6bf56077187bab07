/** The caller of every AWS adapter: the shared paced, retried, counted loop (src/calls/caller.ts) with AWS's error classification. */
import { pacedCaller, type AwsCall, type CallerOptions, type ErrorClassification } from '../../calls/caller.ts';
import { httpStatus, isRetryable, isThrottling } from './awsErrors.ts';

export type { AwsCall, CallStats, CallerOptions, RetryOptions } from '../../calls/caller.ts';
export { DEFAULT_RETRY, newCallStats } from '../../calls/caller.ts';

const AWS_ERRORS: ErrorClassification = { isThrottling, isRetryable, httpStatus };

/** The caller an AWS adapter sends every request through. */
export function awsCaller(options: CallerOptions = {}): AwsCall {
  return pacedCaller(AWS_ERRORS, options);
}

/**
 * Classifies what AWS (or the network) answered, so callers can tell absence from failure
 * and retry only what is worth retrying.
 */

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function asAwsLike(err: unknown): AwsLikeError {
  return typeof err === 'object' && err !== null ? (err as AwsLikeError) : {};
}

/** The AWS error code (`AccessDeniedException`, `TooManyRequestsException`, …) or the network error code. */
export function awsErrorCode(err: unknown): string {
  const e = asAwsLike(err);
  // SDK service exceptions carry the code as their name; Node network errors are plain Errors with a code.
  if (typeof e.name === 'string' && e.name.length > 0 && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string' && e.code.length > 0) return e.code;
  return 'UnknownError';
}

export function awsErrorMessage(err: unknown): string {
  const message = asAwsLike(err).message;
  return typeof message === 'string' && message.length > 0 ? message : String(err);
}

export function httpStatus(err: unknown): number | undefined {
  return asAwsLike(err).$metadata?.httpStatusCode;
}

const THROTTLING_CODES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
]);

export function isThrottling(err: unknown): boolean {
  return THROTTLING_CODES.has(awsErrorCode(err)) || httpStatus(err) === 429;
}

/**
 * Worth another try: throttling, server faults (5xx), time-outs and dropped connections.
 * Not worth it: a client error that AWS answered on purpose (AccessDenied, ResourceNotFound,
 * Validation) — asking again gives the same answer.
 */
export function isRetryable(err: unknown): boolean {
  if (isThrottling(err)) return true;
  const e = asAwsLike(err);
  const status = httpStatus(err);
  if (status !== undefined && status >= 500) return true;
  if (e.$fault === 'client') return false;
  if (status !== undefined && status >= 400 && status < 500) return false;
  // No answer from AWS at all: a reset or dropped connection, a time-out, a truncated body.
  return true;
}

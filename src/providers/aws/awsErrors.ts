/**
 * Classifies what AWS (or the network) answered, so callers can tell absence from failure
 * and retry only what is worth retrying. Throttling and transient faults are the SDK's own
 * classification (`@smithy/core/retry`, the checks its retry strategy uses); this module adds only
 * what the product decides beyond it.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** What the SDK's checks take; they read only optional fields, so any object will do. */
type SdkError = Parameters<typeof isThrottlingError>[0];

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

/**
 * `{ requestId }` of an SDK answer or error (`$metadata.requestId`, the x-amzn-RequestId header),
 * or `{}` when it has none (a network error, a test's mock), to spread into a read.
 */
export function requestTrace(answerOrError: unknown): { requestId?: string } {
  const id = asAwsLike(answerOrError).$metadata?.requestId;
  return typeof id === 'string' && id !== '' ? { requestId: id } : {};
}

export function httpStatus(err: unknown): number | undefined {
  return asAwsLike(err).$metadata?.httpStatusCode;
}

/** AWS asked us to slow down: HTTP 429, a throttling code (S3's `SlowDown` among them) or a modelled throttling error. */
export function isThrottling(err: unknown): boolean {
  // The SDK's checks dereference the error: anything thrown that is not an object is no throttling.
  return typeof err === 'object' && err !== null && isThrottlingError(err as SdkError);
}

/**
 * Worth another try: throttling, server faults (5xx), time-outs and dropped connections.
 * Not worth it: a client error that AWS answered on purpose (AccessDenied, ResourceNotFound,
 * Validation) — asking again gives the same answer.
 *
 * The SDK's `isClockSkewError` is not asked: it lists AccessDeniedException, and the SDK retries
 * those only once it has corrected its clock, which `isTransientError` already covers.
 */
export function isRetryable(err: unknown): boolean {
  // No answer from AWS at all, not even an object: nothing says asking again is pointless.
  if (typeof err !== 'object' || err === null) return true;
  const sdkError = err as SdkError;
  if (isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError)) return true;
  const e = asAwsLike(err);
  // The caller gave up on purpose; the SDK's isTransientError says the same.
  if (e.name === 'AbortError') return false;
  if (e.$fault === 'client') return false;
  const status = httpStatus(err);
  if (status !== undefined && status >= 400 && status < 500) return false;
  // Beyond the SDK's list, kept from before it was used: an error with no AWS answer behind it (no
  // status: a connection lost in a way the SDK does not name, such as a parser error on a cut
  // socket) or an answer that could not be read (a 200 whose body broke off) is a fault of the way
  // there, not AWS's answer. The fault matrix drops connections mid-response and expects retries.
  return true;
}

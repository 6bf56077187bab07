/**
 * What Alibaba Cloud (or the network) answered, told apart so that absence is never confused with
 * failure and only what is worth it is retried. Errors of the RPC client carry the `Code` of
 * Alibaba's error body ({RequestId, HostId, Code, Message, Recommend}); network errors carry Node's.
 */

interface AlibabaLikeError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  data?: { Code?: unknown; Message?: unknown };
  entry?: { response?: { statusCode?: unknown } };
  statusCode?: unknown;
}

function asLike(error: unknown): AlibabaLikeError {
  return typeof error === 'object' && error !== null ? (error as AlibabaLikeError) : {};
}

/** Alibaba's error code (`Throttling.User`, `NoPermission`, …), a network code (`ECONNRESET`), or `UnknownError`. */
export function alibabaErrorCode(error: unknown): string {
  const e = asLike(error);
  if (typeof e.data?.Code === 'string' && e.data.Code !== '') return e.data.Code;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (error instanceof SyntaxError) return 'InvalidResponse';
  if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  return 'UnknownError';
}

/** Alibaba's `Message` without the request URL the RPC client appends (it holds the signature). */
export function alibabaErrorMessage(error: unknown): string {
  const e = asLike(error);
  if (typeof e.data?.Message === 'string') return e.data.Message;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return message.replace(/, URL: \S+$/, '');
}

/** The HTTP status Alibaba answered with, when it answered. */
export function alibabaHttpStatus(error: unknown): number | undefined {
  const e = asLike(error);
  const status = e.entry?.response?.statusCode ?? e.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Flow control: `Throttling`, `Throttling.User`, `Throttling.Api`, `Throttling.Resource` …, or HTTP 429. */
export function isAlibabaThrottling(error: unknown): boolean {
  const code = alibabaErrorCode(error);
  return code === 'Throttling' || code.startsWith('Throttling.') || code === 'ServiceUnavailableTemporary' || alibabaHttpStatus(error) === 429;
}

const SERVER_CODES = new Set(['InternalError', 'ServiceUnavailable', 'UnknownError', 'InvalidResponse']);

/**
 * Worth another try: throttling, server faults (5xx, InternalError, ServiceUnavailable), time-outs
 * and dropped connections. Not worth it: an answer Alibaba gave on purpose (NoPermission,
 * EntityNotExists.*, InvalidParameter …): asking again gives the same answer.
 */
export function isAlibabaRetryable(error: unknown): boolean {
  if (isAlibabaThrottling(error)) return true;
  const status = alibabaHttpStatus(error);
  if (status !== undefined && status >= 500) return true;
  const e = asLike(error);
  // An error body with a code Alibaba chose, answered with a 4xx (or no status known): final.
  if (typeof e.data?.Code === 'string') return SERVER_CODES.has(e.data.Code);
  // No answer at all: reset, refused, time-out, a body cut short.
  return true;
}

/**
 * What is retried and what is throttling: the SDK's own checks (@smithy/core/retry), plus the
 * cases the product answers differently from them on purpose (marked "kept").
 */
import {
  AccessDeniedException,
  InternalServerException,
  ResourceNotFoundException,
  TooManyRequestsException,
  ValidationException,
} from '@aws-sdk/client-account';
import { AccessDeniedException as OrgAccessDenied, TooManyRequestsException as OrgTooManyRequests } from '@aws-sdk/client-organizations';
import { IDPCommunicationErrorException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { awsErrorCode, awsErrorMessage, isRetryable, isThrottling } from '../../../src/providers/aws/awsErrors.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
/** A hand-made AWS error of the shape the SDK throws: a named Error with its fault and status. */
const awsError = (name: string, status: number, fault: 'client' | 'server', extra: object = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $fault: fault, ...meta(status), ...extra });
const networkError = (code: string, extra: object = {}) => Object.assign(new Error('network'), { code, ...extra });

describe('isThrottling', () => {
  it.each([
    ['Account Management: 429 TooManyRequestsException', new TooManyRequestsException({ message: 'Rate exceeded', ...meta(429) })],
    ['Organizations: 400 TooManyRequestsException', new OrgTooManyRequests({ message: 'throttled', ...meta(400) })],
    ['STS and SNS: 400 Throttling', awsError('Throttling', 400, 'client')],
    ['S3: 503 SlowDown', awsError('SlowDown', 503, 'server')],
    ['any 429, whatever its name', awsError('SomethingElse', 429, 'client')],
    ['a modelled throttling error ($retryable.throttling)', awsError('Unlisted', 400, 'client', { $retryable: { throttling: true } })],
  ])('%s is throttling', (_label, error) => {
    expect(isThrottling(error)).toBe(true);
  });

  it.each([
    ['AccessDenied', new AccessDeniedException({ message: 'no', ...meta(403) })],
    ['a 500', new InternalServerException({ message: 'oops', ...meta(500) })],
    ['a dropped connection', networkError('ECONNRESET')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('%s is not throttling', (_label, error) => {
    expect(isThrottling(error)).toBe(false);
  });
});

describe('isRetryable', () => {
  describe('retried', () => {
    it.each([
      ['throttling (429)', new TooManyRequestsException({ message: 'Rate exceeded', ...meta(429) })],
      ['throttling S3 answers as 503 SlowDown', awsError('SlowDown', 503, 'server')],
      ['throttling Organizations answers as 400 TooManyRequestsException', new OrgTooManyRequests({ message: 'throttled', ...meta(400) })],
      ['throttling STS and SNS answer as 400 Throttling', awsError('Throttling', 400, 'client')],
      ['a 500 with $fault server', new InternalServerException({ message: 'oops', ...meta(500) })],
      ['a 502 / 503 / 504', awsError('BadGateway', 502, 'server')],
      ['a 5xx the SDK does not call transient (501)', awsError('NotImplemented', 501, 'server')],
      ['a 5xx even when marked a client fault (501: isServerError, not transient)', awsError('NotImplemented', 501, 'client')],
      ['a reset connection (ECONNRESET, no $metadata)', networkError('ECONNRESET')],
      ['a connection dropped mid-response (ECONNRESET on a 200)', networkError('ECONNRESET', meta(200))],
      ['a time-out (TimeoutError)', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
      ['an unreachable host (EHOSTUNREACH)', networkError('EHOSTUNREACH')],
      ['a 4xx AWS models as retryable ($retryable, STS IDPCommunicationError)', new IDPCommunicationErrorException({ message: 'idp', ...meta(400) })],
      ['AccessDenied after the SDK corrected its clock', new AccessDeniedException({ message: 'skew', $metadata: { httpStatusCode: 403, clockSkewCorrected: true } as never })],
    ])('%s', (_label, error) => {
      expect(isRetryable(error)).toBe(true);
    });
  });

  describe('not retried: AWS answered on purpose', () => {
    it.each([
      ['ResourceNotFound (404)', new ResourceNotFoundException({ message: 'none', ...meta(404) })],
      ['AccessDenied (403)', new AccessDeniedException({ message: 'no', ...meta(403) })],
      ['Organizations AccessDenied (400)', new OrgAccessDenied({ message: 'no', ...meta(400) })],
      ['Validation (400)', new ValidationException({ message: 'bad', ...meta(400) })],
      ['a client fault without a status', Object.assign(new Error('bad input'), { name: 'SomeClientError', $fault: 'client' })],
      ['a call the caller aborted (AbortError)', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ])('%s', (_label, error) => {
      expect(isRetryable(error)).toBe(false);
    });
  });

  // Where the SDK's checks say "not transient" but no AWS answer stands behind the error: kept as
  // retried (a lost connection or a broken body is the way there failing, not AWS answering).
  describe('kept: retried though the SDK would not', () => {
    it('a thrown value that is not an object (the SDK checks would throw on it)', () => {
      expect(isRetryable('boom')).toBe(true);
      expect(isRetryable(undefined)).toBe(true);
      expect(isRetryable(null)).toBe(true);
    });

    it('an error without $metadata or a code the SDK knows (socket hang up with no code)', () => {
      expect(isRetryable(new Error('socket hang up'))).toBe(true);
    });

    it('a network error code outside the SDK’s list (an HTTP parser error on a cut socket)', () => {
      expect(isRetryable(networkError('HPE_INVALID_CONSTANT'))).toBe(true);
    });

    it('a 200 whose body could not be read (a deserialization error with no network code)', () => {
      expect(isRetryable(Object.assign(new SyntaxError('Unexpected end of JSON input'), { $fault: 'server', ...meta(200) }))).toBe(true);
    });
  });
});

describe('awsErrorCode and awsErrorMessage', () => {
  it('take the code from an SDK error’s name, else a network error’s code', () => {
    expect(awsErrorCode(new AccessDeniedException({ message: 'no', ...meta(403) }))).toBe('AccessDeniedException');
    expect(awsErrorCode(networkError('ECONNRESET'))).toBe('ECONNRESET');
    expect(awsErrorCode('boom')).toBe('UnknownError');
    expect(awsErrorMessage(networkError('ECONNRESET'))).toBe('network');
    expect(awsErrorMessage('boom')).toBe('boom');
  });
});

/** The one caller every adapter sends through: attempts, backoff, pacer feedback and counters. */
import { describe, expect, it, vi } from 'vitest';
import { awsCaller, DEFAULT_RETRY, newCallStats } from '../../../src/providers/aws/awsCaller.ts';
import { Pacer } from '../../../src/calls/pacer.ts';

const answered = (name: string, status: number, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });
const throttled = () => answered('TooManyRequestsException', 429);
const serverError = () => answered('InternalServerException', 500, 'server');

/** A send that fails with the given errors in turn, then answers 'ok'. */
function failing(...errors: Error[]) {
  const send = vi.fn(async () => {
    const error = errors[send.mock.calls.length - 1];
    if (error) throw error;
    return 'ok';
  });
  return send;
}

describe('awsCaller', () => {
  it('waits with full jitter under an exponential ceiling, 8 attempts by default, then throws the last error', async () => {
    // Prepare: the jitter at its top, so each wait is its ceiling less one.
    const waits: number[] = [];
    const call = awsCaller({ retry: { ...DEFAULT_RETRY, sleep: async (ms) => void waits.push(ms), random: () => 0.9999999 } });
    const error = serverError();
    const send = vi.fn(async () => {
      throw error;
    });
    // Act
    const outcome = call(send);
    // Assess
    await expect(outcome).rejects.toBe(error);
    expect(send).toHaveBeenCalledTimes(8);
    expect(waits).toEqual([199, 399, 799, 1599, 3199, 6399, 9999]);
  });

  it('waits at least 1 ms when the jitter draws 0', async () => {
    const waits: number[] = [];
    const call = awsCaller({ retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 10_000, sleep: async (ms) => void waits.push(ms), random: () => 0 } });
    await expect(call(failing(serverError(), serverError()))).resolves.toBe('ok');
    expect(waits).toEqual([1, 1]);
  });

  it('does not retry what AWS answered on purpose', async () => {
    const stats = newCallStats();
    const send = failing(answered('AccessDeniedException', 403));
    await expect(awsCaller({ stats })(send)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(send).toHaveBeenCalledTimes(1);
    expect(stats).toEqual({ calls: 1, retries: 0, throttled: 0, failed: 0 });
  });

  it('counts every attempt, the retried ones and the throttled ones', async () => {
    const stats = newCallStats();
    const call = awsCaller({ stats, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(call(failing(throttled(), serverError(), throttled()))).resolves.toBe('ok');
    expect(stats).toEqual({ calls: 4, retries: 3, throttled: 2, failed: 0 });
  });

  it('tells the pacer: throttled on throttling, answered on any other AWS answer below 500 and on success, nothing on a 5xx or a lost connection', async () => {
    // Prepare
    const pacer = new Pacer(1000, 1000);
    const acquire = vi.spyOn(pacer, 'acquire');
    const throttledSpy = vi.spyOn(pacer, 'throttled');
    const answeredSpy = vi.spyOn(pacer, 'answered');
    const call = awsCaller({ pacer, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const outcomes: [string, number, number][] = [];
    const record = (label: string) => {
      outcomes.push([label, throttledSpy.mock.calls.length, answeredSpy.mock.calls.length]);
      throttledSpy.mockClear();
      answeredSpy.mockClear();
    };
    // Act
    await call(failing(throttled())).catch(() => undefined);
    record('throttled');
    await call(failing(answered('ResourceNotFoundException', 404))).catch(() => undefined);
    record('not found');
    await call(failing(serverError())).catch(() => undefined);
    record('500');
    await call(failing(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).catch(() => undefined);
    record('reset');
    await call(failing());
    record('ok');
    // Assess: [label, throttled() calls, answered() calls]
    expect(outcomes).toEqual([
      ['throttled', 1, 0],
      ['not found', 0, 1],
      ['500', 0, 0],
      ['reset', 0, 0],
      ['ok', 0, 1],
    ]);
    expect(acquire).toHaveBeenCalledTimes(5);
  });
});

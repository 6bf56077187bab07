import { describe, expect, it } from 'vitest';
import { isRunId, newRunId } from '../../src/report/runId.ts';

describe('newRunId', () => {
  it('is the UTC start second with dashes, then the random suffix', () => {
    // Act
    const id = newRunId(new Date('2026-11-22T07:00:00.987+01:00'), '1A2b3C');

    // Assess
    expect(id).toBe('2026-11-22T06-00-00Z-1a2b3c');
    expect(isRunId(id)).toBe(true);
  });

  it('refuses a bad suffix or date', () => {
    expect(() => newRunId(new Date(), 'xyz123')).toThrow();
    expect(() => newRunId(new Date(), '1a2b3')).toThrow();
    expect(() => newRunId(new Date('nope'), '1a2b3c')).toThrow();
  });
});

describe('isRunId', () => {
  it.each([
    ['2026-11-22T06:00:00Z-1a2b3c', false],
    ['2026-02-30T06-00-00Z-1a2b3c', false],
    ['2026-11-22T06-00-00Z-1A2B3C', false],
    ['2026-11-22T06-00-00Z-1a2b3c/..', false],
    ['', false],
    ['2028-02-29T23-59-59Z-abcdef', true],
  ])('%s → %s', (s, ok) => {
    expect(isRunId(s)).toBe(ok);
  });
});

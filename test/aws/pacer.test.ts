import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/aws/pacer.ts';

/** A clock the test moves by hand: the pacer's waits advance it instead of sleeping. */
function fakeClock() {
  let now = 0;
  return { now: () => now, wait: async (ms: number) => void (now += ms), elapsed: () => now };
}

describe('Pacer', () => {
  it('lets the burst through at once, then one call per 1/rate seconds', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(10, 15, clock.now, clock.wait);
    const times: number[] = [];
    for (let i = 0; i < 35; i++) {
      await pacer.acquire();
      times.push(clock.elapsed());
    }
    expect(times.slice(0, 15).every((t) => t === 0)).toBe(true);
    // 20 calls beyond the burst at 10/s take 2 s.
    expect(times[34]).toBeGreaterThanOrEqual(2000);
    expect(times[34]).toBeLessThanOrEqual(2100);
  });

  it('never lets more than rate × window + burst calls through in any window', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(5, 8, clock.now, clock.wait);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      await pacer.acquire();
      times.push(clock.elapsed());
    }
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(5 + 8);
    }
  });

  it('rejects a rate or burst that cannot work', () => {
    expect(() => new Pacer(0, 1)).toThrow(/rate/);
    expect(() => new Pacer(1, 0)).toThrow(/burst/);
  });
});

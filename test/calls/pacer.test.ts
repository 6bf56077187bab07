import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/calls/pacer.ts';

/** A clock the test moves by hand: the pacer's waits advance it instead of sleeping. */
function fakeClock() {
  let now = 0;
  return { now: () => now, wait: async (ms: number) => {
      now += ms;
    }, elapsed: () => now };
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

describe('Pacer under throttling', () => {
  it('halves its rate when AWS throttles, once for a volley of 429s, never below a twentieth', () => {
    const clock = fakeClock();
    const pacer = new Pacer(10, 15, clock.now, clock.wait);
    pacer.throttled();
    pacer.throttled(); // the same volley: concurrent calls come back together
    expect(pacer.currentRatePerSecond).toBe(5);
    for (let i = 0; i < 10; i++) {
      void clock.wait(1000);
      pacer.throttled();
    }
    expect(pacer.currentRatePerSecond).toBe(0.5);
  });

  it('wins its rate back as calls are answered, up to the configured rate', () => {
    const clock = fakeClock();
    const pacer = new Pacer(10, 15, clock.now, clock.wait);
    pacer.throttled();
    for (let i = 0; i < 5; i++) pacer.answered();
    expect(pacer.currentRatePerSecond).toBe(7.5);
    for (let i = 0; i < 50; i++) pacer.answered();
    expect(pacer.currentRatePerSecond).toBe(10);
  });

  it('paces at the lowered rate after throttling, the saved-up burst dropped', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(10, 15, clock.now, clock.wait);
    pacer.throttled();
    const start = clock.elapsed();
    for (let i = 0; i < 10; i++) await pacer.acquire();
    // 10 calls at 5/s with no burst left: about 2 s.
    expect(clock.elapsed() - start).toBeGreaterThanOrEqual(1800);
  });

  it('takes a share as it is, never a burst rounded up: below one call is refused', () => {
    expect([Pacer.forShare({ ratePerSecond: 1.4625, burst: 1 }).burst, Pacer.forShare({ ratePerSecond: 4.875, burst: 4 }).burst]).toEqual([1, 4]);
    expect(() => Pacer.forShare({ ratePerSecond: 0.73, burst: 0 })).toThrow(/burst must be at least 1/);
  });
});

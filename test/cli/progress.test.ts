/**
 * Progress on stderr: on a terminal, one line redrawn with done/total, rate, elapsed and ETA;
 * without one, a line only every N seconds (and at the end). The clock is the test's own.
 */
import { describe, expect, it } from 'vitest';
import { Progress, clock, progressText } from '../../src/cli/progress.ts';

function progress(terminal: boolean, everySeconds = 10) {
  let now = 0;
  const written: string[] = [];
  const bar = new Progress({ write: (t) => written.push(t), terminal, everySeconds, now: () => now });
  const at = (seconds: number) => {
    now = seconds * 1000;
  };
  return { bar, written, at };
}

describe('progress', () => {
  it('says done/total, the rate, the time elapsed and the time left', () => {
    expect(progressText(120, 2000, 12_000)).toBe('120/2,000 accounts, 10.0/s, 0:12 elapsed, ETA 3:08');
    expect(progressText(2000, 2000, 200_000)).toBe('2,000/2,000 accounts, 10.0/s, 3:20 elapsed, done');
    expect(progressText(0, 1, 0)).toBe('0/1 account, 0.0/s, 0:00 elapsed, ETA unknown');
    expect(clock(3725)).toBe('1:02:05');
  });

  it('on a terminal: the same line redrawn in place, ended once', () => {
    const { bar, written, at } = progress(true);
    at(1);
    bar.update(10, 20);
    at(2);
    bar.update(20, 20);
    bar.finish();
    expect(written).toEqual(['\r\u001b[K10/20 accounts, 10.0/s, 0:01 elapsed, ETA 0:01', '\r\u001b[K20/20 accounts, 10.0/s, 0:02 elapsed, done', '\n']);
  });

  it('without a terminal: a line every N seconds, whatever the number of accounts done, and one at the end', () => {
    const { bar, written, at } = progress(false, 10);
    at(0);
    bar.tick();
    for (let second = 1; second <= 25; second++) {
      at(second);
      bar.update(second, 30);
      bar.tick();
    }
    at(30);
    bar.update(30, 30);
    bar.finish();
    expect(written).toEqual([
      'progress: reading the organization, 0:00 elapsed\n',
      'progress: 10/30 accounts, 1.0/s, 0:10 elapsed, ETA 0:20\n',
      'progress: 20/30 accounts, 1.0/s, 0:20 elapsed, ETA 0:10\n',
      'progress: 30/30 accounts, 1.0/s, 0:30 elapsed, done\n',
    ]);
  });
});

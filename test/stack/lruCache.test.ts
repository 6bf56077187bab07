/**
 * serverless/lru-cache.mjs stands in for `mnemonist/lru-cache` in the Lambda bundles: for every
 * method the SDK's endpoint cache calls, it answers what mnemonist answers, over a long random run
 * of calls against both, capacity overflow (eviction of the least recent) included.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../serverless/lru-cache.mjs';

const Mnemonist = createRequire(import.meta.url)('mnemonist/lru-cache') as new (capacity: number) => {
  get(k: string): unknown;
  peek(k: string): unknown;
  set(k: string, v: unknown): unknown;
  has(k: string): boolean;
  clear(): void;
  size: number;
};

describe('the bundles\' LRU cache', () => {
  it('answers as mnemonist does for get, peek, set, has, clear and size, evicting the least recent', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ours = new LRUCache(5);
    const theirs = new Mnemonist(5);
    for (let step = 0; step < 5_000; step++) {
      const key = `k${random(9)}`;
      const op = random(20);
      if (op < 8) {
        ours.set(key, step);
        theirs.set(key, step);
      } else if (op < 13) expect(ours.get(key), `get at ${step}`).toBe(theirs.get(key));
      else if (op < 16) expect(ours.peek(key), `peek at ${step}`).toBe(theirs.peek(key));
      else if (op < 19) expect(ours.has(key), `has at ${step}`).toBe(theirs.has(key));
      else {
        ours.clear();
        theirs.clear();
      }
      expect(ours.size).toBe(theirs.size);
    }
  });

  it('refuses a capacity that is not positive, as mnemonist does', () => {
    expect(() => new LRUCache(0)).toThrow(/capacity/);
    expect(() => new Mnemonist(0)).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { finalizeSweep } from '../../src/audit/finalize.ts';
import { MemoryStore as BaseMemoryStore } from '../fixtures/memoryStore.ts';
import type { Report } from '../../src/model.ts';
import { compliant, missingSecurity, report } from '../report/fixtures.ts';

/** An in-memory bucket whose `put` fails for keys the test names. */
class MemoryStore extends BaseMemoryStore {
  failing = (_key: string): boolean => false;
  override async put(key: string, body: string) {
    if (this.failing(key)) throw Object.assign(new Error('We encountered an internal error'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    return super.put(key, body);
  }
}

const run = (runId: string, accounts: Report['accounts']): Report => ({ ...report(accounts), runId, startedAt: '2026-11-22T06:00:00.000Z' });

describe('finalizeSweep', () => {
  it('writes the run, then latest/, with report.json last', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    const put = store.put.bind(store);
    store.put = async (key, body) => {
      order.push(key);
      return put(key, body);
    };
    await finalizeSweep({ report: run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]), storage: store, prefix: 'p', maxAlertsPerSweep: 25 });
    expect(order.filter((k) => k.startsWith('p/latest/')).at(-1)).toBe('p/latest/report.json');
    expect(order.findIndex((k) => k.startsWith('p/latest/'))).toBeGreaterThan(order.findIndex((k) => k.startsWith('p/findings/')));
  });

  it('puts back the previous run in latest/ when the store fails half way through replacing it', async () => {
    // Prepare: a first run is latest/.
    const store = new MemoryStore();
    const first = run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]);
    await finalizeSweep({ report: first, storage: store, prefix: 'p', maxAlertsPerSweep: 25 });
    const before = new Map([...store.objects].filter(([k]) => k.startsWith('p/latest/')));
    // The second run's latest/report.csv goes in, then latest/report.md fails.
    store.failing = (key) => key === 'p/latest/report.md';

    // Act
    const second = finalizeSweep({ report: run('2026-11-22T07-00-00Z-bbbbbb', [missingSecurity('111111111111')]), storage: store, prefix: 'p', maxAlertsPerSweep: 25 });

    // Assess: the error goes up, and latest/ is the first run again, every file of it.
    await expect(second).rejects.toThrow(/internal error/);
    expect(new Map([...store.objects].filter(([k]) => k.startsWith('p/latest/')))).toEqual(before);
  });
});

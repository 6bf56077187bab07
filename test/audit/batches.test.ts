import { describe, expect, it } from 'vitest';
import { BATCH_TIME_SHARE, batchPacers, batchShare, batchSizeFor, planBatches, readsPerAccount } from '../../src/audit/batches.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { OrgAccount } from '../../src/model.ts';

const accounts = (active: number, inactive: number): OrgAccount[] => [
  ...Array.from({ length: active }, (_, i) => ({ id: String(100000000000 + i), name: `a${i}`, state: 'ACTIVE' })),
  ...Array.from({ length: inactive }, (_, i) => ({ id: String(200000000000 + i), name: `s${i}`, state: 'SUSPENDED' })),
];

describe('batch size, from the organization and the Lambda time limit', () => {
  const sizing = { parallel: 4, batchRatePerSecond: 2.4375, timeLimitSeconds: 900, readsPerAccount: 3 };

  it('makes a whole multiple of the Map width, each batch reading within half its time limit', () => {
    for (const n of [1, 3, 4, 100, 1_000, 1_461, 10_000, 50_000]) {
      const size = batchSizeFor(n, sizing);
      expect((size * 3) / sizing.batchRatePerSecond, `${n}`).toBeLessThanOrEqual(900 * BATCH_TIME_SHARE);
      const batches = Math.ceil(n / size);
      if (n >= 4) expect(batches % 4, `${n}: ${batches} batches of ${size}`).toBe(0);
    }
    // One round of 4 for 1,000 accounts; 7 rounds for 10,000.
    expect(batchSizeFor(1_000, sizing)).toBe(250);
    expect(Math.ceil(10_000 / batchSizeFor(10_000, sizing))).toBe(28);
  });

  it('follows the time limit and the rate, and a cap', () => {
    expect(batchSizeFor(10_000, { ...sizing, timeLimitSeconds: 300 })).toBeLessThan(batchSizeFor(10_000, sizing));
    expect(batchSizeFor(10_000, { ...sizing, batchRatePerSecond: 9.75 })).toBeGreaterThan(batchSizeFor(10_000, sizing));
    expect(batchSizeFor(40, { ...sizing, maxBatchSize: 3 })).toBeLessThanOrEqual(3);
  });

  it("gives each batch its share of the partition's quota; without a partition, the process rate", () => {
    expect(batchShare({ partition: 'aws', sweepParallelBatches: 2, getRatePerSecond: 10 })).toEqual({ ratePerSecond: 4.875, burst: 4 });
    expect(batchShare({ partition: 'aws-cn', sweepParallelBatches: 2, getRatePerSecond: 10 })).toEqual({ ratePerSecond: 1.4625, burst: 1 });
    expect(batchShare({ sweepParallelBatches: 1, getRatePerSecond: 10 })).toEqual({ ratePerSecond: 10, burst: 15 });
  });

  it('paces every read of a batch at its share, the root e-mail at one call at once', () => {
    const pacers = batchPacers({ partition: 'aws', sweepParallelBatches: 2, getRatePerSecond: 10 });
    expect([pacers.alternateContact.burst, pacers.surface.contactInformation.burst, pacers.surface.primaryEmail.burst]).toEqual([4, 5, 1]);
    expect(pacers.surface.primaryEmail.ratePerSecond).toBeCloseTo(1.4625, 6);
  });

  it('starts each batch with its burst spent: the first call of a fresh batch waits its interval', async () => {
    const pacers = batchPacers({ partition: 'aws', sweepParallelBatches: 2, getRatePerSecond: 10 });
    let first = false;
    void pacers.surface.primaryEmail.acquire().then(() => (first = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(first).toBe(false);
    await pacers.surface.primaryEmail.acquire();
    expect(first).toBe(true);
  });
});

describe('planBatches', () => {
  it('puts every account in exactly one batch of at most the size, the ACTIVE ones spread evenly', () => {
    const all = accounts(90, 13);
    const batches = planBatches(all, 26);
    expect(batches).toHaveLength(4);
    expect(batches.flatMap((b) => b.accounts.map((a) => a.id)).sort()).toEqual(all.map((a) => a.id).sort());
    expect(batches.every((b) => b.accounts.length <= 26)).toBe(true);
    const active = batches.map((b) => b.accounts.filter((a) => a.state === 'ACTIVE').length);
    expect(Math.max(...active) - Math.min(...active)).toBeLessThanOrEqual(1);
    expect(batches.map((b) => b.batch)).toEqual([0, 1, 2, 3]);
  });
});

describe('reads per account, in GetAlternateContact calls', () => {
  const p = (more: Record<string, unknown> = {}) => parsePolicy({ companyDomains: ['example.com'], ...more });

  it('is the required contact types without the other sections', () => {
    expect(readsPerAccount(p())).toBe(3);
    expect(readsPerAccount(p({ requiredContactTypes: ['SECURITY'] }))).toBe(1);
  });

  it("counts GetPrimaryEmail at its slower quota (3/s against 10/s), twice with rootEmail.updateStatus, which shares that pacer", () => {
    expect(readsPerAccount(p({ rootEmail: {} }))).toBeCloseTo(10 / 3);
    expect(readsPerAccount(p({ rootEmail: { updateStatus: true } }))).toBeCloseTo(20 / 3);
    // Asked for in one OU only, it still sizes every batch: any batch may hold such accounts.
    expect(readsPerAccount(p({ rootEmail: {}, overrides: { 'ou-ab12-11111111': { rootEmail: { updateStatus: true } } } }))).toBeCloseTo(20 / 3);
  });

  it('keeps a batch with the update status within its time share: half the accounts of one without', () => {
    const sizing = { parallel: 2, batchRatePerSecond: 4.875, timeLimitSeconds: 900 };
    const plain = batchSizeFor(100_000, { ...sizing, readsPerAccount: readsPerAccount(p({ rootEmail: {} })) });
    const withStatus = batchSizeFor(100_000, { ...sizing, readsPerAccount: readsPerAccount(p({ rootEmail: { updateStatus: true } })) });
    expect(withStatus).toBeLessThanOrEqual(Math.ceil(plain / 2));
    // 2 GetPrimaryEmail-budget calls per account at the batch's 1.4625/s fill at most BATCH_TIME_SHARE of 900 s.
    expect((withStatus * 2) / 1.4625).toBeLessThanOrEqual(900 * BATCH_TIME_SHARE + 1);
  });
});

/** The new-account check (src/audit/newAccounts.ts) over fakes: what closes an arrival, what keeps it pending. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.ts';
import { accountDirectory, cachedAuditorContext } from '../../src/audit/event.ts';
import { checkDueArrivals, recordArrivals, sweepArrivals, type DueCheckDeps } from '../../src/audit/newAccounts.ts';
import type { ContactRead, ContactType, OrgAccount } from '../../src/model.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { MemoryStore } from '../fixtures/memoryStore.ts';
import { compliant, report } from '../report/fixtures.ts';

const ARRIVED = '2026-12-01T10:00:00.000Z';
const KEY = 'p/new-accounts/pending.json';

function deps(read: (accountId: string, type: ContactType) => ContactRead, state: OrgAccount['state'] = 'ACTIVE') {
  const storage = new MemoryStore();
  const published: Alert[] = [];
  const d: DueCheckDeps = {
    store: { storage, prefix: 'p' },
    policy: policyFromDomains(['example.com']),
    context: cachedAuditorContext({ whoAmI: async () => ({ accountId: '111111111111' }) }, { describeOrganization: async () => ({ id: 'o-aa111bb222', managementAccountId: '111111111111' }) }),
    contacts: {
      readAll: async (target, types) => Object.fromEntries(types.map((type) => [type, read(target.accountId, type)])),
    },
    accounts: accountDirectory({ describeAccount: async (id) => ({ id, name: `acct-${id}`, state }) }),
    alerts: {
      publish: async (alert) => {
        published.push(alert);
        return 'msg-1';
      },
    },
  };
  return { d, storage, published };
}

const missing: ContactRead = { kind: 'missing' };
const denied: ContactRead = { kind: 'failed', errorCode: 'AccessDeniedException', message: 'denied' };
const pendingOf = (storage: MemoryStore) => JSON.parse(storage.objects.get(KEY)!).pending as { accountId: string }[];

describe('recordArrivals and checkDueArrivals', () => {
  it('records an account once, due after the policy grace', async () => {
    // Prepare
    const { d, storage } = deps(() => missing);
    // Act
    const first = await recordArrivals(d.store, [{ accountId: '555566667777', source: 'CreateAccountResult', arrivedAt: ARRIVED }], { newAccountGraceHours: 6 }, new Date(ARRIVED));
    const second = await recordArrivals(d.store, [{ accountId: '555566667777', source: 'sweep', arrivedAt: ARRIVED }], {}, new Date(ARRIVED));
    // Assess
    expect(first.recorded.map((a) => a.dueAt)).toEqual(['2026-12-01T16:00:00.000Z']);
    expect(second).toMatchObject({ recorded: [], known: [{ accountId: '555566667777' }] });
    expect(pendingOf(storage)).toHaveLength(1);
  });

  it('keeps an account whose contacts could not be read pending, with no alert', async () => {
    // Prepare
    const { d, storage, published } = deps(() => denied);
    await recordArrivals(d.store, [{ accountId: '555566667777', source: 'AcceptHandshake', arrivedAt: ARRIVED }], {}, new Date(ARRIVED));
    // Act
    const { checks } = await checkDueArrivals(d, new Date('2026-12-02T10:00:00.000Z'));
    // Assess
    expect(checks).toEqual([{ accountId: '555566667777', outcome: 'retry', status: 'UNKNOWN', reason: 'its contacts could not all be read' }]);
    expect(published).toEqual([]);
    expect(pendingOf(storage)).toHaveLength(1);
  });

  it('closes an account that is no longer ACTIVE without reading or alerting it', async () => {
    // Prepare
    const { d, storage, published } = deps(() => {
      throw new Error('not read');
    }, 'SUSPENDED');
    await recordArrivals(d.store, [{ accountId: '555566667777', source: 'CreateAccountResult', arrivedAt: ARRIVED }], {}, new Date(ARRIVED));
    // Act
    const { checks } = await checkDueArrivals(d, new Date('2026-12-03T00:00:00.000Z'));
    // Assess
    expect(checks).toEqual([{ accountId: '555566667777', outcome: 'skipped', status: 'SKIPPED' }]);
    expect(published).toEqual([]);
    expect(pendingOf(storage)).toEqual([]);
  });

  it('checks an account exactly at its due time, not a millisecond before', async () => {
    // Prepare
    const { d, published } = deps(() => missing);
    await recordArrivals(d.store, [{ accountId: '555566667777', source: 'CreateAccountResult', arrivedAt: ARRIVED }], {}, new Date(ARRIVED));
    // Act
    const before = await checkDueArrivals(d, new Date(Date.parse('2026-12-02T10:00:00.000Z') - 1));
    const atDue = await checkDueArrivals(d, new Date('2026-12-02T10:00:00.000Z'));
    // Assess
    expect(before).toEqual({ checks: [], notDue: 1 });
    expect(atDue.checks.map((c) => c.outcome)).toEqual(['alerted']);
    expect(published.map((a) => a.eventType)).toEqual(['NEW_ACCOUNT_NOT_COMPLIANT']);
  });

  it('refuses a pending file it did not write rather than overwrite it', async () => {
    // Prepare
    const { d, storage } = deps(() => missing);
    storage.objects.set(KEY, '{"pending": "oops"}');
    // Act / Assess
    await expect(recordArrivals(d.store, [{ accountId: '555566667777', source: 'sweep', arrivedAt: ARRIVED }], {}, new Date())).rejects.toThrow(/not a new-accounts file/);
    expect(storage.objects.get(KEY)).toBe('{"pending": "oops"}');
  });

  it('takes as arrivals of a sweep only the accounts its baseline lacked, and none without a baseline', () => {
    // Prepare
    const previous = report([compliant('333333333333')]);
    const current = { ...report([compliant('333333333333'), compliant('555566667777', 'new-app')]), startedAt: '2026-12-04T06:00:00Z' };
    // Act / Assess
    expect(sweepArrivals(previous, current)).toEqual([{ accountId: '555566667777', accountName: 'new-app', source: 'sweep', arrivedAt: '2026-12-04T06:00:00.000Z' }]);
    expect(sweepArrivals(undefined, current)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ContactSurface } from '../../src/model.ts';
import { EvidenceStore, mergeEvidence, type EvidenceRead } from '../../src/storage/evidenceStore.ts';
import { MemoryStore } from '../fixtures/memoryStore.ts';

const ACCOUNT = { id: '111111111111', name: 'one', state: 'ACTIVE' };
const good: ContactSurface = {
  kind: 'alternateContacts',
  reads: { SECURITY: { kind: 'present', contact: { name: 'S', title: 'T', emailAddress: 's@example.com', phoneNumber: '+1' }, requestId: 'req-1' } },
  extras: {},
};
const failed: ContactSurface = { kind: 'alternateContacts', reads: { SECURITY: { kind: 'failed', errorCode: 'TooManyRequestsException', message: 'slow down' } }, extras: {} };
const read = (readAt: string, surface: ContactSurface, source: EvidenceRead['source'] = 'full-sweep'): EvidenceRead => ({ readAt, source, account: ACCOUNT, surface, requestIds: [] });

describe('mergeEvidence', () => {
  it('keeps the newer read by read time, whatever order the writes arrive in', () => {
    const newer = mergeEvidence(undefined, read('2026-12-02T00:00:00Z', good, 'event'))!;
    expect(mergeEvidence(newer, read('2026-12-01T00:00:00Z', good))).toBeUndefined();
    expect(mergeEvidence(newer, read('2026-12-03T00:00:00Z', good, 'rolling'))).toMatchObject({ readAt: '2026-12-03T00:00:00Z', source: 'rolling' });
  });

  it('a failed read keeps the older evidence, marks it stale and keeps the failure; a later good read clears it', () => {
    const first = mergeEvidence(undefined, read('2026-12-01T00:00:00Z', good))!;
    const stale = mergeEvidence(first, read('2026-12-02T00:00:00Z', failed, 'incremental'))!;
    expect(stale).toMatchObject({ readAt: '2026-12-01T00:00:00Z', surface: good, stale: true, failure: { readAt: '2026-12-02T00:00:00Z', errorCodes: ['TooManyRequestsException'] } });
    // Older than the failure: not written.
    expect(mergeEvidence(stale, read('2026-12-01T12:00:00Z', good))).toBeUndefined();
    const healed = mergeEvidence(stale, read('2026-12-03T00:00:00Z', good))!;
    expect(healed.stale).toBeUndefined();
    expect(healed.failure).toBeUndefined();
  });

  it('a first read that fails is kept as stale evidence of the failure, never as missing', () => {
    expect(mergeEvidence(undefined, read('2026-12-01T00:00:00Z', failed))).toMatchObject({ surface: failed, stale: true, failure: { surface: failed } });
  });
});

describe('EvidenceStore', () => {
  it('writes state/accounts/<id>.json under the prefix, read-compare-write', async () => {
    const storage = new MemoryStore();
    const store = new EvidenceStore(storage, 'audit');
    await Promise.all([store.record(read('2026-12-02T00:00:00Z', good, 'event')), store.record(read('2026-12-01T00:00:00Z', good))]);
    expect([...storage.objects.keys()]).toEqual(['audit/state/accounts/111111111111.json']);
    expect(await store.get(ACCOUNT.id)).toMatchObject({ source: 'event', readAt: '2026-12-02T00:00:00Z' });
    storage.objects.set('audit/state/accounts/222222222222.json', 'not json');
    expect(await store.getMany(['111111111111', '222222222222', '333333333333'])).toHaveProperty('size', 1);
  });
});

import { describe, expect, it } from 'vitest';
import { judgeOnEvidence, movedAccounts, selectRereads } from '../../src/audit/evidence.ts';
import type { ContactSurface, OrgAccount } from '../../src/model.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { EvidenceRecord } from '../../src/storage/evidenceStore.ts';

const policy = parsePolicy({ companyDomains: ['example.com'], requiredContactTypes: ['SECURITY'], maxEvidenceAgeDays: 7 });
const NOW = new Date('2026-12-10T00:00:00Z');
const good: ContactSurface = {
  kind: 'alternateContacts',
  reads: { SECURITY: { kind: 'present', contact: { name: 'S', title: 'T', emailAddress: 'sec@example.com', phoneNumber: '+1 206 555 0100' } } },
  extras: {},
};
const account = (id: string, ou = 'ou-ab12-11111111'): OrgAccount => ({ id, name: id, state: 'ACTIVE', ou: { id: ou, name: 'x', path: 'Root / x', ids: ['r-ab12', ou] } });
const record = (id: string, readAt: string, surface: ContactSurface = good, ou?: string): EvidenceRecord => ({
  schemaVersion: 1, accountId: id, readAt, source: 'full-sweep', account: account(id, ou), surface, requestIds: [],
});

describe('judgeOnEvidence', () => {
  it('judges fresh evidence by the rules and says its age and source', () => {
    expect(judgeOnEvidence(account('1'), record('1', '2026-12-08T00:00:00Z'), policy, '2026-12-10', NOW)).toMatchObject({
      status: 'COMPLIANT',
      evidence: { readAt: '2026-12-08T00:00:00Z', source: 'full-sweep', ageDays: 2 },
    });
  });

  it('never passes evidence past the bound, nor an account with none: UNKNOWN with the reason', () => {
    const old = judgeOnEvidence(account('1'), record('1', '2026-12-01T00:00:00Z'), policy, '2026-12-10', NOW);
    expect(old).toMatchObject({ status: 'UNKNOWN', findings: [{ code: 'CHECK_FAILED', errorCode: 'EvidencePastBound' }], evidence: { ageDays: 9 } });
    expect(judgeOnEvidence(account('2'), undefined, policy, '2026-12-10', NOW)).toMatchObject({ status: 'UNKNOWN', findings: [{ errorCode: 'NoEvidence' }] });
  });
});

describe('selectRereads', () => {
  it('reads the changed, new, moved and uncovered accounts, then the oldest slice and what would pass the bound by tomorrow', () => {
    const records = new Map([
      ['1', record('1', '2026-12-09T00:00:00Z')],
      ['2', record('2', '2026-12-09T00:00:00Z', good, 'ou-ab12-99999999')],
      ['3', record('3', '2026-12-09T00:00:00Z', { ...good, reads: {} })],
      ['4', record('4', '2026-12-03T12:00:00Z')],
      ['5', record('5', '2026-12-05T00:00:00Z')],
      ['6', record('6', '2026-12-09T00:00:00Z')],
      ['7', record('7', '2026-12-09T00:00:00Z')],
    ]);
    const accounts = ['1', '2', '3', '4', '5', '6', '7', '8'].map((id) => account(id));
    const changes = new Map([['1', '2026-12-09T06:00:00Z'], ['6', '2026-12-08T00:00:00Z']]);
    const chosen = selectRereads({ accounts, records, changes, policy, now: NOW });
    // 6 changed before its last read: already seen. 8 accounts / 7 days: a slice of 2 (4 and 5, the oldest); 4 passes the bound within a day anyway.
    expect(Object.fromEntries(chosen)).toEqual({ 1: 'changed', 2: 'moved', 3: 'uncovered', 8: 'new', 4: 'rolling', 5: 'rolling' });
  });
});

describe('movedAccounts', () => {
  it('while the OU tree is still read, the plan leaves OUs alone; once it is in, the moved accounts not chosen yet are read', () => {
    const records = new Map([
      ['1', record('1', '2026-12-09T00:00:00Z', good, 'ou-ab12-99999999')],
      ['2', record('2', '2026-12-09T00:00:00Z')],
      ['3', record('3', '2026-12-09T00:00:00Z', good, 'ou-ab12-99999999')],
    ]);
    const listed = ['1', '2', '3'].map((id) => ({ id, name: id, state: 'ACTIVE' }));
    const chosen = selectRereads({ accounts: listed, records, changes: new Map([['3', '2026-12-09T06:00:00Z']]), policy: parsePolicy({ companyDomains: ['example.com'], requiredContactTypes: ['SECURITY'], maxEvidenceAgeDays: 30 }), now: NOW, placesLater: true });
    expect(Object.fromEntries(chosen)).toEqual({ 3: 'changed', 1: 'rolling' });
    // Placed now: 1 and 3 moved, but both are read already; 2 sits where it did.
    const placed = ['1', '2', '3'].map((id) => account(id));
    expect(movedAccounts(placed, records, chosen)).toEqual([]);
    expect(movedAccounts(placed, records, new Map()).map((a) => a.id)).toEqual(['1', '3']);
  });
});

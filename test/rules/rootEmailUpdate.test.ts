/**
 * With `rootEmail.updateStatus`, the most recent root e-mail update (GetPrimaryEmailUpdateStatus)
 * becomes a note: PENDING and FAILED, or a status that could not be read. Notes change no status.
 */
import { describe, expect, it } from 'vitest';
import type { ExtraReads, RootEmailUpdateRead } from '../../src/model.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { rootEmailUpdateNote } from '../../src/rules/rootEmailUpdate.ts';
import { TODAY, account, compliantReads, policy } from './fixtures.ts';

const extras = (rootEmailUpdate: RootEmailUpdateRead): ExtraReads => ({ rootEmail: { kind: 'present', email: 'aws+prod@example.com', source: 'GetPrimaryEmail' }, rootEmailUpdate });
const on = policy({ rootEmail: { updateStatus: true } });

describe('root e-mail update notes', () => {
  it('notes an update in flight (PENDING) with its time, and leaves the account COMPLIANT', () => {
    // Act
    const result = evaluateAccount(account(), compliantReads(), on, TODAY, extras({ kind: 'present', status: 'PENDING', updatedAt: '2026-12-01T09:30:00.000Z' }));
    // Assess
    expect(result.status).toBe('COMPLIANT');
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([{ contactType: 'ROOT_EMAIL', code: 'ROOT_EMAIL_UPDATE_PENDING', message: expect.stringContaining('since 2026-12-01T09:30:00.000Z') }]);
  });

  it('notes a FAILED update; ACCEPTED, COMPLETED and no update at all give none', () => {
    expect(rootEmailUpdateNote({ kind: 'present', status: 'FAILED' })?.code).toBe('ROOT_EMAIL_UPDATE_FAILED');
    for (const status of ['ACCEPTED', 'COMPLETED', 'SOMETHING_NEW']) expect(rootEmailUpdateNote({ kind: 'present', status }), status).toBeUndefined();
    expect(rootEmailUpdateNote({ kind: 'none' })).toBeUndefined();
    expect('notes' in evaluateAccount(account(), compliantReads(), on, TODAY, extras({ kind: 'none' }))).toBe(false);
  });

  it('an unreadable status is a note with the AWS error code, never UNKNOWN', () => {
    const result = evaluateAccount(account(), compliantReads(), on, TODAY, extras({ kind: 'failed', errorCode: 'AccessDeniedException', message: 'no' }));
    expect(result.status).toBe('COMPLIANT');
    expect(result.notes?.map((n) => [n.code, n.errorCode])).toEqual([['ROOT_EMAIL_UPDATE_STATUS_UNREAD', 'AccessDeniedException']]);
  });

  it('a note beside a finding leaves the finding to decide, and is not exempted away', () => {
    const p = policy({ rootEmail: { updateStatus: true, companyDomains: ['example.org'] }, exemptions: [{ accountId: '333333333333', contactTypes: ['ROOT_EMAIL'], reason: 'r', expires: '2099-01-01' }] });
    const result = evaluateAccount(account(), compliantReads(), p, TODAY, extras({ kind: 'present', status: 'PENDING' }));
    expect(result.status).toBe('EXEMPT');
    expect(result.notes?.map((n) => n.code)).toEqual(['ROOT_EMAIL_UPDATE_PENDING']);
  });

  it('is off without rootEmail.updateStatus, whatever was read', () => {
    const result = evaluateAccount(account(), compliantReads(), policy({ rootEmail: {} }), TODAY, extras({ kind: 'present', status: 'PENDING' }));
    expect('notes' in result).toBe(false);
  });
});

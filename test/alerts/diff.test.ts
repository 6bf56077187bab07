import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/alerts/diff.ts';
import type { AccountResult } from '../../src/model.ts';
import { compliant, contact, missingSecurity, report, skipped, unknownSecurity, withFindings } from '../report/fixtures.ts';

const ID = '333333333333';
const badEmail = (a: AccountResult): AccountResult => ({
  ...a,
  status: 'NON_COMPLIANT',
  contacts: { ...a.contacts, BILLING: contact('b', { emailAddress: 'b@evil.io' }) },
  findings: [...a.findings, { contactType: 'BILLING', code: 'EMAIL_NOT_COMPANY_DOMAIN', message: 'b@evil.io is not a company address' }],
});

describe('diffReports', () => {
  it('is empty without a previous report', () => {
    expect(diffReports(undefined, report([missingSecurity(ID)]))).toEqual({ opened: [], resolved: [] });
  });

  it('opens a violation for an account newly NON_COMPLIANT', () => {
    // Act
    const diff = diffReports(report([compliant(ID)]), report([missingSecurity(ID)]));

    // Assess
    expect(diff.opened).toHaveLength(1);
    expect(diff.opened[0]!.newFindings.map((f) => f.code)).toEqual(['MISSING_CONTACT']);
    expect(diff.resolved).toEqual([]);
  });

  it('opens a violation for a new account that is NON_COMPLIANT', () => {
    const diff = diffReports(report([]), report([missingSecurity(ID)]));
    expect(diff.opened.map((o) => o.account.accountId)).toEqual([ID]);
  });

  it('opens a violation for a new finding on an account already NON_COMPLIANT, listing only the new one', () => {
    const diff = diffReports(report([missingSecurity(ID)]), report([badEmail(missingSecurity(ID))]));
    expect(diff.opened).toHaveLength(1);
    expect(diff.opened[0]!.newFindings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['BILLING:EMAIL_NOT_COMPANY_DOMAIN']);
  });

  it('opens nothing when the same findings remain (identity is contact type and code, not message)', () => {
    const now = missingSecurity(ID);
    now.findings = [{ ...now.findings[0]!, message: 'reworded' }];
    expect(diffReports(report([missingSecurity(ID)]), report([now]))).toEqual({ opened: [], resolved: [] });
  });

  it('does not count CHECK_FAILED or exempt findings as opened', () => {
    const exempt = withFindings(missingSecurity(ID), [{ ...missingSecurity(ID).findings[0]!, exemption: { reason: 'r', expires: '2027-01-31' } }], 'EXEMPT');
    expect(diffReports(report([compliant(ID)]), report([unknownSecurity(ID)])).opened).toEqual([]);
    expect(diffReports(report([compliant(ID)]), report([exempt])).opened).toEqual([]);
  });

  it('opens a violation when an exemption expires', () => {
    const exempt = withFindings(missingSecurity(ID), [{ ...missingSecurity(ID).findings[0]!, exemption: { reason: 'r', expires: '2027-01-31' } }], 'EXEMPT');
    const diff = diffReports(report([exempt]), report([missingSecurity(ID)]));
    expect(diff.opened.map((o) => o.account.accountId)).toEqual([ID]);
  });

  it('resolves findings that are gone on an account read this time', () => {
    // Act
    const diff = diffReports(report([badEmail(missingSecurity(ID))]), report([missingSecurity(ID)]));

    // Assess
    expect(diff.opened).toEqual([]);
    expect(diff.resolved).toEqual([{ accountId: ID, name: `acct-${ID}`, resolved: [expect.objectContaining({ contactType: 'BILLING', code: 'EMAIL_NOT_COMPANY_DOMAIN' })] }]);
  });

  it('resolves all findings of an account now COMPLIANT', () => {
    const diff = diffReports(report([missingSecurity(ID)]), report([compliant(ID)]));
    expect(diff.resolved.map((r) => r.resolved.map((f) => f.code))).toEqual([['MISSING_CONTACT']]);
  });

  it('does not resolve an account UNKNOWN, SKIPPED or absent now', () => {
    const before = report([missingSecurity(ID)]);
    expect(diffReports(before, report([unknownSecurity(ID)])).resolved).toEqual([]);
    expect(diffReports(before, report([skipped(ID)])).resolved).toEqual([]);
    expect(diffReports(before, report([compliant('444444444444')])).resolved).toEqual([]);
  });

  it('does not resolve a finding whose contact could not be read this time, even if another contact keeps the account NON_COMPLIANT', () => {
    // Prepare: SECURITY was missing; now SECURITY failed to read and BILLING is bad.
    const now: AccountResult = {
      ...badEmail(compliant(ID)),
      contacts: { BILLING: contact('b', { emailAddress: 'b@evil.io' }), OPERATIONS: contact('o') },
      findings: [
        { contactType: 'BILLING', code: 'EMAIL_NOT_COMPANY_DOMAIN', message: 'm' },
        { contactType: 'SECURITY', code: 'CHECK_FAILED', message: 'm', errorCode: 'TooManyRequestsException' },
      ],
    };

    // Act
    const diff = diffReports(report([missingSecurity(ID)]), report([now]));

    // Assess
    expect(diff.resolved).toEqual([]);
    expect(diff.opened[0]!.newFindings.map((f) => f.code)).toEqual(['EMAIL_NOT_COMPANY_DOMAIN']);
  });
});

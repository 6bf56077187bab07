/**
 * PRIMARY_PHONE_NOT_VERIFIED: with `primaryContact.requireVerifiedPhone`, GetContactInformation's
 * VerificationStatus (SDK model, PhoneNumberVerificationStatus) must say the phone is verified.
 */
import { describe, expect, it } from 'vitest';
import type { PrimaryContact } from '../../src/model.ts';
import { PolicyError } from '../../src/errors.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { VERIFICATION_STATUS_MISSING, primaryPhoneNotVerified } from '../../src/rules/primary.ts';
import { TODAY, account, compliantReads, policy } from './fixtures.ts';

const info: PrimaryContact = {
  fullName: 'Cloud Team',
  companyName: 'Example Corp',
  phoneNumber: '+1 206 555 0100',
  addressLine1: '1 Main St',
  city: 'Seattle',
  stateOrRegion: 'WA',
  postalCode: '98109',
  countryCode: 'US',
};
const on = { companyNamePattern: '^Example Corp$', requireVerifiedPhone: true };

const judge = (section: Record<string, unknown>, verificationStatus?: string) =>
  evaluateAccount(account(), compliantReads(), policy({ primaryContact: section }), TODAY, {
    primaryContact: { kind: 'present', contact: info, ...(verificationStatus === undefined ? {} : { verificationStatus }) },
  });
const codes = (result: ReturnType<typeof judge>) => result.findings.map((f) => `${f.contactType}:${f.code}`);

describe('PRIMARY_PHONE_NOT_VERIFIED', () => {
  it.each(['UNVERIFIED', 'PENDING'])('flags a %s phone and makes the account NON_COMPLIANT, naming the status, never the number', (status) => {
    // Act
    const result = judge(on, status);
    // Assess
    expect(codes(result)).toEqual(['PRIMARY:PRIMARY_PHONE_NOT_VERIFIED']);
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.findings[0]!.message).toContain(status);
    expect(result.findings[0]!.message).not.toContain('555');
    expect(result.primaryPhoneVerification).toBe(status);
  });

  it.each(['VERIFIED', 'NOT_SUPPORTED'])('passes a %s phone (NOT_SUPPORTED: AWS offers no verification for the account)', (status) => {
    const result = judge(on, status);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('COMPLIANT');
  });

  it('is off by default: an UNVERIFIED phone passes, and the status is still reported', () => {
    // Prepare
    const section = parsePolicy({ companyDomains: ['example.com'], primaryContact: { companyNamePattern: '^Example Corp$' } }).primaryContact!;
    // Act
    const result = judge(section, 'UNVERIFIED');
    // Assess
    expect(section.requireVerifiedPhone).toBeUndefined();
    expect(result.status).toBe('COMPLIANT');
    expect(result.primaryPhoneVerification).toBe('UNVERIFIED');
  });

  it('is CHECK_FAILED (UNKNOWN), never compliant, when AWS gave no VerificationStatus', () => {
    const result = judge(on);
    expect(codes(result)).toEqual(['PRIMARY:CHECK_FAILED']);
    expect(result.findings[0]!.errorCode).toBe(VERIFICATION_STATUS_MISSING);
    expect(result.status).toBe('UNKNOWN');
    expect('primaryPhoneVerification' in result).toBe(false);
    // Without the option, an answer without the status is fine.
    expect(judge({ companyNamePattern: '^Example Corp$' }).status).toBe('COMPLIANT');
  });

  it('comes after the other primary-contact findings, beside them', () => {
    const result = evaluateAccount(account(), compliantReads(), policy({ primaryContact: on }), TODAY, {
      primaryContact: { kind: 'present', contact: { ...info, companyName: 'Jane Doe' }, verificationStatus: 'UNVERIFIED' },
    });
    expect(codes(result)).toEqual(['PRIMARY:PRIMARY_CONTACT_COMPANY_NAME_MISMATCH', 'PRIMARY:PRIMARY_PHONE_NOT_VERIFIED']);
  });

  it('applies per account or OU through overrides, and can be exempted as PRIMARY', () => {
    // Prepare
    const p = policy({ primaryContact: { companyNamePattern: '^Example Corp$' }, overrides: { '333333333333': { primaryContact: on } } });
    const extras = { primaryContact: { kind: 'present' as const, contact: info, verificationStatus: 'UNVERIFIED' } };
    // Act / Assess
    expect(evaluateAccount(account(), compliantReads(), p, TODAY, extras).status).toBe('NON_COMPLIANT');
    expect(evaluateAccount(account({ id: '444444444444' }), compliantReads(), p, TODAY, extras).status).toBe('COMPLIANT');
    const exempt = policy({ primaryContact: on, exemptions: [{ accountId: '333333333333', contactTypes: ['PRIMARY'], reason: 'r', expires: '2099-01-01' }] });
    expect(evaluateAccount(account(), compliantReads(), exempt, TODAY, extras).status).toBe('EXEMPT');
  });

  it('is a boolean in the policy file', () => {
    expect(() => parsePolicy({ companyDomains: ['example.com'], primaryContact: { companyNamePattern: 'x', requireVerifiedPhone: 'yes' } })).toThrow(PolicyError);
  });

  it('does nothing for a status this code does not know', () => {
    expect(primaryPhoneNotVerified('SOMETHING_NEW', { companyNamePattern: 'x', requireVerifiedPhone: true })).toBeUndefined();
  });
});

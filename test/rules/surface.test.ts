/** Contact-surface rules: placeholders, the primary contact, the root e-mail, expected values, reuse, overrides. */
import { describe, expect, it } from 'vitest';
import type { AccountResult, PrimaryContact } from '../../src/model.ts';
import { effectivePolicy } from '../../src/policy/overrides.ts';
import { applyOrganizationRules, evaluateAccount } from '../../src/rules/evaluate.ts';
import { contactValueMismatch } from '../../src/rules/expect.ts';
import { isPlaceholderPhone, placeholderPhone } from '../../src/rules/placeholder.ts';
import { primaryContactFindings } from '../../src/rules/primary.ts';
import { emailReusedAcrossAccounts, isTeamMailbox } from '../../src/rules/reuse.ts';
import { rootEmailNotCompanyDomain } from '../../src/rules/rootEmail.ts';
import { TODAY, account, compliantReads, contact, policy, present } from './fixtures.ts';

const info = (over: Partial<PrimaryContact> = {}): PrimaryContact => ({
  fullName: 'Cloud Team',
  companyName: 'Example Corp',
  phoneNumber: '+1 206 555 0100',
  addressLine1: '1 Main St',
  city: 'Seattle',
  stateOrRegion: 'WA',
  postalCode: '98109',
  countryCode: 'US',
  ...over,
});

describe('PLACEHOLDER_PHONE', () => {
  it.each(['+1 000 000 0000', '123456789', '0000000000', '+44 1111 111111', '9876543210', '+1 234 567 8901', '(555) 555-5555', '+1-111-111-1111'])(
    'flags %s',
    (phone) => {
      expect(isPlaceholderPhone(phone)).toBe(true);
      expect(placeholderPhone('SECURITY', contact({ phoneNumber: phone }), policy())?.code).toBe('PLACEHOLDER_PHONE');
    },
  );

  it.each(['+1 206 555 0100', '+44 20 7946 0958', '+1 (206) 555-0123', '2065550198', '1', '+1 206 555 0100 000 00000', '12345'])('accepts %s', (phone) => {
    expect(isPlaceholderPhone(phone)).toBe(false);
    expect(placeholderPhone('SECURITY', contact({ phoneNumber: phone }), policy())).toBeUndefined();
  });

  it('is off with phone.rejectPlaceholders: false, and never echoes the number', () => {
    expect(placeholderPhone('BILLING', contact({ phoneNumber: '123456789' }), policy({ phone: { rejectPlaceholders: false } }))).toBeUndefined();
    expect(placeholderPhone('BILLING', contact({ phoneNumber: '123456789' }), policy())?.message).not.toContain('123');
  });

  it('makes an account NON_COMPLIANT through evaluateAccount', () => {
    const reads = { ...compliantReads(), OPERATIONS: present({ emailAddress: 'ops@example.com', phoneNumber: '+1 000 000 0000' }) };
    const result = evaluateAccount(account(), reads, policy(), TODAY);
    expect(result.findings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['OPERATIONS:PLACEHOLDER_PHONE']);
    expect(result.status).toBe('NON_COMPLIANT');
  });
});

describe('primary contact', () => {
  const section = { companyNamePattern: '^Example Corp$' };

  it('passes a company primary contact', () => {
    expect(primaryContactFindings(info(), section, policy())).toEqual([]);
  });

  it.each([
    ['another company', { companyName: 'Jane Doe' }, ['PRIMARY_CONTACT_COMPANY_NAME_MISMATCH']],
    ['no company name', { companyName: undefined }, ['PRIMARY_CONTACT_COMPANY_NAME_MISMATCH']],
    ['a phone without +', { phoneNumber: '206 555 0100' }, ['PRIMARY_CONTACT_INVALID_PHONE']],
    ['a phone over 20 characters', { phoneNumber: '+1 206 555 0100 00000' }, ['PRIMARY_CONTACT_INVALID_PHONE']],
    ['a placeholder phone', { phoneNumber: '+1 000 000 0000' }, ['PRIMARY_CONTACT_PLACEHOLDER_PHONE']],
    ['all-same digits', { phoneNumber: '+0000000000' }, ['PRIMARY_CONTACT_PLACEHOLDER_PHONE']],
  ])('reports %s', (_label, over, codes) => {
    expect(primaryContactFindings(info(over as Partial<PrimaryContact>), section, policy()).map((f) => f.code)).toEqual(codes);
  });

  it('holds the phone to the section prefixes, else the top-level ones', () => {
    const withPrefix = policy({ phone: { allowedPrefixes: ['+44'] } });
    expect(primaryContactFindings(info(), section, withPrefix).map((f) => f.code)).toEqual(['PRIMARY_CONTACT_PHONE_NOT_COMPANY']);
    expect(primaryContactFindings(info(), { ...section, phone: { allowedPrefixes: ['+1 206'] } }, withPrefix)).toEqual([]);
  });

  it('is CHECK_FAILED when unreadable and MISSING when absent, never compliant', () => {
    const p = policy({ primaryContact: section });
    const failed = evaluateAccount(account(), compliantReads(), p, TODAY, { primaryContact: { kind: 'failed', errorCode: 'AccessDeniedException', message: 'no' } });
    expect(failed.findings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['PRIMARY:CHECK_FAILED']);
    expect(failed.status).toBe('UNKNOWN');
    expect(evaluateAccount(account(), compliantReads(), p, TODAY).status).toBe('UNKNOWN');
    const missing = evaluateAccount(account(), compliantReads(), p, TODAY, { primaryContact: { kind: 'missing' } });
    expect(missing.findings.map((f) => f.code)).toEqual(['PRIMARY_CONTACT_MISSING']);
    expect(missing.primaryContact).toBeNull();
  });

  it('is not read or judged without the section', () => {
    const result = evaluateAccount(account(), compliantReads(), policy(), TODAY, { primaryContact: { kind: 'missing' } });
    expect(result.status).toBe('COMPLIANT');
    expect('primaryContact' in result).toBe(false);
  });

  it('can be exempted when listed as PRIMARY', () => {
    const p = policy({ primaryContact: section, exemptions: [{ accountId: '333333333333', contactTypes: ['PRIMARY'], reason: 'r', expires: '2099-01-01' }] });
    expect(evaluateAccount(account(), compliantReads(), p, TODAY, { primaryContact: { kind: 'missing' } }).status).toBe('EXEMPT');
  });
});

describe('ROOT_EMAIL_NOT_COMPANY_DOMAIN', () => {
  it.each(['aws+prod@example.com', 'aws@ops.example.com'])('accepts %s', (email) => {
    expect(rootEmailNotCompanyDomain(email, policy({ rootEmail: {} }))).toBeUndefined();
  });
  it.each(['jane@gmail.com', 'aws@example.com.evil.io', 'aws@ex\u0430mple.com', 'not-an-address'])('rejects %s', (email) => {
    expect(rootEmailNotCompanyDomain(email, policy({ rootEmail: {} }))?.code).toBe('ROOT_EMAIL_NOT_COMPANY_DOMAIN');
  });
  it('uses the section domains when given', () => {
    const p = policy({ rootEmail: { companyDomains: ['root.example.org'], allowSubdomains: false } });
    expect(rootEmailNotCompanyDomain('aws@example.com', p)?.code).toBe('ROOT_EMAIL_NOT_COMPANY_DOMAIN');
    expect(rootEmailNotCompanyDomain('aws@root.example.org', p)).toBeUndefined();
  });
  it('is CHECK_FAILED when the root e-mail could not be read', () => {
    const result = evaluateAccount(account(), compliantReads(), policy({ rootEmail: {} }), TODAY, {
      rootEmail: { kind: 'failed', errorCode: 'TooManyRequestsException', message: 'slow down' },
    });
    expect(result.findings.map((f) => `${f.contactType}:${f.code}:${f.errorCode}`)).toEqual(['ROOT_EMAIL:CHECK_FAILED:TooManyRequestsException']);
    expect(result.status).toBe('UNKNOWN');
  });
});

describe('CONTACT_VALUE_MISMATCH', () => {
  const p = policy({ expect: { SECURITY: { emailAddress: 'secops@example.com' } } });
  it('compares the e-mail case-insensitively and names what is expected', () => {
    expect(contactValueMismatch('SECURITY', contact({ emailAddress: ' SecOps@Example.com ' }), p)).toBeUndefined();
    const finding = contactValueMismatch('SECURITY', contact({ emailAddress: 'security@example.com' }), p);
    expect(finding?.code).toBe('CONTACT_VALUE_MISMATCH');
    expect(finding?.message).toContain('secops@example.com');
  });
  it('compares phones on digits and never echoes them', () => {
    const q = policy({ expect: { BILLING: { phoneNumber: '+1 (206) 555-0100' } } });
    expect(contactValueMismatch('BILLING', contact({ phoneNumber: '+1 206 555 0100' }), q)).toBeUndefined();
    expect(contactValueMismatch('BILLING', contact({ phoneNumber: '+1 206 555 0199' }), q)?.message).not.toContain('0199');
  });
});

describe('overrides', () => {
  const base = policy({
    overrides: {
      'r-ab12': { requiredContactTypes: ['SECURITY', 'BILLING'] },
      'ou-ab12-11111111': { companyDomains: ['corp.example'], expect: { BILLING: { emailAddress: 'billing@corp.example' } } },
      'ou-ab12-22222222': { expect: { SECURITY: { emailAddress: 'secops@corp.example' } } },
      '333333333333': { companyDomains: ['acct.example'] },
    },
  });
  const ou = { id: 'ou-ab12-22222222', name: 'Prod', path: 'Root / Workloads / Prod', ids: ['r-ab12', 'ou-ab12-11111111', 'ou-ab12-22222222'] };

  it('inherits down the tree, nearest wins, expectations merge per type, the account wins last', () => {
    const effective = effectivePolicy(base, { id: '444444444444', ou });
    expect(effective.requiredContactTypes).toEqual(['SECURITY', 'BILLING']);
    expect(effective.companyDomains).toEqual(['corp.example']);
    expect(effective.expect).toEqual({ BILLING: { emailAddress: 'billing@corp.example' }, SECURITY: { emailAddress: 'secops@corp.example' } });
    expect(effectivePolicy(base, { id: '333333333333', ou }).companyDomains).toEqual(['acct.example']);
  });

  it('changes nothing for an account outside the overridden OUs', () => {
    expect(effectivePolicy(base, { id: '555555555555' }).companyDomains).toEqual(['example.com']);
  });
});

describe('EMAIL_REUSED_ACROSS_ACCOUNTS', () => {
  const result = (id: string, email: string, status: AccountResult['status'] = 'COMPLIANT'): AccountResult => ({
    accountId: id,
    name: id,
    state: 'ACTIVE',
    status,
    contacts: { SECURITY: contact({ emailAddress: email }), BILLING: contact({ emailAddress: 'billing@example.com' }) },
    findings: [],
  });
  const results = ['111111111111', '222222222222', '333333333333'].map((id) => result(id, 'jane.doe@example.com'));

  it('is off unless maxAccountsPerPersonalAddress is set', () => {
    expect(emailReusedAcrossAccounts(results, policy()).size).toBe(0);
  });

  it('reports a personal address used by more accounts than allowed, on every one of them, not team mailboxes', () => {
    const p = policy({ maxAccountsPerPersonalAddress: 2 });
    const judged = applyOrganizationRules(results, p, TODAY);
    expect(judged.map((r) => r.status)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT', 'NON_COMPLIANT']);
    expect(judged[0]!.findings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['SECURITY:EMAIL_REUSED_ACROSS_ACCOUNTS']);
    expect(applyOrganizationRules(results, policy({ maxAccountsPerPersonalAddress: 3 }), TODAY).map((r) => r.status)).toEqual([
      'COMPLIANT',
      'COMPLIANT',
      'COMPLIANT',
    ]);
  });

  it('tells team mailboxes from personal addresses (default words or configured patterns)', () => {
    expect(isTeamMailbox('security@example.com', undefined)).toBe(true);
    expect(isTeamMailbox('aws-billing+prod@example.com', undefined)).toBe(true);
    expect(isTeamMailbox('jane.doe@example.com', undefined)).toBe(false);
    expect(isTeamMailbox('jane.doe@example.com', ['^jane'])).toBe(true);
    expect(isTeamMailbox('security@example.com', ['^cloud-'])).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { ContactReads, Finding } from '../../src/model.ts';
import { accountStatus, evaluateAccount, skippedAccount } from '../../src/rules/evaluate.ts';
import { TODAY, account, compliantReads, contact, policy, present } from './fixtures.ts';

const denied = {
  kind: 'failed' as const,
  errorCode: 'AccessDeniedException',
  message: 'User is not authorized (The management account can only be managed using the standalone context from the management account.)',
};

describe('evaluateAccount', () => {
  it('is COMPLIANT with three compliant contacts, echoing them exactly as read', () => {
    // Prepare
    const reads = compliantReads();
    if (reads.BILLING?.kind === 'present') reads.BILLING.contact.emailAddress = '  billing@example.com ';
    // Act
    const result = evaluateAccount(account(), reads, policy(), TODAY);
    // Assess
    expect(result).toEqual({
      accountId: '333333333333',
      name: 'prod-app',
      state: 'ACTIVE',
      status: 'COMPLIANT',
      contacts: {
        BILLING: contact({ emailAddress: '  billing@example.com ' }),
        OPERATIONS: contact({ emailAddress: 'ops@example.com' }),
        SECURITY: contact({ emailAddress: 'security@example.com' }),
      },
      findings: [],
    });
  });

  it('reports MISSING_CONTACT with a null contact, NON_COMPLIANT', () => {
    // Act
    const result = evaluateAccount(account(), { ...compliantReads(), OPERATIONS: { kind: 'missing' } }, policy(), TODAY);
    // Assess
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.contacts.OPERATIONS).toBeNull();
    expect(result.findings).toEqual([
      { contactType: 'OPERATIONS', code: 'MISSING_CONTACT', message: 'OPERATIONS contact is missing; add one with an address in example.com' },
    ]);
  });

  it('reports a failed read as CHECK_FAILED with the AWS error code, UNKNOWN, contact key absent', () => {
    // Act
    const result = evaluateAccount(account(), { ...compliantReads(), SECURITY: denied }, policy(), TODAY);
    // Assess
    expect(result.status).toBe('UNKNOWN');
    expect('SECURITY' in result.contacts).toBe(false);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ contactType: 'SECURITY', code: 'CHECK_FAILED', errorCode: 'AccessDeniedException' });
    expect(result.findings[0]?.message).toContain('AccessDeniedException: User is not authorized');
  });

  it('reports a read that is absent from reads as CHECK_FAILED, never missing or compliant', () => {
    // Act
    const result = evaluateAccount(account(), { BILLING: present({ emailAddress: 'billing@example.com' }) }, policy(), TODAY);
    // Assess
    expect(result.status).toBe('UNKNOWN');
    expect(result.findings.map((finding) => `${finding.contactType}:${finding.code}`)).toEqual(['OPERATIONS:CHECK_FAILED', 'SECURITY:CHECK_FAILED']);
    expect(result.contacts).toEqual({ BILLING: contact({ emailAddress: 'billing@example.com' }) });
  });

  it('keeps a failed AWS message on one line without control characters', () => {
    // Act
    const result = evaluateAccount(account(), { ...compliantReads(), BILLING: { kind: 'failed', errorCode: 'Throttling\n', message: 'slow\r\ndown\u0007' } }, policy(), TODAY);
    // Assess
    expect(result.findings[0]?.errorCode).toBe('Throttling');
    expect(result.findings[0]?.message).toBe('BILLING contact could not be read (Throttling: slow down); unknown until it can be read: check permissions or retry');
  });

  it('is NON_COMPLIANT when a CHECK_FAILED comes with another finding', () => {
    // Act
    const result = evaluateAccount(account(), { ...compliantReads(), BILLING: denied, OPERATIONS: { kind: 'missing' } }, policy(), TODAY);
    // Assess
    expect(result.status).toBe('NON_COMPLIANT');
  });

  it('checks only the required contact types, in the policy order', () => {
    // Prepare
    const reads: ContactReads = { BILLING: { kind: 'missing' }, OPERATIONS: { kind: 'missing' }, SECURITY: { kind: 'missing' } };
    // Act
    const result = evaluateAccount(account(), reads, policy({ requiredContactTypes: ['SECURITY', 'BILLING'] }), TODAY);
    // Assess
    expect(result.findings.map((finding) => finding.contactType)).toEqual(['SECURITY', 'BILLING']);
    expect(Object.keys(result.contacts)).toEqual(['SECURITY', 'BILLING']);
  });

  it('orders one contact\'s findings as §3: e-mail domain, pattern, phone', () => {
    // Prepare
    const reads = { ...compliantReads(), SECURITY: present({ emailAddress: 'bob@gmail.com', phoneNumber: '+44 20 7946 0000' }) };
    const strict = policy({ emailLocalPartPatterns: { SECURITY: '^security$' }, phone: { allowedPrefixes: ['+1 206 555'] } });
    // Act
    const result = evaluateAccount(account(), reads, strict, TODAY);
    // Assess
    expect(result.findings.map((finding) => finding.code)).toEqual(['EMAIL_NOT_COMPANY_DOMAIN', 'EMAIL_PATTERN_MISMATCH', 'PHONE_NOT_COMPANY']);
  });

  it('reports INVALID_EMAIL then INVALID_PHONE and skips what depends on them', () => {
    // Prepare
    const reads = { ...compliantReads(), BILLING: present({ emailAddress: 'not an address', phoneNumber: 'n/a' }) };
    // Act
    const result = evaluateAccount(account(), reads, policy({ phone: { allowedPrefixes: ['+1 206 555'] } }), TODAY);
    // Assess
    expect(result.findings.map((finding) => finding.code)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE']);
  });

  it('never puts the name, title or phone number in a message', () => {
    // Prepare
    const nosy = { name: '<script>alert(1)</script> Jane', title: '=HYPERLINK("http://evil")', emailAddress: 'jane@gmail.com', phoneNumber: '+44 20 7946 0000' };
    const reads: ContactReads = { BILLING: { kind: 'present', contact: nosy }, OPERATIONS: present({ phoneNumber: 'x' }), SECURITY: present() };
    // Act
    const result = evaluateAccount(account(), reads, policy({ phone: { allowedPrefixes: ['+1 206 555'] } }), TODAY);
    // Assess
    const text = result.findings.map((finding) => finding.message).join('\n');
    expect(result.findings.length).toBeGreaterThan(0);
    for (const secret of ['Jane', 'script', 'HYPERLINK', '7946']) expect(text).not.toContain(secret);
  });

  it.each(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'PENDING_ACTIVATION'])('skips a %s account without reads', (state) => {
    // Act
    const result = evaluateAccount(account({ state }), {}, policy(), TODAY);
    // Assess
    expect(result).toEqual({ accountId: '333333333333', name: 'prod-app', state, status: 'SKIPPED', contacts: {}, findings: [] });
  });

  it.each(['UNKNOWN', '', 'SOME_NEW_STATE'])('checks an account whose state is %j rather than hide it as SKIPPED', (state) => {
    // A missing or unfamiliar State must not take the account out of the audit.
    expect(evaluateAccount(account({ state }), compliantReads(), policy(), TODAY).status).toBe('COMPLIANT');
    expect(evaluateAccount(account({ state }), {}, policy(), TODAY).status).toBe('UNKNOWN');
  });

  it('rejects a today that is not a date', () => {
    expect(() => evaluateAccount(account(), compliantReads(), policy(), '2026-13-01')).toThrow(RangeError);
  });

  it('treats a contact with absent fields as invalid, not as a crash', () => {
    // Prepare: GetAlternateContact documents every response field as optional.
    const partial = { kind: 'present' as const, contact: { name: 'x' } as never };
    // Act
    const result = evaluateAccount(account(), { ...compliantReads(), BILLING: partial }, policy(), TODAY);
    // Assess
    expect(result.findings.map((finding) => finding.code)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE']);
  });
});

describe('accountStatus', () => {
  const finding = (code: Finding['code'], exempt = false): Finding => ({
    contactType: 'BILLING',
    code,
    message: 'm',
    ...(exempt ? { exemption: { reason: 'r', expires: '2099-12-31' } } : {}),
  });

  it.each<[string, string, Finding[]]>([
    ['no finding', 'COMPLIANT', []],
    ['an unexempted finding', 'NON_COMPLIANT', [finding('MISSING_CONTACT')]],
    ['an unexempted finding beside CHECK_FAILED', 'NON_COMPLIANT', [finding('CHECK_FAILED'), finding('INVALID_EMAIL')]],
    ['only CHECK_FAILED', 'UNKNOWN', [finding('CHECK_FAILED')]],
    ['CHECK_FAILED beside exempted findings', 'UNKNOWN', [finding('CHECK_FAILED'), finding('INVALID_PHONE', true)]],
    ['only exempted findings', 'EXEMPT', [finding('INVALID_PHONE', true), finding('MISSING_CONTACT', true)]],
    ['exempted and unexempted findings', 'NON_COMPLIANT', [finding('INVALID_PHONE', true), finding('MISSING_CONTACT')]],
  ])('%s → %s', (_label, status, findings) => {
    expect(accountStatus(findings)).toBe(status);
  });
});

describe('skippedAccount', () => {
  it('has status SKIPPED, no findings and no contacts', () => {
    expect(skippedAccount(account({ state: 'SUSPENDED' }))).toEqual({
      accountId: '333333333333', name: 'prod-app', state: 'SUSPENDED', status: 'SKIPPED', contacts: {}, findings: [],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { contactsNotDistinct } from '../../src/rules/distinct.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { TODAY, account, contact, policy, present } from './fixtures.ts';

describe('CONTACTS_NOT_DISTINCT', () => {
  const distinctPolicy = policy({ requireDistinctContacts: true });

  it('reports nothing when the addresses differ', () => {
    expect(
      contactsNotDistinct([
        { type: 'BILLING', contact: contact({ emailAddress: 'billing@example.com' }) },
        { type: 'SECURITY', contact: contact({ emailAddress: 'security@example.com' }) },
      ]),
    ).toEqual([]);
  });

  it('reports each later type that repeats an earlier address, naming the earlier type', () => {
    // Act
    const findings = contactsNotDistinct([
      { type: 'BILLING', contact: contact({ emailAddress: 'team@example.com' }) },
      { type: 'OPERATIONS', contact: contact({ emailAddress: ' TEAM@example.com ' }) },
      { type: 'SECURITY', contact: contact({ emailAddress: 'Team@Example.com' }) },
    ]);
    // Assess
    expect(findings.map((finding) => [finding.contactType, finding.code])).toEqual([
      ['OPERATIONS', 'CONTACTS_NOT_DISTINCT'],
      ['SECURITY', 'CONTACTS_NOT_DISTINCT'],
    ]);
    expect(findings[0]?.message).toBe('OPERATIONS e-mail "TEAM@example.com" is also the BILLING e-mail; give each contact its own address');
    expect(findings[1]?.message).toContain('also the BILLING e-mail');
  });

  it('does not count empty addresses as shared', () => {
    expect(
      contactsNotDistinct([
        { type: 'BILLING', contact: contact({ emailAddress: '' }) },
        { type: 'SECURITY', contact: contact({ emailAddress: ' ' }) },
      ]),
    ).toEqual([]);
  });

  it('is off unless requireDistinctContacts', () => {
    // Prepare
    const reads = { BILLING: present(), OPERATIONS: present(), SECURITY: present() };
    // Act
    const result = evaluateAccount(account(), reads, policy(), TODAY);
    // Assess
    expect(result.findings).toEqual([]);
  });

  it('comes after the per-contact findings, in contact type order', () => {
    // Prepare
    const reads = {
      BILLING: present({ emailAddress: 'same@example.com' }),
      OPERATIONS: present({ emailAddress: 'same@example.com', phoneNumber: 'bad' }),
      SECURITY: present({ emailAddress: 'same@example.com' }),
    };
    // Act
    const result = evaluateAccount(account(), reads, distinctPolicy, TODAY);
    // Assess
    expect(result.findings.map((finding) => `${finding.contactType}:${finding.code}`)).toEqual([
      'OPERATIONS:INVALID_PHONE',
      'OPERATIONS:CONTACTS_NOT_DISTINCT',
      'SECURITY:CONTACTS_NOT_DISTINCT',
    ]);
  });

  it('never counts missing or unread contacts', () => {
    // Prepare
    const reads = {
      BILLING: present({ emailAddress: 'same@example.com' }),
      OPERATIONS: { kind: 'missing' as const },
      SECURITY: { kind: 'failed' as const, errorCode: 'AccessDeniedException', message: 'denied' },
    };
    // Act
    const result = evaluateAccount(account(), reads, distinctPolicy, TODAY);
    // Assess
    expect(result.findings.map((finding) => finding.code)).toEqual(['MISSING_CONTACT', 'CHECK_FAILED']);
  });

  it('only compares the required contact types', () => {
    // Prepare
    const reads = { BILLING: present({ emailAddress: 'same@example.com' }), SECURITY: present({ emailAddress: 'same@example.com' }) };
    // Act
    const result = evaluateAccount(account(), reads, policy({ requireDistinctContacts: true, requiredContactTypes: ['SECURITY'] }), TODAY);
    // Assess
    expect(result.findings).toEqual([]);
  });
});

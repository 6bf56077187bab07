import { describe, expect, it } from 'vitest';
import type { ContactReads } from '../../src/model.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { TODAY, account, compliantReads, policy } from './fixtures.ts';

const ACCOUNT = '333333333333';
const exemption = (overrides: Record<string, unknown> = {}) => ({ accountId: ACCOUNT, reason: 'sandbox being closed', expires: '2027-01-31', ...overrides });
const noOperations: ContactReads = { ...compliantReads(), OPERATIONS: { kind: 'missing' } };

function evaluate(reads: ContactReads, exemptions: unknown[], today = TODAY) {
  return evaluateAccount(account({ id: ACCOUNT }), reads, policy({ exemptions }), today);
}

describe('exemptions', () => {
  it('marks a covered finding and makes the account EXEMPT', () => {
    // Act
    const result = evaluate(noOperations, [exemption()]);
    // Assess
    expect(result.status).toBe('EXEMPT');
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'MISSING_CONTACT', exemption: { reason: 'sandbox being closed', expires: '2027-01-31' } }),
    ]);
  });

  it('still applies on the expiry day itself', () => {
    expect(evaluate(noOperations, [exemption()], '2027-01-31').status).toBe('EXEMPT');
  });

  it('does nothing the day after expiry', () => {
    // Act
    const result = evaluate(noOperations, [exemption()], '2027-02-01');
    // Assess
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.findings[0]?.exemption).toBeUndefined();
  });

  it('covers only its contact types', () => {
    // Act
    const result = evaluate(noOperations, [exemption({ contactTypes: ['BILLING'] })]);
    // Assess
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.findings[0]?.exemption).toBeUndefined();
  });

  it('covers its listed type', () => {
    expect(evaluate(noOperations, [exemption({ contactTypes: ['OPERATIONS'] })]).status).toBe('EXEMPT');
  });

  it('covers only its account', () => {
    expect(evaluate(noOperations, [exemption({ accountId: '444444444444' })]).status).toBe('NON_COMPLIANT');
  });

  it('never covers CHECK_FAILED', () => {
    // Prepare
    const reads: ContactReads = { ...noOperations, SECURITY: { kind: 'failed', errorCode: 'TooManyRequestsException', message: 'Rate exceeded' } };
    // Act
    const result = evaluate(reads, [exemption()]);
    // Assess
    expect(result.status).toBe('UNKNOWN');
    expect(result.findings.find((finding) => finding.code === 'CHECK_FAILED')?.exemption).toBeUndefined();
    expect(result.findings.find((finding) => finding.code === 'MISSING_CONTACT')?.exemption).toBeDefined();
  });

  it('uses the first valid exemption that covers the type, skipping expired ones', () => {
    // Act
    const result = evaluate(noOperations, [
      exemption({ reason: 'old', expires: '2020-01-01' }),
      exemption({ reason: 'billing only', contactTypes: ['BILLING'] }),
      exemption({ reason: 'current', expires: '2099-12-31' }),
      exemption({ reason: 'later in the list' }),
    ]);
    // Assess
    expect(result.findings[0]?.exemption).toEqual({ reason: 'current', expires: '2099-12-31' });
  });

  it('leaves a compliant account COMPLIANT', () => {
    expect(evaluate(compliantReads(), [exemption()]).status).toBe('COMPLIANT');
  });
});

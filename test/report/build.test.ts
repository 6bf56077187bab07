import { describe, expect, it } from 'vitest';
import { policyHash } from '../../src/policy/hash.ts';
import { buildReport } from '../../src/report/buildReport.ts';
import { renderReport } from '../../src/report/render/index.ts';
import { PRODUCT_VERSION } from '../../src/version.ts';
import { compliant, missingSecurity, POLICY, report, skipped, unknownSecurity, withFindings } from './fixtures.ts';

describe('buildReport', () => {
  it('counts accounts per status and keeps them in the order given', () => {
    // Prepare
    const exempt = withFindings(missingSecurity('555555555555'), [
      { contactType: 'SECURITY', code: 'MISSING_CONTACT', message: 'm', exemption: { reason: 'closing', expires: '2027-01-31' } },
    ], 'EXEMPT');
    const accounts = [compliant('444444444444'), missingSecurity('333333333333'), unknownSecurity('666666666666'), exempt, skipped('777777777777'), compliant('888888888888')];

    // Act
    const r = report(accounts);

    // Assess
    expect(r.summary).toEqual({ accounts: 6, compliant: 2, nonCompliant: 1, unknown: 1, exempt: 1, skipped: 1 });
    expect(r.accounts.map((a) => a.accountId)).toEqual(accounts.map((a) => a.accountId));
    expect(r.schemaVersion).toBe(1);
  });

  it('reduces the policy to company domains and required contact types', () => {
    // Act
    const r = report([]);

    // Assess
    expect(r.policy).toEqual({ companyDomains: ['example.com'], requiredContactTypes: ['BILLING', 'OPERATIONS', 'SECURITY'] });
    expect(r.summary.accounts).toBe(0);
  });

  it('refuses an account that appears twice', () => {
    // Prepare
    const meta = { runId: 'r', startedAt: 's', finishedAt: 'f', organizationId: 'o', managementAccountId: 'm', callerAccountId: 'c', policy: POLICY };

    // Act / Assess
    expect(() => buildReport(meta, [compliant('333333333333'), missingSecurity('333333333333')])).toThrow(/333333333333.*more than once/);
  });

  it('names the product version and the hash of the policy it applied, in every rendering of it', () => {
    // Act
    const r = report([missingSecurity('333333333333')]);

    // Assess
    expect(r.productVersion).toBe(PRODUCT_VERSION);
    expect(r.policyHash).toBe(policyHash(POLICY));
    expect(r.policyHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const format of ['json', 'csv', 'markdown', 'html', 'table'] as const) {
      const text = renderReport(r, format);
      expect(text, format).toContain(PRODUCT_VERSION);
      expect(text, format).toContain(r.policyHash);
    }
  });
});

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_STATUSES, ALIBABA_ONLY_FINDING_CODES, CONTACT_TYPES, FINDING_CODES } from '../../src/model.ts';
import type { AccountResult, Contact, ContactReads, ContactType } from '../../src/model.ts';
import type { Policy } from '../../src/policy/types.ts';
import { loadPolicyFile } from '../../src/policy/load.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const TODAY = '2026-11-22';

interface SampleOrg {
  organization: { id: string; managementAccountId: string; delegatedAdminAccountId: string; trustedAccess: boolean };
  accounts: Array<{ id: string; name: string; email: string; state: string; contacts: Record<ContactType, Contact | null> }>;
}

/** What the delegated admin reads: the management account is denied in organizations context (SPEC.md §4). */
function readsAsDelegatedAdmin(org: SampleOrg, account: SampleOrg['accounts'][number]): ContactReads {
  const reads: ContactReads = {};
  for (const type of CONTACT_TYPES) {
    const contact = account.contacts[type];
    reads[type] =
      account.id === org.organization.managementAccountId
        ? {
            kind: 'failed',
            errorCode: 'AccessDeniedException',
            message: 'User is not authorized to perform: account:GetAlternateContact (The management account can only be managed using the standalone context from the management account.)',
          }
        : contact === null
          ? { kind: 'missing' }
          : { kind: 'present', contact };
  }
  return reads;
}

describe('examples/sample-org.json swept with examples/policy.yaml', () => {
  let org: SampleOrg;
  let policy: Policy;
  let results: AccountResult[];
  const byName = (name: string) => results.find((result) => result.name === name);

  beforeAll(async () => {
    // Prepare
    org = JSON.parse(await readFile(`${EXAMPLES}sample-org.json`, 'utf8')) as SampleOrg;
    policy = await loadPolicyFile(`${EXAMPLES}policy.yaml`);
    // Act
    results = org.accounts.map((account) => evaluateAccount(account, readsAsDelegatedAdmin(org, account), policy, TODAY));
  });

  it('has the documented fixture shape and about 40 accounts', () => {
    expect(org.organization).toEqual({ id: expect.stringMatching(/^o-[a-z0-9]{10,32}$/), managementAccountId: '111111111111', delegatedAdminAccountId: '222222222222', trustedAccess: true });
    expect(org.accounts.length).toBeGreaterThanOrEqual(35);
    expect(new Set(org.accounts.map((account) => account.id)).size).toBe(org.accounts.length);
    for (const account of org.accounts) {
      expect(account.id).toMatch(/^\d{12}$/);
      expect(Object.keys(account.contacts).sort()).toEqual([...CONTACT_TYPES].sort());
    }
  });

  it('uses every policy feature', () => {
    expect(policy.companyDomains).toEqual(['example.com']);
    expect(policy.allowSubdomains).toBe(true);
    expect(policy.phone.allowedPrefixes).toEqual(['+1 206 555']);
    expect(policy.requireDistinctContacts).toBe(true);
    expect(policy.emailLocalPartPatterns.SECURITY).toBeDefined();
    expect(policy.exemptions.map((exemption) => exemption.expires).sort()).toEqual(['2020-01-01', '2099-12-31']);
  });

  it('produces every finding code and every status', () => {
    const codes = new Set(results.flatMap((result) => result.findings.map((finding) => finding.code)));
    const statuses = new Set(results.map((result) => result.status));
    expect([...codes].sort()).toEqual(FINDING_CODES.filter((code) => !ALIBABA_ONLY_FINDING_CODES.includes(code)).sort());
    expect([...statuses].sort()).toEqual([...ACCOUNT_STATUSES].sort());
  });

  it('leaves most accounts compliant', () => {
    const compliant = results.filter((result) => result.status === 'COMPLIANT').length;
    expect(compliant).toBeGreaterThan(results.length / 2);
  });

  it.each<[string, string, string[]]>([
    ['org-management', 'UNKNOWN', ['BILLING:CHECK_FAILED', 'OPERATIONS:CHECK_FAILED', 'SECURITY:CHECK_FAILED']],
    ['dev-sandbox-3', 'NON_COMPLIANT', ['OPERATIONS:MISSING_CONTACT', 'SECURITY:MISSING_CONTACT']],
    ['legacy-reporting', 'NON_COMPLIANT', ['BILLING:INVALID_EMAIL']],
    ['data-lake-dev', 'NON_COMPLIANT', ['SECURITY:INVALID_EMAIL']],
    ['marketing-web', 'NON_COMPLIANT', ['SECURITY:EMAIL_NOT_COMPANY_DOMAIN', 'SECURITY:EMAIL_PATTERN_MISMATCH']],
    ['marketing-analytics', 'NON_COMPLIANT', ['SECURITY:EMAIL_NOT_COMPANY_DOMAIN']],
    ['prod-analytics', 'NON_COMPLIANT', ['BILLING:EMAIL_NOT_COMPANY_DOMAIN']],
    ['prod-search', 'NON_COMPLIANT', ['SECURITY:EMAIL_PATTERN_MISMATCH']],
    ['staging-api', 'NON_COMPLIANT', ['OPERATIONS:INVALID_PHONE']],
    ['eu-prod-payments', 'NON_COMPLIANT', ['BILLING:PHONE_NOT_COMPANY']],
    ['ml-experiments', 'NON_COMPLIANT', ['OPERATIONS:CONTACTS_NOT_DISTINCT']],
    ['dev-sandbox-7', 'EXEMPT', ['BILLING:MISSING_CONTACT']],
    ['qa-legacy', 'NON_COMPLIANT', ['SECURITY:MISSING_CONTACT']],
    ['dev-sandbox-9', 'SKIPPED', []],
    ['old-marketing-2019', 'SKIPPED', []],
  ])('%s is %s with %j', (name, status, findings) => {
    const result = byName(name);
    expect(result?.status).toBe(status);
    expect(result?.findings.map((finding) => `${finding.contactType}:${finding.code}`)).toEqual(findings);
  });

  it('marks the valid exemption and ignores the expired one', () => {
    expect(byName('dev-sandbox-7')?.findings[0]?.exemption).toEqual({ reason: expect.stringContaining('billing handled centrally'), expires: '2099-12-31' });
    expect(byName('qa-legacy')?.findings[0]?.exemption).toBeUndefined();
  });

  it('keeps the hostile names and titles as data for the renderers to escape', () => {
    const contacts = results.flatMap((result) => Object.values(result.contacts)).filter((contact): contact is Contact => !!contact);
    expect(contacts.some((contact) => contact.name.includes('<script>alert(1)</script>'))).toBe(true);
    expect(contacts.some((contact) => contact.title.startsWith('=HYPERLINK('))).toBe(true);
    expect(byName('prod-web')?.status).toBe('COMPLIANT');
    expect(byName('shared-services')?.status).toBe('COMPLIANT');
  });

  it('passes subdomains, upper case and surrounding white space', () => {
    for (const name of ['network-hub', 'eu-prod-web', 'partner-integration', 'prod-data-lake', 'qa-automation']) {
      expect(byName(name)?.status, name).toBe('COMPLIANT');
    }
  });
});

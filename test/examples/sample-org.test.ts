import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_STATUSES, ALIBABA_ONLY_FINDING_CODES, CONTACT_TYPES, FINDING_CODES } from '../../src/model.ts';
import type { AccountResult, Contact, ContactReads, ContactType, ExtraReads, OrgAccount, PrimaryContact } from '../../src/model.ts';
import type { Policy } from '../../src/policy/types.ts';
import { loadPolicyFile } from '../../src/policy/yamlFile.ts';
import { applyOrganizationRules, evaluateAccount } from '../../src/rules/evaluate.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const TODAY = '2026-11-22';

interface SampleOrg {
  organization: {
    id: string;
    managementAccountId: string;
    delegatedAdminAccountId: string;
    trustedAccess: boolean;
    roots: { id: string; name: string }[];
    organizationalUnits: { id: string; name: string; parentId: string }[];
  };
  accounts: Array<{
    id: string;
    name: string;
    email: string;
    state: string;
    parentId?: string;
    contacts: Record<ContactType, Contact | null>;
    contactInformation: PrimaryContact | null;
    phoneVerificationStatus?: string;
  }>;
}

/** The account's OU as the sweep reads it from the tree (names from the root, IDs for the overrides). */
function placed(org: SampleOrg, account: SampleOrg['accounts'][number]): OrgAccount {
  const nodes = new Map<string, { name: string; parentId?: string }>([
    ...org.organization.roots.map((r) => [r.id, { name: r.name }] as const),
    ...org.organization.organizationalUnits.map((o) => [o.id, { name: o.name, parentId: o.parentId }] as const),
  ]);
  const chain: string[] = [];
  for (let id: string | undefined = account.parentId ?? org.organization.roots[0]!.id; id !== undefined; id = nodes.get(id)?.parentId) chain.unshift(id);
  const parent = chain[chain.length - 1]!;
  return { ...account, ou: { id: parent, name: nodes.get(parent)!.name, path: chain.map((id) => nodes.get(id)!.name).join(' / '), ids: chain } };
}

/** The primary contact and root e-mail as the delegated admin reads them: the management account's primary contact is denied, its root e-mail listed. */
function extrasAsDelegatedAdmin(org: SampleOrg, account: SampleOrg['accounts'][number]): ExtraReads {
  const management = account.id === org.organization.managementAccountId;
  return {
    primaryContact: management
      ? { kind: 'failed', errorCode: 'AccessDeniedException', message: 'The management account can only be managed using the standalone context from the management account.' }
      : account.contactInformation === null
        ? { kind: 'missing' }
        : { kind: 'present', contact: account.contactInformation, ...(account.phoneVerificationStatus ? { verificationStatus: account.phoneVerificationStatus } : {}) },
    rootEmail: { kind: 'present', email: account.email, source: management ? 'Organizations' : 'GetPrimaryEmail' },
  };
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
    const each = org.accounts.map((account) =>
      evaluateAccount(placed(org, account), readsAsDelegatedAdmin(org, account), policy, TODAY, extrasAsDelegatedAdmin(org, account)),
    );
    results = applyOrganizationRules(each, policy, TODAY);
  });

  it('has the documented fixture shape and about 40 accounts', () => {
    expect(org.organization).toEqual({
      id: expect.stringMatching(/^o-[a-z0-9]{10,32}$/),
      managementAccountId: '111111111111',
      delegatedAdminAccountId: '222222222222',
      trustedAccess: true,
      roots: [{ id: 'r-exa7', name: 'Root' }],
      organizationalUnits: expect.any(Array),
    });
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
    expect(policy.primaryContact?.companyNamePattern).toBeDefined();
    expect(policy.rootEmail).toBeDefined();
    expect(policy.maxAccountsPerPersonalAddress).toBe(3);
    expect(Object.keys(policy.overrides ?? {}).length).toBeGreaterThan(0);
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
    ['org-management', 'UNKNOWN', ['BILLING:CHECK_FAILED', 'OPERATIONS:CHECK_FAILED', 'SECURITY:CHECK_FAILED', 'PRIMARY:CHECK_FAILED']],
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
    // The primary contact, the root e-mail, OU overrides, placeholders and reuse.
    ['regulated-ledger', 'NON_COMPLIANT', ['SECURITY:CONTACT_VALUE_MISMATCH']],
    ['regulated-vault', 'COMPLIANT', []],
    // Per account first (alternate contacts, PRIMARY, ROOT_EMAIL), then the organization-wide reuse rule.
    ['acquired-startup', 'NON_COMPLIANT', ['PRIMARY:PRIMARY_CONTACT_COMPANY_NAME_MISMATCH', 'ROOT_EMAIL:ROOT_EMAIL_NOT_COMPANY_DOMAIN', 'OPERATIONS:EMAIL_REUSED_ACROSS_ACCOUNTS']],
    ['prod-reporting', 'NON_COMPLIANT', ['PRIMARY:PRIMARY_CONTACT_PHONE_NOT_COMPANY', 'PRIMARY:PRIMARY_CONTACT_PLACEHOLDER_PHONE', 'OPERATIONS:EMAIL_REUSED_ACROSS_ACCOUNTS']],
    ['prod-notifications', 'NON_COMPLIANT', ['PRIMARY:PRIMARY_CONTACT_INVALID_PHONE', 'OPERATIONS:EMAIL_REUSED_ACROSS_ACCOUNTS']],
    // Its account override asks for a verified primary phone, and the fixture says UNVERIFIED.
    ['eu-prod-search', 'NON_COMPLIANT', ['PRIMARY:PRIMARY_CONTACT_PHONE_NOT_COMPANY', 'PRIMARY:PRIMARY_PHONE_NOT_VERIFIED', 'OPERATIONS:EMAIL_REUSED_ACROSS_ACCOUNTS']],
    ['dev-sandbox-10', 'NON_COMPLIANT', ['PRIMARY:PRIMARY_CONTACT_MISSING']],
    ['staging-batch', 'NON_COMPLIANT', ['OPERATIONS:PHONE_NOT_COMPANY', 'OPERATIONS:PLACEHOLDER_PHONE']],
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

  it('places every account in its OU, the path of names from the root', () => {
    expect(byName('org-management')?.ou).toEqual({ id: 'r-exa7', name: 'Root', path: 'Root' });
    expect(byName('regulated-vault')?.ou).toEqual({ id: 'ou-exa7-20000004', name: 'Regulated', path: 'Root / Workloads / Prod / Regulated' });
    expect(results.every((result) => result.ou !== undefined)).toBe(true);
  });

  it('passes subdomains, upper case and surrounding white space', () => {
    for (const name of ['network-hub', 'eu-prod-web', 'partner-integration', 'prod-data-lake', 'qa-automation']) {
      expect(byName(name)?.status, name).toBe('COMPLIANT');
    }
  });
});

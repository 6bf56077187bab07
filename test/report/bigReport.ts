/** A report of a generated organization of any size, every account evaluated by the real rules, with synthetic OUs. */
import { generateOrganization } from '@contact-auditor/aws-emulator';
import { CONTACT_TYPES, type AccountResult, type ContactReads, type Report } from '../../src/model.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { buildReport } from '../../src/report/buildReport.ts';
import { evaluateAccount, skippedAccount } from '../../src/rules/evaluate.ts';

const OUS = ['Workloads / Prod', 'Workloads / Dev', 'Workloads / Staging', 'Security', 'Infrastructure', 'Sandbox', 'Suspended'].map((p, i) => ({
  id: `ou-ab12-${String(i).padStart(8, '0')}`,
  name: p.split(' / ').pop()!,
  path: `Root / ${p}`,
}));

export function bigReport(accounts: number, seed = 7, today = '2026-12-01'): Report {
  const fixture = generateOrganization({ accounts, seed });
  const policy = policyFromDomains(['example.com']);
  const results: AccountResult[] = fixture.accounts.map((account, i) => {
    const org = { id: account.id, name: account.name, state: account.state };
    const reads: ContactReads = {};
    for (const type of CONTACT_TYPES) {
      const contact = account.contacts[type];
      reads[type] = contact ? { kind: 'present', contact } : { kind: 'missing' };
    }
    const result = account.state === 'ACTIVE' ? evaluateAccount(org, reads, policy, today) : skippedAccount(org);
    // Every 11th account has no OU: the report must cope with a sweep that could not read it.
    return i % 11 === 10 ? result : { ...result, ou: OUS[i % OUS.length]! };
  });
  return buildReport(
    {
      runId: '2026-12-01T06-00-00Z-abcdef',
      startedAt: '2026-12-01T06:00:00.000Z',
      finishedAt: '2026-12-01T06:50:00.000Z',
      organizationId: fixture.organization.id,
      managementAccountId: fixture.organization.managementAccountId,
      callerAccountId: fixture.organization.delegatedAdminAccountId ?? fixture.organization.managementAccountId,
      policy,
    },
    results,
  );
}

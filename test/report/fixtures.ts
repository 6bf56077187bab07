/** Small hand-built reports for the report and alert tests. */
import type { AccountResult, Contact, Finding, Report } from '../../src/model.ts';
import type { Policy } from '../../src/policy/types.ts';
import { buildReport } from '../../src/report/buildReport.ts';

export const RUN_ID = '2026-11-22T06-00-00Z-1a2b3c';

export const POLICY: Policy = {
  companyDomains: ['example.com'],
  allowSubdomains: true,
  requiredContactTypes: ['BILLING', 'OPERATIONS', 'SECURITY'],
  phone: { allowedPrefixes: [] },
  requireDistinctContacts: false,
  emailLocalPartPatterns: {},
  exemptions: [],
  maxAlertsPerSweep: 25,
};

export function contact(name: string, over: Partial<Contact> = {}): Contact {
  return { name, title: 'Team', emailAddress: `${name.toLowerCase().replace(/\W/g, '')}@example.com`, phoneNumber: '+1 206 555 0100', ...over };
}

export function compliant(accountId: string, name = `acct-${accountId}`): AccountResult {
  return {
    accountId,
    name,
    state: 'ACTIVE',
    status: 'COMPLIANT',
    contacts: { BILLING: contact('Billing'), OPERATIONS: contact('Ops'), SECURITY: contact('Security') },
    findings: [],
  };
}

export function missingSecurity(accountId: string, name = `acct-${accountId}`): AccountResult {
  return {
    accountId,
    name,
    state: 'ACTIVE',
    status: 'NON_COMPLIANT',
    contacts: { BILLING: contact('Billing'), OPERATIONS: contact('Ops'), SECURITY: null },
    findings: [{ contactType: 'SECURITY', code: 'MISSING_CONTACT', message: 'The SECURITY contact is not set.' }],
  };
}

export function unknownSecurity(accountId: string, name = `acct-${accountId}`): AccountResult {
  return {
    accountId,
    name,
    state: 'ACTIVE',
    status: 'UNKNOWN',
    contacts: { BILLING: contact('Billing'), OPERATIONS: contact('Ops') },
    findings: [
      { contactType: 'SECURITY', code: 'CHECK_FAILED', message: 'Could not read the SECURITY contact.', errorCode: 'AccessDeniedException' },
    ],
  };
}

export function skipped(accountId: string, name = `acct-${accountId}`): AccountResult {
  return { accountId, name, state: 'SUSPENDED', status: 'SKIPPED', contacts: {}, findings: [] };
}

export function withFindings(account: AccountResult, findings: Finding[], status = account.status): AccountResult {
  return { ...account, status, findings };
}

export function report(accounts: AccountResult[], runId = RUN_ID, startedAt = '2026-11-22T06:00:00.000Z'): Report {
  return buildReport(
    {
      runId,
      startedAt,
      finishedAt: '2026-11-22T06:02:30.000Z',
      organizationId: 'o-abc123defg',
      managementAccountId: '111111111111',
      callerAccountId: '222222222222',
      policy: POLICY,
    },
    accounts,
  );
}

/** RFC 4180 parser for assertions: rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"' && cell === '') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += ch; i++;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

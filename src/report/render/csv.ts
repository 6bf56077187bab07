/**
 * The report as CSV (RFC 4180, CRLF line ends, a header row): one row per account and contact
 * type, so every account appears, a SKIPPED one with empty contact cells. Every cell is
 * neutralised against spreadsheet formula injection.
 */
import type { ContactType, Report } from '../../model.ts';
import { findingText, subjectsFor } from './common.ts';

export const CSV_COLUMNS = [
  'accountId',
  'accountName',
  'state',
  'status',
  'contactType',
  'name',
  'title',
  'emailAddress',
  'phoneNumber',
  'findingCodes',
  'messages',
] as const;

/**
 * A cell a spreadsheet will not run as a formula: one that starts with `= + - @`, TAB or CR,
 * also after leading white space, gets a leading `'` (OWASP CSV injection advice). A phone
 * number such as `+1 206 555 0100` is shown as `'+1 206 555 0100`.
 */
export function neutralizeCell(value: string): string {
  return /^\s*[=+\-@]/.test(value) || /^[\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: cells holding `,` `"` CR or LF are quoted with inner quotes doubled. */
export function quoteCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function line(cells: readonly string[]): string {
  return `${cells.map((c) => quoteCell(neutralizeCell(c))).join(',')}\r\n`;
}

export function renderCsv(report: Report): string {
  let out = line(CSV_COLUMNS);
  for (const account of report.accounts) {
    const types: string[] = subjectsFor(report, account);
    // An account with no contact type to show still gets a row: every account appears (§5).
    for (const type of types.length > 0 ? types : ['']) {
      // PRIMARY: full name, company name as title, phone; ROOT_EMAIL: the address (issue 11).
      const primary = type === 'PRIMARY' && account.primaryContact ? account.primaryContact : undefined;
      const contact =
        type === 'ROOT_EMAIL'
          ? { name: '', title: '', emailAddress: account.rootEmail ?? '', phoneNumber: '' }
          : primary
            ? { name: primary.fullName, title: primary.companyName ?? '', emailAddress: '', phoneNumber: primary.phoneNumber }
            : (account.contacts[type as ContactType] ?? undefined);
      const findings = account.findings.filter((f) => f.contactType === type);
      out += line([
        account.accountId,
        account.name,
        account.state,
        account.status,
        type,
        contact?.name ?? '',
        contact?.title ?? '',
        contact?.emailAddress ?? '',
        contact?.phoneNumber ?? '',
        findings.map((f) => f.code).join(';'),
        findings.map(findingText).join('; '),
      ]);
    }
  }
  return out;
}

/**
 * The report as CSV (RFC 4180, CRLF line ends, a header row): one row per account and contact
 * type, so every account appears, a SKIPPED one with empty contact cells. Every cell is
 * neutralised against spreadsheet formula injection.
 */
import type { ContactType, Report } from '../../model.ts';
import { oneLine } from '../../text.ts';
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
 * Characters a spreadsheet may split a CSV line on: Excel uses the locale's list separator (`,`,
 * or `;` in much of Europe), LibreOffice offers `,` `;` `|` tab and space, and both honour quotes.
 */
const SEPARATOR = '[,;|\\t ]';
/** A formula starter at the start of the cell or of any fragment a separator may cut it into. */
// The gap may hold any white space (NBSP too) and quotes, which some spreadsheets drop before they look.
const FORMULA_STARTER = new RegExp(`(^|${SEPARATOR})([\\s,;|"]*)([=+\\-@])`, 'g');

/**
 * A cell a spreadsheet will not run as a formula, however it splits the line: every `= + - @` that
 * starts the cell or follows a separator (after any separators or spaces) gets a `'` before it
 * (OWASP CSV injection advice), so `Ops;=cmd|' /C calc'!A0` becomes `Ops;'=cmd|' /C calc'!A0` and a
 * phone number `+1 206 555 0100` reads `'+1 206 555 0100`. The text is first made one line without
 * escape sequences or control characters ({@link oneLine}): a CSV cell carries no C0/C1 control
 * characters, ESC included, and tabs and line breaks become spaces.
 */
export function neutralizeCell(value: string): string {
  return oneLine(value).replace(FORMULA_STARTER, (_m, before: string, gap: string, starter: string) => `${before}${gap}'${starter}`);
}

/**
 * RFC 4180 quoting: cells holding `"` are quoted with inner quotes doubled, and so is every cell
 * holding a separator a spreadsheet may split on (`,` `;` `|` tab space), so it stays one cell.
 */
export function quoteCell(value: string): string {
  return /[",;|\t\r\n ]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
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

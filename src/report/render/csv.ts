/**
 * The report as CSV (RFC 4180, CRLF line ends, a header row): one row per account and contact
 * type, so every account appears, a SKIPPED one with empty contact cells. Every cell is
 * neutralised against spreadsheet formula injection. Each row also carries what an auditor files
 * it under: the run, its date, the organization, the OU path, the check's severity, any exemption,
 * the controls the check evidences (src/report/controls.ts) and which of them its findings fail,
 * and the product version and policy hash that produced it.
 */
import type { Finding, FindingCode, Report } from '../../model.ts';
import { controlsFor, controlsOfSubject } from '../controls.ts';
import { matchesFilter, type AccountFilter } from '../view.ts';
import { oneLine } from '../../textHygiene.ts';
import { checkSeverity, contactOf, findingText, notesOf, noteText, subjectsFor } from './common.ts';

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
  // After the original columns, so a reader that takes columns by position still finds them.
  'severity',
  'exemptionReason',
  'exemptionExpires',
  'controls',
  'failedControls',
  'ouPath',
  'organizationId',
  'runId',
  'runDate',
  'productVersion',
  'policyHash',
  // With an evidence store (docs/continuous.md): when and by what the account's contacts were read; empty without one.
  'evidenceReadAt',
  'evidenceSource',
  'evidenceAgeDays',
  'evidenceStale',
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
function neutralizeCell(value: string): string {
  return oneLine(value).replace(FORMULA_STARTER, (_m, before: string, gap: string, starter: string) => `${before}${gap}'${starter}`);
}

/**
 * RFC 4180 quoting: cells holding `"` are quoted with inner quotes doubled, and so is every cell
 * holding a separator a spreadsheet may split on (`,` `;` `|` tab space), so it stays one cell.
 */
function quoteCell(value: string): string {
  return /[",;|\t\r\n ]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A cell of digits only, marked as text with a leading `'`: nothing in this CSV is a quantity, and a
 * spreadsheet reads such a cell as a number, dropping the leading zero of account `012345678901`,
 * showing 12 digits in scientific notation and rounding a 16-digit Alibaba Cloud ID past 15 digits.
 * Gnumeric takes the `'` as "text" and hides it (test/report/csv.spreadsheet.test.ts opens the file
 * with its ssconvert), the convention the formula marks of {@link neutralizeCell} already follow.
 */
function keepAsText(cell: string): string {
  return /^\d+$/.test(cell) ? `'${cell}` : cell;
}

function line(cells: readonly string[]): string {
  return `${cells.map((c) => quoteCell(keepAsText(neutralizeCell(c)))).join(',')}\r\n`;
}

/** Distinct values in first-seen order, joined with "; ". */
const distinct = (values: readonly string[]): string => [...new Set(values)].join('; ');

/** The controls the open (not exempted) findings of one check fail, as their Security Hub references. */
function failedControls(subject: string, findings: readonly Finding[]): string {
  return distinct(findings.filter((f) => f.exemption === undefined).flatMap((f) => controlsFor(f.code as FindingCode, subject).map((c) => c.ref)));
}

/** The UTC day a run started, `YYYY-MM-DD` (the day of its `runs/YYYY/MM/DD/` folder); empty when the time is not one. */
function runDate(startedAt: string): string {
  const t = new Date(startedAt);
  return Number.isNaN(t.getTime()) ? '' : t.toISOString().slice(0, 10);
}

/** The CSV; with `opts.filter`, only the rows of the accounts it keeps. */
export function renderCsv(report: Report, opts: { filter?: AccountFilter } = {}): string {
  let out = line(CSV_COLUMNS);
  const date = runDate(report.startedAt);
  for (const account of report.accounts.filter((a) => matchesFilter(a, opts.filter))) {
    const types: string[] = subjectsFor(report, account);
    // An account with no contact type to show still gets a row: every account appears (§5).
    for (const type of types.length > 0 ? types : ['']) {
      // PRIMARY: full name, company name as title, phone; ROOT_EMAIL: the address.
      const primary = type === 'PRIMARY' && account.primaryContact ? account.primaryContact : undefined;
      const contact =
        type === 'ROOT_EMAIL'
          ? { name: '', title: '', emailAddress: account.rootEmail ?? '', phoneNumber: '' }
          : primary
            ? { name: primary.fullName, title: primary.companyName ?? '', emailAddress: '', phoneNumber: primary.phoneNumber }
            : (contactOf(account, type) ?? undefined);
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
        // Notes go after the findings' text, marked "note": they are not in the codes column.
        [...findings.map(findingText), ...notesOf(account, type).map(noteText)].join('; '),
        type === '' ? '' : checkSeverity(type, findings),
        distinct(findings.flatMap((f) => (f.exemption ? [f.exemption.reason] : []))),
        distinct(findings.flatMap((f) => (f.exemption ? [f.exemption.expires] : []))),
        type === '' ? '' : distinct(controlsOfSubject(type).map((c) => c.ref)),
        failedControls(type, findings),
        account.ou?.path ?? '',
        report.organizationId,
        report.runId,
        date,
        report.productVersion ?? '',
        report.policyHash ?? '',
        account.evidence?.readAt ?? '',
        account.evidence?.source ?? '',
        account.evidence ? String(account.evidence.ageDays) : '',
        account.evidence?.stale ? 'true' : '',
      ]);
    }
  }
  return out;
}

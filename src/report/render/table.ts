/**
 * The report as a terminal table: fixed-width columns (account id, name, status, finding codes)
 * and a summary line. Report text is stripped of escape sequences and control characters first,
 * so a hostile account or contact name cannot move the cursor or recolour the terminal.
 */
import type { AccountStatus, Finding, Report } from '../../model.ts';
import { oneLine } from '../../textHygiene.ts';
import { OU_SUMMARY_STATUSES, describeFilter, hasOus, matchesFilter, ouSummary, type AccountFilter, type ReportChanges } from '../view.ts';
import { changedFindings, provenanceLine, summaryLine } from './common.ts';

const NAME_WIDTH = 28;
const STATUS_WIDTH = 13; // 'NON_COMPLIANT'
const ID_WIDTH = 12;

const COLOR: Record<AccountStatus, string> = {
  NON_COMPLIANT: '\u001B[31m', // red
  UNKNOWN: '\u001B[33m', // yellow
  EXEMPT: '\u001B[36m', // cyan
  COMPLIANT: '\u001B[32m', // green
  SKIPPED: '\u001B[90m', // grey
};
const RESET = '\u001B[0m';

/** Terminal columns a code point takes: 0 for combining marks, 2 for wide East Asian and emoji. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (/\p{Mn}|\p{Me}|\u200B|\u200C|\u200D|\uFE0F/u.test(ch)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display-safe text cut to `width` columns (with `…`) and padded to exactly `width`. */
function fit(text: string, width: number): string {
  const chars = Array.from(text);
  let used = 0;
  let out = '';
  const total = chars.reduce((n, c) => n + charWidth(c), 0);
  const limit = total > width ? width - 1 : width;
  for (const ch of chars) {
    const w = charWidth(ch);
    if (used + w > limit) break;
    out += ch;
    used += w;
  }
  if (total > width) {
    out += '…';
    used += 1;
  }
  return out + ' '.repeat(Math.max(0, width - used));
}

/** Text from the report, stripped of escape sequences and controls. */
function terminalSafe(text: string): string {
  return oneLine(text);
}

const OU_WIDTH = 40;

/** The per-OU summary: one line per OU, a column per status (the HTML's "By organizational unit"). */
function ouSummaryLines(report: Report): string[] {
  // Each count as wide as its status name.
  const counts = (value: (st: AccountStatus) => string) => OU_SUMMARY_STATUSES.map((st) => value(st).padStart(st.length)).join('  ');
  const head = `${fit('ORGANIZATIONAL UNIT', OU_WIDTH)}  ${'ACCOUNTS'.padStart(8)}  ${counts((st) => st)}`;
  return [
    head,
    '-'.repeat(head.length),
    ...ouSummary(report.accounts).map(
      (r) => `${fit(terminalSafe(r.ou.path), OU_WIDTH)}  ${String(r.accounts).padStart(8)}  ${counts((st) => String(r.byStatus[st]))}`,
    ),
    '',
  ];
}

/** "Changed since run …: N opened, M resolved", then one line per account. */
function changesLines(changes: ReportChanges): string[] {
  const line = (mark: string, accountId: string, name: string, findings: readonly Finding[]) =>
    terminalSafe(`  ${mark} ${accountId} ${name}: ${changedFindings(findings)}`);
  return [
    terminalSafe(`Changed since run ${changes.since.runId}: ${changes.opened.length} opened, ${changes.resolved.length} resolved`),
    ...changes.opened.map((o) => line('opened  ', o.account.accountId, o.account.name, o.newFindings)),
    ...changes.resolved.map((r) => line('resolved', r.accountId, r.name, r.resolved)),
    '',
  ];
}

/**
 * The table: the accounts (only those `opts.filter` keeps, with a line saying how many of all), the
 * per-OU summary when the report knows OUs, what changed since the last run when given, the summary
 * line counting every account.
 */
export function renderTable(report: Report, opts: { color?: boolean; filter?: AccountFilter; changes?: ReportChanges } = {}): string {
  const accounts = report.accounts.filter((a) => matchesFilter(a, opts.filter));
  // Alibaba Cloud account IDs have 16 digits: the column grows rather than cut them.
  const idWidth = accounts.reduce((width, a) => Math.max(width, Math.min(32, a.accountId.length)), ID_WIDTH);
  const header = `${fit('ACCOUNT', idWidth)}  ${fit('NAME', NAME_WIDTH)}  ${fit('STATUS', STATUS_WIDTH)}  FINDINGS`;
  const lines = [header, '-'.repeat(header.length + 12)];
  for (const account of accounts) {
    const status = fit(terminalSafe(account.status), STATUS_WIDTH);
    const colored = opts.color && COLOR[account.status] ? `${COLOR[account.status]}${status}${RESET}` : status;
    const findings = [
      ...account.findings.map((f) => `${f.contactType}:${f.code}${f.exemption ? '(exempt)' : ''}`),
      ...(account.notes ?? []).map((n) => `${n.contactType}:${n.code}(note)`),
    ]
      .map(terminalSafe)
      .join(', ');
    lines.push(
      `${fit(terminalSafe(account.accountId), idWidth)}  ${fit(terminalSafe(account.name), NAME_WIDTH)}  ${colored}  ${findings}`.trimEnd(),
    );
  }
  lines.push('');
  if (opts.filter) lines.push(terminalSafe(`Showing ${accounts.length} of ${report.accounts.length} accounts (${describeFilter(opts.filter)}).`), '');
  if (hasOus(report.accounts)) lines.push(...ouSummaryLines(report));
  if (opts.changes) lines.push(...changesLines(opts.changes));
  const provenance = provenanceLine(report);
  lines.push(terminalSafe(summaryLine(report)), ...(provenance ? [terminalSafe(provenance)] : []), '');
  return lines.join('\n');
}

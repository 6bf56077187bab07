/**
 * The report as a terminal table: fixed-width columns (account id, name, status, finding codes)
 * and a summary line. Report text is stripped of escape sequences and control characters first,
 * so a hostile account or contact name cannot move the cursor or recolour the terminal.
 */
import type { AccountStatus, Report } from '../../model.ts';
import { oneLine } from '../../text.ts';
import { summaryLine } from './common.ts';

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
export function fit(text: string, width: number): string {
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
export function terminalSafe(text: string): string {
  return oneLine(text);
}

export function renderTable(report: Report, opts: { color?: boolean } = {}): string {
  // Alibaba Cloud account IDs have 16 digits: the column grows rather than cut them.
  const idWidth = report.accounts.reduce((width, a) => Math.max(width, Math.min(32, a.accountId.length)), ID_WIDTH);
  const header = `${fit('ACCOUNT', idWidth)}  ${fit('NAME', NAME_WIDTH)}  ${fit('STATUS', STATUS_WIDTH)}  FINDINGS`;
  const lines = [header, '-'.repeat(header.length + 12)];
  for (const account of report.accounts) {
    const status = fit(terminalSafe(account.status), STATUS_WIDTH);
    const colored = opts.color && COLOR[account.status] ? `${COLOR[account.status]}${status}${RESET}` : status;
    const findings = account.findings
      .map((f) => `${f.contactType}:${f.code}${f.exemption ? '(exempt)' : ''}`)
      .map(terminalSafe)
      .join(', ');
    lines.push(
      `${fit(terminalSafe(account.accountId), idWidth)}  ${fit(terminalSafe(account.name), NAME_WIDTH)}  ${colored}  ${findings}`.trimEnd(),
    );
  }
  lines.push('', terminalSafe(summaryLine(report)), '');
  return lines.join('\n');
}

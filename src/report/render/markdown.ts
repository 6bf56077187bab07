/**
 * The report as GitHub-flavoured Markdown (§5): title, run metadata, summary table, then the
 * accounts that need attention with their contacts and findings, then the rest in one table.
 * All report text is escaped so a contact cannot inject markup, links or break a table.
 */
import type { AccountResult, Contact, Report } from '../../model.ts';
import { oneLine } from '../../text.ts';
import { byAttention, contactTypesFor, exemptionNote, findingText, needsAttention, SUMMARY_ROWS } from './common.ts';

/** U+2060 WORD JOINER: invisible, and no character of a GFM autolink. */
const JOINER = '\u2060';

/**
 * Inline Markdown text: on one line, with `\` `` ` `` `*` `_` `[` `]` `|` `~` `#` `!` backslash-escaped,
 * `&` `<` `>` as entities (so no raw HTML or entity survives), and nothing GitHub-flavoured
 * Markdown would turn into a link on its own: a word joiner goes into every `scheme://`, every
 * `www.` and before every `@`, so `https://evil.example/sso-login`, `www.evil.example` and
 * `ceo@evil.example` in a contact read the same but are not clickable.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~#!]/g, (ch) => `\\${ch}`)
    .replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'))
    .replace(/:\/\//g, `:${JOINER}//`)
    .replace(/(www)\./gi, `$1${JOINER}.`)
    .replace(/@/g, `${JOINER}@`)
    .replace(/\b(mailto|xmpp):/gi, `$1${JOINER}:`);
}

const e = escapeMarkdown;

function contactCells(contact: Contact | null | undefined): string[] {
  if (contact === undefined) return ['*not read*', '', '', ''];
  if (contact === null) return ['*missing*', '', '', ''];
  return [e(contact.name), e(contact.title), e(contact.emailAddress), e(contact.phoneNumber)];
}

function accountDetail(report: Report, account: AccountResult): string[] {
  const lines = [`### ${e(account.accountId)} — ${e(account.name)} (${e(account.status)})`, ''];
  lines.push(`State: ${e(account.state)}`, '');
  if (account.ou) lines.push(`OU: ${e(account.ou.path)} (${e(account.ou.id)})`, '');
  lines.push('| Contact | Name | Title | E-mail | Phone |', '|---|---|---|---|---|');
  for (const type of contactTypesFor(report, account)) {
    lines.push(`| ${type} | ${contactCells(account.contacts[type]).join(' | ')} |`);
  }
  // Issue 11: the primary contact (company name in the Title column) and the root e-mail, when read.
  if (account.primaryContact !== undefined) {
    const p = account.primaryContact;
    lines.push(`| PRIMARY | ${(p === null ? contactCells(null) : [e(p.fullName), e(p.companyName ?? ''), '', e(p.phoneNumber)]).join(' | ')} |`);
  }
  if (account.rootEmail !== undefined) lines.push(`| ROOT_EMAIL |  |  | ${e(account.rootEmail)} |  |`);
  lines.push('');
  if (account.findings.length > 0) {
    lines.push('Findings:', '');
    for (const f of account.findings) lines.push(`- **${f.contactType}** \`${f.code}\`: ${e(findingText(f))}`);
    lines.push('');
  }
  return lines;
}

function notes(account: AccountResult): string {
  return account.findings
    .map((f) => `${f.contactType} ${f.code}${exemptionNote(f) ? ` (${exemptionNote(f)})` : ''}`)
    .map(e)
    .join('; ');
}

export function renderMarkdown(report: Report): string {
  const accounts = byAttention(report.accounts);
  const attention = accounts.filter(needsAttention);
  const rest = accounts.filter((a) => !needsAttention(a));
  const lines: string[] = [
    '# Alternate contacts compliance report',
    '',
    `- Run: ${e(report.runId)}`,
    `- Started: ${e(report.startedAt)}`,
    `- Finished: ${e(report.finishedAt)}`,
    `- Organization: ${e(report.organizationId)} (management account ${e(report.managementAccountId)})`,
    `- Checked from account: ${e(report.callerAccountId)}`,
    `- Company domains: ${report.policy.companyDomains.map(e).join(', ')}`,
    `- Required contacts: ${report.policy.requiredContactTypes.join(', ')}`,
    '',
    '## Summary',
    '',
    '| Status | Accounts |',
    '|---|---:|',
    ...SUMMARY_ROWS.map((r) => `| ${r.label} | ${report.summary[r.key]} |`),
    '',
    `## Accounts needing attention (${attention.length})`,
    '',
  ];
  if (attention.length === 0) lines.push('None.', '');
  for (const account of attention) lines.push(...accountDetail(report, account));
  lines.push(`## Other accounts (${rest.length})`, '');
  if (rest.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Account | Name | State | Status | Notes |', '|---|---|---|---|---|');
    for (const a of rest) lines.push(`| ${e(a.accountId)} | ${e(a.name)} | ${e(a.state)} | ${e(a.status)} | ${notes(a)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * The report as GitHub-flavoured Markdown (§5): title, run metadata, summary tables (by status, by
 * OU), what changed since the last run, then the accounts that need attention with their contacts
 * and findings, then the rest in one table.
 * All report text is escaped so a contact cannot inject markup, links or break a table.
 */
import type { AccountResult, Contact, Finding, Report } from '../../model.ts';
import { oneLine } from '../../textHygiene.ts';
import { OU_SUMMARY_STATUSES, describeFilter, hasOus, matchesFilter, ouSummary, type AccountFilter, type ReportChanges } from '../view.ts';
import { byAttention, changedFindings, contactOf, contactTypesFor, evidenceSummaryText, evidenceText, exemptionNote, findingText, needsAttention, notesOf, provenanceLine, SUMMARY_ROWS } from './common.ts';

/**
 * What GitHub-flavoured Markdown turns into a link on its own (extended autolinks: `www.`, a
 * `scheme://`, an e-mail address; `mailto:` and `xmpp:` need an `@` too). Such text is never left
 * as plain Markdown.
 */
const LINKABLE = /@|:\/\/|www\./i;

/**
 * A code span holding `text` exactly: the fence is one backtick longer than the longest run of
 * backticks inside, with a space inside each fence when the text starts or ends with a backtick
 * (CommonMark 0.31, "Code spans": one such space is stripped on each side).
 */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Plain inline text: Markdown punctuation backslash-escaped, `& < >` as entities (no raw HTML or entity survives). */
function escapePlain(text: string): string {
  return text.replace(/[\\`*_[\]|~#!]/g, (ch) => `\\${ch}`).replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

/**
 * Inline Markdown text, on one line, that reads as it is and links nowhere. Each word (a run
 * without white space or `|`) that GFM could autolink, `ceo@evil.example`, `https://evil.example/sso`,
 * `www.evil.example`, goes into a code span: code spans are never links (GFM spec, "Autolinks
 * (extension)" applies to text outside them), yet the address stays in the file byte for byte, so it
 * can be copied, and `grep billing@example.com report.md` finds it. Every other word is escaped
 * ({@link escapePlain}). `|` stays outside code spans, escaped, because a GFM table splits its cells
 * on every unescaped `|`, in code spans too.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .split(/(\s+|\|)/)
    .map((piece) => (piece === '|' ? '\\|' : piece === '' || /^\s+$/.test(piece) ? piece : LINKABLE.test(piece) ? codeSpan(piece) : escapePlain(piece)))
    .join('');
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
  if (account.evidence) lines.push(`Evidence: ${e(evidenceText(account.evidence))}`, '');
  lines.push('| Contact | Name | Title | E-mail | Phone |', '|---|---|---|---|---|');
  for (const type of contactTypesFor(report, account)) {
    lines.push(`| ${type} | ${contactCells(contactOf(account, type)).join(' | ')} |`);
  }
  // The primary contact (company name in the Title column) and the root e-mail, when read.
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
  const notes = notesOf(account);
  if (notes.length > 0) {
    lines.push('Notes (not findings):', '');
    for (const n of notes) lines.push(`- **${n.contactType}** \`${n.code}\`: ${e(n.message)}`);
    lines.push('');
  }
  return lines;
}

function notes(account: AccountResult): string {
  return [
    ...account.findings.map((f) => `${f.contactType} ${f.code}${exemptionNote(f) ? ` (${exemptionNote(f)})` : ''}`),
    ...notesOf(account).map((n) => `${n.contactType} note ${n.code}`),
    ...(account.evidence ? [`evidence ${evidenceText(account.evidence)}`] : []),
  ]
    .map(e)
    .join('; ');
}

function ouSummaryLines(report: Report): string[] {
  const head = OU_SUMMARY_STATUSES.map((st) => SUMMARY_ROWS.find((r) => r.status === st)?.label ?? st);
  return [
    '## By organizational unit',
    '',
    `| Organizational unit | Accounts | ${head.join(' | ')} |`,
    `|---|---:|${head.map(() => '---:').join('|')}|`,
    ...ouSummary(report.accounts).map((r) => `| ${e(r.ou.path)} | ${r.accounts} | ${OU_SUMMARY_STATUSES.map((st) => r.byStatus[st]).join(' | ')} |`),
    '',
  ];
}

function changesLines(changes: ReportChanges): string[] {
  const item = (accountId: string, name: string, findings: readonly Finding[]) => `- ${e(accountId)} — ${e(name)}: ${e(changedFindings(findings))}`;
  return [
    '## Changed since the last run',
    '',
    `Compared with run ${e(changes.since.runId)} (started ${e(changes.since.startedAt)}).`,
    '',
    `### Opened (${changes.opened.length})`,
    '',
    ...(changes.opened.length === 0 ? ['None.'] : changes.opened.map((o) => item(o.account.accountId, o.account.name, o.newFindings))),
    '',
    `### Resolved (${changes.resolved.length})`,
    '',
    ...(changes.resolved.length === 0 ? ['None.'] : changes.resolved.map((r) => item(r.accountId, r.name, r.resolved))),
    '',
  ];
}

/**
 * The report as Markdown. The summaries count every account; `opts.filter` narrows the account
 * lists only, and the page says so. With `opts.changes`, a "changed since the last run" section.
 */
export function renderMarkdown(report: Report, opts: { filter?: AccountFilter; changes?: ReportChanges } = {}): string {
  const accounts = byAttention(report.accounts).filter((a) => matchesFilter(a, opts.filter));
  const attention = accounts.filter(needsAttention);
  const rest = accounts.filter((a) => !needsAttention(a));
  const provenance = provenanceLine(report);
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
    ...(provenance ? [`- Produced by: ${e(provenance)}`] : []),
    ...(report.evidence ? [`- Evidence: ${e(evidenceSummaryText(report.evidence))}`] : []),
    '',
    '## Summary',
    '',
    '| Status | Accounts |',
    '|---|---:|',
    ...SUMMARY_ROWS.map((r) => `| ${r.label} | ${report.summary[r.key]} |`),
    '',
    ...(opts.filter ? [`Showing ${accounts.length} of ${report.accounts.length} accounts (${e(describeFilter(opts.filter))}).`, ''] : []),
    ...(hasOus(report.accounts) ? ouSummaryLines(report) : []),
    ...(opts.changes ? changesLines(opts.changes) : []),
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

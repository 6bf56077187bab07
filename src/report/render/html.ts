/**
 * The report as one self-contained HTML page (§5): inline CSS, no scripts, no external resources,
 * a Content-Security-Policy that forbids loading anything. Summary first, then the accounts that
 * need attention, then EXEMPT, COMPLIANT and SKIPPED. Every piece of report text is escaped.
 */
import type { AccountResult, AccountStatus, Contact, Report } from '../../model.ts';
import { oneLine } from '../text.ts';
import { ATTENTION_ORDER, byAttention, contactTypesFor, findingText, SUMMARY_ROWS } from './common.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and quoted attributes: one line, `& < > " '` as entities. */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

const h = escapeHtml;

const STATUS_CLASS: Record<AccountStatus, string> = {
  NON_COMPLIANT: 'noncompliant',
  UNKNOWN: 'unknown',
  EXEMPT: 'exempt',
  COMPLIANT: 'compliant',
  SKIPPED: 'skipped',
};

const GROUP_TITLE: Record<AccountStatus, string> = {
  NON_COMPLIANT: 'Non-compliant accounts',
  UNKNOWN: 'Accounts that could not be fully checked',
  EXEMPT: 'Exempt accounts',
  COMPLIANT: 'Compliant accounts',
  SKIPPED: 'Skipped accounts (not active)',
};

// Colour is never the only signal: every badge also carries the status text (and a symbol).
const STATUS_SYMBOL: Record<AccountStatus, string> = {
  NON_COMPLIANT: '✗',
  UNKNOWN: '?',
  EXEMPT: '~',
  COMPLIANT: '✓',
  SKIPPED: '–',
};

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem;color:#1b1f24;background:#fff;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem;margin:0 0 .5rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.account{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.status{display:inline-block;padding:0 .4rem;border-radius:4px;font-weight:600;font-size:.85rem;border:1px solid}
.noncompliant{color:#82071e;background:#ffebe9;border-color:#cf222e}.unknown{color:#7d4e00;background:#fff8c5;border-color:#bf8700}
.exempt{color:#0a3069;background:#ddf4ff;border-color:#0969da}.compliant{color:#116329;background:#dafbe1;border-color:#1a7f37}
.skipped{color:#57606a;background:#f6f8fa;border-color:#8c959f}.muted{color:#57606a}.num{text-align:right}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
`.trim();

function badge(status: AccountStatus): string {
  const cls = STATUS_CLASS[status] ?? 'unknown';
  return `<span class="status ${cls}">${h(STATUS_SYMBOL[status] ?? '')} ${h(status)}</span>`;
}

function contactRow(type: string, contact: Contact | null | undefined): string {
  if (contact === undefined) return `<tr><th scope="row">${h(type)}</th><td colspan="4" class="muted">not read</td></tr>`;
  if (contact === null) return `<tr><th scope="row">${h(type)}</th><td colspan="4" class="muted">missing</td></tr>`;
  return `<tr><th scope="row">${h(type)}</th><td>${h(contact.name)}</td><td>${h(contact.title)}</td><td>${h(contact.emailAddress)}</td><td>${h(contact.phoneNumber)}</td></tr>`;
}

function accountSection(report: Report, account: AccountResult): string {
  const parts = [
    `<section class="account"><h3>${h(account.accountId)} — ${h(account.name)} ${badge(account.status)}</h3>`,
    `<p class="muted">State: ${h(account.state)}</p>`,
  ];
  const types = contactTypesFor(report, account);
  if (account.status !== 'SKIPPED' || Object.keys(account.contacts).length > 0) {
    parts.push(
      '<table><thead><tr><th scope="col">Contact</th><th scope="col">Name</th><th scope="col">Title</th><th scope="col">E-mail</th><th scope="col">Phone</th></tr></thead><tbody>',
      ...types.map((t) => contactRow(t, account.contacts[t])),
      '</tbody></table>',
    );
  }
  if (account.findings.length > 0) {
    parts.push(
      '<ul>',
      ...account.findings.map((f) => `<li><strong>${h(f.contactType)}</strong> <code>${h(f.code)}</code>: ${h(findingText(f))}</li>`),
      '</ul>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

export function renderHtml(report: Report): string {
  const accounts = byAttention(report.accounts);
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Alternate contacts report ${h(report.runId)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>Alternate contacts compliance report</h1>',
    '<table><thead><tr><th scope="col">Status</th><th scope="col">Accounts</th></tr></thead><tbody>',
    ...SUMMARY_ROWS.map(
      (r) => `<tr><td>${r.status ? badge(r.status) : `<strong>${h(r.label)}</strong>`}</td><td class="num">${report.summary[r.key]}</td></tr>`,
    ),
    '</tbody></table>',
    '<dl>',
    `<dt>Run</dt><dd><code>${h(report.runId)}</code></dd>`,
    `<dt>Started</dt><dd>${h(report.startedAt)}</dd>`,
    `<dt>Finished</dt><dd>${h(report.finishedAt)}</dd>`,
    `<dt>Organization</dt><dd>${h(report.organizationId)} (management account ${h(report.managementAccountId)})</dd>`,
    `<dt>Checked from account</dt><dd>${h(report.callerAccountId)}</dd>`,
    `<dt>Company domains</dt><dd>${report.policy.companyDomains.map(h).join(', ')}</dd>`,
    `<dt>Required contacts</dt><dd>${report.policy.requiredContactTypes.map(h).join(', ')}</dd>`,
    '</dl>',
  ];
  for (const status of ATTENTION_ORDER) {
    const group = accounts.filter((a) => a.status === status);
    if (group.length === 0) continue;
    out.push(`<h2>${h(GROUP_TITLE[status])} (${group.length})</h2>`);
    for (const account of group) out.push(accountSection(report, account));
  }
  const other = accounts.filter((a) => !ATTENTION_ORDER.includes(a.status));
  if (other.length > 0) {
    out.push(`<h2>Other accounts (${other.length})</h2>`);
    for (const account of other) out.push(accountSection(report, account));
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

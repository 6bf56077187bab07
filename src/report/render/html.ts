/**
 * The report as one self-contained HTML page (§5) that stays usable at 10,000 accounts:
 *
 * 1. the run, then summaries by status, by finding code and by organizational unit;
 * 2. the accounts that need attention (NON_COMPLIANT, UNKNOWN) in one compact table, grouped by OU,
 *    each with its findings and, folded, its contacts;
 * 3. EXEMPT, COMPLIANT and SKIPPED accounts folded in `<details>`, one short row each.
 *
 * A small inline script adds search and filters (status, finding code, OU) that work offline; the
 * Content-Security-Policy allows that one script by its hash and nothing else (no network, no other
 * script, no plugin). Without the script, the page reads the same, filters hidden. Every piece of
 * report text is escaped; nothing from the report ever lands inside the script.
 */
import { createHash } from 'node:crypto';
import { CONTACT_TYPES } from '../../model.ts';
import type { AccountResult, AccountStatus, Contact, FindingSubject, Report } from '../../model.ts';
import { oneLine } from '../../textHygiene.ts';
import { OU_SUMMARY_STATUSES, groupByOu, ouSummary, type ReportChanges } from '../view.ts';
import { ATTENTION_ORDER, byAttention, changedFindings, contactOf, contactTypesFor, evidenceSummaryText, evidenceText, findingText, needsAttention, notesOf, noteText, provenanceLine, SUMMARY_ROWS } from './common.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and quoted attributes: one line, `& < > " '` as entities. */
function escapeHtml(text: string): string {
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

// Printed (to paper or PDF) the page keeps every account and contact value: every fold opens
// (`::details-content`, and the script's beforeprint for browsers without it) and the filters go. An
// account needing attention prints as a block (id, name and status, then its findings, then its
// contacts across the page) and the other tables get fixed column widths, so a long address wraps
// inside its cell instead of running off the page.
const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:1.5rem 2rem;color:#1b1f24;background:#fff;line-height:1.4}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin-top:1.75rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem;margin:1rem 0 .25rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.25rem 0}dt{font-weight:600}dd{margin:0}
.sums{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}.sums>div{min-width:14rem}
.status{display:inline-block;padding:0 .4rem;border-radius:4px;font-weight:600;font-size:.85rem;border:1px solid;white-space:nowrap}
.noncompliant{color:#82071e;background:#ffebe9;border-color:#cf222e}.unknown{color:#7d4e00;background:#fff8c5;border-color:#bf8700}
.exempt{color:#0a3069;background:#ddf4ff;border-color:#0969da}.compliant{color:#116329;background:#dafbe1;border-color:#1a7f37}
.skipped{color:#57606a;background:#f6f8fa;border-color:#8c959f}.muted{color:#57606a}.num{text-align:right}
.accts{width:100%}.accts ul{margin:0;padding-left:1rem}.accts td:nth-child(-n+2){white-space:nowrap}
tr.ou th{background:#eaeef2;font-weight:600}details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
td details{margin:0}td summary{font-weight:400;color:#0969da}.ct td,.ct th{font-size:.9rem}
#filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d0d7de;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
#filters[hidden]{display:none}#filters input{min-width:16rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
@media print{html{font-size:9pt}#filters{display:none}body{margin:0}
details::details-content{content-visibility:visible;display:contents}details>summary{list-style:none}td summary{display:none}
dd{overflow-wrap:anywhere}.oth,.ct{table-layout:fixed;width:100%}.oth td,.ct td{overflow-wrap:break-word}.oth td:nth-child(2){white-space:normal}
.att,.att>tbody,.att>tbody>tr,.att>tbody>tr>td,.att>tbody>tr>th{display:block;border:0}.att>thead{display:none}
.att>tbody>tr[data-s]{border:1px solid #d0d7de;margin:.3rem 0;break-inside:avoid}.att>tbody>tr>td:nth-child(-n+3){display:inline-block;padding-right:1rem}
.oth>thead>tr>th:first-child{width:8.5em}.oth>thead>tr>th:nth-child(2){width:18%}.oth>thead>tr>th:nth-child(3){width:20%}
.ct tr:first-child>th:first-child{width:7.5em}.ct tr:first-child>th:nth-child(2){width:20%}.ct tr:first-child>th:nth-child(3){width:15%}.ct tr:first-child>th:nth-child(4){width:30%}tr{break-inside:avoid}}
`.trim();

/**
 * Search and filters. Reads only the DOM (`data-*` attributes the renderer wrote, escaped) and the
 * URL fragment (`#q=…&status=…&code=…&ou=…`, so a filtered view can be linked and tested); writes
 * only `hidden`, `open` and text. Rows: `tr[data-s]` (status), `data-c` (codes); their `tbody[data-o]` (OU id).
 */
const SCRIPT = `(function(){
var f=document.getElementById('filters');if(!f)return;f.hidden=false;
var q=document.getElementById('q'),s=document.getElementById('fs'),c=document.getElementById('fc'),o=document.getElementById('fo'),n=document.getElementById('shown');
var rows=[].slice.call(document.querySelectorAll('tr[data-s]'));
var p=new URLSearchParams(location.hash.slice(1));
if(p.get('q'))q.value=p.get('q');if(p.get('status'))s.value=p.get('status');if(p.get('code'))c.value=p.get('code');if(p.get('ou'))o.value=p.get('ou');
function run(){
var t=q.value.trim().toLowerCase(),sv=s.value,cv=c.value,ov=o.value,shown=0,active=!!(t||sv||cv||ov);
rows.forEach(function(r){var ok=(!sv||r.getAttribute('data-s')===sv)&&(!cv||(' '+(r.getAttribute('data-c')||'')+' ').indexOf(' '+cv+' ')>=0)&&(!ov||r.parentNode.getAttribute('data-o')===ov)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);r.hidden=!ok;if(ok)shown++;});
[].forEach.call(document.querySelectorAll('tbody'),function(b){var h=b.querySelector('tr.ou');if(!h)return;h.hidden=!b.querySelector('tr[data-s]:not([hidden])');});
[].forEach.call(document.querySelectorAll('table.accts'),function(t){t.hidden=!t.querySelector('tr[data-s]:not([hidden])');});
[].forEach.call(document.querySelectorAll('details.grp'),function(d){var any=d.querySelector('tr[data-s]:not([hidden])');d.hidden=!any;if(active&&any)d.open=true;});
n.textContent=shown+' of '+rows.length+' accounts shown';
var h=new URLSearchParams();if(t)h.set('q',q.value.trim());if(sv)h.set('status',sv);if(cv)h.set('code',cv);if(ov)h.set('ou',ov);
try{history.replaceState(null,'',h.toString()?'#'+h.toString():location.pathname)}catch(e){}
}
[q,s,c,o].forEach(function(e){e.addEventListener('input',run);e.addEventListener('change',run);});
var folded=[];addEventListener('beforeprint',function(){folded=[].filter.call(document.querySelectorAll('details:not([open])'),function(d){d.open=true;return true;});});
addEventListener('afterprint',function(){folded.forEach(function(d){d.open=false;});folded=[];});
run();
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT, 'utf8').digest('base64');

/** The page's Content-Security-Policy: inline styles, the one script by hash, nothing else, no network. */
export const HTML_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

function badge(status: AccountStatus): string {
  const cls = STATUS_CLASS[status] ?? 'unknown';
  return `<span class="status ${cls}">${h(STATUS_SYMBOL[status] ?? '')} ${h(status)}</span>`;
}

function contactTable(report: Report, account: AccountResult): string {
  const row = (type: FindingSubject, c: Contact | null | undefined): string =>
    c === undefined
      ? `<tr><th>${h(type)}</th><td colspan="4" class="muted">not read</td></tr>`
      : c === null
        ? `<tr><th>${h(type)}</th><td colspan="4" class="muted">missing</td></tr>`
        : `<tr><th>${h(type)}</th><td>${h(c.name)}</td><td>${h(c.title)}</td><td>${h(c.emailAddress)}</td><td>${h(c.phoneNumber)}</td></tr>`;
  const types = contactTypesFor(report, account);
  return `<details><summary>contacts</summary><table class="ct"><tr><th>Contact</th><th>Name</th><th>Title</th><th>E-mail</th><th>Phone</th></tr>${types.map((t) => row(t, contactOf(account, t))).join('')}</table></details>`;
}

const codesOf = (a: AccountResult): string => [...new Set(a.findings.map((f) => f.code))].join(' ');

/** One row of the attention table: id, name, status, findings, contacts (folded). */
function attentionRow(report: Report, a: AccountResult): string {
  const findings = [
    ...a.findings.map((f) => `<li><strong>${h(f.contactType)}</strong> <code>${h(f.code)}</code>: ${h(findingText(f))}</li>`),
    ...notesOf(a).map((n) => `<li class="muted"><strong>${h(n.contactType)}</strong> ${h(noteText(n))}</li>`),
  ].join('');
  return (
    `<tr ${rowData(a)}><td><code>${h(a.accountId)}</code></td><td>${h(a.name)}</td>` +
    `<td>${badge(a.status)}</td><td><ul>${findings}${evidenceItem(a)}</ul></td><td>${contactTable(report, a)}</td></tr>`
  );
}

/** The account's evidence age and source as a muted list item; none without an evidence store. */
function evidenceItem(a: AccountResult): string {
  return a.evidence ? `<li class="muted">Evidence ${h(evidenceText(a.evidence))}</li>` : '';
}

/** Row attributes the filters read: status and finding codes (left out when none); the OU id is on the row's tbody. */
function rowData(a: AccountResult): string {
  const codes = codesOf(a);
  return `data-s="${h(a.status)}"${codes ? ` data-c="${h(codes)}"` : ''}`;
}

/**
 * A short row for an account that needs nothing: id, name, notes (state, exemptions), its contacts on one line each.
 * Kept lean on purpose: at 10,000 accounts most of the page is these rows.
 */
function shortRow(report: Report, a: AccountResult): string {
  const notes = [...a.findings.map((f) => `${f.contactType} ${f.code}: ${findingText(f)}`), ...notesOf(a).map((n) => `${n.contactType} ${noteText(n)}`)];
  if (a.state !== 'ACTIVE') notes.unshift(a.state);
  if (a.evidence) notes.push(`evidence ${evidenceText(a.evidence)}`);
  const contacts = contactTypesFor(report, a)
    .map((t) => {
      const c = contactOf(a, t);
      if (c === undefined) return '';
      const text = c === null ? 'missing' : [c.name, c.title, c.emailAddress, c.phoneNumber].filter((x) => x !== '').join(', ');
      return `${t[0]} ${h(text)}`;
    })
    .filter((x) => x !== '')
    .join('<br>');
  return `<tr ${rowData(a)}><td>${h(a.accountId)}</td><td>${h(a.name)}</td><td>${h(notes.join('; '))}</td><td>${contacts}</td></tr>`;
}

function groupedTable(head: string, accounts: readonly AccountResult[], row: (a: AccountResult) => string, columns: number, kind: 'att' | 'oth'): string {
  const out = [`<table class="accts ${kind}"><thead>${head}</thead>`];
  for (const g of groupByOu(accounts)) {
    out.push(`<tbody data-o="${h(g.ou.id)}"><tr class="ou"><th colspan="${columns}">${h(g.ou.path)} (${g.accounts.length})</th></tr>`);
    for (const a of g.accounts) out.push(row(a));
    out.push('</tbody>');
  }
  out.push('</table>');
  return out.join('\n');
}

function codeSummary(report: Report): string {
  const byCode = new Map<string, { accounts: Set<string>; bySubject: Map<string, number>; exempted: number }>();
  const subjects = new Set<string>();
  for (const a of report.accounts) {
    for (const f of a.findings) {
      let e = byCode.get(f.code);
      if (!e) {
        e = { accounts: new Set(), bySubject: new Map(), exempted: 0 };
        byCode.set(f.code, e);
      }
      if (f.exemption) {
        e.exempted++;
        continue;
      }
      e.accounts.add(a.accountId);
      subjects.add(f.contactType);
      e.bySubject.set(f.contactType, (e.bySubject.get(f.contactType) ?? 0) + 1);
    }
  }
  if (byCode.size === 0) return '<p>No findings.</p>';
  // A column per alternate contact type, then per other subject that has findings (PRIMARY, ROOT_EMAIL, another cloud's types).
  const columns = [...CONTACT_TYPES, ...[...subjects].filter((t) => !(CONTACT_TYPES as readonly string[]).includes(t))];
  const rows = [...byCode.entries()].sort((x, y) => y[1].accounts.size - x[1].accounts.size || x[0].localeCompare(y[0]));
  return [
    `<table><thead><tr><th scope="col">Finding code</th><th scope="col">Accounts</th>${columns.map((t) => `<th scope="col">${h(t)}</th>`).join('')}<th scope="col">Exempted</th></tr></thead><tbody>`,
    ...rows.map(
      ([code, e]) =>
        `<tr><td><code>${h(code)}</code></td><td class="num">${e.accounts.size}</td>${columns.map((t) => `<td class="num">${e.bySubject.get(t) ?? 0}</td>`).join('')}<td class="num">${e.exempted}</td></tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
}

function ouSummaryTable(report: Report): string {
  return [
    `<table><thead><tr><th scope="col">Organizational unit</th><th scope="col">Accounts</th>${OU_SUMMARY_STATUSES.map((s) => `<th scope="col">${badge(s)}</th>`).join('')}</tr></thead><tbody>`,
    ...ouSummary(report.accounts).map(
      (r) => `<tr><td>${h(r.ou.path)}</td><td class="num">${r.accounts}</td>${OU_SUMMARY_STATUSES.map((s) => `<td class="num">${r.byStatus[s]}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
}

function filters(report: Report): string {
  const codes = [...new Set(report.accounts.flatMap((a) => a.findings.map((f) => f.code)))].sort();
  const ous = groupByOu(report.accounts).filter((g) => g.ou.id !== '');
  const option = (value: string, label: string) => `<option value="${h(value)}">${h(label)}</option>`;
  return [
    '<div id="filters" hidden>',
    '<label>Search <input id="q" type="search" placeholder="account, name, e-mail, code…"></label>',
    `<label>Status <select id="fs">${option('', 'all')}${ATTENTION_ORDER.map((s) => option(s, s)).join('')}</select></label>`,
    `<label>Finding <select id="fc">${option('', 'all')}${codes.map((c) => option(c, c)).join('')}</select></label>`,
    `<label>OU <select id="fo">${option('', 'all')}${ous.map((g) => option(g.ou.id, g.ou.path)).join('')}</select></label>`,
    '<output id="shown"></output>',
    '</div>',
  ].join('\n');
}

function changesSection(changes: ReportChanges): string {
  const table = (rows: { accountId: string; name: string; findings: string }[], none: string): string =>
    rows.length === 0
      ? `<p>${none}</p>`
      : [
          '<table><thead><tr><th scope="col">Account</th><th scope="col">Name</th><th scope="col">Findings</th></tr></thead><tbody>',
          ...rows.map((r) => `<tr><td><code>${h(r.accountId)}</code></td><td>${h(r.name)}</td><td>${h(r.findings)}</td></tr>`),
          '</tbody></table>',
        ].join('\n');
  return [
    '<h2 id="changes">Changed since the last run</h2>',
    `<p>Compared with run <code>${h(changes.since.runId)}</code> (started ${h(changes.since.startedAt)}).</p>`,
    `<h3>Opened (${changes.opened.length})</h3>`,
    table(changes.opened.map((o) => ({ accountId: o.account.accountId, name: o.account.name, findings: changedFindings(o.newFindings) })), 'No new violation.'),
    `<h3>Resolved (${changes.resolved.length})</h3>`,
    table(changes.resolved.map((r) => ({ accountId: r.accountId, name: r.name, findings: changedFindings(r.resolved) })), 'No violation resolved.'),
  ].join('\n');
}

/** The page; with `opts.changes`, a "changed since the last run" section after the summaries. */
export function renderHtml(report: Report, opts: { changes?: ReportChanges } = {}): string {
  const accounts = byAttention(report.accounts);
  const attention = accounts.filter(needsAttention);
  return [
    ...pageHead(report),
    ...summarySection(report),
    ...(opts.changes ? [changesSection(opts.changes)] : []),
    filters(report),
    `<h2 id="attention">Accounts needing attention (${attention.length})</h2>`,
    attention.length === 0
      ? '<p>None: every account is compliant, exempt or skipped.</p>'
      : groupedTable(
          '<tr><th scope="col">Account</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Findings</th><th scope="col">Contacts</th></tr>',
          attention,
          (a) => attentionRow(report, a),
          5,
          'att',
        ),
    ...otherAccounts(report, accounts.filter((a) => !needsAttention(a))),
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** From the doctype to the run's description list. */
function pageHead(report: Report): string[] {
  const provenance = provenanceLine(report);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Alternate contacts report ${h(report.runId)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>Alternate contacts compliance report</h1>',
    '<dl>',
    `<dt>Run</dt><dd><code>${h(report.runId)}</code> (${h(report.startedAt)} – ${h(report.finishedAt)})</dd>`,
    `<dt>Organization</dt><dd>${h(report.organizationId)} (management account ${h(report.managementAccountId)})</dd>`,
    `<dt>Checked from account</dt><dd>${h(report.callerAccountId)}</dd>`,
    `<dt>Company domains</dt><dd>${report.policy.companyDomains.map(h).join(', ')}</dd>`,
    `<dt>Required contacts</dt><dd>${report.policy.requiredContactTypes.map(h).join(', ')}</dd>`,
    ...(provenance ? [`<dt>Produced by</dt><dd>${h(provenance)}</dd>`] : []),
    ...(report.evidence ? [`<dt>Evidence</dt><dd>${h(evidenceSummaryText(report.evidence))}</dd>`] : []),
    '</dl>',
  ];
}

/** The sums by status, by finding code and by organizational unit. */
function summarySection(report: Report): string[] {
  return [
    '<h2 id="summary">Summary</h2>',
    '<div class="sums"><div>',
    '<h3>By status</h3>',
    '<table><thead><tr><th scope="col">Status</th><th scope="col">Accounts</th></tr></thead><tbody>',
    ...SUMMARY_ROWS.map(
      (r) => `<tr><td>${r.status ? badge(r.status) : `<strong>${h(r.label)}</strong>`}</td><td class="num">${report.summary[r.key]}</td></tr>`,
    ),
    '</tbody></table>',
    '</div><div>',
    '<h3>By finding code</h3>',
    codeSummary(report),
    '</div></div>',
    '<h3>By organizational unit</h3>',
    ouSummaryTable(report),
  ];
}

/** The accounts that need no attention, one folded group per status (the print stylesheet opens them). */
function otherAccounts(report: Report, rest: readonly AccountResult[]): string[] {
  const out = [`<h2 id="others">Other accounts (${rest.length})</h2>`];
  const statuses = [...ATTENTION_ORDER.filter((s) => s !== 'NON_COMPLIANT' && s !== 'UNKNOWN'), ...new Set(rest.map((a) => a.status).filter((s) => !ATTENTION_ORDER.includes(s)))];
  for (const status of statuses) {
    const group = rest.filter((a) => a.status === status);
    if (group.length === 0) continue;
    out.push(
      `<details class="grp"><summary>${badge(status)} ${h(GROUP_TITLE[status] ?? status)} (${group.length})</summary>`,
      groupedTable(
        '<tr><th scope="col">Account</th><th scope="col">Name</th><th scope="col">Notes</th><th scope="col">Contacts (B billing, O operations, S security)</th></tr>',
        group,
        (a) => shortRow(report, a),
        4,
        'oth',
      ),
      '</details>',
    );
  }
  return out;
}

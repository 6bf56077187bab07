/**
 * The report parts a large organization needs (README "Reading a report"): a filter for the table,
 * CSV and Markdown, a per-OU summary in the table and Markdown as the HTML has, and a "changed since
 * the last run" section in the table, Markdown and HTML, made from the same diff as the alerts.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { changesSince, diffReports } from '../../src/alerts/diff.ts';
import type { AccountResult } from '../../src/model.ts';
import { renderHtml } from '../../src/report/render/html.ts';
import { renderMarkdown } from '../../src/report/render/markdown.ts';
import { renderTable } from '../../src/report/render/table.ts';
import { matchesFilter, ouSummary, parseFilter } from '../../src/report/view.ts';
import { compliant, missingSecurity, report, skipped, unknownSecurity } from './fixtures.ts';

const PROD = { id: 'ou-ab12-prod0001', name: 'Prod', path: 'Root / Workloads / Prod' };
const DEV = { id: 'ou-ab12-dev00001', name: 'Dev', path: 'Root / Workloads / Dev' };
const inOu = (a: AccountResult, ou: typeof PROD): AccountResult => ({ ...a, ou });

function org() {
  return report([
    inOu(missingSecurity('333333333333', 'prod-app'), PROD),
    inOu(compliant('444444444444', 'prod-data'), PROD),
    inOu(unknownSecurity('555555555555', 'dev-app'), DEV),
    inOu(compliant('666666666666', 'dev-tools'), DEV),
    skipped('777777777777', 'old-sandbox'),
  ]);
}

describe('filter', () => {
  it('parses the command line values, and names what is wrong', () => {
    expect(parseFilter({})).toBeUndefined();
    expect(parseFilter({ failing: true })).toEqual({ statuses: ['NON_COMPLIANT', 'UNKNOWN'] });
    expect(parseFilter({ status: 'compliant, skipped' })).toEqual({ statuses: ['COMPLIANT', 'SKIPPED'] });
    expect(parseFilter({ failing: true, status: 'UNKNOWN,COMPLIANT' })).toEqual({ statuses: ['UNKNOWN'] });
    expect(parseFilter({ code: 'MISSING_CONTACT', ou: 'Root / Workloads' })).toEqual({ codes: ['MISSING_CONTACT'], ou: 'Root / Workloads' });
    expect(() => parseFilter({ status: 'BROKEN' })).toThrow(/--status: "BROKEN" is not one of COMPLIANT, NON_COMPLIANT/);
    expect(() => parseFilter({ code: 'MISSING' })).toThrow(/--code: "MISSING" is not one of MISSING_CONTACT/);
    expect(() => parseFilter({ ou: ' ' })).toThrow(/--ou: expected an OU ID/);
  });

  it('keeps accounts by status, code and OU (ID, path and below, or name)', () => {
    const r = org();
    const kept = (filter: Parameters<typeof matchesFilter>[1]) => r.accounts.filter((a) => matchesFilter(a, filter)).map((a) => a.name);
    expect(kept({ statuses: ['NON_COMPLIANT', 'UNKNOWN'] })).toEqual(['prod-app', 'dev-app']);
    expect(kept({ codes: ['CHECK_FAILED'] })).toEqual(['dev-app']);
    expect(kept({ ou: PROD.id })).toEqual(['prod-app', 'prod-data']);
    expect(kept({ ou: 'Root / Workloads' })).toEqual(['prod-app', 'prod-data', 'dev-app', 'dev-tools']);
    expect(kept({ ou: 'Root / Work' })).toEqual([]);
    expect(kept({ ou: 'Dev' })).toEqual(['dev-app', 'dev-tools']);
    expect(kept({ ou: 'Dev', statuses: ['COMPLIANT'] })).toEqual(['dev-tools']);
  });

  it('narrows the table and the Markdown lists, not their summaries', () => {
    const r = org();
    const filter = { statuses: ['NON_COMPLIANT' as const] };
    const table = renderTable(r, { filter });
    expect(table).toContain('prod-app');
    expect(table).not.toContain('dev-app ');
    expect(table).toContain('Showing 1 of 5 accounts (status NON_COMPLIANT).');
    expect(table).toContain('5 accounts: 1 non-compliant, 1 unknown');
    const md = renderMarkdown(r, { filter });
    expect(md).toContain('## Accounts needing attention (1)');
    expect(md).toContain('## Other accounts (0)');
    expect(md).toContain('Showing 1 of 5 accounts (status NON\\_COMPLIANT).');
    expect(md).toContain('| Total | 5 |');
  });
});

describe('per-OU summary', () => {
  it('counts each OU by status, the OUs needing attention first', () => {
    const rows = ouSummary(org().accounts);
    expect(rows.map((r) => [r.ou.path, r.accounts, r.byStatus.NON_COMPLIANT, r.byStatus.UNKNOWN, r.byStatus.COMPLIANT, r.byStatus.SKIPPED])).toEqual([
      ['Root / Workloads / Dev', 2, 0, 1, 1, 0],
      ['Root / Workloads / Prod', 2, 1, 0, 1, 0],
      ['(no OU)', 1, 0, 0, 0, 1],
    ]);
  });

  it('is in the table and in the Markdown (a GFM table), and left out when the report knows no OU', () => {
    const table = renderTable(org());
    expect(table).toMatch(/ORGANIZATIONAL UNIT\s+ACCOUNTS\s+NON_COMPLIANT\s+UNKNOWN\s+EXEMPT\s+COMPLIANT\s+SKIPPED/);
    expect(table).toMatch(/Root \/ Workloads \/ Prod\s+2\s+1\s+0\s+0\s+1\s+0/);
    const html = marked.parse(renderMarkdown(org()), { gfm: true, async: false }) as string;
    expect(html).toContain('<h2>By organizational unit</h2>');
    expect(html.replace(/\s+/g, ' ')).toMatch(/<td>Root \/ Workloads \/ Prod<\/td> <td align="right">2<\/td> <td align="right">1<\/td>/);
    const flat = report([missingSecurity('333333333333')]);
    expect(renderTable(flat)).not.toContain('ORGANIZATIONAL UNIT');
    expect(renderMarkdown(flat)).not.toContain('By organizational unit');
  });
});

describe('changed since the last run', () => {
  const before = report([compliant('333333333333', 'prod-app'), missingSecurity('444444444444', 'prod-data')], '2026-11-21T06-00-00Z-aaaaaa', '2026-11-21T06:00:00.000Z');
  const now = report([missingSecurity('333333333333', 'prod-app'), compliant('444444444444', 'prod-data')]);

  it('is the diff the alerts use, with the run it compares with; none on a first run', () => {
    const changes = changesSince(before, now)!;
    const diff = diffReports(before, now);
    expect(changes.opened).toEqual(diff.opened);
    expect(changes.resolved).toEqual(diff.resolved);
    expect(changes.since).toEqual({ runId: '2026-11-21T06-00-00Z-aaaaaa', startedAt: '2026-11-21T06:00:00.000Z' });
    expect(changesSince(undefined, now)).toBeUndefined();
  });

  it('shows opened and resolved in the table, the Markdown and the HTML', () => {
    const changes = changesSince(before, now)!;
    const table = renderTable(now, { changes });
    expect(table).toContain('Changed since run 2026-11-21T06-00-00Z-aaaaaa: 1 opened, 1 resolved');
    expect(table).toMatch(/opened\s+333333333333 prod-app: SECURITY MISSING_CONTACT/);
    expect(table).toMatch(/resolved\s+444444444444 prod-data: SECURITY MISSING_CONTACT/);

    const md = renderMarkdown(now, { changes });
    expect(md).toContain('## Changed since the last run');
    expect(md).toContain('### Opened (1)\n\n- 333333333333 — prod-app: SECURITY MISSING\\_CONTACT');
    expect(md).toContain('### Resolved (1)\n\n- 444444444444 — prod-data: SECURITY MISSING\\_CONTACT');

    const html = renderHtml(now, { changes });
    const section = html.slice(html.indexOf('<h2 id="changes">'), html.indexOf('<div id="filters"'));
    expect(section).toContain('<h3>Opened (1)</h3>');
    expect(section).toContain('<tr><td><code>333333333333</code></td><td>prod-app</td><td>SECURITY MISSING_CONTACT</td></tr>');
    expect(section).toContain('<h3>Resolved (1)</h3>');
    expect(section).toContain('<tr><td><code>444444444444</code></td><td>prod-data</td><td>SECURITY MISSING_CONTACT</td></tr>');
  });

  it('is left out when there is nothing to compare with', () => {
    expect(renderTable(now)).not.toContain('Changed since');
    expect(renderMarkdown(now)).not.toContain('Changed since');
    expect(renderHtml(now)).not.toContain('id="changes"');
  });
});

/**
 * Notes (a root e-mail update in flight or failed, or its status unread) in the human formats:
 * told beside the findings, marked as notes, escaped, and never counted as a finding code.
 */
import { describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/model.ts';
import { renderCsv } from '../../src/report/render/csv.ts';
import { renderHtml } from '../../src/report/render/html.ts';
import { renderMarkdown } from '../../src/report/render/markdown.ts';
import { renderTable } from '../../src/report/render/table.ts';
import { compliant, missingSecurity, parseCsv, report } from './fixtures.ts';

const noted = (account: AccountResult, errorCode = '<b>AccessDenied</b>'): AccountResult => ({
  ...account,
  rootEmail: 'aws-root@example.com',
  notes: [{ contactType: 'ROOT_EMAIL', code: 'ROOT_EMAIL_UPDATE_STATUS_UNREAD', errorCode, message: `Could not read the status (${errorCode})` }],
});

const r = report([noted(compliant('100000000001')), noted(missingSecurity('100000000002'))]);

describe('notes in the human formats', () => {
  it('Markdown: under "Notes (not findings)" for an account needing attention, in the Notes column otherwise, escaped', () => {
    // Act
    const md = renderMarkdown(r);
    // Assess
    expect(md).toContain('Notes (not findings):');
    expect(md).toContain('**ROOT_EMAIL** `ROOT_EMAIL_UPDATE_STATUS_UNREAD`');
    // Markdown escapes the underscores of the Notes column.
    expect(md).toMatch(/\| 100000000001 \|.*ROOT\\_EMAIL note ROOT\\_EMAIL\\_UPDATE\\_STATUS\\_UNREAD/);
    expect(md).not.toContain('<b>');
  });

  it('HTML: beside the findings and in the short rows, escaped, and not among the filterable codes', () => {
    const html = renderHtml(r);
    expect(html).toContain('note ROOT_EMAIL_UPDATE_STATUS_UNREAD');
    expect(html).not.toContain('<b>AccessDenied</b>');
    expect(html).not.toMatch(/data-c="[^"]*ROOT_EMAIL_UPDATE_STATUS_UNREAD/);
  });

  it('CSV: after the findings text of the ROOT_EMAIL row, not in the codes column', () => {
    const rows = parseCsv(renderCsv(r));
    const header = rows[0]!;
    const row = rows.find((cells) => cells[0]?.endsWith('100000000001') && cells[header.indexOf('contactType')] === 'ROOT_EMAIL')!;
    expect(row, JSON.stringify(rows.slice(0, 2))).toBeDefined();
    expect(row.join(',')).toContain('note ROOT_EMAIL_UPDATE_STATUS_UNREAD');
    expect(row[header.indexOf('findingCodes')]).toBe('');
  });

  it('table: marked (note), the status untouched', () => {
    const table = renderTable(r);
    expect(table).toMatch(/100000000001 .*COMPLIANT +ROOT_EMAIL:ROOT_EMAIL_UPDATE_STATUS_UNREAD\(note\)/);
  });
});

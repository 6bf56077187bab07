import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../src/report/render/markdown.ts';
import { compliant, contact, missingSecurity, report } from './fixtures.ts';

describe('renderMarkdown', () => {
  it('escapes pipes and newlines so a contact cannot break the table', () => {
    // Prepare
    const a = missingSecurity('333333333333');
    a.contacts.BILLING = contact('x', { name: 'Evil | Name\n| injected | row |', title: '<b>bold</b> *x* _y_ `z` [l](j)' });

    // Act
    const md = renderMarkdown(report([a]));

    // Assess
    const row = md.split('\n').find((l) => l.startsWith('| BILLING |'))!;
    expect(row).toBe(
      '| BILLING | Evil \\| Name \\| injected \\| row \\| | &lt;b&gt;bold&lt;/b&gt; \\*x\\* \\_y\\_ \\`z\\` \\[l\\](j) | `x@example.com` | +1 206 555 0100 |',
    );
    // Unescaped pipes in the row: exactly the 6 column separators.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
    expect(md).not.toContain('<b>');
  });

  it('has the title, run metadata and summary, and lists problem accounts first', () => {
    // Act
    const md = renderMarkdown(report([compliant('444444444444', 'fine-one'), missingSecurity('333333333333', 'broken-one')]));

    // Assess
    expect(md).toMatch(/^# Alternate contacts compliance report\n/);
    expect(md).toContain('- Run: 2026-11-22T06-00-00Z-1a2b3c');
    expect(md).toContain('| Non-compliant | 1 |');
    expect(md).toContain('| Total | 2 |');
    expect(md.indexOf('broken-one')).toBeLessThan(md.indexOf('fine-one'));
    expect(md).toContain('- **SECURITY** `MISSING_CONTACT`: The SECURITY contact is not set.');
  });

  it('escapes backslashes first so an escape cannot be undone', () => {
    expect(escapeMarkdown('\\|')).toBe('\\\\\\|');
  });
});

import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/render/table.ts';
import { compliant, missingSecurity, report, skipped } from './fixtures.ts';

const ESC = '\u001B';

describe('renderTable', () => {
  it('strips ANSI escapes and control characters from names', () => {
    // Prepare
    const hostile = `${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007evil\r\nname\u009B31m\u202E`;

    // Act
    const out = renderTable(report([compliant('333333333333', hostile)]));

    // Assess
    expect(out).not.toContain(ESC);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202E]/);
    expect(out).toContain('evil name');
  });

  it('uses ANSI colours for the status only when asked', () => {
    // Prepare
    const r = report([missingSecurity('333333333333'), compliant('444444444444')]);

    // Act
    const plain = renderTable(r);
    const colored = renderTable(r, { color: true });

    // Assess
    expect(plain).not.toContain(ESC);
    expect(colored).toContain(`${ESC}[31mNON_COMPLIANT${ESC}[0m`);
    expect(colored).toContain(`${ESC}[32mCOMPLIANT`);
  });

  it('has fixed-width columns, truncates long names, and ends with a summary line', () => {
    // Prepare
    const r = report([compliant('333333333333', 'x'.repeat(60)), missingSecurity('444444444444', 'short'), skipped('555555555555')]);

    // Act
    const lines = renderTable(r).split('\n');

    // Assess
    const rows = lines.filter((l) => /^\d{12}/.test(l));
    expect(rows).toHaveLength(3);
    const statusCol = lines[0]!.indexOf('STATUS');
    for (const row of rows) expect(row.slice(statusCol)).toMatch(/^(COMPLIANT|NON_COMPLIANT|SKIPPED)/);
    expect(rows[0]).toContain(`${'x'.repeat(27)}…`);
    expect(rows[1]).toContain('SECURITY:MISSING_CONTACT');
    expect(lines).toContain('3 accounts: 1 non-compliant, 0 unknown, 0 exempt, 1 compliant, 1 skipped');
  });
});

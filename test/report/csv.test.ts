import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/report/render/csv.ts';
import { oneLine } from '../../src/textHygiene.ts';
import { policyHash } from '../../src/policy/hash.ts';
import type { AccountFilter } from '../../src/report/view.ts';
import { PRODUCT_VERSION } from '../../src/version.ts';
import { compliant, contact, missingSecurity, parseCsv, POLICY, report, RUN_ID, skipped, withFindings } from './fixtures.ts';

const FORMULA_START = /^\s*[=+\-@]|^[\t\r]/;

describe('renderCsv', () => {
  it('writes a header and one CRLF row per account and contact type, a SKIPPED account included', () => {
    // Prepare
    const r = report([missingSecurity('333333333333'), skipped('444444444444', 'old-sandbox')]);

    // Act
    const csv = renderCsv(r);

    // Assess
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 6);
    const skippedRows = rows.filter((row) => row[0] === "'444444444444");
    expect(skippedRows.map((row) => row[4])).toEqual(['BILLING', 'OPERATIONS', 'SECURITY']);
    expect(skippedRows[0]!.slice(0, 11)).toEqual(["'444444444444", 'old-sandbox', 'SUSPENDED', 'SKIPPED', 'BILLING', '', '', '', '', '', '']);
    const security = rows.find((row) => row[0] === "'333333333333" && row[4] === 'SECURITY');
    expect(security?.slice(9, 11)).toEqual(['MISSING_CONTACT', 'The SECURITY contact is not set.']);
  });

  it.each(['=', '+', '-', '@'])('neutralises a cell starting with %s, also after leading spaces', (ch) => {
    // Prepare
    const a = compliant('333333333333', `${ch}HYPERLINK("http://evil")`);
    a.contacts.BILLING = contact('x', { name: `  ${ch}1+1`, title: `\t${ch}cmd` });
    const r = report([a]);

    // Act
    const rows = parseCsv(renderCsv(r));

    // Assess
    const billing = rows.find((row) => row[4] === 'BILLING')!;
    expect(billing[1]).toBe(`'${ch}HYPERLINK("http://evil")`);
    // The mark goes right before the starter; a tab becomes a space (no control characters in CSV).
    expect(billing[5]).toBe(`  '${ch}1+1`);
    expect(billing[6]).toBe(` '${ch}cmd`);
  });

  it('turns a leading TAB or CR into a space (CSV carries no control characters)', () => {
    // Prepare
    const a = compliant('333333333333');
    a.contacts.BILLING = contact('x', { name: '\tname', title: '\rtitle' });

    // Act
    const rows = parseCsv(renderCsv(report([a])));

    // Assess
    const billing = rows.find((row) => row[4] === 'BILLING')!;
    expect(billing[5]).toBe(' name');
    expect(billing[6]).toBe(' title');
  });

  it('quotes cells with commas and quotes (RFC 4180); line breaks become spaces', () => {
    // Prepare
    const a = compliant('333333333333', 'Acme, "Prod"');
    a.contacts.BILLING = contact('x', { name: 'Line1\nLine2', title: 'a\r\nb' });

    // Act
    const csv = renderCsv(report([a]));

    // Assess
    expect(csv).toContain('"Acme, ""Prod"""');
    expect(csv).toContain('"Line1 Line2"');
    const billing = parseCsv(csv).find((row) => row[4] === 'BILLING')!;
    expect(billing).toHaveLength(CSV_COLUMNS.length);
    expect(billing.slice(1, 2)).toEqual(['Acme, "Prod"']);
    expect(billing.slice(5, 7)).toEqual(['Line1 Line2', 'a b']);
  });

  it("marks an account id of digits as text with a ' (a spreadsheet would drop its leading zero), and neutralises phone numbers starting with +", () => {
    const rows = parseCsv(renderCsv(report([compliant('012345678901')])));
    expect(rows[1]![0]).toBe("'012345678901");
    expect(rows[1]![8]).toBe("'+1 206 555 0100");
  });

  it('gives each row the run, the organization, the OU path, severity, exemption, controls, version and policy hash', () => {
    // Prepare
    const exempt = withFindings(
      compliant('444444444444'),
      [{ contactType: 'BILLING', code: 'MISSING_CONTACT', message: 'The BILLING contact is not set.', exemption: { reason: 'sandbox being closed', expires: '2027-01-31' } }],
      'EXEMPT',
    );
    const failing = { ...missingSecurity('333333333333'), ou: { id: 'ou-ab12-cdef3456', name: 'Prod', path: 'Root / Workloads / Prod' } };
    const r = report([failing, exempt]);

    // Act
    const rows = parseCsv(renderCsv(r));
    const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    const row = (id: string, type: string) => rows.find((x) => x[0] === `'${id}` && x[4] === type)!;

    // Assess
    const security = row('333333333333', 'SECURITY');
    expect(col(security, 'runId')).toBe(RUN_ID);
    expect(col(security, 'runDate')).toBe('2026-11-22');
    expect(col(security, 'organizationId')).toBe('o-abc123defg');
    expect(col(security, 'ouPath')).toBe('Root / Workloads / Prod');
    expect(col(security, 'severity')).toBe('HIGH');
    expect(col(security, 'controls')).toContain('CIS AWS Foundations Benchmark v3.0.0/1.2');
    expect(col(security, 'failedControls')).toContain('AWS Foundational Security Best Practices v1.0.0/Account.1');
    expect(col(security, 'productVersion')).toBe(PRODUCT_VERSION);
    expect(col(security, 'policyHash')).toBe(policyHash(POLICY));
    expect(col(row('333333333333', 'BILLING'), 'severity')).toBe('INFORMATIONAL');
    expect(col(row('333333333333', 'BILLING'), 'failedControls')).toBe('');
    // A missing BILLING contact evidences CIS 1.1 only; exempted, it fails nothing and is not urgent.
    const billing = row('444444444444', 'BILLING');
    expect(col(billing, 'exemptionReason')).toBe('sandbox being closed');
    expect(col(billing, 'exemptionExpires')).toBe('2027-01-31');
    expect(col(billing, 'severity')).toBe('INFORMATIONAL');
    expect(col(billing, 'failedControls')).toBe('');
    expect(col(billing, 'controls')).not.toContain('/1.2');
    expect(col(billing, 'ouPath')).toBe('');
  });

  it('lists only the accounts a filter keeps', () => {
    const r = report([missingSecurity('333333333333'), compliant('444444444444'), skipped('555555555555')]);
    const ids = (filter: AccountFilter) => [...new Set(parseCsv(renderCsv(r, { filter })).slice(1).map((row) => row[0]))];
    expect(ids({ statuses: ['NON_COMPLIANT', 'UNKNOWN'] })).toEqual(["'333333333333"]);
    expect(ids({ codes: ['MISSING_CONTACT'] })).toEqual(["'333333333333"]);
    expect(ids({ statuses: ['COMPLIANT', 'SKIPPED'] })).toEqual(["'444444444444", "'555555555555"]);
  });

  it('property: no cell ever starts with a formula character, and every row has every column', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.string({ unit: 'binary-ascii' }), (name, title, email) => {
        const a = compliant('333333333333', name);
        a.contacts.SECURITY = { name, title, emailAddress: email, phoneNumber: title };
        const rows = parseCsv(renderCsv(report([a])));
        expect(rows).toHaveLength(4);
        for (const row of rows) {
          expect(row).toHaveLength(CSV_COLUMNS.length);
          for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
        }
        // Nothing but the marks is added: the text is the name made one line.
        const unmark = (text: string) => text.replace(/'(?=[=+\-@])/g, '').replace(/^'(?=\d+$)/, '');
        expect(unmark(rows[3]![5]!)).toBe(unmark(oneLine(name)));
      }),
      { numRuns: 300 },
    );
  });
});

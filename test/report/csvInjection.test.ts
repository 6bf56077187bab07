/**
 * CSV opened in a spreadsheet that splits on `;` (European Excel), `|`, tab or space as well as `,`:
 * no fragment of any line starts a formula, and the file carries no control characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/report/render/csv.ts';
import { compliant, contact, parseCsv, report } from './fixtures.ts';

const STARTERS = ['=', '+', '-', '@'];
/** C0 and C1 controls and DEL, except the CR LF that end each line. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Every fragment a spreadsheet could make of a line, splitting on one separator and ignoring quotes. */
function fragments(csv: string): string[] {
  const out: string[] = [];
  for (const line of csv.split('\r\n')) {
    for (const separator of [',', ';', '|', '\t', ' ']) {
      for (const part of line.split(separator)) out.push(part.replace(/^[\s"]+/, ''));
    }
  }
  return out;
}

describe('CSV formula injection and control characters', () => {
  it("neutralises `Ops;=cmd|' /C calc'!A0` for a spreadsheet splitting on ;", () => {
    const a = compliant('333333333333');
    a.contacts.BILLING = contact('x', { name: "Ops;=cmd|' /C calc'!A0", title: 'a|@SUM(1)', emailAddress: 'x@example.com', phoneNumber: '1;-2' });
    const csv = renderCsv(report([a]));
    for (const fragment of fragments(csv)) expect(STARTERS.some((s) => fragment.startsWith(s)), fragment).toBe(false);
    // Still one cell for an RFC 4180 reader.
    const billing = parseCsv(csv).find((row) => row[4] === 'BILLING')!;
    expect(billing[5]).toBe("Ops;'=cmd|' /C calc'!A0");
  });

  it('writes no ESC sequence or other control character', () => {
    const a = compliant('333333333333', 'acct\u001b]8;;http://evil\u0007x');
    a.contacts.BILLING = contact('x', { name: '\u001b[31mRED\u001b[0m', title: 'a\u009b2Jb\u0000c', emailAddress: 'x@example.com', phoneNumber: '1\u0085 2' });
    const csv = renderCsv(report([a]));
    expect(csv).not.toMatch(CONTROL);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('property: whatever the contact text, no fragment starts a formula and no control character gets through', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('=', '+', '-', '@', ';', ',', '|', '\t', ' ', '\r', '\n', '"', "'", '\u001b[', '\u009b', '\u0085', '\u2028', '\u00a0'),
    );
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, text, text, text, (accountName, name, title, email, phone) => {
        const a = compliant('333333333333', accountName);
        a.contacts.SECURITY = { name, title, emailAddress: email, phoneNumber: phone };
        const csv = renderCsv(report([a]));
        expect(csv).not.toMatch(CONTROL);
        // One assertion per run over every fragment (not one per fragment): the same check, a fraction of the time.
        expect(fragments(csv).filter((fragment) => STARTERS.some((s) => fragment.startsWith(s)))).toEqual([]);
        expect(parseCsv(csv)).toHaveLength(4);
      }),
      { numRuns: 500 },
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, type FindingCode } from '../../src/model.ts';
import { CONTROL_MAP, CONTROLS, controlsFor, controlsOfSubject } from '../../src/report/controls.ts';

const refs = (list: { ref: string }[]) => list.map((c) => c.ref);

describe('compliance mapping', () => {
  it('has a row for every finding code', () => {
    expect(Object.keys(CONTROL_MAP).sort()).toEqual([...FINDING_CODES].sort());
  });

  it('maps a missing SECURITY contact to CIS 1.2, Account.1 and the NIST controls AWS names for it', () => {
    expect(refs(controlsFor('MISSING_CONTACT', 'SECURITY'))).toEqual([
      'CIS AWS Foundations Benchmark v1.4.0/1.1',
      'CIS AWS Foundations Benchmark v1.4.0/1.2',
      'CIS AWS Foundations Benchmark v3.0.0/1.1',
      'CIS AWS Foundations Benchmark v3.0.0/1.2',
      'CIS AWS Foundations Benchmark v5.0.0/1.2',
      'AWS Foundational Security Best Practices v1.0.0/Account.1',
      'NIST.800-53.r5 CM-2',
      'NIST.800-53.r5 CM-2(2)',
    ]);
  });

  it('does not let a BILLING finding evidence the security-contact controls', () => {
    expect(refs(controlsFor('MISSING_CONTACT', 'BILLING'))).toEqual(['CIS AWS Foundations Benchmark v1.4.0/1.1', 'CIS AWS Foundations Benchmark v3.0.0/1.1']);
    expect(controlsOfSubject('PRIMARY').map((c) => c.id)).toEqual(['1.1', '1.1']);
  });

  it('maps a contact that could not be read, and another cloud’s contact types, to no control', () => {
    expect(controlsFor('CHECK_FAILED', 'SECURITY')).toEqual([]);
    expect(controlsOfSubject('TechnicalContact')).toEqual([]);
  });

  it('without a subject gives every control the code can evidence', () => {
    expect(controlsFor('INVALID_EMAIL').map((c) => `${c.version}/${c.id}`)).toEqual(['v1.4.0/1.1', 'v1.4.0/1.2', 'v3.0.0/1.1', 'v3.0.0/1.2', 'v5.0.0/1.2']);
  });
});

describe('docs/findings.md', () => {
  const doc = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');
  const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());

  it('lists every code with the controls the table in the code gives it', () => {
    const rows = doc.split('\n').filter((l) => /^\| `[A-Z_]+` \|/.test(l)).map(cells);
    expect(rows.map((r) => r[0]!.replaceAll('`', '')).sort()).toEqual([...FINDING_CODES].sort());
    for (const [code, any, security] of rows as [string, string, string][]) {
      const c = code.replaceAll('`', '') as FindingCode;
      const list = (cell: string) => (cell === '—' ? [] : cell.split('<br>'));
      const base = refs(controlsFor(c, 'BILLING'));
      expect(list(any), c).toEqual(base);
      expect(list(security), c).toEqual(refs(controlsFor(c, 'SECURITY')).filter((r) => !base.includes(r)));
    }
  });

  it('lists every control with its standard, version, id and title', () => {
    for (const c of Object.values(CONTROLS)) {
      expect(doc).toContain(`| ${c.standard} | ${c.version} | ${c.id} | ${c.title.replace(' | ', ' \\| ')} | \`${c.ref}\` |`);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src/model.ts';
import { CONTROL_MAP, controlsFor, controlsOfSubject } from '../../src/report/controls.ts';

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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeSubject } from '../../src/alerts/messageText.ts';

const SUBJECT = /^[\x20-\x7E]{1,100}$/;

describe('safeSubject', () => {
  it('keeps a plain subject as it is', () => {
    const s = '[contact-auditor] SECURITY contact deleted on 123456789012 (now NON_COMPLIANT)';
    expect(safeSubject(s)).toBe(s);
  });

  it('puts a name with newlines and control characters on one clean line', () => {
    expect(safeSubject('prod\r\nSubject: injected\u0000\u0007\u001B[31m red\ttab')).toBe('prod Subject: injected red tab');
  });

  it('transliterates accents and replaces other non-ASCII with ?', () => {
    expect(safeSubject('Café Müller — Straße “quoted” 😀 名前')).toBe('Cafe Muller - Strasse "quoted" ? ??');
  });

  it('cuts at 99 characters with ... so it stays ASCII and under the SNS limit', () => {
    // Act
    const s = safeSubject(`Account ${'é'.repeat(500)}`);

    // Assess
    expect(s).toHaveLength(99);
    expect(s.endsWith('...')).toBe(true);
    expect(s).toMatch(SUBJECT);
  });

  it('is never empty', () => {
    expect(safeSubject('')).toBe('contact-auditor alert');
    expect(safeSubject(' \n\t\u0000\u200D ')).toBe('contact-auditor alert');
  });

  it('property: always one line of printable ASCII, 1-100 characters (in fact under 100)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (text) => {
        const s = safeSubject(text);
        expect(s).toMatch(SUBJECT);
        expect(s.length).toBeLessThan(100);
        expect(s).toBe(s.trim());
      }),
      { numRuns: 1000 },
    );
  });
});

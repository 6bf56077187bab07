/**
 * AWS's EmailAddress and PhoneNumber patterns accept ASCII white space only. BOM, NBSP, U+3000,
 * U+2028/2029 (all of them in JavaScript's `\s` and `.trim()`) around an address or a phone number
 * never pass as COMPLIANT.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidEmail, isValidEmail } from '../../src/rules/email.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { invalidPhone, isValidPhone } from '../../src/rules/phone.ts';
import { TODAY, account, compliantReads, contact, policy, present } from './fixtures.ts';

const UNICODE_SPACES = ['\uFEFF', '\u00A0', '\u3000', '\u2028', '\u2029', '\u2003', '\u200B', '\u0085', '\u1680', '\u202F'];
const ASCII_SPACES = [' ', '\t', '\n', '\r', '\v', '\f'];

describe('Unicode white space around contact fields', () => {
  it.each(UNICODE_SPACES.map((c) => [c.codePointAt(0)!.toString(16), c]))('U+%s around the address: INVALID_EMAIL, account NON_COMPLIANT', (_hex, space) => {
    const reads = { ...compliantReads(), BILLING: present({ emailAddress: `${space}billing@example.com${space}` }) };
    const result = evaluateAccount(account(), reads, policy(), TODAY);
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.findings.map((f) => `${f.contactType}:${f.code}`)).toContain('BILLING:INVALID_EMAIL');
  });

  it.each(UNICODE_SPACES.map((c) => [c.codePointAt(0)!.toString(16), c]))('U+%s in or around the phone: INVALID_PHONE', (_hex, space) => {
    expect(invalidPhone('BILLING', contact({ phoneNumber: `${space}+1 206 555 0100` }))?.code).toBe('INVALID_PHONE');
    expect(invalidPhone('BILLING', contact({ phoneNumber: `+1${space}206 555 0100` }))?.code).toBe('INVALID_PHONE');
  });

  it('names the invisible character in the message', () => {
    expect(invalidEmail('BILLING', contact({ emailAddress: '\uFEFFbilling@example.com\uFEFF' }))?.message).toMatch(/U\+FEFF/);
  });

  it('ASCII white space around the address or in the phone still passes, as AWS accepts it', () => {
    for (const space of ASCII_SPACES) {
      expect(isValidEmail(`${space}billing@example.com${space}`)).toBe(true);
      expect(isValidPhone(`+1${space}206 555 0100`)).toBe(true);
    }
    const reads = { ...compliantReads(), BILLING: present({ emailAddress: ' billing@example.com\t' }) };
    expect(evaluateAccount(account(), reads, policy(), TODAY).status).toBe('COMPLIANT');
  });

  it('property: an address with any non-ASCII white space or format character is never valid', () => {
    const space = fc.constantFrom(...UNICODE_SPACES);
    fc.assert(
      fc.property(space, fc.nat(20), (char, at) => {
        const address = 'billing@example.com';
        const i = at % (address.length + 1);
        return !isValidEmail(address.slice(0, i) + char + address.slice(i));
      }),
    );
  });
});

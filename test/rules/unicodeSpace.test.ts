/**
 * AWS's EmailAddress and PhoneNumber patterns accept ASCII white space only. BOM, NBSP, U+3000,
 * U+2028/2029 (all of them in JavaScript's `\s` and `.trim()`) and invisible format characters
 * around or inside an address or a phone number never pass as COMPLIANT: not in the alternate
 * contacts, the primary contact's phone or the root user's e-mail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidEmail, isValidEmail } from '../../src/rules/email.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { ALTERNATE_PHONE, invalidPhone, isValidPhone } from '../../src/rules/phone.ts';
import { PRIMARY_PHONE } from '../../src/rules/primary.ts';
import { botocoreModel } from '../fixtures/botocoreModels.ts';
import type { ExtraReads } from '../../src/model.ts';
import { TODAY, account, compliantReads, contact, policy, present } from './fixtures.ts';

const UNICODE_SPACES = ['\uFEFF', '\u00A0', '\u3000', '\u2028', '\u2029', '\u2003', '\u200B', '\u0085', '\u1680', '\u202F'];
/** Invisible format characters (Unicode Cf): joiners, the soft hyphen, bidi controls. */
const FORMAT_CHARACTERS = ['\u200C', '\u200D', '\u2060', '\u00AD', '\u202E', '\u2066', '\u061C', '\u180E'];
const INVISIBLE = [...UNICODE_SPACES, ...FORMAT_CHARACTERS];
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
/** The three places a character can hide in a field. */
const PLACES: Array<[string, (value: string, char: string) => string]> = [
  ['before', (v, c) => `${c}${v}`],
  ['after', (v, c) => `${v}${c}`],
  ['inside', (v, c) => `${v.slice(0, 4)}${c}${v.slice(4)}`],
];
const CASES = INVISIBLE.flatMap((char) => PLACES.map(([place, put]) => [hex(char), place, char, put] as const));
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

  it('property: a phone number with any non-ASCII white space or format character is never valid', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INVISIBLE), fc.nat(20), (char, at) => {
        const phone = '+1 206 555 0100';
        const i = at % (phone.length + 1);
        return !isValidPhone(phone.slice(0, i) + char + phone.slice(i));
      }),
    );
  });
});

describe('invisible characters in the primary contact and the root e-mail', () => {
  const sections = policy({ primaryContact: { companyNamePattern: '^Example Corp$' }, rootEmail: {} });
  const primary = (phoneNumber: string): ExtraReads['primaryContact'] => ({
    kind: 'present',
    contact: { fullName: 'Cloud Team', companyName: 'Example Corp', phoneNumber, addressLine1: '1 Main St', city: 'Seattle', postalCode: '98109', countryCode: 'US' },
  });
  const root = (email: string): ExtraReads['rootEmail'] => ({ kind: 'present', email, source: 'GetPrimaryEmail' });
  const judge = (extras: ExtraReads) => evaluateAccount(account(), compliantReads(), sections, TODAY, extras);
  const clean = { primaryContact: primary('+1 206 555 0100'), rootEmail: root('aws+prod@example.com') };

  it('the clean fields are COMPLIANT, and ASCII white space around the root e-mail still is', () => {
    expect(judge(clean).status).toBe('COMPLIANT');
    expect(judge({ ...clean, rootEmail: root(' aws+prod@example.com\t') }).status).toBe('COMPLIANT');
  });

  it.each(CASES)('%s %s the primary phone: PRIMARY_CONTACT_INVALID_PHONE naming it, NON_COMPLIANT', (code, _place, char, put) => {
    const result = judge({ ...clean, primaryContact: primary(put('+1 206 555 0100', char)) });
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.findings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['PRIMARY:PRIMARY_CONTACT_INVALID_PHONE']);
    expect(result.findings[0]!.message).toContain(code);
  });

  it.each(CASES)('%s %s the root e-mail: ROOT_EMAIL_NOT_COMPANY_DOMAIN naming it, NON_COMPLIANT', (code, _place, char, put) => {
    const result = judge({ ...clean, rootEmail: root(put('aws+prod@example.com', char)) });
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.findings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['ROOT_EMAIL:ROOT_EMAIL_NOT_COMPANY_DOMAIN']);
    expect(result.findings[0]!.message).toContain(code);
    // The finding echoes the address without the character (messages are one clean line).
    expect(result.findings[0]!.message).not.toMatch(/[\p{Cf}\u2028\u2029\u0085]/u);
  });

  it('the alternate contacts refuse the same characters in the same places (one judgement)', () => {
    for (const [code, , char, put] of CASES) {
      expect(invalidEmail('BILLING', contact({ emailAddress: put('billing@example.com', char) }))?.message, code).toContain(code);
      expect(invalidPhone('BILLING', contact({ phoneNumber: put('+1 206 555 0100', char) }))?.message, code).toContain(code);
    }
  });
});

describe('the phone shapes are the API model\'s', () => {
  const model = botocoreModel('account');
  /** The model's pattern as the rules must read it: whole string, `\s` as ASCII white space only. */
  const asAscii = (pattern: string) => `^${pattern.replace('\\s', ' \\t\\n\\v\\f\\r')}$`;

  it.skipIf(model === undefined)('PhoneNumber (alternate contacts) and ContactInformationPhoneNumber (primary contact): pattern and length', () => {
    for (const [shape, ours] of [['PhoneNumber', ALTERNATE_PHONE], ['ContactInformationPhoneNumber', PRIMARY_PHONE]] as const) {
      const theirs = model!.shapes[shape]!;
      expect(ours.pattern.source, shape).toBe(asAscii(theirs.pattern!));
      expect(ours.maxLength, shape).toBe(theirs.max);
      expect(theirs.min, shape).toBe(1);
    }
  });
});

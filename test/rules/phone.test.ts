import { describe, expect, it } from 'vitest';
import { invalidPhone, phoneNotCompany } from '../../src/rules/phone.ts';
import { contact, policy } from './fixtures.ts';

describe('INVALID_PHONE', () => {
  it.each([
    ['spaces', '+1 206 555 0100'],
    ['parentheses and hyphen', '+1(206)555-0123'],
    ['digits only', '2065550198'],
    ['exactly 25 characters', '+1 206 555 0100 000 00000'],
    ['a tab', '+1\t206'],
  ])('accepts %s', (_label, phoneNumber) => {
    expect(invalidPhone('BILLING', contact({ phoneNumber }))).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['white space only', '   '],
    ['26 characters', '+1 206 555 0100 000 000000'],
    ['a letter', '+1 206 555 CALL'],
    ['an extension marker', '+1 206 555 0100 x12'],
    ['a dot', '206.555.0100'],
    ['fullwidth digits', '２０６５５５'],
    ['no digit at all', '+-()'],
  ])('rejects %s', (_label, phoneNumber) => {
    // Act
    const finding = invalidPhone('BILLING', contact({ phoneNumber }));
    // Assess
    expect(finding?.code).toBe('INVALID_PHONE');
  });

  it('never echoes the number or the name (personal data)', () => {
    // Act
    const finding = invalidPhone('BILLING', contact({ name: 'Jane Doe', phoneNumber: '+1 206 555 CALL' }));
    // Assess
    expect(finding?.message).not.toContain('206');
    expect(finding?.message).not.toContain('Jane');
    expect(finding?.message).toBe('BILLING phone number contains characters other than digits, spaces and + - ( ); use 1–25 digits, spaces and + - ( )');
  });
});

describe('PHONE_NOT_COMPANY', () => {
  const withPrefix = policy({ phone: { allowedPrefixes: ['+1 206 555'] } });

  it('passes when no prefixes are configured', () => {
    expect(phoneNotCompany('BILLING', contact({ phoneNumber: '+44 20 7946 0000' }), policy())).toBeUndefined();
  });

  it.each([
    ['same formatting', '+1 206 555 0100'],
    ['other formatting, same digits', '+1(206)555-0123'],
    ['no separators', '12065550100'],
  ])('passes a phone whose digits start with the prefix: %s', (_label, phoneNumber) => {
    expect(phoneNotCompany('BILLING', contact({ phoneNumber }), withPrefix)).toBeUndefined();
  });

  it('fails a phone with other digits and names the prefixes, not the number', () => {
    // Act
    const finding = phoneNotCompany('BILLING', contact({ phoneNumber: '+44 20 7946 0000' }), withPrefix);
    // Assess
    expect(finding?.code).toBe('PHONE_NOT_COMPANY');
    expect(finding?.message).toBe('BILLING phone number does not start with a company prefix (+1 206 555)');
  });

  it('fails a number that only contains the prefix digits later on', () => {
    expect(phoneNotCompany('BILLING', contact({ phoneNumber: '+44 1206 555 0100' }), withPrefix)?.code).toBe('PHONE_NOT_COMPANY');
  });

  it('accepts any of several prefixes', () => {
    const twoPrefixes = policy({ phone: { allowedPrefixes: ['+1 206 555', '+44 20'] } });
    expect(phoneNotCompany('BILLING', contact({ phoneNumber: '+44 20 7946 0000' }), twoPrefixes)).toBeUndefined();
  });

  it('is skipped for an invalid phone (INVALID_PHONE reports it)', () => {
    expect(phoneNotCompany('BILLING', contact({ phoneNumber: 'call me' }), withPrefix)).toBeUndefined();
  });
});

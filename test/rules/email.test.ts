import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emailNotCompanyDomain, emailPatternMismatch, invalidEmail } from '../../src/rules/email.ts';
import { evaluateAccount } from '../../src/rules/evaluate.ts';
import { TODAY, account, compliantReads, contact, policy, present } from './fixtures.ts';

/** The e-mail codes evaluation gives one SECURITY address. */
function emailCodes(emailAddress: string, overrides: Record<string, unknown> = {}): string[] {
  // Prepare
  const reads = { ...compliantReads(), SECURITY: present({ emailAddress }) };
  // Act
  const result = evaluateAccount(account(), reads, policy(overrides), TODAY);
  // Assess (by the caller)
  return result.findings.filter((finding) => finding.contactType === 'SECURITY').map((finding) => finding.code);
}

describe('INVALID_EMAIL', () => {
  it.each([
    ['plain company address', 'security@example.com'],
    ['the API model\'s local-part characters', 'sec+ops=a#b|c!d&e.f-g_h@example.com'],
    ['exactly 254 characters', `${'a'.repeat(242)}@example.com`],
    ['65 characters (the older guide\'s limit was 64)', `${'a'.repeat(53)}@example.com`],
    ['surrounding white space (trimmed first)', '  security@example.com\t'],
  ])('accepts %s', (_label, address) => {
    expect(invalidEmail('SECURITY', contact({ emailAddress: address }))).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['white space only', '   '],
    ['255 characters', `${'a'.repeat(243)}@example.com`],
    ['a comma (in the older guide\'s pattern, not in the current API model)', 'a,b@example.com'],
    ['no @', 'security.example.com'],
    ['several @', 'a@evil.io@example.com'],
    ['no dot in the domain', 'security@localhost'],
    ['space inside', 'sec urity@example.com'],
    ['Cyrillic е in the domain', 'security@еxample.com'],
    ['fullwidth ｅ in the domain', 'security@ｅxample.com'],
    ['fullwidth @', 'security＠example.com'],
    ['non-ASCII letter in the local part', 'sécurité@example.com'],
    ['trailing dot (pattern ends with \\w)', 'security@example.com.'],
    ['display-name form', 'Security <security@example.com>'],
  ])('rejects %s', (_label, address) => {
    // Act
    const finding = invalidEmail('SECURITY', contact({ emailAddress: address }));
    // Assess
    expect(finding?.code).toBe('INVALID_EMAIL');
    expect(finding?.contactType).toBe('SECURITY');
  });

  it('skips the other e-mail checks for an invalid address', () => {
    expect(emailCodes('a@evil.io@example.com', { emailLocalPartPatterns: { SECURITY: '^security$' } })).toEqual(['INVALID_EMAIL']);
  });

  it('decision: a trailing-dot address is INVALID_EMAIL, since the pattern is checked first on the trimmed address', () => {
    expect(emailCodes('security@example.com.')).toEqual(['INVALID_EMAIL']);
  });

  it('points out non-ASCII look-alike characters', () => {
    expect(invalidEmail('SECURITY', contact({ emailAddress: 'secops@\u0435xample.com' }))?.message).toBe(
      'SECURITY e-mail "secops@\u0435xample.com" contains non-ASCII characters (a look-alike of a company address?); set a company address',
    );
  });

  it('strips control characters from the echoed address and stays on one line', () => {
    // Act
    const finding = invalidEmail('SECURITY', contact({ emailAddress: 'bad\u0000\u001b[31m\naddress\u202e' }));
    // Assess
    expect(finding?.message).toContain('"bad[31maddress"');
    expect(finding?.message).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
  });
});

describe('EMAIL_NOT_COMPANY_DOMAIN', () => {
  it.each([
    ['the company domain', 'security@example.com'],
    ['upper case', 'SEC@EXAMPLE.COM'],
    ['surrounding white space', ' security@example.com '],
    ['a subdomain (allowed by default)', 'security@ops.example.com'],
    ['a deep subdomain', 'security@a.b.example.com'],
  ])('passes %s', (_label, address) => {
    expect(emailCodes(address)).toEqual([]);
  });

  it.each([
    ['suffix trick', 'sec@example.com.evil.io'],
    ['prefix trick with a hyphen', 'a@evil-example.com'],
    ['prefix trick without separator', 'a@notexample.com'],
    ['another domain', 'someone@gmail.com'],
    ['the TLD only', 'a@example.co'],
    ['punycode of a Cyrillic look-alike (xn--xample-2of = еxample)', 'security@xn--xample-2of.com'],
    ['punycode label that decodes to ASCII', 'security@xn--example-.com'],
    ['leading empty label', 'security@.example.com'],
    ['empty label inside', 'security@ops..example.com'],
  ])('fails %s', (_label, address) => {
    expect(emailCodes(address)).toEqual(['EMAIL_NOT_COMPANY_DOMAIN']);
  });

  it('rejects a subdomain when subdomains are not allowed', () => {
    expect(emailCodes('security@ops.example.com', { allowSubdomains: false })).toEqual(['EMAIL_NOT_COMPANY_DOMAIN']);
    expect(emailCodes('security@example.com', { allowSubdomains: false })).toEqual([]);
  });

  it('accepts any of several company domains', () => {
    expect(emailCodes('security@corp.example.org', { companyDomains: ['example.com', 'example.org'] })).toEqual([]);
  });

  it('matches a punycode address against an IDN company domain given in Unicode', () => {
    expect(emailCodes('security@xn--bcher-kva.de', { companyDomains: ['bücher.de'] })).toEqual([]);
  });

  it('names the domain and the company domains in the message', () => {
    // Act
    const finding = emailNotCompanyDomain('SECURITY', contact({ emailAddress: 'x@Gmail.com' }), policy());
    // Assess
    expect(finding?.message).toBe('SECURITY e-mail domain "gmail.com" is not a company domain (example.com or a subdomain)');
  });

  it('property: an address outside example.com and its subdomains never passes', () => {
    const label = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    const local = fc.stringMatching(/^[A-Za-z0-9_+=,.-]{1,12}$/);
    const unicodeish = fc.constantFrom('е', 'ｅ', 'ä', '\u200b', '＠', '.', '-', 'E', 'ℯ', 'xn--', '@');
    const domain = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
      fc.tuple(label, unicodeish, label).map((parts) => `${parts[0]}${parts[1]}example.com${parts[2] ? `.${parts[2]}` : ''}`),
      fc.tuple(unicodeish, label).map(([char, tld]) => `${char}xample.${tld}`),
      fc.tuple(label, unicodeish).map(([prefix, char]) => `${prefix}${char}example.com`),
    );
    const isCompany = (d: string) => {
      const lower = d.toLowerCase();
      return lower === 'example.com' || /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+example\.com$/.test(lower);
    };
    fc.assert(
      fc.property(local, domain, fc.constantFrom('', ' ', '\t'), (localPart, domainPart, pad) => {
        fc.pre(!isCompany(domainPart));
        const codes = emailCodes(`${pad}${localPart}@${domainPart}${pad}`);
        expect(codes.some((code) => code === 'INVALID_EMAIL' || code === 'EMAIL_NOT_COMPANY_DOMAIN')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('EMAIL_PATTERN_MISMATCH', () => {
  const patterns = { emailLocalPartPatterns: { SECURITY: '^(security|secops)$' } };

  it('passes a matching local part', () => {
    expect(emailCodes('secops@example.com', patterns)).toEqual([]);
  });

  it('fails a local part that does not match, naming the pattern', () => {
    // Act
    const finding = emailPatternMismatch('SECURITY', contact({ emailAddress: 'bob@example.com' }), policy(patterns));
    // Assess
    expect(finding?.code).toBe('EMAIL_PATTERN_MISMATCH');
    expect(finding?.message).toBe('SECURITY e-mail local part "bob" does not match the required pattern /^(security|secops)$/');
  });

  it('is case-sensitive as written', () => {
    expect(emailCodes('SECURITY@example.com', patterns)).toEqual(['EMAIL_PATTERN_MISMATCH']);
  });

  it('applies only to the configured type', () => {
    expect(emailPatternMismatch('BILLING', contact({ emailAddress: 'bob@example.com' }), policy(patterns))).toBeUndefined();
  });

  it('is reported together with a wrong domain, after it', () => {
    expect(emailCodes('bob@gmail.com', patterns)).toEqual(['EMAIL_NOT_COMPANY_DOMAIN', 'EMAIL_PATTERN_MISMATCH']);
  });
});

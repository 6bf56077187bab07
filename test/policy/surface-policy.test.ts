/** Contact-surface policy keys: primaryContact, rootEmail, expect, overrides, reuse settings. */
import { describe, expect, it } from 'vitest';
import { PolicyError, parsePolicy } from '../../src/policy/load.ts';
import { parsePolicyText } from '../../src/policy/yamlFile.ts';

const minimal = { companyDomains: ['example.com'] };

function problem(input: unknown): string {
  try {
    parsePolicy(input);
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('contact-surface policy keys', () => {
  it('adds nothing to a policy that does not use them', () => {
    expect(Object.keys(parsePolicy(minimal)).sort()).toEqual(
      ['allowSubdomains', 'companyDomains', 'emailLocalPartPatterns', 'exemptions', 'maxAlertsPerSweep', 'phone', 'requireDistinctContacts', 'requiredContactTypes'].sort(),
    );
  });

  it('reads every new section from YAML, account IDs as keys included', () => {
    const policy = parsePolicyText(
      [
        'companyDomains: [example.com]',
        'phone: { rejectPlaceholders: false }',
        'primaryContact:',
        '  companyNamePattern: "^Example Corp$"',
        'rootEmail:',
        '  companyDomains: [Example.COM.]',
        'expect:',
        '  SECURITY: { emailAddress: secops@example.com }',
        'overrides:',
        '  ou-ab12-11111111:',
        '    requiredContactTypes: [SECURITY]',
        '  111122223333:',
        '    companyDomains: [example.org]',
        'maxAccountsPerPersonalAddress: 5',
        'teamMailboxPatterns: ["^(security|billing)"]',
        'exemptions:',
        '  - { accountId: "111122223333", contactTypes: [PRIMARY, ROOT_EMAIL], reason: r, expires: 2099-01-01 }',
      ].join('\n'),
      'test',
    );
    expect(policy.phone).toEqual({ allowedPrefixes: [], rejectPlaceholders: false });
    expect(policy.primaryContact).toEqual({ companyNamePattern: '^Example Corp$' });
    expect(policy.rootEmail).toEqual({ companyDomains: ['example.com'] });
    expect(policy.expect).toEqual({ SECURITY: { emailAddress: 'secops@example.com' } });
    expect(policy.overrides?.['111122223333']?.companyDomains).toEqual(['example.org']);
    expect(policy.overrides?.['ou-ab12-11111111']?.requiredContactTypes).toEqual(['SECURITY']);
    expect(policy.maxAccountsPerPersonalAddress).toBe(5);
    expect(policy.exemptions[0]?.contactTypes).toEqual(['PRIMARY', 'ROOT_EMAIL']);
  });

  it('reads an empty rootEmail: as the check with every default', () => {
    expect(parsePolicyText('companyDomains: [example.com]\nrootEmail:\n', 'test').rootEmail).toEqual({});
  });

  it.each([
    [{ primaryContact: {} }, 'primaryContact.companyNamePattern: required'],
    [{ primaryContact: { companyNamePattern: '(' } }, 'primaryContact.companyNamePattern: not a valid regular expression'],
    [{ overrides: { 'prod-ou': { allowSubdomains: false } } }, 'overrides.prod-ou: expected an OU ID'],
    [{ overrides: { 'ou-ab12-11111111': { exemptions: [] } } }, 'overrides.ou-ab12-11111111.exemptions: unknown key'],
    [{ expect: { ADMIN: { emailAddress: 'a@example.com' } } }, 'expect.ADMIN: unknown contact type'],
    [{ maxAccountsPerPersonalAddress: 0 }, 'maxAccountsPerPersonalAddress: expected a whole number ≥ 1'],
    [{ rootEmail: { companyDomains: [] } }, 'rootEmail.companyDomains: expected at least one company domain'],
  ])('names the bad field of %j', (extra, message) => {
    expect(problem({ ...minimal, ...extra })).toContain(message);
  });

  it('reports a bad override key beside an unknown contact type inside that override', () => {
    const message = problem({ ...minimal, overrides: { 'prod-ou': { expect: { ADMIN: {} } } } });

    expect(message).toContain('overrides.prod-ou.expect.ADMIN: unknown contact type');
    expect(message).toContain('overrides.prod-ou: expected an OU ID');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyError, parsePolicy, policyFromDomains } from '../../src/policy/load.ts';
import { loadPolicyFile, parsePolicyText } from '../../src/policy/yamlFile.ts';
import { newAccountGraceHours } from '../../src/policy/schema.ts';

/** The PolicyError message parsing `input` throws. */
function errorOf(input: unknown): string {
  try {
    parsePolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).message;
  }
  throw new Error('expected a PolicyError');
}

const minimal = { companyDomains: ['example.com'] };

describe('parsePolicy', () => {
  it('fills every default', () => {
    // Act
    const policy = parsePolicy(minimal);
    // Assess
    expect(policy).toEqual({
      companyDomains: ['example.com'],
      allowSubdomains: true,
      requiredContactTypes: ['BILLING', 'OPERATIONS', 'SECURITY'],
      phone: { allowedPrefixes: [] },
      requireDistinctContacts: false,
      emailLocalPartPatterns: {},
      exemptions: [],
      maxAlertsPerSweep: 25,
    });
  });

  it('keeps every given value', () => {
    // Prepare
    const input = {
      companyDomains: ['example.com', 'example.org'],
      allowSubdomains: false,
      requiredContactTypes: ['SECURITY'],
      phone: { allowedPrefixes: ['+1 206 555'] },
      requireDistinctContacts: true,
      emailLocalPartPatterns: { SECURITY: '^(security|secops)$' },
      exemptions: [{ accountId: '111122223333', contactTypes: ['BILLING'], reason: 'sandbox being closed', expires: '2027-01-31' }],
      maxAlertsPerSweep: 0,
    };
    // Act
    const policy = parsePolicy(input);
    // Assess
    expect(policy).toEqual(input);
  });

  it('defaults an exemption to every contact type', () => {
    // Act
    const policy = parsePolicy({ ...minimal, exemptions: [{ accountId: '111122223333', reason: 'r', expires: '2027-01-31' }] });
    // Assess
    expect(policy.exemptions[0]?.contactTypes).toEqual(['BILLING', 'OPERATIONS', 'SECURITY']);
  });

  it.each([
    ['upper case and a trailing dot', ' Example.COM. ', 'example.com'],
    ['an IDN', 'bücher.de', 'xn--bcher-kva.de'],
    ['a punycode IDN', 'XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
  ])('normalises a company domain with %s', (_label, raw, normalised) => {
    expect(parsePolicy({ companyDomains: [raw] }).companyDomains).toEqual([normalised]);
  });

  it('removes company domains that are duplicates once normalised', () => {
    expect(parsePolicy({ companyDomains: ['example.com', 'EXAMPLE.com.'] }).companyDomains).toEqual(['example.com']);
  });

  it('accepts an unquoted 12-digit account ID (YAML reads it as a number)', () => {
    // Act
    const policy = parsePolicy({ ...minimal, exemptions: [{ accountId: 111122223333, reason: 'r', expires: '2027-01-31' }] });
    // Assess
    expect(policy.exemptions[0]?.accountId).toBe('111122223333');
  });

  it.each<[string, unknown, string]>([
    ['not a mapping', ['example.com'], 'policy: expected a mapping of settings at the top level, got a list'],
    ['null (an empty file)', null, 'policy: expected a mapping of settings at the top level, got null'],
    ['companyDomains missing', {}, 'policy: companyDomains: required'],
    ['companyDomains empty', { companyDomains: [] }, 'policy: companyDomains: expected at least one company domain'],
    ['companyDomains a string', { companyDomains: 'example.com' }, 'policy: companyDomains: expected a list, got string "example.com"'],
    ['an e-mail as domain', { companyDomains: ['a@example.com'] }, 'policy: companyDomains[0]: "a@example.com" is not a domain name'],
    ['a domain with a space', { companyDomains: ['exa mple.com'] }, 'policy: companyDomains[0]: "exa mple.com" is not a domain name'],
    ['a URL', { companyDomains: ['https://example.com/'] }, 'policy: companyDomains[0]: "https://example.com/" is not a domain name'],
    ['an empty label', { companyDomains: ['example..com'] }, 'policy: companyDomains[0]: "example..com" has an empty label'],
    ['a bare TLD', { companyDomains: ['com'] }, 'policy: companyDomains[0]: "com" needs at least two labels'],
    ['an empty domain', { companyDomains: ['  '] }, 'policy: companyDomains[0]: expected a domain name, got an empty string'],
    ['broken punycode', { companyDomains: ['xn--zz.com'] }, 'policy: companyDomains[0]: "xn--zz.com" is not a valid (internationalised) domain name'],
    ['an underscore', { companyDomains: ['ex_ample.com'] }, 'policy: companyDomains[0]: "ex_ample.com" is not a hostname'],
    ['a typo of a top-level key', { companyDomain: ['example.com'] }, 'companyDomain: unknown key (did you mean companyDomains?)'],
    ['an unknown top-level key', { ...minimal, colour: 'red' }, 'policy: colour: unknown key'],
    ['allowSubdomains not boolean', { ...minimal, allowSubdomains: 'yes' }, 'policy: allowSubdomains: expected true or false, got string "yes"'],
    ['requiredContactTypes empty', { ...minimal, requiredContactTypes: [] }, 'policy: requiredContactTypes: expected at least one of BILLING, OPERATIONS, SECURITY'],
    ['requiredContactTypes duplicate', { ...minimal, requiredContactTypes: ['BILLING', 'BILLING'] }, 'policy: requiredContactTypes: contains a contact type twice'],
    ['requiredContactTypes unknown', { ...minimal, requiredContactTypes: ['BILLING', 'LEGAL'] }, 'policy: requiredContactTypes[1]: expected one of BILLING, OPERATIONS, SECURITY'],
    ['a phone prefix without digits', { ...minimal, phone: { allowedPrefixes: ['+'] } }, 'policy: phone.allowedPrefixes[0]: a phone prefix needs at least one digit'],
    ['an unknown phone key', { ...minimal, phone: { allowedPrefix: ['+1'] } }, 'policy: phone.allowedPrefix: unknown key'],
    ['requireDistinctContacts not boolean', { ...minimal, requireDistinctContacts: 1 }, 'policy: requireDistinctContacts: expected true or false, got number 1'],
    ['a pattern for an unknown type', { ...minimal, emailLocalPartPatterns: { SECURTY: '^a$' } }, 'policy: emailLocalPartPatterns.SECURTY: unknown contact type'],
    ['a pattern that does not compile', { ...minimal, emailLocalPartPatterns: { SECURITY: '(sec' } }, 'policy: emailLocalPartPatterns.SECURITY: not a valid regular expression'],
    ['an exemption without reason', { ...minimal, exemptions: [{ accountId: '111122223333', expires: '2027-01-31' }] }, 'policy: exemptions[0].reason: required'],
    ['an exemption with a blank reason', { ...minimal, exemptions: [{ accountId: '111122223333', reason: ' ', expires: '2027-01-31' }] }, 'policy: exemptions[0].reason: a reason is required'],
    ['an exemption without expiry', { ...minimal, exemptions: [{ accountId: '111122223333', reason: 'r' }] }, 'policy: exemptions[0].expires: required'],
    ['an impossible date', { ...minimal, exemptions: [{ accountId: '111122223333', reason: 'r', expires: '2027-02-30' }] }, 'policy: exemptions[0].expires: expected a date YYYY-MM-DD'],
    ['a date in another format', { ...minimal, exemptions: [{ accountId: '111122223333', reason: 'r', expires: '31/01/2027' }] }, 'policy: exemptions[0].expires: expected a date YYYY-MM-DD'],
    ['a short account ID', { ...minimal, exemptions: [{ accountId: '11112222333', reason: 'r', expires: '2027-01-31' }] }, 'policy: exemptions[0].accountId: expected a 12-digit account ID'],
    ['an account ID that lost its leading zero', { ...minimal, exemptions: [{ accountId: 11122223333, reason: 'r', expires: '2027-01-31' }] }, 'policy: exemptions[0].accountId: expected a 12-digit account ID in quotes'],
    ['empty exemption contact types', { ...minimal, exemptions: [{ accountId: '111122223333', contactTypes: [], reason: 'r', expires: '2027-01-31' }] }, 'policy: exemptions[0].contactTypes: expected at least one contact type'],
    ['an unknown exemption key', { ...minimal, exemptions: [{ accountId: '111122223333', reason: 'r', expires: '2027-01-31', until: 'x' }] }, 'policy: exemptions[0].until: unknown key'],
    ['a fractional maxAlertsPerSweep', { ...minimal, maxAlertsPerSweep: 2.5 }, 'policy: maxAlertsPerSweep: expected a whole number ≥ 0'],
    ['a negative maxAlertsPerSweep', { ...minimal, maxAlertsPerSweep: -1 }, 'policy: maxAlertsPerSweep: expected a whole number ≥ 0'],
    ['a negative newAccountGraceHours', { ...minimal, newAccountGraceHours: -1 }, 'policy: newAccountGraceHours: expected a number of hours from 0 to 8760'],
    ['a newAccountGraceHours beyond a year', { ...minimal, newAccountGraceHours: 9000 }, 'policy: newAccountGraceHours: expected a number of hours from 0 to 8760'],
    ['a newAccountGraceHours in words', { ...minimal, newAccountGraceHours: '24h' }, 'policy: newAccountGraceHours: expected a number'],
  ])('rejects %s, naming the field', (_label, input, expected) => {
    expect(errorOf(input)).toContain(expected);
  });

  it('reads newAccountGraceHours, and gives 24 hours when the policy has none', () => {
    // Act
    const set = parsePolicy({ ...minimal, newAccountGraceHours: 0.5 });
    const unset = parsePolicy(minimal);
    // Assess
    expect(newAccountGraceHours(set)).toBe(0.5);
    expect(newAccountGraceHours(unset)).toBe(24);
    expect(unset).not.toHaveProperty('newAccountGraceHours');
  });

  it('names the second exemption as exemptions[1]', () => {
    // Prepare
    const input = {
      ...minimal,
      exemptions: [
        { accountId: '111122223333', reason: 'ok', expires: '2027-01-31' },
        { accountId: '111122223333', reason: 'bad', expires: '2027-1-31' },
      ],
    };
    // Act / Assess
    expect(errorOf(input)).toBe('policy: exemptions[1].expires: expected a date YYYY-MM-DD');
  });

  it('reports every problem at once and keeps the zod error as cause', () => {
    // Act
    let caught: unknown;
    try {
      parsePolicy({ companyDomains: [], maxAlertsPerSweep: 'many' });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(PolicyError);
    expect((caught as PolicyError).message).toContain('companyDomains: expected at least one');
    expect((caught as PolicyError).message).toContain('maxAlertsPerSweep: expected a number');
    expect((caught as PolicyError).cause).toBeDefined();
    expect((caught as PolicyError).name).toBe('PolicyError');
  });
});

describe('policyFromDomains', () => {
  it('builds a default policy from --domain values', () => {
    // Act
    const policy = policyFromDomains(['Example.com', 'corp.example.org.']);
    // Assess
    expect(policy).toEqual({ ...parsePolicy(minimal), companyDomains: ['example.com', 'corp.example.org'] });
  });

  it('validates the domains like a file', () => {
    expect(() => policyFromDomains(['not a domain'])).toThrow(/companyDomains\[0\]: "not a domain" is not a domain name/);
    expect(() => policyFromDomains([])).toThrow(PolicyError);
  });
});

describe('loadPolicyFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policy-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('loads YAML with comments, unquoted dates and an unquoted account ID', async () => {
    // Prepare
    const path = await file(
      'policy.yaml',
      [
        '# company policy',
        'companyDomains: [example.com]',
        'requireDistinctContacts: true',
        'exemptions:',
        '  - accountId: 111122223333',
        '    reason: sandbox being closed',
        '    expires: 2027-01-31   # unquoted: the core schema keeps it a string',
      ].join('\n'),
    );
    // Act
    const policy = await loadPolicyFile(path);
    // Assess
    expect(policy.requireDistinctContacts).toBe(true);
    expect(policy.exemptions).toEqual([
      { accountId: '111122223333', contactTypes: ['BILLING', 'OPERATIONS', 'SECURITY'], reason: 'sandbox being closed', expires: '2027-01-31' },
    ]);
  });

  it('treats an optional key left empty in YAML as not set', async () => {
    // Prepare
    const path = await file('empty-keys.yaml', 'companyDomains: [example.com]\nphone:\n  allowedPrefixes:\nexemptions:\n  # - accountId: "111122223333"\n');
    // Act
    const policy = await loadPolicyFile(path);
    // Assess
    expect(policy.exemptions).toEqual([]);
    expect(policy.phone.allowedPrefixes).toEqual([]);
  });

  it('still requires companyDomains when it is left empty', async () => {
    // Prepare
    const path = await file('no-domains.yaml', 'companyDomains:\n');
    // Act / Assess
    await expect(loadPolicyFile(path)).rejects.toThrow(`policy file ${path}: companyDomains: expected a list, got null`);
  });

  it('loads JSON whatever the file is called', async () => {
    // Prepare
    const path = await file('policy.conf', JSON.stringify({ companyDomains: ['example.com'], allowSubdomains: false }));
    // Act
    const policy = await loadPolicyFile(path);
    // Assess
    expect(policy.allowSubdomains).toBe(false);
  });

  it('names the file and the field of an invalid policy', async () => {
    // Prepare
    const path = await file('bad.yaml', 'companyDomains: [example.com]\nexemptions:\n  - {accountId: "111122223333", reason: r, expires: "2027-13-01"}\n');
    // Act / Assess
    await expect(loadPolicyFile(path)).rejects.toThrow(`policy file ${path}: exemptions[0].expires: expected a date YYYY-MM-DD`);
  });

  it('names the file and the key of a typo', async () => {
    // Prepare
    const path = await file('typo.yaml', 'companyDomain: example.com\n');
    // Act / Assess
    await expect(loadPolicyFile(path)).rejects.toThrow(/typo\.yaml: .*companyDomain: unknown key/);
  });

  it('names the file when it is not YAML', async () => {
    // Prepare
    const path = await file('broken.yaml', 'companyDomains: [example.com\n');
    // Act / Assess
    await expect(loadPolicyFile(path)).rejects.toThrow(new RegExp(`^policy file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid YAML or JSON`));
  });

  it('rejects duplicate keys', async () => {
    // Prepare
    const path = await file('dup.yaml', 'companyDomains: [example.com]\ncompanyDomains: [evil.io]\n');
    // Act / Assess
    await expect(loadPolicyFile(path)).rejects.toThrow(PolicyError);
  });

  it('names the file of an empty policy', async () => {
    // Prepare
    const path = await file('empty.yaml', '');
    // Act / Assess
    await expect(loadPolicyFile(path)).rejects.toThrow(`policy file ${path}: expected a mapping of settings at the top level, got null`);
  });

  it('names the path of a missing file', async () => {
    // Prepare
    const path = join(dir, 'nope.yaml');
    // Act
    const loading = loadPolicyFile(path);
    // Assess
    await expect(loading).rejects.toBeInstanceOf(PolicyError);
    await expect(loading).rejects.toThrow(`policy file ${path}: cannot be read`);
  });
});

describe('parsePolicyText', () => {
  it('names the given source', () => {
    expect(() => parsePolicyText('{"companyDomains": []}', 'CONTACT_AUDIT_POLICY')).toThrow(
      'CONTACT_AUDIT_POLICY: companyDomains: expected at least one company domain',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { policyHash } from '../../src/policy/hash.ts';
import { parsePolicyText } from '../../src/policy/yamlFile.ts';

const YAML = `companyDomains: [example.com]
phone:
  allowedPrefixes: ["+1 206 555"]
exemptions:
  - accountId: "111122223333"
    reason: sandbox being closed
    expires: "2027-01-31"
`;

describe('policyHash', () => {
  it('is the same for the same rules written differently (JSON or YAML, key order, defaults spelt out)', () => {
    const json = JSON.stringify({
      exemptions: [{ expires: '2027-01-31', reason: 'sandbox being closed', accountId: '111122223333' }],
      allowSubdomains: true,
      phone: { allowedPrefixes: ['+1 206 555'] },
      companyDomains: ['example.com'],
    });
    const a = policyHash(parsePolicyText(YAML, 'a.yaml'));
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(policyHash(parsePolicyText(json, 'b.json'))).toBe(a);
  });

  it('changes when any rule changes', () => {
    const base = policyHash(parsePolicyText(YAML, 'a.yaml'));
    expect(policyHash(parsePolicyText(YAML.replace('example.com', 'example.org'), 'a.yaml'))).not.toBe(base);
    expect(policyHash(parsePolicyText(YAML.replace('2027-01-31', '2027-02-01'), 'a.yaml'))).not.toBe(base);
    expect(policyHash(parsePolicyText(`${YAML}requireDistinctContacts: true\n`, 'a.yaml'))).not.toBe(base);
  });
});

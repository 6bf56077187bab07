/**
 * Domain-name normalisation shared by the policy (company domains) and the rules (the domain of a
 * contact's e-mail): lower-cased, trailing dot removed, IDN converted to ASCII punycode.
 */
import { domainToASCII } from 'node:url';

/** An LDH label (letters, digits, hyphen; no hyphen at either end), at most 63 characters. */
export const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Lower-cases, removes one trailing dot and converts an IDN to ASCII punycode.
 * Returns '' when `domainToASCII` rejects the name (for instance a malformed `xn--` label).
 */
export function toAsciiDomain(domain: string): string {
  const lowered = domain.toLowerCase().replace(/\.$/, '');
  if (lowered === '') return '';
  return domainToASCII(lowered);
}

/**
 * Normalises a company domain from the policy, or explains why it is not a hostname.
 * A company domain needs at least two labels: a bare TLD such as `com` with subdomains allowed
 * would accept every `.com` address.
 */
export function normaliseCompanyDomain(raw: string): { domain: string } | { error: string } {
  const trimmed = raw.trim();
  if (trimmed === '') return { error: 'expected a domain name, got an empty string' };
  // domainToASCII parses a URL host: 'exa/mple.com' would come back as 'exa'. Reject URL and
  // address syntax before it gets the chance.
  if (/[@\s/\\:?#*]/.test(trimmed)) {
    return { error: `${JSON.stringify(trimmed)} is not a domain name (no '@', spaces, '/', ':' or wildcards)` };
  }
  const ascii = toAsciiDomain(trimmed);
  if (ascii === '') return { error: `${JSON.stringify(trimmed)} is not a valid (internationalised) domain name` };
  const labels = ascii.split('.');
  if (labels.some((label) => label === '')) return { error: `${JSON.stringify(trimmed)} has an empty label` };
  if (labels.length < 2) return { error: `${JSON.stringify(trimmed)} needs at least two labels (e.g. example.com)` };
  if (ascii.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return { error: `${JSON.stringify(trimmed)} is not a hostname (letters, digits and '-' per label)` };
  }
  return { domain: ascii };
}

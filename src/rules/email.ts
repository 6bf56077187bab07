/**
 * E-mail rules (SPEC.md §3): INVALID_EMAIL, EMAIL_NOT_COMPANY_DOMAIN, EMAIL_PATTERN_MISMATCH.
 * Each takes one contact and answers one finding or none.
 */
import type { Contact, ContactType, Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { LABEL, toAsciiDomain } from '../policy/domain.ts';
import { field, quote } from './text.ts';

/**
 * The documented EmailAddress pattern of PutAlternateContact, `[\w+=,.-]+@[\w.-]+\.[\w]+`,
 * matched against the whole string. `\w` is spelt out as ASCII: a Unicode look-alike of a company
 * domain (Cyrillic 'е', fullwidth 'ｅ') is invalid here, before any IDN mapping (which applies NFKC
 * and would turn 'ｅxample.com' into 'example.com') gets to see it.
 */
const EMAIL_PATTERN = /^[A-Za-z0-9_+=,.-]+@[A-Za-z0-9_.-]+\.[A-Za-z0-9_]+$/;
const EMAIL_MAX_LENGTH = 64;

/** The address as it is judged: surrounding white space removed. */
export function trimmedEmail(contact: Contact): string {
  return field(contact.emailAddress).trim();
}

/** Whether the trimmed address has the documented pattern and length 1–64. */
export function isValidEmail(address: string): boolean {
  return address.length >= 1 && address.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(address);
}

/**
 * The domain of an address for comparison: after the last '@', lower-cased, trailing dot removed,
 * IDN to ASCII punycode. An `xn--` label stays in its ASCII form, so a punycode look-alike never
 * equals the company domain.
 */
export function emailDomain(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return toAsciiDomain(domain) || domain.toLowerCase();
}

/** Whether `domain` (normalised) is a company domain or, when allowed, a subdomain of one. */
export function isCompanyDomain(domain: string, policy: Pick<Policy, 'companyDomains' | 'allowSubdomains'>): boolean {
  // '.example.com' or 'a..example.com' pass the documented pattern but are no host names.
  if (!domain.split('.').every((label) => LABEL.test(label))) return false;
  return policy.companyDomains.some(
    (company) => domain === company || (policy.allowSubdomains && domain.endsWith(`.${company}`)),
  );
}

/** INVALID_EMAIL: the trimmed address breaks the documented pattern or length. */
export function invalidEmail(type: ContactType, contact: Contact): Finding | undefined {
  const address = trimmedEmail(contact);
  if (isValidEmail(address)) return undefined;
  const message =
    address === ''
      ? `${type} e-mail address is empty; set a company address`
      : address.length > EMAIL_MAX_LENGTH
        ? `${type} e-mail ${quote(address)} is longer than ${EMAIL_MAX_LENGTH} characters; set a shorter company address`
        : /[^\x00-\x7f]/.test(address)
          ? `${type} e-mail ${quote(address)} contains non-ASCII characters (a look-alike of a company address?); set a company address`
          : `${type} e-mail ${quote(address)} is not a valid address (AWS pattern name@domain.tld, ASCII letters, digits and _+=,.-); set a company address`;
  return { contactType: type, code: 'INVALID_EMAIL', message };
}

/** EMAIL_NOT_COMPANY_DOMAIN: the address's domain is no company domain (nor an allowed subdomain of one). */
export function emailNotCompanyDomain(type: ContactType, contact: Contact, policy: Policy): Finding | undefined {
  const domain = emailDomain(trimmedEmail(contact));
  if (isCompanyDomain(domain, policy)) return undefined;
  const companies = policy.companyDomains.join(', ');
  const scope = policy.allowSubdomains ? `${companies} or a subdomain` : companies;
  return {
    contactType: type,
    code: 'EMAIL_NOT_COMPANY_DOMAIN',
    message: `${type} e-mail domain ${quote(domain)} is not a company domain (${scope})`,
  };
}

const patternCache = new Map<string, RegExp>();

/** The policy's pattern as a RegExp (no flags: case-sensitive, as written), compiled once. */
function compiled(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern);
    patternCache.set(pattern, regex);
  }
  return regex;
}

/** EMAIL_PATTERN_MISMATCH: a local-part pattern is configured for this type and the local part does not match it. */
export function emailPatternMismatch(type: ContactType, contact: Contact, policy: Policy): Finding | undefined {
  const pattern = policy.emailLocalPartPatterns[type];
  if (pattern === undefined) return undefined;
  const address = trimmedEmail(contact);
  const localPart = address.slice(0, address.lastIndexOf('@'));
  if (compiled(pattern).test(localPart)) return undefined;
  return {
    contactType: type,
    code: 'EMAIL_PATTERN_MISMATCH',
    message: `${type} e-mail local part ${quote(localPart)} does not match the required pattern /${pattern}/`,
  };
}

/**
 * E-mail rules (SPEC.md §3): INVALID_EMAIL, EMAIL_NOT_COMPANY_DOMAIN, EMAIL_PATTERN_MISMATCH.
 * Each takes one contact and answers one finding or none.
 */
import type { Contact, ContactKind, ContactType, Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { LABEL, toAsciiDomain } from '../policy/domain.ts';
import { policyPattern } from '../policy/regex.ts';
import { field, invisibleProblem, quote } from './echo.ts';

/**
 * The EmailAddress shape of PutAlternateContact in the current API model (botocore
 * `account/2021-02-01/service-2.json`): length 1–254 and the pattern
 * `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`, matched against the whole string. The local emulator
 * validates Put with exactly this pattern, so the rule and the emulator agree. `\w` and `\s` are
 * spelt out as ASCII: a Unicode look-alike of a company domain (Cyrillic 'е', fullwidth 'ｅ') is
 * invalid here, before any IDN mapping (which applies NFKC and would turn 'ｅxample.com' into
 * 'example.com') gets to see it; and BOM, NBSP, U+3000 or U+2028 around an address are no white
 * space AWS accepts, so they never pass.
 */
const ASCII_SPACE = '[ \\t\\n\\v\\f\\r]';
const EMAIL_PATTERN = new RegExp(`^${ASCII_SPACE}*[A-Za-z0-9_+=.#|!&-]+@[A-Za-z0-9_.-]+\\.[A-Za-z0-9_]+${ASCII_SPACE}*$`);
const EMAIL_MAX_LENGTH = 254;
const SURROUNDING_SPACE = new RegExp(`^${ASCII_SPACE}+|${ASCII_SPACE}+$`, 'g');

/** `text` without the ASCII white space around it (what AWS's patterns allow); other spaces stay. */
export function trimAscii(text: string): string {
  return text.replace(SURROUNDING_SPACE, '');
}

/** The address as it is judged: surrounding ASCII white space removed (Unicode spaces are kept, and fail). */
export function trimmedEmail(contact: Contact): string {
  return trimAscii(field(contact.emailAddress));
}

/** Whether the address (as stored, surrounding ASCII white space allowed) has the API model's pattern and length 1–254. */
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

/** Why an address breaks the API model, and what to do about it. */
export interface EmailProblem {
  reason: string;
  remedy: string;
}

/**
 * Why an address (as stored) breaks the API model's pattern or length, or undefined when it is
 * valid: the one judgement of an address, for the alternate contacts and the root e-mail alike.
 */
export function emailProblem(raw: string): EmailProblem | undefined {
  if (isValidEmail(raw)) return undefined;
  const address = trimAscii(raw);
  if (address === '') return { reason: 'is empty', remedy: 'set a company address' };
  if (raw.length > EMAIL_MAX_LENGTH) return { reason: `is longer than ${EMAIL_MAX_LENGTH} characters`, remedy: 'set a shorter company address' };
  const invisible = invisibleProblem(address);
  if (invisible) return { reason: invisible, remedy: 'set the address again' };
  if (/[^\x00-\x7f]/.test(address)) return { reason: 'contains non-ASCII characters (a look-alike of a company address?)', remedy: 'set a company address' };
  return { reason: 'is not a valid address (AWS pattern name@domain.tld, ASCII letters, digits and _+=.#|!&-)', remedy: 'set a company address' };
}

/** How a finding names an address: quoted, or "address" when there is none to quote. */
export function echoAddress(raw: string): string {
  const address = trimAscii(raw);
  return address === '' ? 'address' : quote(address);
}

/** INVALID_EMAIL: the address breaks the API model's pattern or length. */
export function invalidEmail(type: ContactKind, contact: Contact): Finding | undefined {
  const raw = field(contact.emailAddress);
  const problem = emailProblem(raw);
  if (problem === undefined) return undefined;
  return { contactType: type, code: 'INVALID_EMAIL', message: `${type} e-mail ${echoAddress(raw)} ${problem.reason}; ${problem.remedy}` };
}

/** EMAIL_NOT_COMPANY_DOMAIN: the address's domain is no company domain (nor an allowed subdomain of one). */
export function emailNotCompanyDomain(type: ContactKind, contact: Contact, policy: Pick<Policy, 'companyDomains' | 'allowSubdomains'>): Finding | undefined {
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

/** EMAIL_PATTERN_MISMATCH: a local-part pattern is configured for this type and the local part does not match it. */
export function emailPatternMismatch(type: ContactType, contact: Contact, policy: Policy): Finding | undefined {
  const pattern = policy.emailLocalPartPatterns[type];
  if (pattern === undefined) return undefined;
  const address = trimmedEmail(contact);
  const localPart = address.slice(0, address.lastIndexOf('@'));
  if (policyPattern(pattern).test(localPart)) return undefined;
  return {
    contactType: type,
    code: 'EMAIL_PATTERN_MISMATCH',
    message: `${type} e-mail local part ${quote(localPart)} does not match the required pattern /${pattern}/`,
  };
}

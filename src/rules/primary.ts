/**
 * Primary-contact rules, for accounts whose policy has a `primaryContact` section:
 * PRIMARY_CONTACT_MISSING, PRIMARY_CONTACT_COMPANY_NAME_MISMATCH, PRIMARY_CONTACT_INVALID_PHONE,
 * PRIMARY_CONTACT_PHONE_NOT_COMPANY and PRIMARY_CONTACT_PLACEHOLDER_PHONE. Messages never echo
 * the phone number or the person's name.
 */
import type { Finding, PrimaryContact } from '../model.ts';
import { policyPattern } from '../policy/regex.ts';
import type { Policy, PrimaryContactPolicy } from '../policy/types.ts';
import { isPlaceholderPhone } from './placeholder.ts';
import { phoneDigits, phoneProblem, type PhoneShape } from './phone.ts';
import { field, quote } from './text.ts';

/**
 * The documented PhoneNumber of ContactInformation (Account Management API): `[+][\s0-9()-]+`,
 * 1–20 characters; it must start with '+' and a country code. Judged by the alternate contacts'
 * {@link phoneProblem}, so the same invisible characters fail.
 */
export const PRIMARY_PHONE: PhoneShape = {
  pattern: /^[+][ \t\n\v\f\r0-9()-]+$/,
  maxLength: 20,
  mismatch: 'has other characters',
};

/** PRIMARY_CONTACT_MISSING: GetContactInformation answered ResourceNotFoundException (or no ContactInformation). */
export function primaryContactMissing(): Finding {
  return { contactType: 'PRIMARY', code: 'PRIMARY_CONTACT_MISSING', message: 'PRIMARY contact is not set; set the company as the primary contact' };
}


/** PRIMARY_CONTACT_COMPANY_NAME_MISMATCH: no CompanyName, or one the required pattern does not match. */
export function primaryContactCompanyNameMismatch(contact: PrimaryContact, section: PrimaryContactPolicy): Finding | undefined {
  const name = field(contact.companyName).trim();
  if (name !== '' && policyPattern(section.companyNamePattern).test(name)) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_CONTACT_COMPANY_NAME_MISMATCH',
    message:
      name === ''
        ? `PRIMARY contact has no company name; set one matching /${section.companyNamePattern}/`
        : `PRIMARY contact company name ${quote(name)} does not match the required pattern /${section.companyNamePattern}/`,
  };
}

/** Whether a primary-contact phone has the documented form. */
export function isValidPrimaryPhone(phone: string): boolean {
  return phoneProblem(phone, PRIMARY_PHONE) === undefined;
}

/** PRIMARY_CONTACT_INVALID_PHONE: the phone breaks the documented pattern or length. */
export function primaryContactInvalidPhone(contact: PrimaryContact): Finding | undefined {
  const problem = phoneProblem(field(contact.phoneNumber), PRIMARY_PHONE);
  if (problem === undefined) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_CONTACT_INVALID_PHONE',
    message: `PRIMARY contact phone number ${problem}; use '+', the country code and up to ${PRIMARY_PHONE.maxLength} digits, spaces and ( ) -`,
  };
}

/** PRIMARY_CONTACT_PHONE_NOT_COMPANY: prefixes apply (the section's, else the top-level ones) and none matches. */
export function primaryContactPhoneNotCompany(contact: PrimaryContact, section: PrimaryContactPolicy, policy: Pick<Policy, 'phone'>): Finding | undefined {
  const prefixes = section.phone?.allowedPrefixes ?? policy.phone.allowedPrefixes;
  const allowed = prefixes.map(phoneDigits).filter((prefix) => prefix !== '');
  const phone = field(contact.phoneNumber);
  if (allowed.length === 0 || !isValidPrimaryPhone(phone)) return undefined;
  const digits = phoneDigits(phone);
  if (allowed.some((prefix) => digits.startsWith(prefix))) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_CONTACT_PHONE_NOT_COMPANY',
    message: `PRIMARY contact phone number does not start with a company prefix (${prefixes.join(', ')})`,
  };
}

/** PRIMARY_CONTACT_PLACEHOLDER_PHONE: a valid phone that is a placeholder (always checked for the primary contact). */
export function primaryContactPlaceholderPhone(contact: PrimaryContact): Finding | undefined {
  const phone = field(contact.phoneNumber);
  if (!isValidPrimaryPhone(phone) || !isPlaceholderPhone(phone)) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_CONTACT_PLACEHOLDER_PHONE',
    message: 'PRIMARY contact phone number is a placeholder (repeated or sequential digits); set a company number AWS can reach',
  };
}

/** Every finding of a present primary contact, in the order above. */
export function primaryContactFindings(contact: PrimaryContact, section: PrimaryContactPolicy, policy: Pick<Policy, 'phone'>): Finding[] {
  const invalid = primaryContactInvalidPhone(contact);
  const phone = invalid ? [invalid] : [primaryContactPhoneNotCompany(contact, section, policy), primaryContactPlaceholderPhone(contact)];
  return [primaryContactCompanyNameMismatch(contact, section), ...phone].filter((f): f is Finding => f !== undefined);
}

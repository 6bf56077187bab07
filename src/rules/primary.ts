/**
 * Primary-contact rules, for accounts whose policy has a `primaryContact` section:
 * PRIMARY_CONTACT_MISSING, PRIMARY_CONTACT_COMPANY_NAME_MISMATCH, PRIMARY_CONTACT_INVALID_PHONE,
 * PRIMARY_CONTACT_PHONE_NOT_COMPANY, PRIMARY_CONTACT_PLACEHOLDER_PHONE and, with
 * `requireVerifiedPhone`, PRIMARY_PHONE_NOT_VERIFIED. Messages never echo the phone number or the
 * person's name.
 */
import type { Finding, PrimaryContact } from '../model.ts';
import { policyPattern } from '../policy/regex.ts';
import type { Policy, PrimaryContactPolicy } from '../policy/types.ts';
import { isPlaceholderPhone } from './placeholder.ts';
import { phoneDigits, phoneProblem, type PhoneShape } from './phone.ts';
import { field, quote } from './echo.ts';

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
function primaryContactCompanyNameMismatch(contact: PrimaryContact, section: PrimaryContactPolicy): Finding | undefined {
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
function isValidPrimaryPhone(phone: string): boolean {
  return phoneProblem(phone, PRIMARY_PHONE) === undefined;
}

/** PRIMARY_CONTACT_INVALID_PHONE: the phone breaks the documented pattern or length. */
function primaryContactInvalidPhone(contact: PrimaryContact): Finding | undefined {
  const problem = phoneProblem(field(contact.phoneNumber), PRIMARY_PHONE);
  if (problem === undefined) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_CONTACT_INVALID_PHONE',
    message: `PRIMARY contact phone number ${problem}; use '+', the country code and up to ${PRIMARY_PHONE.maxLength} digits, spaces and ( ) -`,
  };
}

/** PRIMARY_CONTACT_PHONE_NOT_COMPANY: prefixes apply (the section's, else the top-level ones) and none matches. */
function primaryContactPhoneNotCompany(contact: PrimaryContact, section: PrimaryContactPolicy, policy: Pick<Policy, 'phone'>): Finding | undefined {
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
function primaryContactPlaceholderPhone(contact: PrimaryContact): Finding | undefined {
  const phone = field(contact.phoneNumber);
  if (!isValidPrimaryPhone(phone) || !isPlaceholderPhone(phone)) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_CONTACT_PLACEHOLDER_PHONE',
    message: 'PRIMARY contact phone number is a placeholder (repeated or sequential digits); set a company number AWS can reach',
  };
}

/** The VerificationStatus values that mean the phone is not (yet) verified: a passcode not sent, or sent and not entered. */
const NOT_VERIFIED: readonly string[] = ['UNVERIFIED', 'PENDING'];

/**
 * The error code of a CHECK_FAILED when `requireVerifiedPhone` is on and GetContactInformation
 * answered without `VerificationStatus`: the auditor cannot tell, so the account is UNKNOWN, never
 * COMPLIANT (as GetPrimaryEmail's answer without PrimaryEmail is a failed read).
 */
export const VERIFICATION_STATUS_MISSING = 'VerificationStatusMissing';

/**
 * PRIMARY_PHONE_NOT_VERIFIED, with `requireVerifiedPhone`: the phone is UNVERIFIED, or PENDING (a
 * passcode was sent and not entered). VERIFIED passes, and so does NOT_SUPPORTED: AWS offers no
 * verification for the account, so nobody can fix it (API reference, GetContactInformation,
 * VerificationStatus). An answer without the status is a CHECK_FAILED ({@link VERIFICATION_STATUS_MISSING}).
 * The auditor never sends the passcode itself: that texts a person.
 */
export function primaryPhoneNotVerified(verificationStatus: string | undefined, section: PrimaryContactPolicy): Finding | undefined {
  if (section.requireVerifiedPhone !== true) return undefined;
  if (verificationStatus === undefined) {
    return {
      contactType: 'PRIMARY',
      code: 'CHECK_FAILED',
      errorCode: VERIFICATION_STATUS_MISSING,
      message: 'GetContactInformation gave no VerificationStatus for the PRIMARY contact phone; its verification could not be checked',
    };
  }
  if (!NOT_VERIFIED.includes(verificationStatus)) return undefined;
  return {
    contactType: 'PRIMARY',
    code: 'PRIMARY_PHONE_NOT_VERIFIED',
    message:
      verificationStatus === 'PENDING'
        ? 'PRIMARY contact phone number is not verified: a passcode was sent and not yet entered (PENDING); the holder of the number enters it in the AWS console'
        : 'PRIMARY contact phone number is not verified (UNVERIFIED); the holder of the number verifies it in the AWS console (Account, Contact information)',
  };
}

/** Every finding of a present primary contact, in the order above. */
export function primaryContactFindings(
  contact: PrimaryContact,
  section: PrimaryContactPolicy,
  policy: Pick<Policy, 'phone'>,
  verificationStatus?: string,
): Finding[] {
  const invalid = primaryContactInvalidPhone(contact);
  const phone = invalid ? [invalid] : [primaryContactPhoneNotCompany(contact, section, policy), primaryContactPlaceholderPhone(contact)];
  return [primaryContactCompanyNameMismatch(contact, section), ...phone, primaryPhoneNotVerified(verificationStatus, section)].filter(
    (f): f is Finding => f !== undefined,
  );
}

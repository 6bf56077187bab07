/** Phone rules (SPEC.md §3): INVALID_PHONE and PHONE_NOT_COMPANY. Messages never echo the number (personal data). */
import type { Contact, ContactType, Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { field } from './text.ts';

/**
 * The PhoneNumber shape of PutAlternateContact in the current API model: length 1–25 and the
 * pattern `[\s0-9()+-]+`, whole string. `\s` is ASCII white space, as AWS validates it: BOM, NBSP,
 * U+3000 or U+2028 (all in JavaScript's own `\s`) make a number invalid.
 */
const PHONE_PATTERN = /^[ \t\n\v\f\r0-9()+-]+$/;
const PHONE_MAX_LENGTH = 25;

/** The digits of a phone number or prefix, which is how prefixes are compared. */
export function phoneDigits(phone: string): string {
  return phone.replace(/[^0-9]/g, '');
}

/** Why a phone number is invalid, or undefined when it is valid. */
function phoneProblem(phone: string): string | undefined {
  if (phone === '') return 'is empty';
  if (phone.length > PHONE_MAX_LENGTH) return `is longer than ${PHONE_MAX_LENGTH} characters`;
  if (!PHONE_PATTERN.test(phone)) return 'contains characters other than digits, spaces and + - ( )';
  // The pattern accepts '+-()' or spaces alone; a number without a digit cannot be dialled.
  if (phoneDigits(phone) === '') return 'contains no digits';
  return undefined;
}

/** Whether the raw phone number has the documented characters, length 1–25 and at least one digit. */
export function isValidPhone(phone: string): boolean {
  return phoneProblem(phone) === undefined;
}

/** INVALID_PHONE: the raw phone number breaks the documented characters or length. */
export function invalidPhone(type: ContactType, contact: Contact): Finding | undefined {
  const problem = phoneProblem(field(contact.phoneNumber));
  if (problem === undefined) return undefined;
  return {
    contactType: type,
    code: 'INVALID_PHONE',
    message: `${type} phone number ${problem}; use 1–${PHONE_MAX_LENGTH} digits, spaces and + - ( )`,
  };
}

/** PHONE_NOT_COMPANY: allowed prefixes are set and the phone's digits start with none of theirs. Skipped for an invalid phone. */
export function phoneNotCompany(type: ContactType, contact: Contact, policy: Policy): Finding | undefined {
  const prefixes = policy.phone.allowedPrefixes;
  const phone = field(contact.phoneNumber);
  // A prefix without digits would match every number; the policy rejects it, so ignore it here.
  const allowed = prefixes.map(phoneDigits).filter((prefix) => prefix !== '');
  if (allowed.length === 0 || !isValidPhone(phone)) return undefined;
  const digits = phoneDigits(phone);
  if (allowed.some((prefix) => digits.startsWith(prefix))) return undefined;
  return {
    contactType: type,
    code: 'PHONE_NOT_COMPANY',
    message: `${type} phone number does not start with a company prefix (${prefixes.join(', ')})`,
  };
}

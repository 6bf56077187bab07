/** Phone rules (SPEC.md §3): INVALID_PHONE and PHONE_NOT_COMPANY. Messages never echo the number (personal data). */
import type { Contact, ContactKind, Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { field, invisibleProblem } from './echo.ts';

/**
 * A phone number's shape in the API model: its pattern, matched against the whole string, with
 * `\s` read as ASCII white space as AWS validates it (BOM, NBSP, U+3000 or U+2028, all in
 * JavaScript's own `\s`, make a number invalid), and its greatest length.
 */
export interface PhoneShape {
  pattern: RegExp;
  maxLength: number;
  /** What a number the pattern refuses gets wrong. */
  mismatch: string;
}

/** PhoneNumber of PutAlternateContact in the current API model: `[\s0-9()+-]+`, length 1–25. */
export const ALTERNATE_PHONE: PhoneShape = {
  pattern: /^[ \t\n\v\f\r0-9()+-]+$/,
  maxLength: 25,
  mismatch: 'contains characters other than digits, spaces and + - ( )',
};

/** The digits of a phone number or prefix, which is how prefixes are compared. */
export function phoneDigits(phone: string): string {
  return phone.replace(/[^0-9]/g, '');
}

/**
 * Why a phone number breaks its shape, or undefined when it is valid: the one judgement of a
 * phone number, for the alternate contacts and the primary contact alike.
 */
export function phoneProblem(phone: string, shape: PhoneShape = ALTERNATE_PHONE): string | undefined {
  if (phone === '') return 'is empty';
  if (phone.length > shape.maxLength) return `is longer than ${shape.maxLength} characters`;
  const invisible = invisibleProblem(phone);
  if (invisible) return invisible;
  if (!shape.pattern.test(phone)) return shape.mismatch;
  // The pattern accepts '+-()' or spaces alone; a number without a digit cannot be dialled.
  if (phoneDigits(phone) === '') return 'contains no digits';
  return undefined;
}

/** Whether the raw phone number has the documented characters, length 1–25 and at least one digit. */
export function isValidPhone(phone: string): boolean {
  return phoneProblem(phone) === undefined;
}

/** INVALID_PHONE: the raw phone number breaks the documented characters or length. */
export function invalidPhone(type: ContactKind, contact: Contact): Finding | undefined {
  const problem = phoneProblem(field(contact.phoneNumber));
  if (problem === undefined) return undefined;
  return {
    contactType: type,
    code: 'INVALID_PHONE',
    message: `${type} phone number ${problem}; use 1–${ALTERNATE_PHONE.maxLength} digits, spaces and + - ( )`,
  };
}

/** PHONE_NOT_COMPANY: allowed prefixes are set and the phone's digits start with none of theirs. Skipped for an invalid phone. */
export function phoneNotCompany(type: ContactKind, contact: Contact, policy: Pick<Policy, 'phone'>): Finding | undefined {
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

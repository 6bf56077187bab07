/**
 * PLACEHOLDER_PHONE: a well-formed number nobody answers — `+1 000 000 0000`,
 * `123456789`, one digit repeated. Messages never echo the number (personal data).
 */
import type { Contact, ContactType, Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { isValidPhone, phoneDigits } from './phone.ts';
import { field } from './echo.ts';

/** Fewer digits than this are too short to call a placeholder with confidence ("1", "911"). */
const MIN_DIGITS = 6;

/** Whether the digits are one digit repeated, or a run up or down (0123456789, 987654321; 9→0 wraps). */
function isPattern(digits: string): boolean {
  if (digits.length < MIN_DIGITS) return false;
  if (/^(\d)\1*$/.test(digits)) return true;
  const steps = new Set<number>();
  for (let i = 1; i < digits.length; i++) steps.add((Number(digits[i]) - Number(digits[i - 1]) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/**
 * Whether a phone number is a placeholder: its digits, or its digits after a country code of one
 * to three digits (`+1 000 000 0000`, `+44 1111 111111`), are one digit repeated or a run
 * (`123456789`, `+1 234 567 8901`). Real numbers such as `+1 206 555 0100` are not.
 */
export function isPlaceholderPhone(phone: string): boolean {
  const digits = phoneDigits(phone);
  if (isPattern(digits)) return true;
  for (const cc of [1, 2, 3]) if (isPattern(digits.slice(cc))) return true;
  return false;
}

/** PLACEHOLDER_PHONE: a valid alternate-contact phone that is a placeholder; off with `phone.rejectPlaceholders: false`. */
export function placeholderPhone(type: ContactType, contact: Contact, policy: Pick<Policy, 'phone'>): Finding | undefined {
  if (policy.phone.rejectPlaceholders === false) return undefined;
  const phone = field(contact.phoneNumber);
  if (!isValidPhone(phone) || !isPlaceholderPhone(phone)) return undefined;
  return {
    contactType: type,
    code: 'PLACEHOLDER_PHONE',
    message: `${type} phone number is a placeholder (repeated or sequential digits); set a number that reaches the ${type.toLowerCase()} team`,
  };
}

/** CONTACT_VALUE_MISMATCH: an alternate contact differs from the exact values the policy expects. */
import type { Contact, ContactType, Finding } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { phoneDigits } from './phone.ts';
import { field, quote } from './echo.ts';

const FIELD_LABEL = { name: 'name', title: 'title', emailAddress: 'e-mail', phoneNumber: 'phone number' } as const;

/** Whether one field matches: e-mail trimmed and case-insensitive, phone on digits, name and title trimmed. */
function matches(key: keyof Contact, actual: string, expected: string): boolean {
  if (key === 'emailAddress') return actual.trim().toLowerCase() === expected.trim().toLowerCase();
  if (key === 'phoneNumber') return phoneDigits(actual) === phoneDigits(expected);
  return actual.trim() === expected.trim();
}

/**
 * One finding per contact whose fields differ from `expect[type]`, naming the fields; the
 * expected e-mail is echoed (it is the policy's), the phone number never is.
 */
export function contactValueMismatch(type: ContactType, contact: Contact, policy: Pick<Policy, 'expect'>): Finding | undefined {
  const expected = policy.expect?.[type];
  if (expected === undefined) return undefined;
  const differing = (Object.keys(FIELD_LABEL) as (keyof Contact)[]).filter(
    (key) => expected[key] !== undefined && !matches(key, field(contact[key]), expected[key]),
  );
  if (differing.length === 0) return undefined;
  const details = differing.map((key) =>
    key === 'emailAddress' ? `e-mail should be ${quote(expected.emailAddress!.trim())}` : `${FIELD_LABEL[key]} differs from the expected one`,
  );
  return { contactType: type, code: 'CONTACT_VALUE_MISMATCH', message: `${type} contact: ${details.join('; ')}` };
}

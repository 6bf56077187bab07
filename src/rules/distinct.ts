/** CONTACTS_NOT_DISTINCT (SPEC.md §3): with `requireDistinctContacts`, no two present contacts share an e-mail. */
import type { Contact, ContactType, Finding } from '../model.ts';
import { quote } from './echo.ts';
import { trimmedEmail } from './email.ts';

/**
 * One finding on each contact that repeats the address of an earlier one (in the order given),
 * naming that earlier type. Addresses compare trimmed and case-insensitively; an empty address is
 * shared with nobody (INVALID_EMAIL already reports it). Only present contacts are passed in:
 * missing or unread contacts never count.
 */
export function contactsNotDistinct(contacts: ReadonlyArray<{ type: ContactType; contact: Contact }>): Finding[] {
  const firstUse = new Map<string, ContactType>();
  const findings: Finding[] = [];
  for (const { type, contact } of contacts) {
    const address = trimmedEmail(contact);
    const key = address.toLowerCase();
    if (key === '') continue;
    const earlier = firstUse.get(key);
    if (earlier === undefined) {
      firstUse.set(key, type);
      continue;
    }
    findings.push({
      contactType: type,
      code: 'CONTACTS_NOT_DISTINCT',
      message: `${type} e-mail ${quote(address)} is also the ${earlier} e-mail; give each contact its own address`,
    });
  }
  return findings;
}

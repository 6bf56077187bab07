/** Rules on whether a contact could be read at all (SPEC.md §3): MISSING_CONTACT and CHECK_FAILED. */
import type { ContactKind, Finding, FindingSubject } from '../model.ts';
import { stripControl } from '../textHygiene.ts';

/** The longest AWS error message a finding repeats. */
const MAX_AWS_MESSAGE = 300;

/** MISSING_CONTACT: GetAlternateContact answered ResourceNotFoundException. */
export function missingContact(type: ContactKind, companyDomains: readonly string[]): Finding {
  return {
    contactType: type,
    code: 'MISSING_CONTACT',
    message: `${type} contact is missing; add one with an address in ${companyDomains.join(', ')}`,
  };
}

/**
 * CHECK_FAILED: the contact could not be read (or was never read). It carries the AWS error code;
 * such a contact is neither missing nor compliant.
 */
export function checkFailed(type: FindingSubject, failure?: { errorCode: string; message: string }): Finding {
  if (failure === undefined) {
    return {
      contactType: type,
      code: 'CHECK_FAILED',
      errorCode: 'NotRead',
      message: `${type} contact was not read, so it could not be checked; re-run the check`,
    };
  }
  const errorCode = stripControl(failure.errorCode).trim() || 'UnknownError';
  let detail = stripControl(failure.message.replace(/\s+/g, ' ')).trim();
  if (detail.length > MAX_AWS_MESSAGE) detail = `${detail.slice(0, MAX_AWS_MESSAGE)}…`;
  return {
    contactType: type,
    code: 'CHECK_FAILED',
    errorCode,
    message: `${type} contact could not be read (${errorCode}${detail ? `: ${detail}` : ''}); unknown until it can be read: check permissions or retry`,
  };
}

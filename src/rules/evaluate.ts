/**
 * Evaluation of one account (SPEC.md §3): contact reads and policy in, findings and status out.
 * Pure: no I/O, no clock (the day is an argument).
 */
import type { AccountResult, AccountStatus, Contact, ContactReads, ContactType, Finding, OrgAccount } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { isCalendarDate } from '../policy/dates.ts';
import { checkFailed, missingContact } from './contact.ts';
import { emailNotCompanyDomain, emailPatternMismatch, invalidEmail } from './email.ts';
import { invalidPhone, phoneNotCompany } from './phone.ts';
import { contactsNotDistinct } from './distinct.ts';
import { applyExemptions } from './exemptions.ts';

/**
 * Evaluates one account. An inactive account ({@link isInactive}) is SKIPPED without looking at `reads`. Otherwise each
 * of `policy.requiredContactTypes`, in that order, gets its findings (an absent or failed read is
 * CHECK_FAILED, never missing or compliant), then CONTACTS_NOT_DISTINCT, then exemptions are applied.
 * @param today the evaluation day, YYYY-MM-DD (UTC), for exemption expiry.
 */
export function evaluateAccount(account: OrgAccount, reads: ContactReads, policy: Policy, today: string): AccountResult {
  if (!isCalendarDate(today)) throw new RangeError(`evaluateAccount: today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  if (isInactive(account)) return skippedAccount(account);

  const contacts: AccountResult['contacts'] = {};
  const present: Array<{ type: ContactType; contact: Contact }> = [];
  const findings: Finding[] = [];

  for (const type of policy.requiredContactTypes) {
    const read = reads[type];
    if (read === undefined || read.kind === 'failed') {
      findings.push(checkFailed(type, read));
    } else if (read.kind === 'missing') {
      contacts[type] = null;
      findings.push(missingContact(type, policy.companyDomains));
    } else {
      contacts[type] = read.contact;
      present.push({ type, contact: read.contact });
      findings.push(...contactFindings(type, read.contact, policy));
    }
  }
  if (policy.requireDistinctContacts) findings.push(...contactsNotDistinct(present));

  const judged = applyExemptions(findings, account, policy, today);
  return { accountId: account.id, name: account.name, state: account.state, status: accountStatus(judged), contacts, findings: judged };
}

/** The findings of one present contact, in the order of §3. */
function contactFindings(type: ContactType, contact: Contact, policy: Policy): Finding[] {
  const email = invalidEmail(type, contact);
  // An invalid address has no trustworthy domain or local part: the other e-mail checks are skipped.
  const emailFindings = email ? [email] : [emailNotCompanyDomain(type, contact, policy), emailPatternMismatch(type, contact, policy)];
  const phone = invalidPhone(type, contact);
  const phoneFindings = phone ? [phone] : [phoneNotCompany(type, contact, policy)];
  return [...emailFindings, ...phoneFindings].filter((finding): finding is Finding => finding !== undefined);
}

/**
 * The status of an ACTIVE account from its findings: NON_COMPLIANT if any finding other than
 * CHECK_FAILED is not exempted; else UNKNOWN if any CHECK_FAILED; else EXEMPT if there are findings
 * (all exempted); else COMPLIANT.
 */
export function accountStatus(findings: Finding[]): AccountStatus {
  if (findings.some((finding) => finding.code !== 'CHECK_FAILED' && finding.exemption === undefined)) return 'NON_COMPLIANT';
  if (findings.some((finding) => finding.code === 'CHECK_FAILED')) return 'UNKNOWN';
  return findings.length > 0 ? 'EXEMPT' : 'COMPLIANT';
}

/** Organizations lifecycle states of accounts that are not checked (§3 SKIPPED). */
export const INACTIVE_STATES: readonly string[] = ['PENDING_ACTIVATION', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'];

/**
 * Whether an account is SKIPPED: its `State` says it is not active. An account whose state is
 * missing or new to this code is checked, never skipped: skipping hides an account from the audit,
 * while a read of an account that cannot answer only makes it UNKNOWN.
 */
export function isInactive(account: Pick<OrgAccount, 'state'>): boolean {
  return INACTIVE_STATES.includes(account.state);
}

/** The result of an account that is not checked because it is not ACTIVE. */
export function skippedAccount(account: OrgAccount): AccountResult {
  return { accountId: account.id, name: account.name, state: account.state, status: 'SKIPPED', contacts: {}, findings: [] };
}

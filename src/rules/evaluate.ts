/**
 * Evaluation of one account (SPEC.md §3): contact reads and policy in, findings and status out.
 * Pure: no I/O, no clock (the day is an argument).
 */
import type { AccountResult, AccountStatus, Contact, ContactReads, ContactType, ExtraReads, Finding, OrgAccount } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { isCalendarDate } from '../policy/dates.ts';
import { checkFailed, missingContact } from './contact.ts';
import { emailNotCompanyDomain, emailPatternMismatch, invalidEmail } from './email.ts';
import { invalidPhone, phoneNotCompany } from './phone.ts';
import { contactsNotDistinct } from './distinct.ts';
import { applyExemptions } from './exemptions.ts';
import { effectivePolicy } from '../policy/overrides.ts';
import { placeholderPhone } from './placeholder.ts';
import { contactValueMismatch } from './expect.ts';
import { primaryContactFindings, primaryContactMissing } from './primary.ts';
import { rootEmailNotCompanyDomain } from './rootEmail.ts';
import { rootEmailUpdateNote } from './rootEmailUpdate.ts';
import { emailReusedAcrossAccounts } from './reuse.ts';

/**
 * Evaluates one account. An inactive account ({@link isInactive}) is SKIPPED without looking at `reads`. Otherwise each
 * of `policy.requiredContactTypes`, in that order, gets its findings (an absent or failed read is
 * CHECK_FAILED, never missing or compliant), then CONTACTS_NOT_DISTINCT, then exemptions are applied.
 * @param today the evaluation day, YYYY-MM-DD (UTC), for exemption expiry.
 */
export function evaluateAccount(account: OrgAccount, reads: ContactReads, basePolicy: Policy, today: string, extras: ExtraReads = {}): AccountResult {
  if (!isCalendarDate(today)) throw new RangeError(`evaluateAccount: today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  if (isInactive(account)) return skippedAccount(account);
  // The overrides of the account's root, OUs and own ID; the base policy when there are none.
  const policy = effectivePolicy(basePolicy, account);

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

  const surface = surfaceFindings(extras, policy, findings);
  // Notes judge nothing: they are kept out of `findings`, the status and the exemptions.
  const note = policy.rootEmail?.updateStatus ? rootEmailUpdateNote(extras.rootEmailUpdate) : undefined;

  const judged = applyExemptions(findings, account, basePolicy, today);
  return {
    accountId: account.id,
    name: account.name,
    state: account.state,
    status: accountStatus(judged),
    contacts,
    findings: judged,
    ...placement(account),
    ...surface,
    ...(note ? { notes: [note] } : {}),
  };
}

/**
 * The primary contact (and its phone's verification status) and the root e-mail, each only with
 * its policy section: the values the report shows, their findings pushed onto `findings` (an
 * absent or failed read is CHECK_FAILED).
 */
function surfaceFindings(extras: ExtraReads, policy: Policy, findings: Finding[]): Pick<AccountResult, 'primaryContact' | 'primaryPhoneVerification' | 'rootEmail'> {
  const surface: Pick<AccountResult, 'primaryContact' | 'primaryPhoneVerification' | 'rootEmail'> = {};
  if (policy.primaryContact) {
    const read = extras.primaryContact;
    if (read === undefined || read.kind === 'failed') {
      findings.push(checkFailed('PRIMARY', read));
    } else if (read.kind === 'missing') {
      surface.primaryContact = null;
      findings.push(primaryContactMissing());
    } else {
      surface.primaryContact = read.contact;
      if (read.verificationStatus !== undefined) surface.primaryPhoneVerification = read.verificationStatus;
      findings.push(...primaryContactFindings(read.contact, policy.primaryContact, policy, read.verificationStatus));
    }
  }
  if (policy.rootEmail) {
    const read = extras.rootEmail;
    if (read === undefined || read.kind === 'failed') {
      findings.push(checkFailed('ROOT_EMAIL', read));
    } else {
      surface.rootEmail = read.email;
      const finding = rootEmailNotCompanyDomain(read.email, policy);
      if (finding) findings.push(finding);
    }
  }
  return surface;
}

/** The report's `ou` field: the account's parent without the ID chain. */
function placement(account: OrgAccount): Pick<AccountResult, 'ou'> {
  return account.ou ? { ou: { id: account.ou.id, name: account.ou.name, path: account.ou.path } } : {};
}

/**
 * The rules that need every account at once (EMAIL_REUSED_ACROSS_ACCOUNTS), applied after each
 * account was evaluated: their findings are added (with exemptions) and the status recomputed.
 * Results come back in the same order; without such a rule configured they are returned unchanged.
 */
export function applyOrganizationRules(results: readonly AccountResult[], policy: Policy, today: string): AccountResult[] {
  const added = emailReusedAcrossAccounts(results, policy);
  if (added.size === 0) return [...results];
  return results.map((result) => {
    const more = added.get(result.accountId);
    if (!more) return result;
    const findings = [...result.findings, ...applyExemptions(more, { id: result.accountId }, policy, today)];
    return { ...result, findings, status: accountStatus(findings) };
  });
}

/** The findings of one present contact, in the order of §3. */
function contactFindings(type: ContactType, contact: Contact, policy: Policy): Finding[] {
  const email = invalidEmail(type, contact);
  // An invalid address has no trustworthy domain or local part: the other e-mail checks are skipped.
  const emailFindings = email ? [email] : [emailNotCompanyDomain(type, contact, policy), emailPatternMismatch(type, contact, policy)];
  const phone = invalidPhone(type, contact);
  const phoneFindings = phone ? [phone] : [phoneNotCompany(type, contact, policy), placeholderPhone(type, contact, policy)];
  return [...emailFindings, ...phoneFindings, contactValueMismatch(type, contact, policy)].filter(
    (finding): finding is Finding => finding !== undefined,
  );
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
  return { accountId: account.id, name: account.name, state: account.state, status: 'SKIPPED', contacts: {}, findings: [], ...placement(account) };
}

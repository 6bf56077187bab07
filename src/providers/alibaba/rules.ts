/**
 * Evaluation of one Resource Directory member (docs/alibaba.md), pure: no I/O, no clock. The e-mail
 * and phone rules are the AWS ones (src/rules); Alibaba's `<country>-<number>` phone format is
 * within their documented characters, and prefixes compare on digits (`86-139` matches 86-13900001234).
 *
 * Message types travel in the report's `contactType` fields: the report schema (§5) is shared by
 * both clouds and its contact types are plain strings on the wire.
 */
import type { AccountResult, Contact, ContactType, Finding } from '../../model.ts';
import type { Policy } from '../../policy/types.ts';
import { accountStatus } from '../../rules/evaluate.ts';
import { checkFailed } from '../../rules/contact.ts';
import { emailNotCompanyDomain, invalidEmail } from '../../rules/email.ts';
import { invalidPhone, phoneNotCompany } from '../../rules/phone.ts';
import { applyExemptions } from '../../rules/exemptions.ts';
import { isCalendarDate } from '../../policy/dates.ts';
import { quote } from '../../rules/text.ts';
import type { MessageContact, RdAccountDetails, RdMember, ReadResult } from './directory.ts';
import { SECURE_MOBILE_PHONE, type AlibabaPolicy } from './policy.ts';

/** A contact that covers the member, with the ID (directory, folder or the member) it is bound at. */
export interface CoveringContact {
  contact: MessageContact;
  boundAt: string;
}

export interface MemberReads {
  /** Every message contact bound to the member or to a folder or directory above it; a failure if any of those reads failed. */
  contacts: ReadResult<CoveringContact[]>;
  /** GetAccount; absent when not needed (a cloud account, or the secure-phone check is off). */
  account?: ReadResult<RdAccountDetails>;
}

/** Deletion under way: the member is leaving the directory and is not checked. */
export const SKIPPED_DELETION_STATUSES: readonly string[] = ['Checking', 'Deleting'];

export const isMemberSkipped = (member: Pick<RdMember, 'deletionStatus'>): boolean =>
  member.deletionStatus !== undefined && SKIPPED_DELETION_STATUSES.includes(member.deletionStatus);

/** The report's `state` of a member: its deletion status when a deletion was asked for, else its status. */
export const memberState = (member: RdMember): string => member.deletionStatus ?? member.status ?? '';

const as = (type: string): ContactType => type as ContactType;

/** The rule functions of src/rules take a whole policy; only domains, subdomains and prefixes matter to them. */
function rulePolicy(policy: AlibabaPolicy): Policy {
  return {
    companyDomains: policy.companyDomains,
    allowSubdomains: policy.allowSubdomains,
    requiredContactTypes: [],
    phone: policy.phone,
    requireDistinctContacts: false,
    emailLocalPartPatterns: {},
    exemptions: [],
    maxAlertsPerSweep: 0,
  };
}

/** Which covering contact the report shows for a type: Active before the rest, then the nearest binding. */
function shown(candidates: CoveringContact[], path: readonly string[]): CoveringContact | undefined {
  const depth = (c: CoveringContact) => path.indexOf(c.boundAt);
  return [...candidates].sort((a, b) => Number(b.contact.status === 'Active') - Number(a.contact.status === 'Active') || depth(b) - depth(a))[0];
}

const toContact = (c: MessageContact): Contact => ({ name: c.name, title: c.title, emailAddress: c.emailAddress, phoneNumber: c.phoneNumber });

/** The findings of one contact for one message type; each names the contact and where it is bound. */
function contactFindings(type: string, covering: CoveringContact, policy: AlibabaPolicy, rules: Policy): Finding[] {
  const { contact, boundAt } = covering;
  const where = ` (contact ${contact.contactId}, bound to ${boundAt})`;
  const c = toContact(contact);
  const findings: Finding[] = [];
  if (policy.requireActiveContacts && contact.status !== 'Active') {
    findings.push({
      contactType: as(type),
      code: 'CONTACT_NOT_VERIFIED',
      message: `${type} contact ${quote(contact.emailAddress.trim())} is ${quote(contact.status || 'without a status')}, not Active: it receives no messages until its e-mail and phone are verified`,
    });
  }
  const email = invalidEmail(as(type), c);
  findings.push(...(email ? [email] : [emailNotCompanyDomain(as(type), c, rules)].filter((f): f is Finding => f !== undefined)));
  const phone = invalidPhone(as(type), c);
  findings.push(...(phone ? [phone] : [phoneNotCompany(as(type), c, rules)].filter((f): f is Finding => f !== undefined)));
  return findings.map((f) => ({ ...f, message: f.message + where }));
}

/**
 * Evaluates one member. A member whose deletion is under way is SKIPPED. Otherwise, per required
 * message type: a contact read that failed is CHECK_FAILED (never missing, never compliant); no
 * covering contact (Deleting ones do not count) is MISSING_CONTACT; every covering contact is
 * judged (CONTACT_NOT_VERIFIED unless Active, then the e-mail and phone rules). Then a resource
 * account without a secure mobile phone is NO_SECURE_MOBILE_PHONE (CHECK_FAILED when GetAccount
 * failed or did not say). Exemptions of the `alibaba` section apply last.
 * @param path the member's IDs from the directory down to itself, to tell the nearest binding.
 * @param today YYYY-MM-DD (UTC) for exemption expiry.
 */
export function evaluateMember(member: RdMember, path: readonly string[], reads: MemberReads, policy: AlibabaPolicy, today: string): AccountResult {
  if (!isCalendarDate(today)) throw new RangeError(`evaluateMember: today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const base = { accountId: member.id, name: member.displayName, state: memberState(member) };
  if (isMemberSkipped(member)) return { ...base, status: 'SKIPPED', contacts: {}, findings: [] };

  const rules = rulePolicy(policy);
  const contacts: AccountResult['contacts'] = {};
  const findings: Finding[] = [];
  for (const type of policy.requiredMessageTypes) {
    if (!reads.contacts.ok) {
      findings.push(checkFailed(as(type), reads.contacts));
      continue;
    }
    const covering = reads.contacts.value.filter((c) => c.contact.status !== 'Deleting' && c.contact.messageTypes.includes(type));
    const first = shown(covering, path);
    if (first === undefined) {
      contacts[as(type)] = null;
      findings.push({
        contactType: as(type),
        code: 'MISSING_CONTACT',
        message: `${type} has no message contact bound to the member, a folder above it or the resource directory; add one with an address in ${policy.companyDomains.join(', ')}`,
      });
      continue;
    }
    contacts[as(type)] = toContact(first.contact);
    for (const c of covering) findings.push(...contactFindings(type, c, policy, rules));
  }

  if (policy.requireSecureMobilePhone && member.type === 'ResourceAccount') {
    const account = reads.account;
    if (account === undefined || !account.ok) {
      findings.push(checkFailed(as(SECURE_MOBILE_PHONE), account));
    } else if (account.value.hasSecureMobilePhone === undefined) {
      findings.push(checkFailed(as(SECURE_MOBILE_PHONE), { errorCode: 'NotReported', message: 'GetAccount did not report HasSecureMobilePhone' }));
    } else if (!account.value.hasSecureMobilePhone) {
      findings.push({
        contactType: as(SECURE_MOBILE_PHONE),
        code: 'NO_SECURE_MOBILE_PHONE',
        message: 'resource account has no secure mobile phone bound; bind one (BindSecureMobilePhone) so the account can be recovered and verified',
      });
    }
  }

  const judged = applyExemptions(findings, { id: member.id }, { exemptions: policy.exemptions }, today);
  return { ...base, status: accountStatus(judged), contacts, findings: judged };
}

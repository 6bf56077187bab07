/**
 * Evaluation of one Resource Directory member (docs/alibaba.md), pure: no I/O, no clock. The e-mail
 * and phone rules are the AWS ones (this folder), judging message types as the contact kinds they
 * are; Alibaba's `<country>-<number>` phone format is within their documented characters, and
 * prefixes compare on digits (`86-139` matches 86-13900001234).
 */
import {
  SECURE_MOBILE_PHONE,
  type AccountResult,
  type Contact,
  type CoveringContact,
  type Finding,
  type MemberReads,
  type MessageContact,
  type MessageType,
  type RdMember,
} from '../model.ts';
import type { AlibabaPolicy } from '../policy/alibaba.ts';
import { isCalendarDate } from '../policy/dates.ts';
import { accountStatus } from './evaluate.ts';
import { checkFailed } from './contact.ts';
import { emailNotCompanyDomain, invalidEmail } from './email.ts';
import { invalidPhone, phoneNotCompany } from './phone.ts';
import { applyExemptions } from './exemptions.ts';
import { quote } from './echo.ts';

/** Deletion under way: the member is leaving the directory and is not checked. */
const SKIPPED_DELETION_STATUSES: readonly string[] = ['Checking', 'Deleting'];

export const isMemberSkipped = (member: Pick<RdMember, 'deletionStatus'>): boolean =>
  member.deletionStatus !== undefined && SKIPPED_DELETION_STATUSES.includes(member.deletionStatus);

/** The report's `state` of a member: its deletion status when a deletion was asked for, else its status. */
export const memberState = (member: RdMember): string => member.deletionStatus ?? member.status ?? '';

/** Which covering contact the report shows for a type: Active before the rest, then the nearest binding. */
function shown(candidates: CoveringContact[], path: readonly string[]): CoveringContact | undefined {
  const depth = (c: CoveringContact) => path.indexOf(c.boundAt);
  return [...candidates].sort((a, b) => Number(b.contact.status === 'Active') - Number(a.contact.status === 'Active') || depth(b) - depth(a))[0];
}

const toContact = (c: MessageContact): Contact => ({ name: c.name, title: c.title, emailAddress: c.emailAddress, phoneNumber: c.phoneNumber });

/** The findings of one contact for one message type; each names the contact and where it is bound. */
function contactFindings(type: MessageType, covering: CoveringContact, policy: AlibabaPolicy): Finding[] {
  const { contact, boundAt } = covering;
  const where = ` (contact ${contact.contactId}, bound to ${boundAt})`;
  const c = toContact(contact);
  const findings: Finding[] = [];
  if (policy.requireActiveContacts && contact.status !== 'Active') {
    findings.push({
      contactType: type,
      code: 'CONTACT_NOT_VERIFIED',
      message: `${type} contact ${quote(contact.emailAddress.trim())} is ${quote(contact.status || 'without a status')}, not Active: it receives no messages until its e-mail and phone are verified`,
    });
  }
  const email = invalidEmail(type, c);
  findings.push(...(email ? [email] : [emailNotCompanyDomain(type, c, policy)].filter((f): f is Finding => f !== undefined)));
  const phone = invalidPhone(type, c);
  findings.push(...(phone ? [phone] : [phoneNotCompany(type, c, policy)].filter((f): f is Finding => f !== undefined)));
  return findings.map((f) => ({ ...f, message: f.message + where }));
}

/** Per required message type: CHECK_FAILED, MISSING_CONTACT, or the findings of every covering contact. */
function messageTypeFindings(path: readonly string[], reads: MemberReads, policy: AlibabaPolicy): { contacts: AccountResult['contacts']; findings: Finding[] } {
  const contacts: AccountResult['contacts'] = {};
  const findings: Finding[] = [];
  for (const type of policy.requiredMessageTypes) {
    if (!reads.contacts.ok) {
      findings.push(checkFailed(type, reads.contacts));
      continue;
    }
    const covering = reads.contacts.value.filter((c) => c.contact.status !== 'Deleting' && c.contact.messageTypes.includes(type));
    const first = shown(covering, path);
    if (first === undefined) {
      contacts[type] = null;
      findings.push({
        contactType: type,
        code: 'MISSING_CONTACT',
        message: `${type} has no message contact bound to the member, a folder above it or the resource directory; add one with an address in ${policy.companyDomains.join(', ')}`,
      });
      continue;
    }
    contacts[type] = toContact(first.contact);
    for (const c of covering) findings.push(...contactFindings(type, c, policy));
  }
  return { contacts, findings };
}

/** NO_SECURE_MOBILE_PHONE for a resource account without one; CHECK_FAILED when GetAccount failed or did not say. */
function securePhoneFindings(member: RdMember, reads: MemberReads, policy: AlibabaPolicy): Finding[] {
  if (!policy.requireSecureMobilePhone || member.type !== 'ResourceAccount') return [];
  const account = reads.account;
  if (account === undefined || !account.ok) return [checkFailed(SECURE_MOBILE_PHONE, account)];
  if (account.value.hasSecureMobilePhone === undefined) {
    return [checkFailed(SECURE_MOBILE_PHONE, { errorCode: 'NotReported', message: 'GetAccount did not report HasSecureMobilePhone' })];
  }
  if (account.value.hasSecureMobilePhone) return [];
  return [{
    contactType: SECURE_MOBILE_PHONE,
    code: 'NO_SECURE_MOBILE_PHONE',
    message: 'resource account has no secure mobile phone bound; bind one (BindSecureMobilePhone) so the account can be recovered and verified',
  }];
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
  const { contacts, findings } = messageTypeFindings(path, reads, policy);
  findings.push(...securePhoneFindings(member, reads, policy));
  const judged = applyExemptions(findings, { id: member.id }, policy, today);
  return { ...base, status: accountStatus(judged), contacts, findings: judged };
}

/**
 * The shared vocabulary of the auditor: contact types, what a read of a contact can give,
 * findings, account statuses and the report (SPEC.md §3 and §5). Types only, no behaviour.
 */

export const CONTACT_TYPES = ['BILLING', 'OPERATIONS', 'SECURITY'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/** Message types of Alibaba Cloud message contacts (ListMessageContacts `MessageTypes`). */
export const MESSAGE_TYPES = ['ServiceMessage', 'FaultMessage', 'AccountExpenses', 'SecurityMessage', 'ActivityMessage', 'ProductMessage'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * What the contact rules judge: an alternate contact type (AWS) or a message type (Alibaba Cloud).
 * Each cloud names its own kinds; the rules and the report treat them alike.
 */
export type ContactKind = ContactType | MessageType;

/** Whether a name (a report key, a finding subject) is a {@link ContactKind}. */
export function isContactKind(name: string): name is ContactKind {
  return (CONTACT_TYPES as readonly string[]).includes(name) || (MESSAGE_TYPES as readonly string[]).includes(name);
}

/** An alternate contact as GetAlternateContact returns it. */
export interface Contact {
  name: string;
  title: string;
  emailAddress: string;
  phoneNumber: string;
}

/**
 * The outcome of reading one contact. Absence is data (`missing`), failure is not (`failed`):
 * a contact that could not be read is never treated as missing or compliant.
 */
export type ContactRead = (
  | { kind: 'present'; contact: Contact }
  | { kind: 'missing' }
  | { kind: 'failed'; errorCode: string; message: string }
) &
  RequestTrace;

/** The cloud's request ID of the call that gave a read, when it sent one: kept in the evidence (docs/continuous.md); the rules never look at it. */
interface RequestTrace {
  requestId?: string;
}

/** Reads of the required contact types of one account. */
export type ContactReads = Partial<Record<ContactType, ContactRead>>;

export const FINDING_CODES = [
  'MISSING_CONTACT',
  'INVALID_EMAIL',
  'EMAIL_NOT_COMPANY_DOMAIN',
  'EMAIL_PATTERN_MISMATCH',
  'INVALID_PHONE',
  'PHONE_NOT_COMPANY',
  'CONTACTS_NOT_DISTINCT',
  'CHECK_FAILED',
  // Alibaba Cloud Resource Directory (docs/alibaba.md): a message contact still Verifying (or Deleting), and a
  // resource account without a secure mobile phone.
  'CONTACT_NOT_VERIFIED',
  'NO_SECURE_MOBILE_PHONE',
  // The primary contact, the root e-mail, per-OU expectations, placeholders and reuse.
  'PRIMARY_CONTACT_MISSING',
  'PRIMARY_CONTACT_COMPANY_NAME_MISMATCH',
  'PRIMARY_CONTACT_INVALID_PHONE',
  'PRIMARY_CONTACT_PHONE_NOT_COMPANY',
  'PRIMARY_CONTACT_PLACEHOLDER_PHONE',
  // Only with `primaryContact.requireVerifiedPhone` (README, "The policy file").
  'PRIMARY_PHONE_NOT_VERIFIED',
  'ROOT_EMAIL_NOT_COMPANY_DOMAIN',
  'CONTACT_VALUE_MISMATCH',
  'PLACEHOLDER_PHONE',
  'EMAIL_REUSED_ACROSS_ACCOUNTS',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
/** The finding codes only an Alibaba Cloud sweep gives. */
export const ALIBABA_ONLY_FINDING_CODES: readonly FindingCode[] = ['CONTACT_NOT_VERIFIED', 'NO_SECURE_MOBILE_PHONE'];

/**
 * What an AWS finding is about: one of the alternate contact types, the primary contact (`PRIMARY`)
 * or the root user's e-mail address (`ROOT_EMAIL`).
 */
export const FINDING_SUBJECTS = [...CONTACT_TYPES, 'PRIMARY', 'ROOT_EMAIL'] as const;

/** The member-level check of an Alibaba Cloud resource account: whether a secure mobile phone is bound. */
export const SECURE_MOBILE_PHONE = 'SecureMobilePhone';

/** What an Alibaba Cloud finding is about: a message type, or the member's secure mobile phone. */
const ALIBABA_FINDING_SUBJECTS = [...MESSAGE_TYPES, SECURE_MOBILE_PHONE] as const;
export type AlibabaFindingSubject = (typeof ALIBABA_FINDING_SUBJECTS)[number];

/** What a finding is about, in either cloud. */
export type FindingSubject = (typeof FINDING_SUBJECTS)[number] | AlibabaFindingSubject;

/** Whether a name is a {@link FindingSubject} of either cloud. */
export function isFindingSubject(name: string): name is FindingSubject {
  return (FINDING_SUBJECTS as readonly string[]).includes(name) || (ALIBABA_FINDING_SUBJECTS as readonly string[]).includes(name);
}

export interface Finding {
  contactType: FindingSubject;
  code: FindingCode;
  /** One line a person can act on; never contains more of the contact than the e-mail address. */
  message: string;
  /** CHECK_FAILED only: the cloud's error code (AccessDeniedException, TooManyRequestsException, …). */
  errorCode?: string;
  /** Present when a valid exemption covers this finding. */
  exemption?: { reason: string; expires: string };
}

export const ACCOUNT_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN', 'EXEMPT', 'SKIPPED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * The primary contact of an account as GetContactInformation returns it (Account Management API,
 * ContactInformation). Optional fields are absent when AWS leaves them out.
 */
export interface PrimaryContact {
  fullName: string;
  companyName?: string;
  phoneNumber: string;
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  city: string;
  stateOrRegion?: string;
  districtOrCounty?: string;
  postalCode: string;
  countryCode: string;
  websiteUrl?: string;
}

/**
 * The outcome of reading the primary contact: absence is data, failure is not (as {@link ContactRead}).
 * `verificationStatus` is AWS's word on the phone (GetContactInformation `VerificationStatus`: the SDK
 * model's PhoneNumberVerificationStatus), absent when the answer had none (kept as sent: a value
 * newer than this code is not dropped).
 */
export type PrimaryContactRead = (
  | { kind: 'present'; contact: PrimaryContact; verificationStatus?: string }
  | { kind: 'missing' }
  | { kind: 'failed'; errorCode: string; message: string }
) &
  RequestTrace;

/**
 * The outcome of reading the root user's e-mail address: GetPrimaryEmail for a member, the
 * Organizations `Email` for the management account (GetPrimaryEmail cannot name it).
 */
export type RootEmailRead = (
  | { kind: 'present'; email: string; source: 'GetPrimaryEmail' | 'Organizations' }
  | { kind: 'failed'; errorCode: string; message: string }
) &
  RequestTrace;

/**
 * GetPrimaryEmailUpdateStatus (SDK model; the AWS CLI's botocore model here has no such operation):
 * the most recent root e-mail update of a member account. `none`: no update was ever started
 * (ResourceNotFoundException). `status` is kept as AWS sent it (the SDK lists PENDING, ACCEPTED,
 * COMPLETED, FAILED).
 */
export type RootEmailUpdateRead =
  | { kind: 'present'; status: string; updatedAt?: string }
  | { kind: 'none' }
  | { kind: 'failed'; errorCode: string; message: string };

/**
 * Notes: what a report tells beside the findings without judging the account. A note never
 * changes an account's status, a check's outcome or the alerts (README, "The policy file").
 */
export const NOTE_CODES = ['ROOT_EMAIL_UPDATE_PENDING', 'ROOT_EMAIL_UPDATE_FAILED', 'ROOT_EMAIL_UPDATE_STATUS_UNREAD'] as const;
type NoteCode = (typeof NOTE_CODES)[number];

export interface Note {
  contactType: FindingSubject;
  code: NoteCode;
  message: string;
  /** ROOT_EMAIL_UPDATE_STATUS_UNREAD only: the AWS error code. */
  errorCode?: string;
}

/** Where an account sits in the organization: its parent (a root or OU) and the names from the root down. */
export interface OuPlacement {
  /** The parent's ID: `r-…` or `ou-…`. */
  id: string;
  name: string;
  /** Names from the root joined with " / ", e.g. "Root / Workloads / Prod". */
  path: string;
}

/** What a sweep reads beyond the alternate contacts, each only when the policy asks for it. */
export interface ExtraReads {
  primaryContact?: PrimaryContactRead;
  rootEmail?: RootEmailRead;
  /** With `rootEmail.updateStatus`: the most recent root e-mail update (never for the management account). */
  rootEmailUpdate?: RootEmailUpdateRead;
}

/** Organizations account lifecycle (`State`, not the deprecated `Status`). */
type AccountState = 'ACTIVE' | 'PENDING_ACTIVATION' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

/** An account of the organization as ListAccounts describes it. */
export interface OrgAccount {
  id: string;
  name: string;
  email?: string;
  state: AccountState | string;
  /** The parent OU (or root) and its IDs from the root down, when the sweep read the OU tree. */
  ou?: OuPlacement & { ids: string[] };
}

/** A Resource Directory member as ListAccounts describes it (Alibaba Cloud). */
export interface RdMember {
  id: string;
  displayName: string;
  /** CloudAccount or ResourceAccount. */
  type: string;
  /** CreateSuccess, InviteSuccess, PromoteSuccess, PromoteVerifying … */
  status: string;
  /** Checking, Deleting, CheckFailed, DeleteFailed; absent when no deletion was asked for. */
  deletionStatus?: string;
  folderId?: string;
  /** IDs from the directory down to the member: `rd-…/r-…/fd-…/<member>` split at `/`. */
  path?: string[];
}

/** GetAccount of a Resource Directory member: what ListAccounts does not say. */
export interface RdAccountDetails {
  /** Absent when Alibaba did not say. */
  hasSecureMobilePhone?: boolean;
  emailStatus?: string;
  folderId?: string;
  path?: string[];
}

/** An Alibaba Cloud message contact (ListMessageContacts `Contacts[]`). */
export interface MessageContact {
  contactId: string;
  name: string;
  title: string;
  emailAddress: string;
  /** `<country code>-<number>`, e.g. 86-13900001234. */
  phoneNumber: string;
  messageTypes: string[];
  /** The directory, folder and member IDs the contact is bound to. */
  members: string[];
  /** Verifying, Active or Deleting. */
  status: string;
}

/** A read that either gave a value or failed with the cloud's (or the network's) error code. */
export type ReadResult<T> = { ok: true; value: T } | { ok: false; errorCode: string; message: string };

/** A message contact that covers a member, with the ID (directory, folder or the member) it is bound at. */
export interface CoveringContact {
  contact: MessageContact;
  boundAt: string;
}

/** What an Alibaba Cloud sweep read of one member. */
export interface MemberReads {
  /** Every message contact bound to the member or to a folder or directory above it; a failure if any of those reads failed. */
  contacts: ReadResult<CoveringContact[]>;
  /** GetAccount; absent when not needed (a cloud account, or the secure-phone check is off). */
  account?: ReadResult<RdAccountDetails>;
}

/**
 * What a provider read of one member, for the rules to judge: the alternate contacts, primary
 * contact and root e-mail of an AWS account, or the message contacts covering a Resource Directory
 * member (with its IDs from the directory down, to tell the nearest binding).
 */
export type ContactSurface =
  | { kind: 'alternateContacts'; reads: ContactReads; extras: ExtraReads }
  | { kind: 'messageContacts'; member: RdMember; path: string[]; reads: MemberReads };

/** One account of the report (§5). `contacts[type]` is the contact, `null` when missing, absent when unread. */
export interface AccountResult {
  accountId: string;
  name: string;
  state: string;
  status: AccountStatus;
  contacts: Partial<Record<ContactKind, Contact | null>>;
  findings: Finding[];
  /** The parent OU or root, when the sweep read the OU tree (additive to §5). */
  ou?: OuPlacement;
  /** With a `primaryContact` policy section: the contact, `null` when none is set, absent when unread. */
  primaryContact?: PrimaryContact | null;
  /** With a `primaryContact` policy section: GetContactInformation's `VerificationStatus` of its phone, when AWS gave one. */
  primaryPhoneVerification?: string;
  /** With a `rootEmail` policy section: the root user's e-mail address, absent when unread. */
  rootEmail?: string;
  /** Notes about the account that judge nothing (a root e-mail update in flight or failed); absent when there are none. */
  notes?: Note[];
  /** With an evidence store (`--out`): when and by what the judged contacts were read (docs/continuous.md). */
  evidence?: AccountEvidence;
}

/** What read an account's evidence (docs/continuous.md, "The evidence store"). */
export const EVIDENCE_SOURCES = ['full-sweep', 'incremental', 'rolling', 'event'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** The age and source of the evidence an account was judged on. */
export interface AccountEvidence {
  /** When the contacts judged were read (ISO 8601). */
  readAt: string;
  source: EvidenceSource;
  /** Whole days between `readAt` and the run's start. */
  ageDays: number;
  /** The latest read failed: the account is judged on that failure, the older evidence is kept (docs/continuous.md). */
  stale?: true;
}

/** How a run came by its evidence: every account read, only what can have changed, or none (a policy change). */
export type EvidenceMode = 'full' | 'incremental' | 'from-evidence';

/** The report's evidence summary (docs/continuous.md, "What a report says"). */
export interface EvidenceSummary {
  mode: EvidenceMode;
  /** The accounts whose contacts this run read. */
  accountsRead: number;
  /** Why incremental accounts were read: each account counted under the first reason that applies. */
  reasons?: Partial<Record<RereadReason, number>>;
  maxEvidenceAgeDays: number;
  /** The oldest `readAt` among the accounts judged on evidence; absent when none was. */
  oldestReadAt?: string;
  /** Accounts whose evidence is older than the bound (each UNKNOWN, never COMPLIANT). */
  pastBound: number;
}

/** Why an incremental sweep re-reads an account (docs/continuous.md, "sweep --incremental"). */
export const REREAD_REASONS = ['changed', 'new', 'moved', 'stale', 'uncovered', 'rolling'] as const;
export type RereadReason = (typeof REREAD_REASONS)[number];

export interface ReportSummary {
  accounts: number;
  compliant: number;
  nonCompliant: number;
  unknown: number;
  exempt: number;
  skipped: number;
}

/** The compliance report, `schemaVersion: 1` (§5). */
export interface Report {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  organizationId: string;
  managementAccountId: string;
  callerAccountId: string;
  /**
   * The product version that wrote the report and the fingerprint of the policy it applied
   * (`sha256:…` of the parsed policy's canonical JSON, src/policy/hash.ts), so an auditor can tell
   * which code and which rules judged a run. Additive to §5: absent in reports of older versions.
   */
  productVersion?: string;
  policyHash?: string;
  /** The contact kinds the cloud's rules required: alternate contact types (AWS) or message types (Alibaba Cloud). */
  policy: { companyDomains: string[]; requiredContactTypes: ContactKind[] };
  summary: ReportSummary;
  /** With an evidence store: how the run came by its evidence, the oldest of it and how much is past the bound. */
  evidence?: EvidenceSummary;
  accounts: AccountResult[];
}

/**
 * The Account Management calls the real-time path handles (SPEC.md §7), in the order the stack's
 * EventBridge pattern lists them (serverless/realtime.yml; test/handlers/contactChangeStack.test.ts
 * checks the two agree). The one list: the event parser, the alerts and the tests use it.
 */
export const CONTACT_EVENT_NAMES = [
  'PutAlternateContact',
  'DeleteAlternateContact',
  // The primary contact and the root user's e-mail.
  'PutContactInformation',
  'StartPrimaryEmailUpdate',
  'AcceptPrimaryEmailUpdate',
] as const;
export type ContactEventName = (typeof CONTACT_EVENT_NAMES)[number];

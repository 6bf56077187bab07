/**
 * The shared vocabulary of the auditor: contact types, what a read of a contact can give,
 * findings, account statuses and the report (SPEC.md §3 and §5). Types only, no behaviour.
 */

export const CONTACT_TYPES = ['BILLING', 'OPERATIONS', 'SECURITY'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

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
export type ContactRead =
  | { kind: 'present'; contact: Contact }
  | { kind: 'missing' }
  | { kind: 'failed'; errorCode: string; message: string };

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
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
/** The finding codes only an Alibaba Cloud sweep gives. */
export const ALIBABA_ONLY_FINDING_CODES: readonly FindingCode[] = ['CONTACT_NOT_VERIFIED', 'NO_SECURE_MOBILE_PHONE'];

export interface Finding {
  contactType: ContactType;
  code: FindingCode;
  /** One line a person can act on; never contains more of the contact than the e-mail address. */
  message: string;
  /** CHECK_FAILED only: the AWS error code (AccessDeniedException, TooManyRequestsException, …). */
  errorCode?: string;
  /** Present when a valid exemption covers this finding. */
  exemption?: { reason: string; expires: string };
}

export const ACCOUNT_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN', 'EXEMPT', 'SKIPPED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Organizations account lifecycle (`State`, not the deprecated `Status`). */
export type AccountState = 'ACTIVE' | 'PENDING_ACTIVATION' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

/** An account of the organization as ListAccounts describes it. */
export interface OrgAccount {
  id: string;
  name: string;
  email?: string;
  state: AccountState | string;
}

/** One account of the report (§5). `contacts[type]` is the contact, `null` when missing, absent when unread. */
export interface AccountResult {
  accountId: string;
  name: string;
  state: string;
  status: AccountStatus;
  contacts: Partial<Record<ContactType, Contact | null>>;
  findings: Finding[];
  /** The account's organizational unit, when the sweep read it; `path` reads like "Root / Workloads / Prod". */
  ou?: { id: string; name: string; path: string };
}

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
  policy: { companyDomains: string[]; requiredContactTypes: ContactType[] };
  summary: ReportSummary;
  accounts: AccountResult[];
}

import type { Contact, ContactType, FindingSubject } from '../model.ts';

/** An exemption from the policy (§2): covers the listed contact types of one account until `expires`. */
export interface Exemption {
  accountId: string;
  /** Defaults to the three alternate contact types; `PRIMARY` and `ROOT_EMAIL` are covered only when listed. */
  contactTypes: FindingSubject[];
  reason: string;
  /** YYYY-MM-DD; the exemption applies up to and including this day (UTC). */
  expires: string;
}

/** The validated policy with every default filled in (§2). */
export interface Policy {
  /** Lower-cased, ASCII (punycode) domains, no trailing dot. */
  companyDomains: string[];
  allowSubdomains: boolean;
  requiredContactTypes: ContactType[];
  phone: {
    allowedPrefixes: string[];
    /** Placeholder numbers (+1 000 000 0000, 123456789, all one digit) are PLACEHOLDER_PHONE unless this is false. */
    rejectPlaceholders?: boolean;
  };
  requireDistinctContacts: boolean;
  emailLocalPartPatterns: Partial<Record<ContactType, string>>;
  exemptions: Exemption[];
  /** §8: the most per-account alerts one sweep sends; the summary lists the rest. Default 25. */
  maxAlertsPerSweep: number;
  /** Checks of the primary contact (GetContactInformation); absent: not read. */
  primaryContact?: PrimaryContactPolicy;
  /** Checks of the root user's e-mail address (GetPrimaryEmail); absent: not read. */
  rootEmail?: RootEmailPolicy;
  /** Exact values some alternate contacts must have (CONTACT_VALUE_MISMATCH). */
  expect?: ExpectedContacts;
  /** Other expectations by OU ID (`ou-…`, inherited down the tree, nearest wins), root ID (`r-…`) or account ID. */
  overrides?: Record<string, PolicyOverride>;
  /** EMAIL_REUSED_ACROSS_ACCOUNTS when one personal address is a contact of more than this many accounts; absent: off. */
  maxAccountsPerPersonalAddress?: number;
  /** Local-part regular expressions of team or role mailboxes, which may be shared by any number of accounts. */
  teamMailboxPatterns?: string[];
  /** The `alibaba` section (Alibaba Cloud Resource Directory, docs/alibaba.md); absent when the file has none. */
  alibaba?: AlibabaPolicySection;
}

/** The policy file's `alibaba` section as validated; src/alibaba/policy.ts fills what it leaves to the top level. */
export interface AlibabaPolicySection {
  requiredMessageTypes: string[];
  companyDomains?: string[];
  allowSubdomains?: boolean;
  phone: { allowedPrefixes: string[] };
  requireActiveContacts: boolean;
  requireSecureMobilePhone: boolean;
  exemptions: { memberId: string; messageTypes?: string[]; reason: string; expires: string }[];
}

/** The `primaryContact` section. */
export interface PrimaryContactPolicy {
  /** Regular expression the CompanyName must match (required). */
  companyNamePattern: string;
  /** Defaults to the top-level `phone.allowedPrefixes`. */
  phone?: { allowedPrefixes: string[] };
}

/** The `rootEmail` section; domains default to `companyDomains`, subdomains to `allowSubdomains`. */
export interface RootEmailPolicy {
  companyDomains?: string[];
  allowSubdomains?: boolean;
}

/** Per type, the exact values expected (e-mail compared case-insensitively, phone on digits). */
export type ExpectedContacts = Partial<Record<ContactType, Partial<Contact>>>;

/** What an override may change for the accounts under an OU or for one account. */
export type PolicyOverride = Partial<
  Pick<
    Policy,
    | 'companyDomains'
    | 'allowSubdomains'
    | 'requiredContactTypes'
    | 'phone'
    | 'requireDistinctContacts'
    | 'emailLocalPartPatterns'
    | 'primaryContact'
    | 'rootEmail'
    | 'expect'
  >
>;

import type { ContactType } from '../model.ts';

/** An exemption from the policy (§2): covers the listed contact types of one account until `expires`. */
export interface Exemption {
  accountId: string;
  /** Defaults to every contact type. */
  contactTypes: ContactType[];
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
  phone: { allowedPrefixes: string[] };
  requireDistinctContacts: boolean;
  emailLocalPartPatterns: Partial<Record<ContactType, string>>;
  exemptions: Exemption[];
  /** §8: the most per-account alerts one sweep sends; the summary lists the rest. Default 25. */
  maxAlertsPerSweep: number;
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

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
}

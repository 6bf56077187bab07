/**
 * The Alibaba Cloud part of the policy (the `alibaba` section, docs/alibaba.md), with what the
 * section leaves out taken from the top level (company domains, subdomains) or the defaults.
 */
import { alibabaSectionDefaults } from '../../policy/schema.ts';
import type { Exemption, Policy } from '../../policy/types.ts';
import type { ContactType } from '../../model.ts';

/** The pseudo contact type of the member-level secure-mobile-phone check. */
export const SECURE_MOBILE_PHONE = 'SecureMobilePhone';

export interface AlibabaPolicy {
  requiredMessageTypes: string[];
  companyDomains: string[];
  allowSubdomains: boolean;
  phone: { allowedPrefixes: string[] };
  requireActiveContacts: boolean;
  requireSecureMobilePhone: boolean;
  /** In the shape the shared exemption rule takes; contact types are message types here. */
  exemptions: Exemption[];
}

/** The Alibaba policy of a validated policy: its `alibaba` section, or every default when it has none. */
export function alibabaPolicy(policy: Policy): AlibabaPolicy {
  const section = policy.alibaba ?? alibabaSectionDefaults();
  const allTypes = [...section.requiredMessageTypes, SECURE_MOBILE_PHONE];
  return {
    requiredMessageTypes: section.requiredMessageTypes,
    companyDomains: section.companyDomains ?? policy.companyDomains,
    allowSubdomains: section.allowSubdomains ?? policy.allowSubdomains,
    phone: section.phone,
    requireActiveContacts: section.requireActiveContacts,
    requireSecureMobilePhone: section.requireSecureMobilePhone,
    exemptions: section.exemptions.map((e) => ({
      accountId: e.memberId,
      // Message types travel in the report's contact-type fields (src/providers/alibaba/rules.ts).
      contactTypes: (e.messageTypes ?? allTypes) as unknown as ContactType[],
      reason: e.reason,
      expires: e.expires,
    })),
  };
}

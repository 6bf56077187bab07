/**
 * The Alibaba Cloud part of the policy (the `alibaba` section, docs/alibaba.md), with what the
 * section leaves out taken from the top level (company domains, subdomains) or the defaults.
 */
import { SECURE_MOBILE_PHONE, type AlibabaFindingSubject, type MessageType } from '../model.ts';
import { alibabaSectionDefaults } from './schema.ts';
import type { Policy } from './types.ts';

/** An exemption of the `alibaba` section, in the shape the shared exemption rule takes (src/rules/exemptions.ts). */
interface AlibabaExemption {
  accountId: string;
  contactTypes: AlibabaFindingSubject[];
  reason: string;
  expires: string;
}

export interface AlibabaPolicy {
  requiredMessageTypes: MessageType[];
  companyDomains: string[];
  allowSubdomains: boolean;
  phone: { allowedPrefixes: string[] };
  requireActiveContacts: boolean;
  requireSecureMobilePhone: boolean;
  exemptions: AlibabaExemption[];
}

/** The Alibaba policy of a validated policy: its `alibaba` section, or every default when it has none. */
export function alibabaPolicy(policy: Policy): AlibabaPolicy {
  const section = policy.alibaba ?? alibabaSectionDefaults();
  const allTypes: AlibabaFindingSubject[] = [...section.requiredMessageTypes, SECURE_MOBILE_PHONE];
  return {
    requiredMessageTypes: section.requiredMessageTypes,
    companyDomains: section.companyDomains ?? policy.companyDomains,
    allowSubdomains: section.allowSubdomains ?? policy.allowSubdomains,
    phone: section.phone,
    requireActiveContacts: section.requireActiveContacts,
    requireSecureMobilePhone: section.requireSecureMobilePhone,
    exemptions: section.exemptions.map((e) => ({
      accountId: e.memberId,
      // Without `messageTypes`, every message type of the section and the secure-phone check.
      contactTypes: e.messageTypes ?? allTypes,
      reason: e.reason,
      expires: e.expires,
    })),
  };
}

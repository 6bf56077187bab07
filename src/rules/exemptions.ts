/** Exemptions (SPEC.md §2): a valid exemption marks the findings it covers; it never removes them. */
import type { Finding, FindingSubject, OrgAccount } from '../model.ts';

/**
 * An exemption as the rule applies it, whichever cloud's policy section it comes from: the AWS
 * policy's `exemptions` (contact types, PRIMARY, ROOT_EMAIL) or the `alibaba` section's (message types).
 */
export interface ExemptionRule {
  accountId: string;
  contactTypes: readonly FindingSubject[];
  reason: string;
  expires: string;
}

/** Whether the exemption still applies on `today` (both YYYY-MM-DD; the expiry day itself is included). */
function isExemptionValid(exemption: Pick<ExemptionRule, 'expires'>, today: string): boolean {
  return exemption.expires >= today;
}

/**
 * The findings with `exemption` set where a valid exemption of this account covers the finding's
 * contact type; the first such exemption in the policy wins. CHECK_FAILED is never covered: what
 * could not be read cannot be exempted. Expired exemptions do nothing.
 */
export function applyExemptions(findings: Finding[], account: Pick<OrgAccount, 'id'>, policy: { exemptions: readonly ExemptionRule[] }, today: string): Finding[] {
  const valid = policy.exemptions.filter((exemption) => exemption.accountId === account.id && isExemptionValid(exemption, today));
  return findings.map((finding) => {
    if (finding.code === 'CHECK_FAILED') return finding;
    const exemption = valid.find((candidate) => candidate.contactTypes.includes(finding.contactType));
    if (exemption === undefined) return finding;
    return { ...finding, exemption: { reason: exemption.reason, expires: exemption.expires } };
  });
}

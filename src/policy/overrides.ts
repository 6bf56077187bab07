/**
 * Per-OU and per-account expectations: the policy that applies to one account once the
 * `overrides` of its root, its OUs from the root down, and the account itself are laid over the
 * top-level policy. Pure: the account's place in the tree is an argument.
 */
import type { OrgAccount } from '../model.ts';
import type { Policy, PolicyOverride } from './types.ts';

/**
 * The override keys that apply to an account, outermost first: the IDs of its root and OUs from
 * the root down (so the nearest OU wins), then the account ID (which wins over every OU).
 */
function overrideChain(account: Pick<OrgAccount, 'id' | 'ou'>): string[] {
  return [...(account.ou?.ids ?? []), account.id];
}

/**
 * The policy of one account. Each override replaces the keys it sets; `expect` and
 * `emailLocalPartPatterns` are merged per contact type, so an OU can add a SECURITY expectation
 * without repeating its parent's BILLING one. Without `overrides` the policy is returned as it is.
 */
export function effectivePolicy(policy: Policy, account: Pick<OrgAccount, 'id' | 'ou'>): Policy {
  const overrides = policy.overrides;
  if (overrides === undefined) return policy;
  let effective = policy;
  for (const key of overrideChain(account)) {
    const override = overrides[key];
    if (override !== undefined) effective = applyOverride(effective, override);
  }
  return effective;
}

function applyOverride(policy: Policy, override: PolicyOverride): Policy {
  const next: Policy = { ...policy };
  if (override.companyDomains !== undefined) next.companyDomains = override.companyDomains;
  if (override.allowSubdomains !== undefined) next.allowSubdomains = override.allowSubdomains;
  if (override.requiredContactTypes !== undefined) next.requiredContactTypes = override.requiredContactTypes;
  if (override.phone !== undefined) next.phone = override.phone;
  if (override.requireDistinctContacts !== undefined) next.requireDistinctContacts = override.requireDistinctContacts;
  if (override.emailLocalPartPatterns !== undefined) {
    next.emailLocalPartPatterns = { ...policy.emailLocalPartPatterns, ...override.emailLocalPartPatterns };
  }
  if (override.primaryContact !== undefined) next.primaryContact = override.primaryContact;
  if (override.rootEmail !== undefined) next.rootEmail = override.rootEmail;
  if (override.expect !== undefined) {
    const merged = { ...policy.expect };
    for (const [type, values] of Object.entries(override.expect) as [keyof typeof merged, NonNullable<(typeof merged)[keyof typeof merged]>][]) {
      merged[type] = { ...merged[type], ...values };
    }
    next.expect = merged;
  }
  return next;
}

/** Whether any override is keyed by an OU or root, so the sweep must know the OU tree to apply the policy. */
export function hasOuOverrides(policy: Pick<Policy, 'overrides'>): boolean {
  return Object.keys(policy.overrides ?? {}).some((key) => key.startsWith('ou-') || key.startsWith('r-'));
}

/**
 * The one entry to the rules for every cloud: a member and what its provider read of it, judged by
 * the rules of that contact surface. Pure: no I/O, no clock.
 */
import type { AccountResult, ContactSurface, OrgAccount } from '../model.ts';
import { alibabaPolicy } from '../policy/alibaba.ts';
import type { Policy } from '../policy/types.ts';
import { evaluateAccount, skippedAccount } from './evaluate.ts';
import { evaluateMember } from './messageContacts.ts';

/**
 * The result of one member. Without a surface (the provider read nothing: the account is not
 * active, or is leaving the directory) it is SKIPPED.
 * @param today YYYY-MM-DD (UTC), for exemption expiry.
 */
export function evaluateSurface(account: OrgAccount, surface: ContactSurface | undefined, policy: Policy, today: string): AccountResult {
  if (surface === undefined) return skippedAccount(account);
  switch (surface.kind) {
    case 'alternateContacts':
      return evaluateAccount(account, surface.reads, policy, today, surface.extras);
    case 'messageContacts':
      return evaluateMember(surface.member, surface.path, surface.reads, alibabaPolicy(policy), today);
  }
}

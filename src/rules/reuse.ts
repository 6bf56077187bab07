/**
 * EMAIL_REUSED_ACROSS_ACCOUNTS: one person's address as a contact of many accounts is
 * a single point of failure (that person leaves, every account goes dark). Team and role
 * mailboxes are meant to be shared and are not counted. An organization-wide rule: it looks at
 * every account's results at once, after each account was evaluated on its own.
 */
import { CONTACT_TYPES, type AccountResult, type Finding } from '../model.ts';
import { policyPattern } from '../policy/regex.ts';
import type { Policy } from '../policy/types.ts';
import { isValidEmail } from './email.ts';
import { quote } from './echo.ts';

/**
 * Words that make a local part a team or role mailbox when no `teamMailboxPatterns` are set:
 * `security@`, `aws-billing@`, `secops+prod@`, `cloud.ops@` are teams; `jane.doe@` is a person.
 */
const ROLE_WORDS = new Set([
  'accounting', 'accounts', 'admin', 'admins', 'alerts', 'aws', 'billing', 'cloud', 'devops', 'finance', 'help', 'helpdesk',
  'infra', 'infrastructure', 'it', 'noc', 'oncall', 'ops', 'operations', 'payable', 'platform', 'root', 'sec', 'secops',
  'security', 'soc', 'sre', 'support', 'team', 'teams',
]);

/** Whether the local part of `address` is a team or role mailbox. */
export function isTeamMailbox(address: string, patterns: readonly string[] | undefined): boolean {
  const localPart = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  // Against the lower-cased local part, case-sensitively: the linear-time engine that keeps a policy
  // pattern from hanging a run has no case-insensitive mode (policy/regex.ts).
  if (patterns !== undefined && patterns.length > 0) return patterns.some((pattern) => policyPattern(pattern).test(localPart));
  return localPart.split(/[._+-]/).some((word) => ROLE_WORDS.has(word));
}

/**
 * For each account, the findings of this rule: every alternate contact whose personal address is
 * used by more than `maxAccountsPerPersonalAddress` accounts. Addresses compare trimmed and
 * case-insensitively; SKIPPED accounts, unread contacts and invalid addresses do not count.
 * Empty when the rule is off.
 */
export function emailReusedAcrossAccounts(
  results: readonly AccountResult[],
  policy: Pick<Policy, 'maxAccountsPerPersonalAddress' | 'teamMailboxPatterns'>,
): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const max = policy.maxAccountsPerPersonalAddress;
  if (max === undefined) return out;
  const accountsByAddress = new Map<string, Set<string>>();
  const uses = (result: AccountResult) =>
    CONTACT_TYPES.flatMap((type) => {
      const contact = result.contacts[type];
      const address = typeof contact?.emailAddress === 'string' ? contact.emailAddress.trim() : '';
      return address !== '' && isValidEmail(address) && !isTeamMailbox(address, policy.teamMailboxPatterns) ? [{ type, address }] : [];
    });
  for (const result of results) {
    if (result.status === 'SKIPPED') continue;
    for (const { address } of uses(result)) {
      const key = address.toLowerCase();
      let accounts = accountsByAddress.get(key);
      if (!accounts) {
        accounts = new Set();
        accountsByAddress.set(key, accounts);
      }
      accounts.add(result.accountId);
    }
  }
  for (const result of results) {
    if (result.status === 'SKIPPED') continue;
    const findings: Finding[] = [];
    for (const { type, address } of uses(result)) {
      const count = accountsByAddress.get(address.toLowerCase())?.size ?? 0;
      if (count <= max) continue;
      findings.push({
        contactType: type,
        code: 'EMAIL_REUSED_ACROSS_ACCOUNTS',
        message: `${type} e-mail ${quote(address)} is a personal address used by ${count} accounts (at most ${max}); use a team mailbox`,
      });
    }
    if (findings.length > 0) out.set(result.accountId, findings);
  }
  return out;
}

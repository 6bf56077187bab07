/**
 * Builds the compliance report (SPEC.md §5) from the evaluated accounts of one run.
 */
import type { AccountResult, AccountStatus, Report, ReportSummary } from '../model.ts';
import { InvariantError } from '../errors.ts';
import { policyHash } from '../policy/hash.ts';
import type { AppliedPolicy } from '../policy/types.ts';
import { PRODUCT_VERSION } from '../version.ts';

/** The run's metadata (ISO 8601 times, as the caller measured them: this module has no clock) and the full policy as applied. */
export type ReportMeta = Pick<Report, 'runId' | 'startedAt' | 'finishedAt' | 'organizationId' | 'managementAccountId' | 'callerAccountId'> & {
  policy: AppliedPolicy;
};

/** Counts of accounts per status; `accounts` counts them all. */
function summarize(accounts: readonly AccountResult[]): ReportSummary {
  const summary: ReportSummary = { accounts: 0, compliant: 0, nonCompliant: 0, unknown: 0, exempt: 0, skipped: 0 };
  const field: Record<AccountStatus, Exclude<keyof ReportSummary, 'accounts'>> = {
    COMPLIANT: 'compliant',
    NON_COMPLIANT: 'nonCompliant',
    UNKNOWN: 'unknown',
    EXEMPT: 'exempt',
    SKIPPED: 'skipped',
  };
  for (const account of accounts) {
    const key = field[account.status];
    if (key === undefined) throw new InvariantError(`Account ${account.accountId} has an unknown status: ${String(account.status)}`);
    summary.accounts += 1;
    summary[key] += 1;
  }
  return summary;
}

/**
 * The report of one run: accounts in the order given, summary counted from them, the policy
 * reduced to what a reader needs to interpret the findings.
 * @throws Error when an account ID appears twice (every account appears exactly once, §5).
 */
export function buildReport(meta: ReportMeta, accounts: readonly AccountResult[]): Report {
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.accountId)) {
      throw new InvariantError(`Account ${account.accountId} appears more than once in the report`);
    }
    seen.add(account.accountId);
  }
  return {
    schemaVersion: 1,
    runId: meta.runId,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    organizationId: meta.organizationId,
    managementAccountId: meta.managementAccountId,
    callerAccountId: meta.callerAccountId,
    productVersion: PRODUCT_VERSION,
    policyHash: policyHash(meta.policy),
    policy: {
      companyDomains: [...meta.policy.companyDomains],
      requiredContactTypes: [...meta.policy.requiredContactTypes],
    },
    summary: summarize(accounts),
    accounts: [...accounts],
  };
}

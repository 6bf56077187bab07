/**
 * What the human-readable renderers (table, Markdown, HTML, CSV) show beside the accounts: which
 * accounts a filter keeps, the per-OU summary, and what changed since the previous run. Pure: the
 * caller hands in the filter and the previous run's diff.
 */
import type { SweepDiff } from '../alerts/types.ts';
import { ACCOUNT_STATUSES, FINDING_CODES } from '../model.ts';
import type { AccountResult, AccountStatus, FindingCode } from '../model.ts';

/**
 * Which accounts a table, CSV or Markdown report lists (`sweep --failing`, `--status`, `--code`,
 * `--ou`). Criteria combine with AND; the values of one criterion with OR. The summaries still
 * count every account: a filter narrows the list, never the facts.
 */
export interface AccountFilter {
  /** Keep accounts with one of these statuses (`--failing` is NON_COMPLIANT and UNKNOWN). */
  statuses?: readonly AccountStatus[];
  /** Keep accounts with at least one finding of one of these codes, exempted ones included. */
  codes?: readonly FindingCode[];
  /**
   * Keep accounts under this OU: an ID (`ou-…`, `r-…`) matches the account's parent; any other
   * text matches an OU path and everything below it ("Root / Workloads" keeps "Root / Workloads / Prod"),
   * or an OU's own name.
   */
  ou?: string;
}

/** The statuses `--failing` keeps: the accounts that need someone's attention. */
const FAILING_STATUSES: readonly AccountStatus[] = ['NON_COMPLIANT', 'UNKNOWN'];

function underOu(account: AccountResult, ou: string): boolean {
  if (!account.ou) return false;
  if (/^(ou-|r-)/.test(ou)) return account.ou.id === ou;
  return account.ou.path === ou || account.ou.path.startsWith(`${ou} / `) || account.ou.name === ou;
}

/** Whether `account` passes `filter` (no filter: every account). */
export function matchesFilter(account: AccountResult, filter: AccountFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.statuses && !filter.statuses.includes(account.status)) return false;
  if (filter.codes && !account.findings.some((f) => filter.codes!.includes(f.code))) return false;
  if (filter.ou !== undefined && !underOu(account, filter.ou)) return false;
  return true;
}

/** "status NON_COMPLIANT or UNKNOWN, code MISSING_CONTACT, OU Root / Prod": what a filter keeps, in words. */
export function describeFilter(filter: AccountFilter): string {
  const parts: string[] = [];
  if (filter.statuses) parts.push(`status ${filter.statuses.join(' or ')}`);
  if (filter.codes) parts.push(`finding ${filter.codes.join(' or ')}`);
  if (filter.ou !== undefined) parts.push(`OU ${filter.ou}`);
  return parts.join(', ');
}

/**
 * A filter from the command line's values, each list comma-separated.
 * @throws RangeError naming the value that is not a status or finding code, and the accepted ones.
 */
export function parseFilter(raw: { failing?: boolean; status?: string; code?: string; ou?: string }): AccountFilter | undefined {
  const list = (name: string, text: string, allowed: readonly string[]): string[] => {
    const values = text.split(',').map((v) => v.trim().toUpperCase()).filter((v) => v !== '');
    const bad = values.filter((v) => !allowed.includes(v));
    if (values.length === 0 || bad.length > 0) {
      throw new RangeError(`--${name}: "${bad[0] ?? text}" is not one of ${allowed.join(', ')}`);
    }
    return [...new Set(values)];
  };
  const filter: AccountFilter = {};
  let statuses = raw.failing ? [...FAILING_STATUSES] : undefined;
  if (raw.status !== undefined) {
    const given = list('status', raw.status, ACCOUNT_STATUSES) as AccountStatus[];
    // Both given: the statuses of --status that are also failing.
    statuses = statuses ? given.filter((s) => statuses!.includes(s)) : given;
  }
  if (statuses) filter.statuses = statuses;
  if (raw.code !== undefined) filter.codes = list('code', raw.code, FINDING_CODES) as FindingCode[];
  if (raw.ou !== undefined) {
    const ou = raw.ou.trim();
    if (ou === '') throw new RangeError('--ou: expected an OU ID (ou-…, r-…), path or name, got an empty value');
    filter.ou = ou;
  }
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/** The heading accounts without an OU in the report (the sweep did not read OUs) are grouped under. */
export const NO_OU = '(no OU)';

export interface OuGroup {
  /** The parent OU's or root's ID; `''` for {@link NO_OU}. */
  id: string;
  path: string;
}

function ouOf(account: AccountResult): OuGroup {
  return account.ou ? { id: account.ou.id, path: account.ou.path || account.ou.name || account.ou.id } : { id: '', path: NO_OU };
}

/** Accounts grouped by OU path (alphabetical, "(no OU)" last), keeping their order within a group. */
export function groupByOu(accounts: readonly AccountResult[]): { ou: OuGroup; accounts: AccountResult[] }[] {
  const groups = new Map<string, { ou: OuGroup; accounts: AccountResult[] }>();
  for (const a of accounts) {
    const ou = ouOf(a);
    const key = `${ou.path}\u0000${ou.id}`;
    let g = groups.get(key);
    if (!g) {
      g = { ou, accounts: [] };
      groups.set(key, g);
    }
    g.accounts.push(a);
  }
  return [...groups.values()].sort((x, y) => (x.ou.id === '' ? 1 : 0) - (y.ou.id === '' ? 1 : 0) || x.ou.path.localeCompare(y.ou.path));
}

/** The status columns of a per-OU summary, attention first. */
export const OU_SUMMARY_STATUSES: readonly AccountStatus[] = ['NON_COMPLIANT', 'UNKNOWN', 'EXEMPT', 'COMPLIANT', 'SKIPPED'];

export interface OuSummaryRow {
  ou: OuGroup;
  accounts: number;
  byStatus: Record<AccountStatus, number>;
}

/** One row per OU: the OUs with the most accounts needing attention first, then by path ("(no OU)" last among equals). */
export function ouSummary(accounts: readonly AccountResult[]): OuSummaryRow[] {
  const rows = groupByOu(accounts).map((g) => {
    const byStatus = Object.fromEntries(ACCOUNT_STATUSES.map((s) => [s, 0])) as Record<AccountStatus, number>;
    for (const a of g.accounts) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    return { ou: g.ou, accounts: g.accounts.length, byStatus };
  });
  const attention = (r: OuSummaryRow) => r.byStatus.NON_COMPLIANT + r.byStatus.UNKNOWN;
  return rows.sort((x, y) => attention(y) - attention(x) || (x.ou.id === '' ? 1 : 0) - (y.ou.id === '' ? 1 : 0) || x.ou.path.localeCompare(y.ou.path));
}

/** Whether any account of the report sits in a known OU (else a per-OU summary has one "(no OU)" row and says nothing). */
export function hasOus(accounts: readonly AccountResult[]): boolean {
  return accounts.some((a) => a.ou !== undefined);
}

/**
 * What changed since the previous run: the same diff the sweep's VIOLATION_OPENED and
 * VIOLATION_RESOLVED alerts are made from (src/alerts/diff.ts, SPEC §8), and which run it is against.
 */
export interface ReportChanges extends SweepDiff {
  since: { runId: string; startedAt: string };
}

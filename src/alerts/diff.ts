/**
 * What changed between the previous sweep and this one (§8). A finding's identity is its
 * (contactType, code). Only open findings count: not exempt, not CHECK_FAILED (a read that
 * failed says nothing about the contact).
 */
import { isContactKind, type AccountResult, type Finding, type Report } from '../model.ts';
import type { ReportChanges } from '../report/view.ts';
import type { SweepDiff } from './types.ts';

const key = (f: Finding): string => `${f.contactType}:${f.code}`;

/** Findings that make an account NON_COMPLIANT: not exempt, not CHECK_FAILED. */
function openFindings(account: AccountResult): Finding[] {
  return account.findings.filter((f) => f.exemption === undefined && f.code !== 'CHECK_FAILED');
}

/**
 * Whether this run saw the contact of a finding's type: the contact was read (present or
 * missing) and its read did not fail. CONTACTS_NOT_DISTINCT compares every contact, so it
 * needs all of the account's contacts read.
 */
function sawFixed(account: AccountResult, finding: Finding): boolean {
  const failed = new Set(account.findings.filter((f) => f.code === 'CHECK_FAILED').map((f) => f.contactType));
  if (finding.code === 'CONTACTS_NOT_DISTINCT' || finding.code === 'EMAIL_REUSED_ACROSS_ACCOUNTS') return failed.size === 0;
  if (finding.contactType === 'PRIMARY') return account.primaryContact !== undefined && !failed.has('PRIMARY');
  if (finding.contactType === 'ROOT_EMAIL') return account.rootEmail !== undefined && !failed.has('ROOT_EMAIL');
  // A subject that is no contact kind (Alibaba's secure-phone check) has no contact to see fixed.
  return isContactKind(finding.contactType) && account.contacts[finding.contactType] !== undefined && !failed.has(finding.contactType);
}

/**
 * Opened: an account NON_COMPLIANT now that was not in the previous run (new accounts included),
 * or with an open finding it did not have. Resolved: open findings of the previous run that are
 * no longer open now (fixed, or now covered by an exemption), on an account read this time;
 * an account UNKNOWN, SKIPPED or absent now resolves nothing, and neither does a contact type
 * whose read failed. With no previous report the diff is empty. Both lists follow the current
 * report's account order.
 */
export function diffReports(previous: Report | undefined, current: Report): SweepDiff {
  const diff: SweepDiff = { opened: [], resolved: [] };
  if (previous === undefined) return diff;
  const before = new Map(previous.accounts.map((a) => [a.accountId, a]));
  for (const account of current.accounts) {
    const prev = before.get(account.accountId);
    const nowOpen = openFindings(account);
    const prevOpen = prev ? openFindings(prev) : [];
    const prevKeys = new Set(prevOpen.map(key));
    let newFindings = nowOpen.filter((f) => !prevKeys.has(key(f)));
    const newlyNonCompliant = account.status === 'NON_COMPLIANT' && prev?.status !== 'NON_COMPLIANT';
    // A previous report inconsistent with its statuses could leave nothing "new"; still say what is open.
    if (newlyNonCompliant && newFindings.length === 0) newFindings = nowOpen;
    if (newlyNonCompliant || newFindings.length > 0) diff.opened.push({ account, newFindings });

    if (prev === undefined || account.status === 'UNKNOWN' || account.status === 'SKIPPED') continue;
    const nowKeys = new Set(nowOpen.map(key));
    const resolved = prevOpen.filter((f) => !nowKeys.has(key(f)) && sawFixed(account, f));
    if (resolved.length > 0) diff.resolved.push({ accountId: account.accountId, name: account.name, resolved });
  }
  return diff;
}

/** The report's "changed since the last run" section: {@link diffReports} against the previous run, none on a first run. */
export function changesSince(previous: Report | undefined, current: Report): ReportChanges | undefined {
  if (previous === undefined) return undefined;
  return { since: { runId: previous.runId, startedAt: previous.startedAt }, ...diffReports(previous, current) };
}

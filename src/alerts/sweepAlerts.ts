/**
 * The alerts of one sweep (§8): per-account VIOLATION_OPENED then VIOLATION_RESOLVED alerts,
 * each group by account ID, up to `maxAlertsPerSweep`, then one SWEEP_SUMMARY naming the
 * accounts whose alert the cap held back. With no previous report, only the summary.
 */
import type { Report } from '../model.ts';
import { sweepSummaryAlert, violationOpenedAlert, violationResolvedAlert } from './buildAlerts.ts';
import { diffReports } from './diff.ts';
import type { Alert, SweepDiff } from './types.ts';

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function planSweepAlerts(
  previous: Report | undefined,
  current: Report,
  opts: { maxAlertsPerSweep: number; reportLocation: string },
): Alert[] {
  const cap = opts.maxAlertsPerSweep;
  if (!Number.isInteger(cap) || cap < 0) {
    throw new RangeError(`maxAlertsPerSweep must be a whole number >= 0, got ${String(cap)}`);
  }
  const raw = diffReports(previous, current);
  const diff: SweepDiff = {
    opened: [...raw.opened].sort((a, b) => byId(a.account.accountId, b.account.accountId)),
    resolved: [...raw.resolved].sort((a, b) => byId(a.accountId, b.accountId)),
  };
  const candidates = [
    ...diff.opened.map((o) => ({ kind: 'opened' as const, accountId: o.account.accountId, make: () => violationOpenedAlert(o.account, o.newFindings, current.runId) })),
    ...diff.resolved.map((r) => ({ kind: 'resolved' as const, accountId: r.accountId, make: () => violationResolvedAlert(r.accountId, r.name, r.resolved, current.runId) })),
  ];
  const sent = candidates.slice(0, cap);
  const held = candidates.slice(cap);
  const suppressed = {
    opened: held.filter((c) => c.kind === 'opened').map((c) => c.accountId),
    resolved: held.filter((c) => c.kind === 'resolved').map((c) => c.accountId),
  };
  return [...sent.map((c) => c.make()), sweepSummaryAlert(current, diff, opts.reportLocation, suppressed)];
}

/**
 * The evidence store in the deployed sweep (docs/continuous.md, "The deployed stack"): what the
 * list step of an incremental run chooses to read, what each batch keeps of its reads, how the
 * finalize step judges every listed account (fresh result or stored evidence), and the new
 * accounts it records and closes (README, "New accounts"). The same selection and the same
 * judgement as `sweep --incremental` in one process (./evidenceSweep.ts).
 */
import { errorText } from '../errors.ts';
import type { AccountResult, EvidenceSource, EvidenceSummary, OrgAccount, Report, RereadReason } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { isInactive } from '../rules/evaluate.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';
import { EvidenceStore, surfaceRequestIds } from '../storage/evidenceStore.ts';
import type { BatchItem, SweepManifest } from '../contracts/sweepWork.ts';
import { evidenceOf, judgeOnEvidence, summarizeEvidence, sweepEvidenceSource } from './evidence.ts';
import { incrementalPlan } from './evidenceSweep.ts';
import type { AlertSink } from './finalize.ts';
import { closeDueArrivals, dueAccountIds, recordArrivals, sweepArrivals } from './newAccounts.ts';
import type { ReadOptions } from './sweep.ts';

/** Records read at once by the finalize step (10,000 accounts: 10,000 GETs). */
const RECORD_READS = 32;

/** What an incremental run reads, and why (the new accounts due their check among them, `new`). */
export interface DeployedPlan {
  toRead: OrgAccount[];
  reasons: Map<string, RereadReason>;
  /** Why the due new accounts could not be learnt (the run goes on without them). */
  dueError?: string;
}

/**
 * The list step of an incremental run: the accounts {@link incrementalPlan} names (the OU tree is
 * read before, so moves are compared at once), and the new accounts whose check is due.
 */
export async function planDeployedIncremental(store: { storage: ReportStorage; prefix: string }, accounts: OrgAccount[], policy: Policy, started: Date): Promise<DeployedPlan> {
  const plan = await incrementalPlan(new EvidenceStore(store.storage, store.prefix, RECORD_READS), accounts, policy, started, false);
  const reasons = plan.reasons ?? new Map<string, RereadReason>();
  let dueIds: string[] = [];
  let dueError: string | undefined;
  try {
    dueIds = await dueAccountIds(store, started);
  } catch (error) {
    dueError = errorText(error);
  }
  const active = new Map(accounts.filter((account) => !isInactive(account)).map((account) => [account.id, account]));
  const toRead = [...plan.toRead];
  for (const id of dueIds) {
    const account = active.get(id);
    if (!account || reasons.has(id)) continue;
    reasons.set(id, 'new');
    toRead.push(account);
  }
  return { toRead, reasons, ...(dueError ? { dueError } : {}) };
}

/** Each batch's `rolling`: the accounts of it read only for the rolling slice. */
export function markRolling(batches: BatchItem[], reasons: ReadonlyMap<string, RereadReason> | undefined): BatchItem[] {
  if (!reasons) return batches;
  return batches.map((batch) => {
    const rolling = batch.accounts.filter((account) => reasons.get(account.id) === 'rolling').map((account) => account.id);
    return rolling.length > 0 ? { ...batch, rolling } : batch;
  });
}

/**
 * The batch step's `onRead`: keeps each read as the account's evidence before the next account is
 * taken. A write that fails fails the batch (retried by the state machine), so no read is judged
 * without being kept.
 */
export function batchEvidenceKeeper(storage: ReportStorage, prefix: string, manifest: Pick<SweepManifest, 'mode'>, batch: BatchItem): Required<ReadOptions>['onRead'] {
  const store = new EvidenceStore(storage, prefix);
  const rolling = new Set(batch.rolling ?? []);
  const sourceOf = (id: string): EvidenceSource => sweepEvidenceSource(manifest.mode ?? 'full', rolling.has(id));
  return async (index, surface, readAt) => {
    const account = batch.accounts[index]!;
    if (!surface) return;
    await store.record({ readAt: readAt.toISOString(), source: sourceOf(account.id), account, surface, requestIds: surfaceRequestIds(surface) });
  };
}

/** Every listed account judged, with the run's evidence summary. */
export interface JudgedListing {
  results: AccountResult[];
  evidence: EvidenceSummary;
}

/**
 * The finalize step: each listed account gets its batch's result (a fresh read, or UNKNOWN when
 * the batch gave none) with the age and source of its evidence, or, when this run did not read it
 * (incremental), the judgement of its stored evidence: UNKNOWN when it has none or it is past the
 * bound, never COMPLIANT (docs/continuous.md, "What a report says").
 */
export async function judgeListing(
  store: { storage: ReportStorage; prefix: string },
  run: { manifest: SweepManifest; listing: readonly OrgAccount[]; batchResults: readonly AccountResult[]; read: readonly OrgAccount[]; reasons?: Map<string, RereadReason> },
  today: string,
): Promise<JudgedListing> {
  const { manifest, listing } = run;
  const started = new Date(manifest.startedAt);
  const active = listing.filter((account) => !isInactive(account));
  const records = await new EvidenceStore(store.storage, store.prefix, RECORD_READS).getMany(active.map((account) => account.id));
  const fresh = new Map(run.batchResults.map((result) => [result.accountId, result]));
  const results = listing.map((account) => {
    const result = fresh.get(account.id);
    if (!result) return judgeOnEvidence(account, records.get(account.id), manifest.policy, today, started);
    const record = isInactive(account) ? undefined : records.get(account.id);
    return record ? { ...result, evidence: evidenceOf(record, started) } : result;
  });
  const accountsRead = run.read.filter((account) => !isInactive(account)).length;
  const evidence = summarizeEvidence(records, {
    mode: manifest.mode ?? 'full',
    accountsRead,
    ...(run.reasons ? { reasons: run.reasons } : {}),
    policy: manifest.policy,
    now: started,
  });
  return { results, evidence };
}

/** What the finalize step did with new accounts. */
export interface DeployedArrivals {
  recorded: number;
  closed: number;
  alerted: number;
  /** Due but left pending (not read in this run, UNKNOWN, or the alert failed). */
  retry: number;
  error?: string;
}

/**
 * The finalize step's new accounts (README, "New accounts"): the due ones are closed on this run's
 * fresh reads (alerting NEW_ACCOUNT_NOT_COMPLIANT when still non-compliant), then the accounts the
 * baseline did not have are recorded, due after the grace period. A store that cannot be read or
 * written is reported, not thrown: the report is already kept.
 */
export async function keepDeployedArrivals(
  store: { storage: ReportStorage; prefix: string },
  run: { report: Report; previous: Report | null; readNow: ReadonlySet<string>; policy: Policy; alerts?: AlertSink },
): Promise<DeployedArrivals> {
  const started = new Date(run.report.startedAt);
  const out: DeployedArrivals = { recorded: 0, closed: 0, alerted: 0, retry: 0 };
  try {
    if (run.alerts) {
      const byId = new Map(run.report.accounts.map((account) => [account.accountId, account]));
      const judge = async (accountId: string) => (run.readNow.has(accountId) ? byId.get(accountId) : undefined);
      const { checks } = await closeDueArrivals({ store, alerts: run.alerts, judge }, started);
      for (const check of checks) {
        if (check.outcome === 'retry') out.retry++;
        else out.closed++;
        if (check.outcome === 'alerted') out.alerted++;
      }
    }
    const { recorded } = await recordArrivals(store, sweepArrivals(run.previous ?? undefined, run.report), run.policy, started);
    out.recorded = recorded.length;
  } catch (error) {
    out.error = errorText(error);
  }
  return out;
}

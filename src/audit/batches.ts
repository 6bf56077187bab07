/**
 * How the deployed sweep splits the organization into the Distributed Map's batches and paces
 * each batch: the batch size from the organization's size and the batch function's time limit,
 * and each batch's share of the one GetAlternateContact quota (docs/operations.md).
 */
import type { OrgAccount } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { Pacer, soleReaderPacer, type QuotaShare } from '../calls/pacer.ts';
import { PARTITION_QUOTAS, deployedShares, type Partition } from '../providers/aws/quotas.ts';
import { isInactive } from '../rules/evaluate.ts';
import type { BatchItem } from '../contracts/sweepWork.ts';

/**
 * Batches of at most `size` accounts, numbered from 0, each with an even part of the accounts
 * that will be read: the ACTIVE ones (3 reads each) and the rest (skipped without a read) are
 * dealt out in listing order, so batches running side by side read alike and end together instead
 * of leaving part of the quota idle at the end.
 */
export function planBatches(accounts: readonly OrgAccount[], size: number, managementAccountId?: string): BatchItem[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a whole number ≥ 1, got ${size}`);
  const count = Math.ceil(accounts.length / size);
  // Only what the check needs: the items file stays small and holds no e-mail addresses.
  const batches: BatchItem[] = Array.from({ length: count }, (_, batch) => ({ batch, accounts: [] }));
  // Round robin over the ACTIVE accounts, then the rest: every batch gets ⌊n/count⌋ or ⌈n/count⌉
  // (≤ size) accounts, and the ACTIVE ones differ by at most one between batches.
  const ordered = [...accounts.filter((a) => !isInactive(a)), ...accounts.filter((a) => isInactive(a))];
  ordered.forEach((a, i) => {
    batches[i % count]!.accounts.push(listedAccount(a, managementAccountId));
  });
  return batches;
}

/**
 * An account as the deployed sweep hands it between steps: the OU (for overrides and the report),
 * and the root e-mail only where GetPrimaryEmail cannot give it, the management account's, as
 * Organizations lists it. Its evidence records keep the same fields, so an incremental run
 * compares like with like (docs/continuous.md, "The deployed stack").
 */
export function listedAccount(a: OrgAccount, managementAccountId: string | undefined): OrgAccount {
  return {
    id: a.id,
    name: a.name,
    state: a.state,
    ...(a.ou ? { ou: a.ou } : {}),
    ...(a.email && a.id === managementAccountId ? { email: a.email } : {}),
  };
}

/** Share of a batch's time limit its paced reads may fill: retried throttles and slow answers need the rest. */
export const BATCH_TIME_SHARE = 0.5;

/** What decides the size of the deployed sweep's batches. */
export interface BatchSizing {
  /** Batches the Distributed Map runs at once (its MaxConcurrency). */
  parallel: number;
  /** GetAlternateContact calls per second one batch makes (its share of the sweep's rate). */
  batchRatePerSecond: number;
  /** Seconds one batch may run (the batch function's time-out, at most Lambda's 900). */
  timeLimitSeconds: number;
  /** Reads per ACTIVE account: the policy's required contact types. */
  readsPerAccount: number;
  /** A cap on the size whatever the rest says (optional). */
  maxBatchSize?: number;
}

/**
 * An account's reads in GetAlternateContact calls, for {@link batchSizeFor}: the required contact
 * types, or more where a slower quota decides. A batch's shares are the same fraction of every
 * quota (quotas.ts `deployedShares`), so one GetPrimaryEmail call takes as long as
 * 10/3 GetAlternateContact calls (aws partition quotas; in aws-cn the ratio is 1, so this errs
 * short there). GetPrimaryEmailUpdateStatus (`rootEmail.updateStatus`) goes through the same
 * pacer, so it doubles that. OU and account overrides count too: any of them may ask for more.
 */
export function readsPerAccount(policy: Pick<Policy, 'requiredContactTypes' | 'primaryContact' | 'rootEmail' | 'overrides'>): number {
  const q = PARTITION_QUOTAS.aws;
  const perPrimaryEmail = q.GetAlternateContact!.ratePerSecond / q.GetPrimaryEmail!.ratePerSecond;
  const perContactInformation = q.GetAlternateContact!.ratePerSecond / q.GetContactInformation!.ratePerSecond;
  const sections = [policy, ...Object.values(policy.overrides ?? {})];
  const types = Math.max(...sections.map((s) => s.requiredContactTypes?.length ?? 0));
  const primary = sections.some((s) => s.primaryContact) ? perContactInformation : 0;
  const rootCalls = Math.max(...sections.map((s) => (s.rootEmail ? (s.rootEmail.updateStatus ? 2 : 1) : 0)));
  return Math.max(types, primary, rootCalls * perPrimaryEmail);
}

/**
 * Accounts per batch, from the organization's size and the Lambda time limit. A batch may fill
 * {@link BATCH_TIME_SHARE} of its time limit at its paced rate; within that, the accounts are
 * spread over a whole multiple of `parallel` batches of equal size, so the concurrent batches
 * start and end together and the tail of the Map, where fewer batches than `parallel` read and
 * part of the budget lies idle, stays as short as one account's reads.
 */
export function batchSizeFor(accounts: number, sizing: BatchSizing): number {
  const { parallel, batchRatePerSecond, timeLimitSeconds, readsPerAccount } = sizing;
  if (!Number.isInteger(parallel) || parallel < 1) throw new RangeError(`parallel must be a whole number ≥ 1, got ${parallel}`);
  if (!(batchRatePerSecond > 0) || !(timeLimitSeconds > 0)) throw new RangeError('the batch rate and time limit must be above 0');
  const byTime = Math.floor((timeLimitSeconds * BATCH_TIME_SHARE * batchRatePerSecond) / Math.max(1, readsPerAccount));
  const largest = Math.max(1, Math.min(byTime, sizing.maxBatchSize ?? Number.POSITIVE_INFINITY));
  if (accounts <= 0) return largest;
  const rounds = Math.ceil(accounts / (parallel * largest));
  const batches = Math.min(accounts, rounds * parallel);
  return Math.ceil(accounts / batches);
}

/** The pacing settings of the deployed sweep (a part of EnvConfig). */
export interface SweepPacingSettings {
  /** The deployed stack's partition: set, each batch paces at its share of that partition's quotas. */
  partition?: Partition;
  quotaScale?: number;
  sweepParallelBatches: number;
  getRatePerSecond: number;
  getBurst?: number;
}

/**
 * What one batch may spend of GetAlternateContact: in the deployed stack (a partition set), its
 * share from quotas.ts `deployedShares`; else the per-process rate, its burst in the quota's
 * proportion (a process that reads alone).
 */
export function batchShare(settings: SweepPacingSettings): QuotaShare {
  if (settings.partition) return deployedShares(settings.partition, settings.sweepParallelBatches, settings.quotaScale).batch.GetAlternateContact;
  const rate = settings.getRatePerSecond;
  const quota = PARTITION_QUOTAS.aws.GetAlternateContact!;
  return { ratePerSecond: rate, burst: settings.getBurst ?? soleReaderPacer(quota, rate / quota.ratePerSecond).burst };
}

/** The settings the list step sizes the batches by (a part of EnvConfig). */
export interface BatchSizeSettings extends SweepPacingSettings {
  /** The batch function's time-out (CONTACT_AUDIT_BATCH_TIME_LIMIT). */
  batchTimeLimitSeconds: number;
  /** A cap (CONTACT_AUDIT_BATCH_SIZE); infinite when unset. */
  batchSize: number;
}

/**
 * How the list step derives the batch size: from the organization's size and the batch
 * function's time limit, at the rate each batch paces at ({@link batchPacers}); the policy adds
 * the reads per account.
 */
export function deployedBatchSizing(settings: BatchSizeSettings): Omit<BatchSizing, 'readsPerAccount'> {
  return {
    parallel: settings.sweepParallelBatches,
    batchRatePerSecond: batchShare(settings).ratePerSecond,
    timeLimitSeconds: settings.batchTimeLimitSeconds,
    ...(Number.isFinite(settings.batchSize) ? { maxBatchSize: settings.batchSize } : {}),
  };
}

/** The pacers of one batch: one per Account Management read quota. */
export interface BatchPacers {
  alternateContact: Pacer;
  /** The primary contact and root e-mail reads (AccountSurfaceAdapter's `pacers`). */
  surface: { contactInformation: Pacer; primaryEmail: Pacer };
}

/**
 * This batch's part of the calling account's read quotas. Deployed, each of the Map's
 * CONTACT_AUDIT_SWEEP_PARALLEL batches (its MaxConcurrency, the batch function's reserved
 * concurrency) paces every operation at its share from quotas.ts `deployedShares`, so the batches,
 * the real-time function and the list step together stay within each quota of the partition
 * (docs/operations.md, "How the budget is shared"). Without a partition (tests that run the
 * handler in-process), the per-process rate and its proportion of the other quotas. Made once per
 * container: a warm instance keeps its buckets between batches instead of starting each with a
 * fresh burst.
 */
export function batchPacers(settings: SweepPacingSettings): BatchPacers {
  if (settings.partition) {
    const shares = deployedShares(settings.partition, settings.sweepParallelBatches, settings.quotaScale).batch;
    // A batch reads steadily from its first call: starting with its burst spent, the batches leave
    // the account's burst to whatever else reads when a sweep starts (the real-time function, a
    // console), and the spare tokens to requests a slow network bunches. The burst stays in the
    // share for a warm container's next batch.
    const pacer = (share: QuotaShare) => Pacer.forShare(share).startEmpty();
    return {
      alternateContact: pacer(shares.GetAlternateContact),
      surface: { contactInformation: pacer(shares.GetContactInformation), primaryEmail: pacer(shares.GetPrimaryEmail) },
    };
  }
  const share = batchShare(settings);
  const quotas = PARTITION_QUOTAS.aws;
  const fraction = Math.min(1, share.ratePerSecond / quotas.GetAlternateContact!.ratePerSecond);
  return {
    alternateContact: new Pacer(share.ratePerSecond, share.burst),
    surface: {
      contactInformation: soleReaderPacer(quotas.GetContactInformation!, fraction),
      primaryEmail: soleReaderPacer(quotas.GetPrimaryEmail!, fraction),
    },
  };
}

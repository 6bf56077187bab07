/**
 * How the deployed sweep splits the organization into the Distributed Map's batches and paces
 * each batch: the batch size from the organization's size and the batch function's time limit,
 * and each batch's share of the one GetAlternateContact quota (docs/operations.md).
 */
import type { OrgAccount } from '../model.ts';
import { GET_QUOTA, Pacer, READ_QUOTAS, pacerForQuota, type QuotaShare } from '../aws/pacer.ts';
import { isInactive } from '../rules/evaluate.ts';
import type { BatchItem } from './workFiles.ts';

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
    batches[i % count]!.accounts.push({
      id: a.id,
      name: a.name,
      state: a.state,
      // The OU (for overrides and the report), and the root e-mail only where GetPrimaryEmail
      // cannot give it: the management account's, as Organizations lists it.
      ...(a.ou ? { ou: a.ou } : {}),
      ...(a.email && a.id === managementAccountId ? { email: a.email } : {}),
    });
  });
  return batches;
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
  sweepGetRate?: number;
  sweepGetBurst?: number;
  sweepParallelBatches: number;
  getRatePerSecond: number;
  getBurst?: number;
}

/**
 * What one batch may spend: its even part of the sweep's share of the quota when that share is
 * set (the deployed stack), else the per-process rate (and its quota-proportioned burst).
 */
export function batchShare(settings: SweepPacingSettings): QuotaShare {
  if (settings.sweepGetRate !== undefined) {
    const parts = settings.sweepParallelBatches;
    const burst = settings.sweepGetBurst ?? (settings.sweepGetRate * GET_QUOTA.burst) / GET_QUOTA.ratePerSecond;
    return { ratePerSecond: settings.sweepGetRate / parts, burst: Math.max(1, Math.floor(burst / parts)) };
  }
  const rate = settings.getRatePerSecond;
  return { ratePerSecond: rate, burst: settings.getBurst ?? Math.max(1, Math.floor((rate * GET_QUOTA.burst) / GET_QUOTA.ratePerSecond)) };
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
 * This batch's part of the sweep's share of the calling account's read quotas: serverless.yml
 * gives the sweep CONTACT_AUDIT_SWEEP_GET_RATE / _BURST of GetAlternateContact for all its
 * concurrent batches (CONTACT_AUDIT_SWEEP_PARALLEL, the Map's MaxConcurrency) and each paces at
 * its even part, so the batches and the real-time function together stay within 10/s, burst 15
 * (docs/operations.md). The primary contact and root e-mail have quotas of their own; a batch
 * takes the same share of each. Made once per container: a warm instance keeps its buckets between
 * batches instead of starting each with a fresh burst.
 */
export function batchPacers(settings: SweepPacingSettings): BatchPacers {
  const share = batchShare(settings);
  const quotaShare = share.ratePerSecond / READ_QUOTAS.GetAlternateContact.ratePerSecond;
  return {
    alternateContact: new Pacer(share.ratePerSecond, share.burst),
    surface: {
      contactInformation: pacerForQuota(READ_QUOTAS.GetContactInformation, quotaShare),
      primaryEmail: pacerForQuota(READ_QUOTAS.GetPrimaryEmail, quotaShare),
    },
  };
}

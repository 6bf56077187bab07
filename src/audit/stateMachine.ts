/**
 * The scheduled sweep as the deployed state machine runs it, one use case per step:
 *
 * 1. {@link startSweep} — discover the organization, pin the policy, split the accounts into
 *    batches and write them to S3 (`work/<runId>/items.json`, the Distributed Map's ItemReader).
 * 2. {@link checkBatch} — one Map iteration: read and judge the contacts of one batch, paced, and
 *    write `work/<runId>/results/batch-N.json`.
 * 3. {@link finishSweep} — gather every batch's results, turn each listed account without a result
 *    into UNKNOWN (never dropped, never compliant), build the §5 report, keep it (§9) and send the
 *    §8 alerts through {@link finalizeSweep}.
 *
 * Steps pass only keys between them; the payload lives in S3, so a 10,000-account organization
 * never meets the 256 KiB state limit.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CallStats, ContactsAdapter } from '../aws/contacts.ts';
import { GET_QUOTA, type QuotaShare } from '../aws/pacer.ts';
import type { ContactRead, ContactType, OrgAccount, Report, ReportSummary, AccountResult } from '../model.ts';
import * as z from 'zod/mini';
import { policySchema } from '../policy/schema.ts';
import type { Policy } from '../policy/types.ts';
import { buildReport } from '../report/build.ts';
import { normalizePrefix } from '../report/layout.ts';
import { isRunId, newRunId } from '../report/runId.ts';
import { applyOrganizationRules, evaluateAccount, isInactive, skippedAccount } from '../rules/evaluate.ts';
import { utcDay } from '../time.ts';
import type { LoadedPolicy } from './deployedPolicy.ts';
import { finalizeSweep, readBaseline, type AlertSink } from './finalize.ts';
import type { ReportStorage } from './storage.ts';
import { checkAccounts, discoverOrganization, type SurfaceReader, type SweepAdapters } from './sweep.ts';

/** A step found the run's working files missing or not of the expected shape; retrying does not help. */
export class SweepStateError extends Error {
  override readonly name = 'SweepStateError';
}

/** The error code of the CHECK_FAILED findings of an account whose batch produced no result. */
export const BATCH_FAILED_CODE = 'SweepBatchFailed';

/** What every step of one run agrees on; written once by {@link startSweep}. */
export interface SweepManifest {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  organizationId: string;
  managementAccountId: string;
  callerAccountId: string;
  /** The validated policy, pinned for the whole run even if the policy object changes meanwhile. */
  policy: Policy;
  policyOrigin: string;
  accounts: number;
  batches: number;
}

/** One item of the Distributed Map: a batch of listed accounts. */
export interface BatchItem {
  batch: number;
  accounts: OrgAccount[];
}

/** What a batch leaves in S3. */
export interface BatchResultFile {
  schemaVersion: 1;
  runId: string;
  batch: number;
  results: AccountResult[];
  stats: CallStats;
}

/** The keys of one run's working files, `<prefix>/work/<runId>/…` (expired by the bucket lifecycle). */
export function workKeys(prefix: string, runId: string) {
  if (!isRunId(runId)) throw new SweepStateError(`not a run id: ${JSON.stringify(runId)}`);
  const p = normalizePrefix(prefix);
  const base = `${p === '' ? '' : `${p}/`}work/${runId}`;
  return {
    manifest: `${base}/manifest.json`,
    items: `${base}/items.json`,
    baseline: `${base}/baseline.json`,
    result: (batch: number) => `${base}/results/batch-${batch}.json`,
  };
}

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

/** The state every later step receives (kept small: keys, not data). */
export interface StartOutput {
  runId: string;
  startedAt: string;
  manifestKey: string;
  itemsKey: string;
  accounts: number;
  batches: number;
}

export interface StartDeps {
  adapters: SweepAdapters;
  storage: ReportStorage;
  prefix: string;
  /** The policy of this run (the handler passes `loadDeployedPolicy`; only this step parses YAML). */
  loadPolicy: () => Promise<LoadedPolicy>;
  /** A fixed batch size, or how to derive it from the organization ({@link batchSizeFor}). */
  batchSize: number | Omit<BatchSizing, 'readsPerAccount'>;
  /** Six hex characters when no execution name is given. */
  randomSuffix?: () => string;
}

/**
 * Step 1. The run ID comes from the execution's start time and name, so a retried step writes the
 * same keys instead of starting a second run.
 */
export async function startSweep(deps: StartDeps, input: { startedAt: Date; executionName?: string }): Promise<StartOutput> {
  const { policy, origin } = await deps.loadPolicy();
  const view = await discoverOrganization(deps.adapters, policy);
  const suffix = input.executionName
    ? createHash('sha256').update(input.executionName).digest('hex').slice(0, 6)
    : (deps.randomSuffix ?? (() => randomBytes(3).toString('hex')))();
  const runId = newRunId(input.startedAt, suffix);
  const keys = workKeys(deps.prefix, runId);
  const size =
    typeof deps.batchSize === 'number'
      ? deps.batchSize
      : batchSizeFor(view.accounts.length, { ...deps.batchSize, readsPerAccount: policy.requiredContactTypes.length });
  const batches = planBatches(view.accounts, size, view.managementAccountId);
  const manifest: SweepManifest = {
    schemaVersion: 1,
    runId,
    startedAt: input.startedAt.toISOString(),
    organizationId: view.organizationId,
    managementAccountId: view.managementAccountId,
    callerAccountId: view.callerAccountId,
    policy,
    policyOrigin: origin,
    accounts: view.accounts.length,
    batches: batches.length,
  };
  await deps.storage.put(keys.items, JSON.stringify(batches), 'application/json');
  await deps.storage.put(keys.manifest, JSON.stringify(manifest), 'application/json');
  return { runId, startedAt: manifest.startedAt, manifestKey: keys.manifest, itemsKey: keys.items, accounts: manifest.accounts, batches: manifest.batches };
}

async function readJson(storage: ReportStorage, key: string, what: string): Promise<unknown> {
  const text = await storage.get(key);
  if (text === undefined) throw new SweepStateError(`${what} ${storage.locate(key)} does not exist`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SweepStateError(`${what} ${storage.locate(key)} is not JSON`, { cause: error });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The run's manifest. Its policy is checked against the policy schema again (it crosses a process
 * boundary); the list step wrote it already normalised, so the value is used as it is. The schema,
 * not the YAML loader: the batch and finalize bundles stay free of the YAML parser.
 */
export async function readManifest(storage: ReportStorage, manifestKey: string, runId: string): Promise<SweepManifest> {
  const raw = await readJson(storage, manifestKey, 'run manifest');
  if (!isRecord(raw) || raw.schemaVersion !== 1 || raw.runId !== runId || typeof raw.startedAt !== 'string') {
    throw new SweepStateError(`run manifest ${storage.locate(manifestKey)} is not the manifest of run ${runId}`);
  }
  const checked = z.safeParse(policySchema, raw.policy);
  if (!checked.success) throw new SweepStateError(`run manifest ${storage.locate(manifestKey)}: the policy is not valid`, { cause: checked.error });
  return raw as unknown as SweepManifest;
}

function isOrgAccount(v: unknown): v is OrgAccount {
  return isRecord(v) && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.state === 'string';
}

function isBatchItem(v: unknown): v is BatchItem {
  return isRecord(v) && Number.isInteger(v.batch) && Array.isArray(v.accounts) && v.accounts.every(isOrgAccount);
}

export interface BatchDeps {
  contacts: ContactsAdapter;
  storage: ReportStorage;
  prefix: string;
  /** Accounts read at once; the pacer inside `contacts`, not this, keeps the rate under the quota. */
  concurrency: number;
  /** The primary contact and root e-mail, read where the policy has those sections (issue 11). */
  surface?: SurfaceReader;
}

export interface BatchOutput {
  batch: number;
  accounts: number;
  nonCompliant: number;
  unknown: number;
  stats: CallStats | undefined;
}

/**
 * Step 2, one Map iteration. Idempotent: a retried batch reads again and overwrites its own
 * result file. Exemptions are judged on the run's start day, as in a one-process sweep.
 */
export async function checkBatch(deps: BatchDeps, input: { runId: string; manifestKey: string; batch: BatchItem }): Promise<BatchOutput> {
  const manifest = await readManifest(deps.storage, input.manifestKey, input.runId);
  const { batch } = input;
  const results = await checkAccounts(deps.contacts, manifest, batch.accounts, manifest.policy, utcDay(new Date(manifest.startedAt)), {
    concurrency: deps.concurrency,
    ...(deps.surface ? { surface: deps.surface } : {}),
  });
  const stats = deps.contacts.stats;
  const file: BatchResultFile = {
    schemaVersion: 1,
    runId: input.runId,
    batch: batch.batch,
    results,
    stats: stats ?? { calls: 0, retries: 0, throttled: 0, failed: 0 },
  };
  await deps.storage.put(workKeys(deps.prefix, input.runId).result(batch.batch), JSON.stringify(file), 'application/json');
  return {
    batch: batch.batch,
    accounts: results.length,
    nonCompliant: results.filter((r) => r.status === 'NON_COMPLIANT').length,
    unknown: results.filter((r) => r.status === 'UNKNOWN').length,
    stats,
  };
}

/**
 * The result of a listed account whose batch produced none: UNKNOWN with one CHECK_FAILED per
 * required contact type saying so. An account that is not ACTIVE is SKIPPED as the batch would
 * have made it: its status comes from the listing, no read was due.
 */
export function unreadAccount(account: OrgAccount, batch: number, policy: Policy, today: string): AccountResult {
  if (isInactive(account)) return skippedAccount(account);
  const failed: ContactRead = {
    kind: 'failed',
    errorCode: BATCH_FAILED_CODE,
    message: `batch ${batch} of this sweep produced no result (it failed after its retries)`,
  };
  const reads: Partial<Record<ContactType, ContactRead>> = {};
  for (const type of policy.requiredContactTypes) reads[type] = failed;
  return evaluateAccount(account, reads, policy, today);
}

export interface Completeness {
  /** One result per listed account, in listing order. */
  results: AccountResult[];
  /** Listed accounts that got no result from their batch. */
  missingAccounts: string[];
  /** Batches whose result file was absent or not of this run. */
  missingBatches: number[];
  /** Results for accounts their batch did not list (ignored). */
  unexpected: string[];
}

/**
 * Holds the batches' results to the listing: every listed account gets exactly one result; one
 * without a result becomes {@link unreadAccount}; a result for an account not listed in its batch,
 * or a second result for one account, is ignored.
 */
export function completeResults(
  items: readonly BatchItem[],
  files: ReadonlyMap<number, BatchResultFile>,
  policy: Policy,
  today: string,
): Completeness {
  const results: AccountResult[] = [];
  const missingAccounts: string[] = [];
  const missingBatches: number[] = [];
  const unexpected: string[] = [];
  for (const item of items) {
    const file = files.get(item.batch);
    if (!file) missingBatches.push(item.batch);
    const listed = new Set(item.accounts.map((a) => a.id));
    const byId = new Map<string, AccountResult>();
    for (const result of file?.results ?? []) {
      if (!listed.has(result.accountId)) unexpected.push(result.accountId);
      else if (!byId.has(result.accountId)) byId.set(result.accountId, result);
    }
    for (const account of item.accounts) {
      const result = byId.get(account.id);
      if (result) {
        results.push(result);
      } else {
        missingAccounts.push(account.id);
        results.push(unreadAccount(account, item.batch, policy, today));
      }
    }
  }
  return { results, missingAccounts, missingBatches, unexpected };
}

async function readBatchFile(storage: ReportStorage, key: string, runId: string, batch: number): Promise<BatchResultFile | undefined> {
  const text = await storage.get(key);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || raw.runId !== runId || raw.batch !== batch || !Array.isArray(raw.results)) return undefined;
  const results = raw.results.filter((r): r is AccountResult => isRecord(r) && typeof r.accountId === 'string' && typeof r.status === 'string');
  return { ...(raw as unknown as BatchResultFile), results };
}

/**
 * The baseline of this run, pinned in `work/<runId>/baseline.json` on the first attempt: a retried
 * finalize must diff against the run before, not against `latest/` it may already have written.
 */
async function pinnedBaseline(storage: ReportStorage, prefix: string, key: string): Promise<Report | null> {
  const pinned = await storage.get(key);
  if (pinned !== undefined) {
    const parsed = JSON.parse(pinned) as { baseline: Report | null };
    return parsed.baseline;
  }
  const baseline = (await readBaseline(storage, prefix)) ?? null;
  await storage.put(key, JSON.stringify({ baseline }), 'application/json');
  return baseline;
}

export interface FinishDeps {
  storage: ReportStorage;
  prefix: string;
  alerts?: AlertSink;
  now?: () => Date;
}

export interface FinishOutput {
  runId: string;
  summary: ReportSummary;
  missingAccounts: number;
  missingBatches: number[];
  /** Results naming accounts their batch did not list; ignored, counted for the logs. */
  unexpectedResults: number;
  reportLocation: string;
  jsonLocation: string;
  alertsSent: number;
  alertsFailed: number;
}

/** Step 3: the report of the run, complete whatever the batches did. */
export async function finishSweep(deps: FinishDeps, input: { runId: string; manifestKey: string; itemsKey: string }): Promise<FinishOutput> {
  const now = deps.now ?? (() => new Date());
  const manifest = await readManifest(deps.storage, input.manifestKey, input.runId);
  const items = await readJson(deps.storage, input.itemsKey, 'batch items');
  if (!Array.isArray(items) || !items.every(isBatchItem)) {
    throw new SweepStateError(`batch items ${deps.storage.locate(input.itemsKey)} are not a list of batches`);
  }
  const keys = workKeys(deps.prefix, input.runId);
  const files = new Map<number, BatchResultFile>();
  for (const item of items) {
    const file = await readBatchFile(deps.storage, keys.result(item.batch), input.runId, item.batch);
    if (file) files.set(item.batch, file);
  }
  const complete = completeResults(items, files, manifest.policy, utcDay(new Date(manifest.startedAt)));
  // Rules over every account at once (EMAIL_REUSED_ACROSS_ACCOUNTS) run here, where all results meet.
  complete.results = applyOrganizationRules(complete.results, manifest.policy, utcDay(new Date(manifest.startedAt)));
  const previous = await pinnedBaseline(deps.storage, deps.prefix, keys.baseline);
  const report = buildReport(
    {
      runId: manifest.runId,
      startedAt: manifest.startedAt,
      finishedAt: now().toISOString(),
      organizationId: manifest.organizationId,
      managementAccountId: manifest.managementAccountId,
      callerAccountId: manifest.callerAccountId,
      policy: manifest.policy,
    },
    complete.results,
  );
  const outcome = await finalizeSweep({
    report,
    storage: deps.storage,
    prefix: deps.prefix,
    maxAlertsPerSweep: manifest.policy.maxAlertsPerSweep,
    previous,
    ...(deps.alerts ? { alerts: deps.alerts } : {}),
  });
  return {
    runId: report.runId,
    summary: report.summary,
    missingAccounts: complete.missingAccounts.length,
    missingBatches: complete.missingBatches,
    unexpectedResults: complete.unexpected.length,
    reportLocation: outcome.htmlLocation,
    jsonLocation: outcome.jsonLocation,
    alertsSent: outcome.alertsSent,
    alertsFailed: outcome.alertsFailed,
  };
}

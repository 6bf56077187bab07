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
 * never meets the 256 KiB state limit. The steps' inputs and the work files have their schemas in
 * src/contracts/sweepWork.ts and are validated when read back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newCallStats, type ContactsAdapter } from '../providers/aws/contacts.ts';
import type { AccountResult, ContactRead, ContactType, OrgAccount, Report } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { buildReport } from '../report/buildReport.ts';
import { newRunId } from '../report/runId.ts';
import { applyOrganizationRules, evaluateAccount, isInactive, skippedAccount } from '../rules/evaluate.ts';
import { utcDay } from '../time.ts';
import { batchSizeFor, listedAccount, planBatches, readsPerAccount, type BatchSizing } from './batches.ts';
import type { LoadedPolicy } from '../policy/deployed.ts';
import { finalizeSweep, readBaseline, type AlertSink } from './finalize.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';
import { readSurfaces } from './sweep.ts';
import { evaluateSurface } from '../rules/surface.ts';
import { EvidenceStore } from '../storage/evidenceStore.ts';
import { batchEvidenceKeeper, judgeListing, keepDeployedArrivals, markRolling, planDeployedIncremental, type DeployedArrivals } from './deployedEvidence.ts';
import { discoverOrganization, type SurfaceReader, type SweepAdapters } from '../providers/aws/discovery.ts';
import { AwsAccountReader } from '../providers/aws/awsProvider.ts';
import {
  BatchItems,
  BatchResultFile,
  PinnedBaseline,
  SweepManifest,
  SweepPlan,
  SweepStateError,
  parseWorkFile,
  readWorkFile,
  workKeys,
  type BatchInput,
  type BatchItem,
  type BatchOutput,
  type FinalizeInput,
  type FinishOutput,
  type StartOutput,
  type SweepMode,
} from '../contracts/sweepWork.ts';

/** The error code of the CHECK_FAILED findings of an account whose batch produced no result. */
const BATCH_FAILED_CODE = 'SweepBatchFailed';

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
export async function startSweep(deps: StartDeps, input: { startedAt: Date; executionName?: string; mode?: SweepMode }): Promise<StartOutput & { toRead: number; dueError?: string }> {
  const { policy, origin } = await deps.loadPolicy();
  const view = await discoverOrganization(deps.adapters, policy);
  const suffix = input.executionName
    ? createHash('sha256').update(input.executionName).digest('hex').slice(0, 6)
    : (deps.randomSuffix ?? (() => randomBytes(3).toString('hex')))();
  const runId = newRunId(input.startedAt, suffix);
  const keys = workKeys(deps.prefix, runId);
  const mode = input.mode ?? 'full';
  const listing = view.accounts.map((account) => listedAccount(account, view.managementAccountId));
  // Incremental (docs/continuous.md, "The deployed stack"): only what can have changed is read.
  const plan = mode === 'incremental' ? await planDeployedIncremental({ storage: deps.storage, prefix: deps.prefix }, listing, policy, input.startedAt) : undefined;
  const toRead = plan?.toRead ?? listing;
  const size =
    typeof deps.batchSize === 'number'
      ? deps.batchSize
      : batchSizeFor(toRead.length, { ...deps.batchSize, readsPerAccount: readsPerAccount(policy) });
  const batches = markRolling(planBatches(toRead, size, view.managementAccountId), plan?.reasons);
  // The policy as loaded: what the manifest schema's policy parses back to.
  const manifest: Omit<SweepManifest, 'policy'> & { policy: Policy } = {
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
    mode,
  };
  // The listing in its order (the report's), and why each account is read (incremental).
  const kept: SweepPlan = { schemaVersion: 1, runId, listing, reasons: Object.fromEntries(plan?.reasons ?? []) };
  await deps.storage.put(keys.plan, JSON.stringify(kept), 'application/json');
  await deps.storage.put(keys.items, JSON.stringify(batches), 'application/json');
  await deps.storage.put(keys.manifest, JSON.stringify(manifest), 'application/json');
  return {
    runId,
    startedAt: manifest.startedAt,
    manifestKey: keys.manifest,
    itemsKey: keys.items,
    accounts: manifest.accounts,
    batches: manifest.batches,
    toRead: toRead.length,
    ...(plan?.dueError ? { dueError: plan.dueError } : {}),
  };
}

/**
 * The run's manifest, checked to be this run's. Its policy goes through the policy schema again
 * (it crosses a process boundary); the list step wrote it normalised, so the value is the same.
 * @throws SweepStateError naming the object and the field.
 */
async function readManifest(storage: ReportStorage, manifestKey: string, runId: string): Promise<SweepManifest> {
  const manifest = await readWorkFile(storage, manifestKey, SweepManifest, 'run manifest');
  if (manifest.runId !== runId) {
    throw new SweepStateError(`run manifest ${storage.locate(manifestKey)}: runId: ${JSON.stringify(manifest.runId)} is not this run (${runId})`);
  }
  return manifest;
}

export interface BatchDeps {
  contacts: ContactsAdapter;
  storage: ReportStorage;
  prefix: string;
  /** Accounts read at once; the pacer inside `contacts`, not this, keeps the rate under the quota. */
  concurrency: number;
  /** The primary contact and root e-mail, read where the policy has those sections. */
  surface?: SurfaceReader;
}

/**
 * Step 2, one Map iteration. Idempotent: a retried batch reads again and overwrites its own
 * result file. Exemptions are judged on the run's start day, as in a one-process sweep.
 */
export async function checkBatch(deps: BatchDeps, input: BatchInput): Promise<BatchOutput> {
  const manifest = await readManifest(deps.storage, input.manifestKey, input.runId);
  const { batch } = input;
  const reader = new AwsAccountReader({ contacts: deps.contacts, ...(deps.surface ? { surface: deps.surface } : {}) });
  const today = utcDay(new Date(manifest.startedAt));
  // Each read is kept as the account's evidence (docs/continuous.md) before it is judged.
  const surfaces = await readSurfaces(reader, manifest, batch.accounts, manifest.policy, {
    concurrency: deps.concurrency,
    onRead: batchEvidenceKeeper(deps.storage, deps.prefix, manifest, batch),
  });
  const results = batch.accounts.map((account, index) => evaluateSurface(account, surfaces[index], manifest.policy, today));
  const stats = deps.contacts.stats;
  const file: BatchResultFile = {
    schemaVersion: 1,
    runId: input.runId,
    batch: batch.batch,
    results,
    stats: stats ?? newCallStats(),
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
function unreadAccount(account: OrgAccount, batch: number, policy: Policy, today: string): AccountResult {
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

interface Completeness {
  /** One result per listed account, in listing order. */
  results: AccountResult[];
  /** Listed accounts that got no result from their batch. */
  missingAccounts: string[];
  /** Batches without a usable result file (absent, corrupt, or not of this run). */
  missingBatches: number[];
  /** Results for accounts their batch did not list (ignored). */
  unexpected: string[];
}

/**
 * Holds the batches' results to the listing: every listed account gets exactly one result; one
 * without a result becomes {@link unreadAccount}; a result for an account not listed in its batch,
 * or a second result for one account, is ignored.
 */
function completeResults(
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

/**
 * A batch's result file, or undefined when the batch wrote none.
 * @throws SweepStateError when the file cannot be used: not JSON, not of the schema, or another run's or batch's.
 */
async function readBatchResult(storage: ReportStorage, key: string, runId: string, batch: number): Promise<BatchResultFile | undefined> {
  const text = await storage.get(key);
  if (text === undefined) return undefined;
  const location = storage.locate(key);
  const file = parseWorkFile(BatchResultFile, text, 'batch result', location);
  if (file.runId !== runId) throw new SweepStateError(`batch result ${location}: runId: ${JSON.stringify(file.runId)} is not this run (${runId})`);
  if (file.batch !== batch) throw new SweepStateError(`batch result ${location}: batch: ${file.batch} is not batch ${batch}`);
  return file;
}

/**
 * The baseline of this run, pinned in `work/<runId>/baseline.json` on the first attempt: a retried
 * finalize must diff against the run before, not against `latest/` it may already have written.
 */
async function pinnedBaseline(storage: ReportStorage, prefix: string, key: string): Promise<Report | null> {
  const pinned = await storage.get(key);
  if (pinned !== undefined) return parseWorkFile(PinnedBaseline, pinned, 'pinned baseline', storage.locate(key)).baseline;
  const baseline = (await readBaseline(storage, prefix)) ?? null;
  await storage.put(key, JSON.stringify({ baseline } satisfies PinnedBaseline), 'application/json');
  return baseline;
}

export interface FinishDeps {
  storage: ReportStorage;
  prefix: string;
  alerts?: AlertSink;
  now?: () => Date;
}

/** Step 3: the report of the run, complete whatever the batches did. */
export async function finishSweep(deps: FinishDeps, input: Pick<FinalizeInput, 'runId' | 'manifestKey' | 'itemsKey'>): Promise<FinishOutput> {
  const now = deps.now ?? (() => new Date());
  const manifest = await readManifest(deps.storage, input.manifestKey, input.runId);
  const items = await readWorkFile(deps.storage, input.itemsKey, BatchItems, 'batch items');
  const keys = workKeys(deps.prefix, input.runId);
  const { files, unusableResults } = await readBatchResults(deps.storage, items, (batch) => keys.result(batch), input.runId);
  const today = utcDay(new Date(manifest.startedAt));
  const complete = completeResults(items, files, manifest.policy, today);
  // A run listed by an older version has no plan (nor mode): its listing is its batches'.
  const plan = manifest.mode ? await readPlan(deps.storage, keys.plan, input.runId) : undefined;
  const read = items.flatMap((item) => item.accounts);
  const listing = plan?.listing ?? read;
  // Every listed account: its fresh result, or (incremental, not read) its stored evidence judged.
  const judged = await judgeListing(
    { storage: deps.storage, prefix: deps.prefix },
    { manifest, listing, batchResults: complete.results, read, ...(manifest.mode === 'incremental' && plan ? { reasons: new Map(Object.entries(plan.reasons)) } : {}) },
    today,
  );
  // Rules over every account at once (EMAIL_REUSED_ACROSS_ACCOUNTS) run here, where all results meet.
  const results = applyOrganizationRules(judged.results, manifest.policy, today);
  const previous = await pinnedBaseline(deps.storage, deps.prefix, keys.baseline);
  const report: Report = { ...runReport(manifest, results, now()), evidence: judged.evidence };
  // The listing `sweep --from-evidence` starts from; before the alerts, so a retry after a failed write sends none twice.
  const { organizationId, managementAccountId, callerAccountId } = manifest;
  await new EvidenceStore(deps.storage, deps.prefix).putOrganization({ schemaVersion: 1, organizationId, managementAccountId, callerAccountId, listedAt: manifest.startedAt, accounts: [...listing] });
  const outcome = await finalizeSweep({
    report,
    storage: deps.storage,
    prefix: deps.prefix,
    maxAlertsPerSweep: manifest.policy.maxAlertsPerSweep,
    previous,
    ...(deps.alerts ? { alerts: deps.alerts } : {}),
  });
  const missing = new Set(complete.missingAccounts);
  const readNow = new Set(read.filter((account) => !missing.has(account.id)).map((account) => account.id));
  const newAccounts: DeployedArrivals = await keepDeployedArrivals(
    { storage: deps.storage, prefix: deps.prefix },
    { report, previous, readNow, policy: manifest.policy, ...(deps.alerts ? { alerts: deps.alerts } : {}) },
  );
  return {
    runId: report.runId,
    summary: report.summary,
    missingAccounts: complete.missingAccounts.length,
    missingBatches: complete.missingBatches,
    unusableResults,
    unexpectedResults: complete.unexpected.length,
    reportLocation: outcome.htmlLocation,
    jsonLocation: outcome.jsonLocation,
    alertsSent: outcome.alertsSent,
    alertsFailed: outcome.alertsFailed,
    newAccounts,
  };
}

/** Every batch's result file; one that cannot be used counts as none (its accounts UNKNOWN, never dropped), its reason kept for the log. */
async function readBatchResults(storage: ReportStorage, items: readonly BatchItem[], keyOf: (batch: number) => string, runId: string) {
  const files = new Map<number, BatchResultFile>();
  const unusableResults: string[] = [];
  for (const item of items) {
    try {
      const file = await readBatchResult(storage, keyOf(item.batch), runId, item.batch);
      if (file) files.set(item.batch, file);
    } catch (error) {
      if (!(error instanceof SweepStateError)) throw error;
      unusableResults.push(error.message);
    }
  }
  return { files, unusableResults };
}

/** The §5 report of the run's results. */
function runReport(manifest: SweepManifest, results: AccountResult[], finishedAt: Date): Report {
  const { runId, startedAt, organizationId, managementAccountId, callerAccountId, policy } = manifest;
  return buildReport({ runId, startedAt, finishedAt: finishedAt.toISOString(), organizationId, managementAccountId, callerAccountId, policy }, results);
}

/**
 * The run's plan, checked to be this run's.
 * @throws SweepStateError naming the object and the field.
 */
async function readPlan(storage: ReportStorage, key: string, runId: string): Promise<SweepPlan> {
  const plan = await readWorkFile(storage, key, SweepPlan, 'sweep plan');
  if (plan.runId !== runId) throw new SweepStateError(`sweep plan ${storage.locate(key)}: runId: ${JSON.stringify(plan.runId)} is not this run (${runId})`);
  return plan;
}

import { AlertPublisher } from '../providers/aws/alerts.ts';
import { createClients, type AwsClients, type ClientSettings } from '../providers/aws/clients.ts';
import { ContactsAdapter, newCallStats, type CallStats } from '../providers/aws/contacts.ts';
import { IdentityAdapter } from '../providers/aws/identity.ts';
import { awsProviderFor } from '../providers/aws/awsProvider.ts';
import type { Provider } from '../providers/provider.ts';
import { PublishingObjectStore } from '../providers/aws/objects.ts';
import { OutputsProbe } from '../providers/aws/outputs.ts';
import { OrganizationsAdapter } from '../providers/aws/organizations.ts';
import { AccountSurfaceAdapter } from '../providers/aws/primaryContact.ts';
import { OrganizationTreeAdapter, ParentChainAdapter } from '../providers/aws/organizationTree.ts';
import type { Report, ReportSummary } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { errorText } from '../errors.ts';
import { finalizeSweep, type FinalizeOutcome } from './finalize.ts';
import { FileStore, type ReportStorage } from '../storage/reportStorage.ts';
import { requireCredentials } from '../providers/aws/credentials.ts';
import { checkAlertTopic, checkReportBucket } from './preflight.ts';
import { runSweep, type SweepOutcome } from './sweep.ts';
import { newAccountsLocation, recordArrivals, sweepArrivals, type NewAccountsStore, type PendingArrival } from './newAccounts.ts';
import { reportFromEvidence, sweepWithEvidence } from './evidenceSweep.ts';
import { EvidenceStore } from '../storage/evidenceStore.ts';

/** The adapters {@link runSweepJob} composes: what the caller of a local sweep needs (README "IAM permissions of the caller"). */
export const SWEEP_JOB_ADAPTERS = [
  IdentityAdapter,
  OrganizationsAdapter,
  ContactsAdapter,
  AccountSurfaceAdapter,
  OrganizationTreeAdapter,
  ParentChainAdapter,
  AlertPublisher,
  PublishingObjectStore,
  OutputsProbe,
] as const;

/** Where a run's reports go: a local folder or `s3://bucket/prefix`. */
export type ReportDestination = { kind: 'dir'; path: string } | { kind: 's3'; bucket: string; prefix: string };

export function parseDestination(out: string): ReportDestination {
  if (out.startsWith('s3://')) {
    const rest = out.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new RangeError(`--out: "${bucket}" is not an S3 bucket name`);
    return { kind: 's3', bucket, prefix };
  }
  if (out.trim() === '') throw new RangeError('--out: empty path');
  return { kind: 'dir', path: out };
}

/**
 * Where a job's provider comes from: made once the AWS outputs (when the cloud is AWS) are known to
 * be usable, with the AWS clients of the reports and alerts at hand.
 */
export interface ProviderSource {
  /**
   * The cloud swept is AWS: its credentials are required before anything, and the S3 bucket and SNS
   * topic are tried before the first read. Another cloud's sweep needs AWS only to keep its reports
   * and send its alerts, so AWS is asked then.
   */
  readonly onAws: boolean;
  create(aws: () => AwsClients): Provider | Promise<Provider>;
}

/** The AWS provider of a command-line sweep, paced at `getRatePerSecond` (GetAlternateContact calls per second; the burst scales with it, 10/s → 15). */
export function awsProviderSource(getRatePerSecond: number): ProviderSource {
  return { onAws: true, create: (aws) => awsProviderFor(aws(), getRatePerSecond) };
}

export interface SweepJobInput {
  policy: Policy;
  provider: ProviderSource;
  /** The AWS clients (tests inject their own); otherwise made from `clientSettings` when first needed. */
  clients?: AwsClients;
  clientSettings?: ClientSettings;
  /** `--accounts`: a partial run (runs/ and findings/ only, never latest/). */
  accountIds?: readonly string[];
  concurrency: number;
  out?: ReportDestination;
  topicArn?: string;
  onProgress?: (done: number, total: number) => void;
  /** Runs the keeping of the reports (runs/, findings/, latest/) as one step signals wait for (src/cli/signals.ts). */
  critical?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * With `out`, an AWS sweep keeps its evidence (docs/continuous.md); `incremental` reads only what
   * can have changed, `from-evidence` reads nothing and judges the stored evidence. Both need `out`.
   */
  evidence?: 'incremental' | 'from-evidence';
  /** The clock the sweep reads and judges by; the real one unless a benchmark replays later days. */
  now?: () => Date;
}

export interface SweepJobOutcome {
  report: Report;
  stats: CallStats;
  finalized?: FinalizeOutcome;
  /**
   * Accounts this full AWS sweep saw for the first time, kept for their check once their grace
   * period is over (./newAccounts.ts): how many, and where; or why they could not be kept.
   */
  newAccounts?: { recorded: PendingArrival[]; location: string } | { error: unknown };
}

/**
 * The accounts were read but the reports could not be kept (S3 or the folder refused them): the
 * report in `outcome` is whole, so the caller still shows it, then fails the run. `cause` is what refused.
 */
export class ReportsNotKeptError extends Error {
  override readonly name = 'ReportsNotKeptError';
  readonly outcome: SweepJobOutcome;

  constructor(outcome: SweepJobOutcome, options: { cause: unknown }) {
    super(`the reports could not be kept: ${errorText(options.cause)}`, options);
    this.outcome = outcome;
  }
}

export function storageFor(destination: ReportDestination, clients: AwsClients): { storage: ReportStorage; prefix: string } {
  return destination.kind === 'dir'
    ? { storage: new FileStore(destination.path), prefix: '' }
    : { storage: new PublishingObjectStore(destination.bucket, clients.s3), prefix: destination.prefix };
}

/** Where a sweep keeps its reports: {@link storageFor} its `--out`, or nowhere (alerts only) without one. */
function sweepStorageFor(destination: ReportDestination | undefined, clients: AwsClients): { storage: ReportStorage; prefix: string } {
  return destination ? storageFor(destination, clients) : { storage: new NullStore(), prefix: '' };
}

/**
 * One sweep as the CLI runs it, of any cloud: read the organization through the provider, keep
 * the reports, send the alerts.
 * @throws ReportsNotKeptError (carrying the report) when only the keeping of the reports failed.
 */
export async function runSweepJob(input: SweepJobInput): Promise<SweepJobOutcome> {
  let made: AwsClients | undefined = input.clients;
  const aws = (): AwsClients => (made ??= createClients(input.clientSettings));
  if (input.evidence === 'from-evidence') return fromEvidenceJob(input, aws);
  // Clients made here use the standard chain: no credentials at all is a set-up error, found first.
  if (input.provider.onAws && !input.clients) await requireCredentials(aws().sts);
  // Every cloud's reports and alerts go to S3 and SNS: those outputs are tried before the first read.
  if (input.out?.kind === 's3' || input.topicArn) await checkOutputs(new OutputsProbe(aws().s3, aws().sns), input.out, input.topicArn);
  const provider = await input.provider.create(aws);
  const options = {
    concurrency: input.concurrency,
    ...(input.accountIds ? { accountIds: input.accountIds } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.now ? { now: input.now } : {}),
  };
  // The evidence is AWS's (docs/continuous.md): an Alibaba Cloud sweep keeps its reports only.
  const swept: SweepOutcome & { evidenceNotKept?: { cause: unknown } } =
    input.out && provider.cloud === 'aws'
      ? await sweepWithEvidence(provider, input.policy, { store: evidenceStoreFor(input.out, aws), mode: input.evidence ?? 'full' }, options)
      : await runSweep(provider, input.policy, options);
  const kept = await keepSweep({ report: swept.report, stats: swept.stats ?? newCallStats() }, keepInput(input, aws, provider.cloud));
  // The reports are kept but some evidence is not: the next incremental sweep would miss it, so the run fails.
  if (swept.evidenceNotKept) throw new ReportsNotKeptError(kept, swept.evidenceNotKept);
  return kept;
}

/** How {@link keepSweep} keeps the run of `input`; `readCloud` is the cloud whose contacts it read, if any. */
function keepInput(input: SweepJobInput, aws: () => AwsClients, readCloud?: string): KeepSweepInput {
  return {
    clients: aws,
    maxAlertsPerSweep: input.policy.maxAlertsPerSweep,
    partial: input.accountIds !== undefined,
    // The check of a new account reads AWS contacts: an Alibaba member is never one, and a report
    // from stored evidence read nothing new.
    ...(readCloud === 'aws' ? { newAccountsPolicy: input.policy } : {}),
    ...(input.out ? { out: input.out } : {}),
    ...(input.topicArn ? { topicArn: input.topicArn } : {}),
    ...(input.critical ? { critical: input.critical } : {}),
  };
}

/** The evidence store beside the reports of `out`: a folder needs no AWS client. */
function evidenceStoreFor(out: ReportDestination, aws: () => AwsClients): EvidenceStore {
  const { storage, prefix } = out.kind === 'dir' ? { storage: new FileStore(out.path), prefix: '' } : storageFor(out, aws());
  return new EvidenceStore(storage, prefix);
}

/**
 * `sweep --from-evidence`: the report of the stored evidence under `input.policy`, kept and alerted
 * as a sweep's, with no contact read (and, for a folder and no topic, no AWS call at all).
 */
async function fromEvidenceJob(input: SweepJobInput, aws: () => AwsClients): Promise<SweepJobOutcome> {
  if (!input.out) throw new RangeError('--from-evidence needs --out: the evidence is kept beside the reports');
  if (input.out.kind === 's3' || input.topicArn) await checkOutputs(new OutputsProbe(aws().s3, aws().sns), input.out, input.topicArn);
  const report = await reportFromEvidence(evidenceStoreFor(input.out, aws), input.policy);
  return keepSweep({ report, stats: newCallStats() }, keepInput(input, aws));
}

/** Where and how a finished sweep is kept: {@link keepSweep}. */
interface KeepSweepInput {
  /** The AWS clients of S3 and SNS (reports and alerts stay on AWS for every cloud). */
  clients: AwsClients | (() => AwsClients);
  out?: ReportDestination;
  topicArn?: string;
  maxAlertsPerSweep: number;
  /** `--accounts`: runs/ and findings/ only, never latest/, and only the summary alert (finalize.ts). */
  partial: boolean;
  /** An AWS sweep's policy: accounts first seen are recorded as new under its grace period. */
  newAccountsPolicy?: Policy;
  critical?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * The second half of every CLI sweep: keep the reports (runs/, findings/, then
 * the switch of latest/, as one step signals wait for) and send the alerts.
 * @throws ReportsNotKeptError (carrying the report) when only the keeping of the reports failed.
 */
async function keepSweep(run: { report: Report; stats: CallStats }, input: KeepSweepInput): Promise<SweepJobOutcome> {
  const { report, stats } = run;
  if (!input.out && !input.topicArn) return { report, stats };
  const clients = typeof input.clients === 'function' ? input.clients() : input.clients;
  const { topicArn } = input;
  const publisher = topicArn ? new AlertPublisher(clients.sns) : undefined;
  // Alerts without a place to keep reports: no baseline, so only the summary goes out.
  const { storage, prefix } = sweepStorageFor(input.out, clients);
  try {
    const critical = input.critical ?? (<T>(work: () => Promise<T>) => work());
    const finalized = await critical(() => finalizeSweep({
      report,
      storage,
      prefix,
      maxAlertsPerSweep: input.maxAlertsPerSweep,
      ...(input.partial ? { partial: true } : {}),
      ...(publisher && topicArn ? { alerts: { publish: (alert) => publisher.publish(topicArn, alert) } } : {}),
    }));
    const newAccounts = input.out && !input.partial && input.newAccountsPolicy ? await keepNewAccounts({ storage, prefix }, finalized.previous, report, input.newAccountsPolicy) : undefined;
    return { report, stats, finalized, ...(newAccounts ? { newAccounts } : {}) };
  } catch (error) {
    throw new ReportsNotKeptError({ report, stats }, { cause: error });
  }
}

/**
 * Records the accounts the run saw first (README, "New accounts"). A failure here does not undo the
 * run, whose reports are kept: it is returned, for the command to report.
 */
async function keepNewAccounts(store: NewAccountsStore, previous: Report | undefined, report: Report, policy: Policy): Promise<SweepJobOutcome['newAccounts']> {
  try {
    const { recorded } = await recordArrivals(store, sweepArrivals(previous, report), policy, new Date());
    return { recorded, location: newAccountsLocation(store) };
  } catch (error) {
    return { error };
  }
}

/** The outputs the run will need at its end, tried before its first contact read (preflight.ts); a folder is checked when written. */
async function checkOutputs(probe: OutputsProbe, out: ReportDestination | undefined, topicArn: string | undefined): Promise<void> {
  await Promise.all([
    out?.kind === 's3' ? checkReportBucket(probe, out.bucket, out.prefix) : undefined,
    topicArn ? checkAlertTopic(probe, topicArn) : undefined,
  ]);
}

/** Keeps nothing: for a sweep that sends alerts but writes no report. */
class NullStore implements ReportStorage {
  async get(): Promise<undefined> {
    return undefined;
  }
  async put(): Promise<void> {}
  locate(): string {
    return '(report not kept: no --out)';
  }
}

/** SPEC §6: 1 when anything is NON_COMPLIANT, else 3 when anything is UNKNOWN, else 0. */
export function exitCodeFor(summary: ReportSummary): 0 | 1 | 3 {
  if (summary.nonCompliant > 0) return 1;
  if (summary.unknown > 0) return 3;
  return 0;
}

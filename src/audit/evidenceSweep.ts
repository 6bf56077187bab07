/**
 * The sweep with an evidence store (docs/continuous.md): a full sweep that keeps every read as
 * evidence, an incremental one that reads only what can have changed and judges the rest on the
 * stored evidence, and a report from the evidence alone (a policy change: no contact read).
 * Whichever way, every account is judged by the same rules on the latest read of it, so the
 * findings equal a full sweep's on the same organization.
 */
import { SetupError } from '../errors.ts';
import type { ContactSurface, EvidenceMode, EvidenceSource, OrgAccount, Report, RereadReason } from '../model.ts';
import type { AppliedPolicy, Policy } from '../policy/types.ts';
import type { Discovery, Placements, Provider } from '../providers/provider.ts';
import { buildReport } from '../report/buildReport.ts';
import { newRunId } from '../report/runId.ts';
import { applyOrganizationRules, isInactive } from '../rules/evaluate.ts';
import { evaluateSurface } from '../rules/surface.ts';
import { lastReadAt, mergeEvidence, surfaceRequestIds, type EvidenceRecord, type EvidenceStore } from '../storage/evidenceStore.ts';
import { utcDay } from '../time.ts';
import { recordedChanges } from './changeLog.ts';
import { judgeOnEvidence, maxEvidenceAgeDays, movedAccounts, selectRereads, summarizeEvidence, sweepEvidenceSource } from './evidence.ts';
import { placed, readSurfaces, type SweepOptions, type SweepOutcome } from './sweep.ts';

const randomHex = (): string => Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');

/** What to read: every listed account, or (incremental) only those {@link selectRereads} names, with why. */
export interface ReadPlan<M> {
  toRead: M[];
  records: Map<string, EvidenceRecord>;
  reasons?: Map<string, RereadReason>;
}

/** The incremental plan: the stored evidence of the active accounts, the change log since the oldest of it, and the rereads. */
export async function incrementalPlan<M extends OrgAccount>(store: EvidenceStore, accounts: M[], policy: Policy, started: Date, placesLater: boolean): Promise<ReadPlan<M>> {
  const active = accounts.filter((account) => !isInactive(account));
  const records = await store.getMany(active.map((account) => account.id));
  // Evidence older than the bound is read again anyway: the log is read no further back than that.
  const floor = started.getTime() - (maxEvidenceAgeDays(policy) + 1) * 86_400_000;
  // A fold, not Math.min(...spread): 10,000 arguments or more is near the engines' limit.
  const oldest = [...records.values()].reduce((min, record) => Math.min(min, Date.parse(lastReadAt(record))), started.getTime());
  const changes = await recordedChanges(store.storage, store.prefix, utcDay(new Date(Math.max(oldest, floor))), utcDay(started));
  const reasons = selectRereads({ accounts: active, records, changes, policy, now: started, placesLater });
  return { toRead: active.filter((account) => reasons.has(account.id)), records, reasons };
}

/** The report of the accounts judged on their records, with the evidence summary. */
function evidenceReport(
  meta: { started: Date; finished: Date; view: Pick<Discovery, 'organizationId' | 'managementAccountId' | 'callerAccountId'>; policy: AppliedPolicy; randomSuffix?: () => string },
  judged: {
    accounts: readonly OrgAccount[];
    records: ReadonlyMap<string, EvidenceRecord>;
    /** Read just now and not checked by the provider: SKIPPED, as in a sweep. */
    unchecked?: ReadonlySet<string>;
    policy: Policy;
    mode: EvidenceMode;
    accountsRead: number;
    reasons?: Map<string, RereadReason>;
  },
): Report {
  const { started, view } = meta;
  const today = utcDay(started);
  const { accounts, records, policy } = judged;
  const judge = (a: OrgAccount) => (judged.unchecked?.has(a.id) ? evaluateSurface(a, undefined, policy, today) : judgeOnEvidence(a, records.get(a.id), policy, today, started));
  const results = applyOrganizationRules(accounts.map(judge), policy, today);
  const report = buildReport(
    {
      runId: newRunId(started, (meta.randomSuffix ?? randomHex)()),
      startedAt: started.toISOString(),
      finishedAt: meta.finished.toISOString(),
      organizationId: view.organizationId,
      managementAccountId: view.managementAccountId,
      callerAccountId: view.callerAccountId,
      policy: meta.policy,
    },
    results,
  );
  const activeIds = new Set(accounts.filter((a) => !isInactive(a)).map((a) => a.id));
  const active = new Map([...records].filter(([id]) => activeIds.has(id)));
  const { reasons } = judged;
  return { ...report, evidence: summarizeEvidence(active, { mode: judged.mode, accountsRead: judged.accountsRead, ...(reasons ? { reasons } : {}), policy, now: started }) };
}

/** Where the evidence goes and which sweep this is. */
export interface EvidenceRun {
  store: EvidenceStore;
  mode: 'full' | 'incremental';
}

/**
 * Keeps each read as evidence without holding up the reads: the write waits only for the OU tree
 * (read while the contacts are), so each record holds the OU a later run compares with. A store
 * that refuses does not stop the sweep: the account is judged on the read, and the run then fails
 * (job.ts).
 */
class EvidenceKeeper {
  readonly unchecked = new Set<string>();
  notKept: unknown;
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly store: EvidenceStore,
    private readonly placements: Promise<Placements | undefined>,
    readonly records: Map<string, EvidenceRecord>,
  ) {}

  keep(account: OrgAccount, surface: ContactSurface | undefined, readAt: Date, source: EvidenceSource): void {
    if (!surface) {
      this.unchecked.add(account.id);
      return;
    }
    const write = this.placements.then(async (placements) => {
      const read = { readAt: readAt.toISOString(), source, account: placed(account, placements), surface, requestIds: surfaceRequestIds(surface) };
      const kept = await this.store.record(read).catch((error: unknown) => {
        this.notKept ??= error;
        return mergeEvidence(undefined, read)!;
      });
      this.records.set(account.id, kept);
    });
    this.pending.push(write);
  }

  /** Every write done (or failed). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}

/**
 * A sweep that keeps its evidence: each read is written to the store as it is made (a sweep cut off
 * half way keeps what it read), then every account is judged on its record. An incremental sweep
 * reads the accounts that moved once the OU tree is in.
 */
export async function sweepWithEvidence<M extends OrgAccount>(
  provider: Provider<M>,
  policy: Policy,
  run: EvidenceRun,
  options: SweepOptions = {},
): Promise<SweepOutcome & { evidenceNotKept?: { cause: unknown } }> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const view = await provider.discover(policy, options.accountIds);
  const placing = view.placements ?? Promise.resolve(undefined);
  const plan: ReadPlan<M> =
    run.mode === 'incremental' ? await incrementalPlan(run.store, view.accounts, policy, started, view.placements !== undefined) : { toRead: view.accounts, records: new Map() };
  const keeper = new EvidenceKeeper(run.store, placing, plan.records);
  const sourceOf = (id: string): EvidenceSource => sweepEvidenceSource(run.mode, plan.reasons?.get(id) === 'rolling');
  const readAll = (accounts: M[]) =>
    readSurfaces(provider, view, accounts, policy, {
      now,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onRead: async (index, surface, readAt) => keeper.keep(accounts[index]!, surface, readAt, sourceOf(accounts[index]!.id)),
    });
  await readAll(plan.toRead);
  const placements = await placing;
  const accounts = view.accounts.map((account) => placed(account, placements) as M);
  const moved = plan.reasons && view.placements ? movedAccounts(accounts, plan.records, plan.reasons) : [];
  for (const account of moved) plan.reasons?.set(account.id, 'moved');
  await readAll(moved);
  await keeper.settled();
  const accountsRead = [...plan.toRead, ...moved].filter((account) => !isInactive(account)).length;
  const report = evidenceReport(
    { started, finished: now(), view, policy: provider.appliedPolicy(policy), ...(options.randomSuffix ? { randomSuffix: options.randomSuffix } : {}) },
    { accounts, records: keeper.records, unchecked: keeper.unchecked, policy, mode: run.mode, accountsRead, ...(plan.reasons ? { reasons: plan.reasons } : {}) },
  );
  if (!options.accountIds) await keepListing(run.store, view, accounts, started, keeper);
  return { report, stats: provider.stats, ...(keeper.notKept !== undefined ? { evidenceNotKept: { cause: keeper.notKept } } : {}) };
}

/** The listing a report from the evidence alone starts from (a partial run, --accounts, lists only some: it keeps none). */
async function keepListing(store: EvidenceStore, view: Discovery, accounts: OrgAccount[], started: Date, keeper: EvidenceKeeper): Promise<void> {
  const { organizationId, managementAccountId, callerAccountId } = view;
  await store.putOrganization({ schemaVersion: 1, organizationId, managementAccountId, callerAccountId, listedAt: started.toISOString(), accounts }).catch((error: unknown) => {
    keeper.notKept ??= error;
  });
}

/**
 * The report from the stored evidence alone (`sweep --from-evidence`): the organization as the last
 * sweep listed it, each account judged by `policy` on its record, no call to the cloud at all.
 * @throws SetupError when the store holds no sweep's listing.
 */
export async function reportFromEvidence(store: EvidenceStore, policy: Policy, options: Pick<SweepOptions, 'now' | 'randomSuffix'> = {}): Promise<Report> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const organization = await store.getOrganization();
  if (!organization) {
    throw new SetupError(`${store.storage.locate(store.prefix)} holds no evidence: run \`contact-audit sweep --out\` to the same place first`);
  }
  const { accounts } = organization;
  const records = await store.getMany(accounts.filter((account) => !isInactive(account)).map((account) => account.id));
  return evidenceReport(
    { started, finished: now(), view: organization, policy, ...(options.randomSuffix ? { randomSuffix: options.randomSuffix } : {}) },
    { accounts, records, policy, mode: 'from-evidence', accountsRead: 0 },
  );
}

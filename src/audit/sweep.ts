/**
 * The sweep, once for every cloud: discover the members through a provider, read each one's
 * contact surface with a pool of workers, judge it by the rules, add the organization-wide rules,
 * and build the §5 report under a new run ID. Which cloud it reads is the provider's business
 * (src/providers/provider.ts).
 */
import type { CallStats } from '../calls/caller.ts';
import { AccountSelectionError, SetupError } from '../errors.ts';
import type { AccountResult, ContactSurface, OrgAccount, Report } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import type { Caller, Placements, Provider } from '../providers/provider.ts';
import { buildReport } from '../report/buildReport.ts';
import { newRunId } from '../report/runId.ts';
import { applyOrganizationRules } from '../rules/evaluate.ts';
import { evaluateSurface } from '../rules/surface.ts';
import { utcDay } from '../time.ts';

/** Re-exported for the modules and tests that import them from the sweep. */
export { AccountSelectionError, SetupError };

interface CheckOptions {
  /** Members read at once; the provider's pacers, not this, keep the rate under the quotas. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** Where each member sits, when that is read while the contacts are: awaited before a member is judged, never before it is read. */
  placements?: Promise<Placements | undefined>;
}

/** How {@link readSurfaces} reads: {@link CheckOptions} and what is told of each read. */
export interface ReadOptions extends Omit<CheckOptions, 'placements'> {
  /** Told each member's surface and when its read started, before the next member is taken (the evidence store keeps it). */
  onRead?: (index: number, surface: ContactSurface | undefined, readAt: Date) => Promise<void>;
  now?: () => Date;
}

/**
 * Reads each member's contact surface with a pool of workers: one entry out per member in, in the
 * same order; `undefined` for a member the provider does not check.
 */
export async function readSurfaces<M extends OrgAccount>(
  provider: Pick<Provider<M>, 'read'>,
  caller: Caller,
  accounts: readonly M[],
  policy: Policy,
  options: ReadOptions = {},
): Promise<Array<ContactSurface | undefined>> {
  const surfaces = new Array<ContactSurface | undefined>(accounts.length);
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const now = options.now ?? (() => new Date());
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++;
      const readAt = now();
      surfaces[index] = await provider.read(accounts[index]!, caller, policy);
      await options.onRead?.(index, surfaces[index], readAt);
      options.onProgress?.(++done, accounts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  return surfaces;
}

/**
 * Reads and judges each member: every member in gives exactly one result out, in the same order.
 * A member the provider does not check (not active, leaving the directory) is SKIPPED without a read.
 */
async function checkAccounts<M extends OrgAccount>(
  provider: Pick<Provider<M>, 'read'>,
  caller: Caller,
  accounts: readonly M[],
  policy: Policy,
  today: string,
  options: CheckOptions = {},
): Promise<AccountResult[]> {
  const { placements: pending, ...read } = options;
  const surfaces = await readSurfaces(provider, caller, accounts, policy, read);
  const placements = await pending;
  return accounts.map((account, index) => evaluateSurface(placed(account, placements), surfaces[index], policy, today));
}

/** The member with its `ou`, when its place was read. */
export function placed(account: OrgAccount, placements: Placements | undefined): OrgAccount {
  const ou = placements?.get(account.id);
  return ou ? { ...account, ou } : account;
}

export interface SweepOptions extends Omit<CheckOptions, 'placements'> {
  /** `--accounts`: only these members (a partial run). */
  accountIds?: readonly string[];
  now?: () => Date;
  /** Six hex characters for the run ID. */
  randomSuffix?: () => string;
}

export interface SweepOutcome {
  report: Report;
  stats: CallStats | undefined;
}

const randomHex = (): string => Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');

/** The whole sweep in one process (CLI, demo), of any cloud: discover, read every member, build the §5 report. */
export async function runSweep<M extends OrgAccount>(provider: Provider<M>, policy: Policy, options: SweepOptions = {}): Promise<SweepOutcome> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const today = utcDay(started);
  const { accountIds, ...check } = options;
  const view = await provider.discover(policy, accountIds);
  const checked = await checkAccounts(provider, view, view.accounts, policy, today, {
    ...check,
    ...(view.placements ? { placements: view.placements } : {}),
  });
  const results = applyOrganizationRules(checked, policy, today);
  const report = buildReport(
    {
      runId: newRunId(started, (options.randomSuffix ?? randomHex)()),
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      organizationId: view.organizationId,
      managementAccountId: view.managementAccountId,
      callerAccountId: view.callerAccountId,
      policy: provider.appliedPolicy(policy),
    },
    results,
  );
  return { report, stats: provider.stats };
}

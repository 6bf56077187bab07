/**
 * New accounts (README, "New accounts"): an account that joins the organization is given
 * `newAccountGraceHours` to get its contacts right, then checked once. Arrivals (a
 * CreateAccountResult, an accepted invitation, an account a sweep sees for the first time) are
 * kept in `<prefix>/new-accounts/pending.json` with the time each one is due; {@link checkDueArrivals}
 * reads each due account now and alerts NEW_ACCOUNT_NOT_COMPLIANT only when it is still
 * non-compliant. Nothing is checked before it is due, and a check that could not finish (the
 * contacts could not be read, the alert could not be published) leaves the arrival pending for the
 * next run, so none is lost.
 */
import { newAccountNotCompliantAlert, type Alert } from '../alerts/index.ts';
import type { Arrival } from '../contracts/newAccountEvent.ts';
import type { AccountResult, AccountStatus, Report } from '../model.ts';
import { newAccountGraceHours } from '../policy/schema.ts';
import type { Policy } from '../policy/types.ts';
import { ReportStorageError, errorText } from '../errors.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';
import { utcDay } from '../time.ts';
import { reevaluate, type ReevaluateDeps } from './event.ts';
import { awsErrorCode } from '../providers/aws/awsErrors.ts';

/** An arrival waiting for its check. */
export interface PendingArrival extends Arrival {
  graceHours: number;
  /** `arrivedAt` plus the grace period: the check runs at or after this time, never before. */
  dueAt: string;
  recordedAt: string;
}

/** What became of a checked arrival. */
type Outcome = 'alerted' | 'compliant' | 'skipped';

interface HandledArrival extends PendingArrival {
  handledAt: string;
  outcome: Outcome;
  status: AccountStatus;
  alert?: { eventType: string; severity: string; subject: string; messageId: string | null };
}

/** The file `new-accounts/pending.json`: what waits, and what was handled (each account once). */
interface NewAccountsFile {
  schemaVersion: 1;
  pending: PendingArrival[];
  handled: HandledArrival[];
}

/** Where the new accounts are kept: a report store (a folder or S3) and its prefix. */
export interface NewAccountsStore {
  storage: ReportStorage;
  prefix: string;
}

function fileKey(prefix: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return `${p === '' ? '' : `${p}/`}new-accounts/pending.json`;
}

/**
 * The file as kept, or an empty one when there is none yet.
 * @throws ReportStorageError when it is there but not a file this code wrote: never overwritten, so no arrival is lost.
 */
async function load(store: NewAccountsStore): Promise<NewAccountsFile> {
  const key = fileKey(store.prefix);
  const text = await store.storage.get(key);
  if (text === undefined) return { schemaVersion: 1, pending: [], handled: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ReportStorageError(`${store.storage.locate(key)} is not JSON (${errorText(error)}); fix or remove it`, { cause: error });
  }
  const file = parsed as Partial<NewAccountsFile> | null;
  if (file?.schemaVersion !== 1 || !Array.isArray(file.pending) || !Array.isArray(file.handled)) {
    throw new ReportStorageError(`${store.storage.locate(key)} is not a new-accounts file (schemaVersion 1 with pending and handled); fix or remove it`);
  }
  return file as NewAccountsFile;
}

/** Writes the whole file (the stores write each file whole: temporary file and rename, or one S3 PUT). */
async function save(store: NewAccountsStore, file: NewAccountsFile): Promise<void> {
  await store.storage.put(fileKey(store.prefix), `${JSON.stringify(file, null, 2)}\n`, 'application/json');
}

/** Where the file is, for a person. */
export function newAccountsLocation(store: NewAccountsStore): string {
  return store.storage.locate(fileKey(store.prefix));
}

/**
 * Records arrivals as pending, each due `newAccountGraceHours` after it arrived. An account
 * already pending or already checked is not recorded again (EventBridge delivers at least once, and
 * a sweep may see an account an event already announced): it comes back in `known`.
 */
export async function recordArrivals(store: NewAccountsStore, arrivals: readonly Arrival[], policy: Pick<Policy, 'newAccountGraceHours'>, now: Date): Promise<{ recorded: PendingArrival[]; known: Arrival[] }> {
  if (arrivals.length === 0) return { recorded: [], known: [] };
  const file = await load(store);
  const seen = new Set([...file.pending, ...file.handled].map((a) => a.accountId));
  const graceHours = newAccountGraceHours(policy);
  const recorded: PendingArrival[] = [];
  const known: Arrival[] = [];
  for (const arrival of arrivals) {
    if (seen.has(arrival.accountId)) {
      known.push(arrival);
      continue;
    }
    seen.add(arrival.accountId);
    const dueAt = new Date(Date.parse(arrival.arrivedAt) + graceHours * 3_600_000).toISOString();
    recorded.push({ ...arrival, graceHours, dueAt, recordedAt: now.toISOString() });
  }
  if (recorded.length > 0) await save(store, { ...file, pending: [...file.pending, ...recorded] });
  return { recorded, known };
}

/**
 * The accounts of a full sweep that its baseline did not have: none on a first run (no baseline,
 * so every account would look new) and none from a partial (`--accounts`) run, whose baseline is not
 * the organization.
 */
export function sweepArrivals(previous: Report | undefined, current: Report): Arrival[] {
  if (!previous) return [];
  const before = new Set(previous.accounts.map((a) => a.accountId));
  return current.accounts
    .filter((a) => !before.has(a.accountId))
    .map((a) => ({ accountId: a.accountId, source: 'sweep' as const, arrivedAt: new Date(current.startedAt).toISOString(), ...(a.name !== '' ? { accountName: a.name } : {}) }));
}

export interface DueCheckDeps extends ReevaluateDeps {
  store: NewAccountsStore;
  alerts: { publish(alert: Alert): Promise<string | undefined> };
}

/** How {@link closeDueArrivals} learns an account's state now: a read, or a sweep's fresh result; undefined when it has none. */
type Judge = (accountId: string, today: string) => Promise<AccountResult | undefined>;

interface CloseDeps {
  store: NewAccountsStore;
  alerts: { publish(alert: Alert): Promise<unknown> };
  judge: Judge;
}

/** What one due check did: closed (alerted, compliant, skipped), or left pending with the reason. */
export type DueCheck =
  | { accountId: string; outcome: Outcome; status: AccountStatus; alert?: Alert; messageId?: string }
  | { accountId: string; outcome: 'retry'; status?: AccountStatus; reason: string };

/**
 * The accounts whose check is due at `at`: the deployed incremental sweep reads them (README, "New
 * accounts"), and its finalize step closes them on those reads.
 * @throws ReportStorageError as {@link load}.
 */
export async function dueAccountIds(store: NewAccountsStore, at: Date): Promise<string[]> {
  const file = await load(store);
  return file.pending.filter((a) => Date.parse(a.dueAt) <= at.getTime()).map((a) => a.accountId);
}

/** `event --due`: every arrival due at `at`, each account read now ({@link closeDueArrivals}). */
export function checkDueArrivals(deps: DueCheckDeps, at: Date): Promise<{ checks: DueCheck[]; notDue: number }> {
  const judge: Judge = async (accountId, today) => (await reevaluate({ accountId }, deps, today)).result;
  return closeDueArrivals({ store: deps.store, alerts: deps.alerts, judge }, at);
}

/**
 * Checks every arrival due at `at` on the account's state now (`judge`): alerts
 * NEW_ACCOUNT_NOT_COMPLIANT when it is NON_COMPLIANT, and closes it. An account that is compliant,
 * exempt or no longer ACTIVE is closed without an alert; one whose contacts could not all be read
 * (UNKNOWN, or no state), or whose alert could not be published, stays pending. The file is written
 * after each closed arrival, so a run that stops half way does not alert the same account twice.
 */
export async function closeDueArrivals(deps: CloseDeps, at: Date): Promise<{ checks: DueCheck[]; notDue: number }> {
  const file = await load(deps.store);
  const due = file.pending.filter((a) => Date.parse(a.dueAt) <= at.getTime());
  const checks: DueCheck[] = [];
  for (const arrival of due) {
    const check = await checkOne(arrival, deps, at);
    checks.push(check);
    if (check.outcome === 'retry') continue;
    const alert = check.alert ? { eventType: check.alert.eventType, severity: check.alert.severity, subject: check.alert.subject, messageId: check.messageId ?? null } : undefined;
    file.pending = file.pending.filter((a) => a !== arrival);
    file.handled.push({ ...arrival, handledAt: at.toISOString(), outcome: check.outcome, status: check.status, ...(alert ? { alert } : {}) });
    await save(deps.store, file);
  }
  return { checks, notDue: file.pending.length - checks.filter((c) => c.outcome === 'retry').length };
}

/** One due arrival: read and judge the account now, then alert if it is still not compliant. */
async function checkOne(arrival: PendingArrival, deps: CloseDeps, at: Date): Promise<DueCheck> {
  const { accountId } = arrival;
  const result = await deps.judge(accountId, utcDay(at));
  if (!result) return { accountId, outcome: 'retry', reason: 'it was not read in this run' };
  if (result.status === 'UNKNOWN') return { accountId, outcome: 'retry', status: result.status, reason: 'its contacts could not all be read' };
  if (result.status === 'SKIPPED') return { accountId, outcome: 'skipped', status: result.status };
  if (result.status !== 'NON_COMPLIANT') return { accountId, outcome: 'compliant', status: result.status };
  const alert = newAccountNotCompliantAlert({
    accountId,
    ...(arrival.accountName ? { accountName: arrival.accountName } : {}),
    source: arrival.source,
    arrivedAt: arrival.arrivedAt,
    graceHours: arrival.graceHours,
    checkedAt: at.toISOString(),
    result,
  });
  try {
    const messageId = await deps.alerts.publish(alert);
    return { accountId, outcome: 'alerted', status: result.status, alert, ...(typeof messageId === 'string' ? { messageId } : {}) };
  } catch (error) {
    return { accountId, outcome: 'retry', status: result.status, reason: `the alert could not be published (${awsErrorCode(error)})` };
  }
}

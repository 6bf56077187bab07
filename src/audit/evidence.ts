/**
 * Judging accounts on stored evidence, and choosing which an incremental sweep must read again
 * (docs/continuous.md). Pure: the records, the listing, the changes and the clock come in as
 * arguments.
 */
import type { AccountEvidence, AccountResult, ContactSurface, EvidenceSource, EvidenceSummary, OrgAccount, RereadReason } from '../model.ts';
import { effectivePolicy } from '../policy/overrides.ts';
import { DEFAULT_MAX_EVIDENCE_AGE_DAYS } from '../policy/schema.ts';
import type { Policy } from '../policy/types.ts';
import { isInactive } from '../rules/evaluate.ts';
import { evaluateSurface } from '../rules/surface.ts';
import { judgedRead, lastReadAt, type EvidenceRecord } from '../storage/evidenceStore.ts';

const DAY_MS = 86_400_000;

/**
 * A change is taken as seen by a sweep's read only when the read started more than this after the
 * change's CloudTrail `eventTime`: CloudTrail's clock and the reader's may differ, and a read that
 * started while the write was landing may have missed it. The real-time path's read, made once the
 * change's event arrived, needs none: it is after the change, whatever the clocks say.
 */
const CHANGE_MARGIN_MS = 60_000;

/** The policy's evidence bound in days (docs/continuous.md). */
export function maxEvidenceAgeDays(policy: Pick<Policy, 'maxEvidenceAgeDays'>): number {
  return policy.maxEvidenceAgeDays ?? DEFAULT_MAX_EVIDENCE_AGE_DAYS;
}

function ageMs(readAt: string, now: Date): number {
  return now.getTime() - Date.parse(readAt);
}

/** Whether the record's evidence is older than the bound at `now`. */
function pastBound(record: EvidenceRecord, now: Date, maxAgeDays: number): boolean {
  return ageMs(record.readAt, now) > maxAgeDays * DAY_MS;
}

/** Whether the surface holds every read the account's own policy asks for (a new policy may ask for more than was read). */
function covers(surface: ContactSurface, policy: Policy, account: OrgAccount): boolean {
  if (surface.kind !== 'alternateContacts') return true;
  const effective = effectivePolicy(policy, account);
  if (effective.requiredContactTypes.some((type) => surface.reads[type] === undefined)) return false;
  if (effective.primaryContact && !surface.extras.primaryContact) return false;
  if (effective.rootEmail && !surface.extras.rootEmail) return false;
  return !(effective.rootEmail?.updateStatus && !surface.extras.rootEmailUpdate);
}

/**
 * A surface of failed reads (`errorCode`, `message`) of everything the account's policy asks for:
 * the account is then UNKNOWN (CHECK_FAILED), never COMPLIANT. For an account with no evidence, or
 * evidence past the bound, judged without a read.
 */
function unreadSurface(policy: Policy, account: OrgAccount, errorCode: string, message: string): ContactSurface {
  const effective = effectivePolicy(policy, account);
  const failed = { kind: 'failed' as const, errorCode, message };
  const reads = Object.fromEntries(effective.requiredContactTypes.map((type) => [type, failed]));
  return {
    kind: 'alternateContacts',
    reads,
    extras: { ...(effective.primaryContact ? { primaryContact: failed } : {}), ...(effective.rootEmail ? { rootEmail: failed } : {}) },
  };
}

/** What a sweep's read of an account is recorded as: a full sweep's, the rolling slice's, or another incremental read. */
export function sweepEvidenceSource(mode: 'full' | 'incremental', rolling: boolean): EvidenceSource {
  return mode === 'full' ? 'full-sweep' : rolling ? 'rolling' : 'incremental';
}

/** The report's word on an account's evidence. */
export function evidenceOf(record: EvidenceRecord, now: Date): AccountEvidence {
  return { readAt: record.readAt, source: record.source, ageDays: Math.max(0, Math.floor(ageMs(record.readAt, now) / DAY_MS)), ...(record.stale ? { stale: true } : {}) };
}

/**
 * One account judged on its evidence (fresh or stored) as of `now`: its latest read, so a failed
 * read is UNKNOWN as in a sweep; no evidence, or evidence past the bound, is UNKNOWN with the
 * reason (docs/continuous.md, "What a report says"). An inactive account is SKIPPED.
 */
export function judgeOnEvidence(account: OrgAccount, record: EvidenceRecord | undefined, policy: Policy, today: string, now: Date): AccountResult {
  if (isInactive(account)) return evaluateSurface(account, undefined, policy, today);
  if (!record) {
    return evaluateSurface(account, unreadSurface(policy, account, 'NoEvidence', 'no evidence of this account was kept: run a sweep'), policy, today);
  }
  const bound = maxEvidenceAgeDays(policy);
  const surface = pastBound(record, now, bound)
    ? unreadSurface(policy, account, 'EvidencePastBound', `the evidence was read ${record.readAt}, more than maxEvidenceAgeDays (${bound}) ago: run sweep --incremental`)
    : judgedRead(record).surface;
  return { ...evaluateSurface(account, surface, policy, today), evidence: evidenceOf(record, now) };
}

/** The report's evidence summary over the records the accounts were judged on. */
export function summarizeEvidence(
  records: ReadonlyMap<string, EvidenceRecord>,
  run: { mode: EvidenceSummary['mode']; accountsRead: number; reasons?: Map<string, RereadReason>; policy: Policy; now: Date },
): EvidenceSummary {
  const bound = maxEvidenceAgeDays(run.policy);
  const all = [...records.values()];
  const oldest = all.reduce<string | undefined>((min, r) => (min === undefined || r.readAt < min ? r.readAt : min), undefined);
  const reasons: Partial<Record<RereadReason, number>> = {};
  for (const reason of run.reasons?.values() ?? []) reasons[reason] = (reasons[reason] ?? 0) + 1;
  return {
    mode: run.mode,
    accountsRead: run.accountsRead,
    ...(run.reasons ? { reasons } : {}),
    maxEvidenceAgeDays: bound,
    ...(oldest ? { oldestReadAt: oldest } : {}),
    pastBound: all.filter((r) => pastBound(r, run.now, bound)).length,
  };
}

/** What an incremental sweep knows before it reads a contact. */
export interface RereadInput {
  /** The active accounts as listed now, each with its OU when the tree was read. */
  accounts: readonly OrgAccount[];
  records: ReadonlyMap<string, EvidenceRecord>;
  /** The newest `eventTime` of a recorded change, by account. */
  changes: ReadonlyMap<string, string>;
  policy: Policy;
  now: Date;
  /**
   * The OU tree is still being read (it is read while the contacts are): OUs are compared
   * afterwards, by {@link movedAccounts}, and only e-mails here.
   */
  placesLater?: boolean;
}

/** Whether the account sits elsewhere than when its record was read. */
function movedFrom(record: EvidenceRecord, account: OrgAccount): boolean {
  return (record.account.ou?.ids ?? []).join('/') !== (account.ou?.ids ?? []).join('/');
}

/** The accounts, now placed, not chosen yet whose OU differs from their record's: read once the tree is in. */
export function movedAccounts<M extends OrgAccount>(accounts: readonly M[], records: ReadonlyMap<string, EvidenceRecord>, chosen: ReadonlyMap<string, RereadReason>): M[] {
  return accounts.filter((account) => {
    const record = records.get(account.id);
    return !isInactive(account) && record !== undefined && !chosen.has(account.id) && movedFrom(record, account);
  });
}

/** Why the account must be read again, the first reason that applies; undefined when its evidence stands. */
function mustReread(account: OrgAccount, record: EvidenceRecord | undefined, input: RereadInput): RereadReason | undefined {
  if (!record) return 'new';
  const changedAt = input.changes.get(account.id);
  // A read the real-time path made for a change came after the change was delivered: no margin for it.
  const margin = judgedRead(record).source === 'event' ? 0 : CHANGE_MARGIN_MS;
  if (changedAt !== undefined && Date.parse(lastReadAt(record)) - Date.parse(changedAt) < margin + 1) return 'changed';
  if ((!input.placesLater && movedFrom(record, account)) || record.account.email !== account.email) return 'moved';
  if (record.stale) return 'stale';
  if (!covers(judgedRead(record).surface, input.policy, account)) return 'uncovered';
  return undefined;
}

/**
 * The accounts to read again and why (docs/continuous.md, "sweep --incremental"): those changed
 * since their last read, new, moved, stale or not covering the policy, then the rolling slice: the
 * oldest `ceil(N / maxEvidenceAgeDays)` of the rest, and any of the rest that would pass the bound
 * within a day, so that with one incremental run a day no evidence gets older than the bound.
 */
export function selectRereads(input: RereadInput): Map<string, RereadReason> {
  const chosen = new Map<string, RereadReason>();
  const rest: EvidenceRecord[] = [];
  for (const account of input.accounts) {
    const record = input.records.get(account.id);
    const reason = mustReread(account, record, input);
    if (reason) chosen.set(account.id, reason);
    else if (record) rest.push(record);
  }
  const bound = maxEvidenceAgeDays(input.policy);
  const slice = Math.ceil(input.accounts.length / bound);
  rest.sort((a, b) => (a.readAt < b.readAt ? -1 : a.readAt > b.readAt ? 1 : a.accountId < b.accountId ? -1 : 1));
  const soon = new Date(input.now.getTime() + DAY_MS);
  rest.forEach((record, index) => {
    if (index < slice || pastBound(record, soon, bound)) chosen.set(record.accountId, 'rolling');
  });
  return chosen;
}

/**
 * Real-time change alerts (SPEC.md §7): one EventBridge event about an alternate-contact change in,
 * at most one §8 alert and one `changes/` record (§9) out. The event is read by the §7 schema
 * (src/contracts/contactEvent.ts); the Lambda handler and the `contact-audit event` command both hand the
 * result to {@link handleContactEvent}; only their deps differ.
 */
import { contactChangeDeniedAlert, contactChangedAlert, type Alert } from '../alerts/index.ts';
import type { ReadTarget } from '../providers/aws/contacts.ts';
import { awsErrorCode, awsErrorMessage } from '../providers/aws/awsErrors.ts';
import { isContactKind, type AccountResult, type ContactEventName, type ContactReads, type ContactSurface, type ContactType, type ExtraReads, type FindingSubject, type OrgAccount } from '../model.ts';
import type { AccountPlacement } from '../providers/aws/organizationTree.ts';
import { effectivePolicy, hasOuOverrides } from '../policy/overrides.ts';
import { readExtras, type SurfaceReader } from '../providers/aws/discovery.ts';
import type { Policy } from '../policy/types.ts';
import { changeKey } from '../report/layout.ts';
import { safeText } from '../textHygiene.ts';
import { utcDay } from '../time.ts';
import { evaluateAccount, isInactive } from '../rules/evaluate.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';
import { surfaceRequestIds, type EvidenceStore } from '../storage/evidenceStore.ts';
import { CAP, type ContactEvent, type ContactEventFields, type ParsedContactEvent } from '../contracts/contactEvent.ts';

// ---------------------------------------------------------------------------------------------
// Collaborators
// ---------------------------------------------------------------------------------------------

/**
 * Remembers which events were handled, so the same `detail.eventID` never alerts twice
 * (EventBridge delivers at least once). `once` runs `work` unless the key was handled before; a
 * `work` that throws releases the key so a retry can run it. A key being handled elsewhere right
 * now is an error (the caller retries later), never a silent skip.
 */
export interface Dedupe {
  once<T extends object>(key: string, work: () => Promise<T>): Promise<{ duplicate: true } | { duplicate: false; value: T }>;
}

/** An in-memory {@link Dedupe} for the CLI and tests: one process, one run. */
export function memoryDedupe(): Dedupe {
  const seen = new Map<string, Promise<unknown>>();
  async function once<T extends object>(key: string, work: () => Promise<T>): Promise<{ duplicate: true } | { duplicate: false; value: T }> {
    const earlier = seen.get(key);
    if (earlier) {
      // A concurrent or earlier twin: a success makes this a duplicate; a failure has released the key.
      const succeeded = await earlier.then(
        () => true,
        () => false,
      );
      if (succeeded) return { duplicate: true };
      return once(key, work);
    }
    const running = work();
    seen.set(key, running);
    try {
      return { duplicate: false, value: await running };
    } catch (error) {
      if (seen.get(key) === running) seen.delete(key);
      throw error;
    }
  }
  return { once };
}

/** Who the auditor is: the account it runs in and the organization's management account (cached at cold start). */
export interface AuditorContext {
  callerAccountId: string;
  managementAccountId: string;
  organizationId: string;
}

/**
 * A lazily fetched, cached {@link AuditorContext}. A failed fetch is not cached, so the next
 * event tries again.
 */
export function cachedAuditorContext(
  identity: { whoAmI(): Promise<{ accountId: string }> },
  organizations: { describeOrganization(): Promise<{ id: string; managementAccountId: string }> },
): () => Promise<AuditorContext> {
  let cached: Promise<AuditorContext> | undefined;
  return () => {
    cached ??= Promise.all([identity.whoAmI(), organizations.describeOrganization()]).then(
      ([caller, org]) => ({ callerAccountId: caller.accountId, managementAccountId: org.managementAccountId, organizationId: org.id }),
      (error: unknown) => {
        cached = undefined;
        throw error;
      },
    );
    return cached;
  };
}

/** Name and state of accounts (DescribeAccount), each asked once; `undefined` when it cannot be described. */
export interface AccountDirectory {
  describe(accountId: string): Promise<OrgAccount | undefined>;
}

/**
 * A per-invocation {@link AccountDirectory}: every account described at most once while it lives.
 * A failure is remembered as `undefined` (and logged), not retried within the invocation.
 */
export function accountDirectory(organizations: { describeAccount(accountId: string): Promise<OrgAccount> }, log?: EventLog): AccountDirectory {
  const known = new Map<string, Promise<OrgAccount | undefined>>();
  return {
    describe(accountId) {
      let entry = known.get(accountId);
      if (!entry) {
        entry = organizations.describeAccount(accountId).catch((error: unknown) => {
          log?.warn('DescribeAccount failed; evaluating the account as ACTIVE with its name unknown', {
            accountId,
            errorCode: awsErrorCode(error),
            errorMessage: safeText(awsErrorMessage(error), CAP.errorMessage),
          });
          return undefined;
        });
        known.set(accountId, entry);
      }
      return entry;
    },
  };
}

/** A fixed message plus a data object (STYLE §10). */
export interface EventLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const silentLog: EventLog = { info() {}, warn() {}, error() {} };

export interface ContactEventDeps {
  /** The policy, or how to get it (the deployed handler reads it from S3, cached); only asked for a change. */
  policy: Policy | (() => Promise<Policy>);
  /** Caller and management account; only asked for a change (not for a denied attempt). */
  context: () => Promise<AuditorContext>;
  contacts: { readAll(target: ReadTarget, types: readonly ContactType[]): Promise<ContactReads> };
  accounts: AccountDirectory;
  /** Sends one alert; resolves to the SNS MessageId (or whatever the sink answers). */
  alerts: { publish(alert: Alert): Promise<string | undefined> };
  /** Where `changes/dt=…/<eventId>.json` goes; none in a CLI run without `--out`. */
  changes?: { storage: ReportStorage; prefix: string };
  dedupe: Dedupe;
  log?: EventLog;
  now?: () => Date;
  /** Reads the primary contact and root e-mail when the policy has those sections. */
  surface?: SurfaceReader;
  /** The account's place in the OU tree, for OU-keyed overrides; `undefined` when unknown. */
  placement?: (accountId: string) => Promise<AccountPlacement | undefined>;
  /** Where the re-read is kept as the account's evidence (`source: event`, docs/continuous.md); none: not kept. */
  evidence?: EvidenceStore;
}

/** What {@link reevaluate} reads with: the policy, the caller, the account's contacts, name, surface and OU. */
export type ReevaluateDeps = Pick<ContactEventDeps, 'policy' | 'context' | 'contacts' | 'accounts' | 'log' | 'surface' | 'placement' | 'now'>;

// ---------------------------------------------------------------------------------------------
// Handling
// ---------------------------------------------------------------------------------------------

/** What happened to one event. */
export type ContactEventOutcome =
  | { kind: 'ignored'; reason: string; eventId?: string }
  | { kind: 'duplicate'; eventId: string }
  | {
      kind: 'changed' | 'denied';
      eventId: string;
      accountId: string;
      alert: Alert;
      /** SNS MessageId. */
      messageId?: string;
      /** `changed` only: the account re-evaluated after the change. */
      status?: AccountResult['status'];
      /** Where the audit record was written; absent when there is no store or the write failed. */
      recordLocation?: string;
    };

/** The audit record of one handled event (§9 `changes/`). */
interface ChangeRecord {
  schemaVersion: 1;
  kind: 'change' | 'denied';
  eventId: string;
  eventName: ContactEventName;
  eventTime: string;
  handledAt: string;
  accountId: string;
  callContext: 'organizations' | 'standalone';
  contactType: FindingSubject | null;
  actorArn: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  recipientAccountId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The account as evaluated after the change (`null` for a denied attempt, which is not re-read). */
  result: AccountResult | null;
  /** The changed contact before and after, where an earlier record of the account held it. */
  change?: ValueChange;
  alert: { eventType: string; severity: string; subject: string };
}

function changeRecord(event: ContactEvent, result: AccountResult | null, alert: Alert, handledAt: Date): ChangeRecord {
  return {
    schemaVersion: 1,
    kind: event.kind,
    eventId: event.eventId,
    eventName: event.eventName,
    eventTime: event.eventTime,
    handledAt: handledAt.toISOString(),
    accountId: event.accountId,
    callContext: event.callContext,
    contactType: event.contactType ?? null,
    actorArn: event.actorArn ?? null,
    sourceIp: event.sourceIp ?? null,
    userAgent: event.userAgent ?? null,
    recipientAccountId: event.recipientAccountId ?? null,
    errorCode: event.kind === 'denied' ? event.errorCode : null,
    errorMessage: event.kind === 'denied' ? (event.errorMessage ?? null) : null,
    result,
    alert: { eventType: alert.eventType, severity: alert.severity, subject: alert.subject },
  };
}

/** Every required contact read as failed (`why` before the AWS message): the account becomes UNKNOWN, never COMPLIANT. */
function allFailed(types: readonly ContactType[], error: unknown, why = ''): ContactReads {
  const reads: ContactReads = {};
  for (const type of types) reads[type] = { kind: 'failed', errorCode: awsErrorCode(error), message: why + safeText(awsErrorMessage(error), CAP.errorMessage) };
  return reads;
}

/**
 * Re-reads and evaluates the changed account with the sweep's rules. The event's copy of the
 * contact is never trusted: CloudTrail does not log the phone number, and the account may have
 * changed again since. A non-ACTIVE account is SKIPPED without a read (§3). The check of a new
 * account (./newAccounts.ts) reads it the same way.
 */
export async function reevaluate(event: Pick<ContactEventFields, 'accountId'>, deps: ReevaluateDeps, today: string): Promise<{ result: AccountResult; read?: EventRead }> {
  // No policy, no verdict: a policy that cannot be loaded throws, and the event is retried.
  const policy = typeof deps.policy === 'function' ? await deps.policy() : deps.policy;
  const described = await deps.accounts.describe(event.accountId);
  // The OU is asked only when an override depends on it: one account, a few Organizations calls.
  let unplaced: { error: unknown } | undefined;
  const placed = hasOuOverrides(policy)
    ? await deps.placement?.(event.accountId).catch((error: unknown) => {
        unplaced = { error };
      })
    : undefined;
  const account: OrgAccount = { ...(described ?? { id: event.accountId, name: '', state: 'ACTIVE' }), ...(placed ? { ou: placed } : {}) };
  if (unplaced) {
    // Which OU overrides apply is unknown, so any verdict could be under the wrong policy: UNKNOWN,
    // with the reason in every finding (a sweep stops instead: README, "The policy file").
    deps.log?.warn('The account\'s OU could not be read; the account is reported UNKNOWN', { accountId: event.accountId, errorCode: awsErrorCode(unplaced.error) });
    return { result: evaluateAccount(account, allFailed(policy.requiredContactTypes, unplaced.error, "the account's OU could not be read, so which overrides by OU apply is unknown: "), policy, today) };
  }
  // The account's own expectations (OU and account overrides) decide what is read.
  const effective = effectivePolicy(policy, account);
  let reads: ContactReads = {};
  let extras: ExtraReads = {};
  const readAt = (deps.now ?? (() => new Date()))();
  if (!isInactive(account)) {
    try {
      const ctx = await deps.context();
      const target = { accountId: event.accountId, callerAccountId: ctx.callerAccountId, managementAccountId: ctx.managementAccountId };
      [reads, extras] = await Promise.all([deps.contacts.readAll(target, effective.requiredContactTypes), readExtras(deps.surface, target, account, effective)]);
    } catch (error) {
      // The adapter turns AWS errors into failed reads; this catches what it could not (no context, a bug).
      deps.log?.error('Contacts could not be re-read; the account is reported UNKNOWN', {
        accountId: event.accountId,
        errorCode: awsErrorCode(error),
        errorMessage: safeText(awsErrorMessage(error), CAP.errorMessage),
      });
      reads = allFailed(effective.requiredContactTypes, error);
    }
  }
  const result = evaluateAccount(account, reads, policy, today, extras);
  return isInactive(account) || !described ? { result } : { result, read: { account, readAt, surface: { kind: 'alternateContacts', reads, extras } } };
}

/** {@link reevaluate}, the re-read then kept as the account's evidence. */
async function reevaluateAndKeep(event: ContactEventFields, deps: ContactEventDeps, today: string, log: EventLog): Promise<AccountResult> {
  const { result, read } = await reevaluate(event, deps, today);
  await keepEvidence(read, deps, log);
  return result;
}

/** The re-read of a changed account, for its evidence. */
interface EventRead {
  account: OrgAccount;
  readAt: Date;
  surface: ContactSurface;
}

/**
 * Keeps the re-read as the account's evidence (docs/continuous.md), newer read winning. A record
 * holds the account as the last sweep listed it: the event path asks an account's OU only for OU
 * overrides, and the deployed sweep lists members without their e-mail, so the OU and e-mail of the
 * record before are kept, and the next incremental sweep does not take the account for moved. A
 * failure is only logged: the alert matters more, and the next incremental sweep reads the account
 * again (its change is in changes/).
 */
async function keepEvidence(read: EventRead | undefined, deps: ContactEventDeps, log: EventLog): Promise<void> {
  const store = deps.evidence;
  if (!store || !read) return;
  try {
    const listed = (await store.get(read.account.id))?.account;
    const { ou: readOu, email: readEmail, ...described } = read.account;
    const ou = readOu ?? listed?.ou;
    const email = listed ? listed.email : readEmail;
    const account: OrgAccount = { ...described, ...(ou ? { ou } : {}), ...(email !== undefined ? { email } : {}) };
    await store.record({ readAt: read.readAt.toISOString(), source: 'event', account, surface: read.surface, requestIds: surfaceRequestIds(read.surface) });
  } catch (error) {
    log.warn('The evidence of the account could not be kept; the next incremental sweep reads it again', { accountId: read.account.id, errorCode: awsErrorCode(error) });
  }
}


// ---------------------------------------------------------------------------------------------
// Old → new
// ---------------------------------------------------------------------------------------------

/** A changed contact as text, before and after; `null` when there was none. */
interface ValueChange {
  contactType: FindingSubject;
  before: string | null;
  after: string | null;
}

/**
 * The key of an account's last handled change: `<prefix>/changes/accounts/<accountId>.json`,
 * beside the dated records, so the next change of that account can say what it was before.
 */
function lastChangeKey(prefix: string, accountId: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return `${p === '' ? '' : `${p}/`}changes/accounts/${accountId}.json`;
}

/**
 * One contact of an evaluated account as text: e-mail for alternate contacts (with the name),
 * name and company for the primary contact, the address for the root e-mail. Phone numbers are
 * left out (CloudTrail does not log them either). `undefined` when the account's record has no
 * reading of it.
 */
function subjectValue(result: AccountResult, subject: FindingSubject): string | null | undefined {
  if (subject === 'PRIMARY') {
    if (result.primaryContact === undefined) return undefined;
    return result.primaryContact === null ? null : [result.primaryContact.fullName, result.primaryContact.companyName].filter(Boolean).join(', ');
  }
  if (subject === 'ROOT_EMAIL') return result.rootEmail;
  if (!isContactKind(subject)) return undefined;
  const contact = result.contacts[subject];
  if (contact === undefined) return undefined;
  return contact === null ? null : `${contact.name} <${contact.emailAddress}>`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The change of `subject` between the last record of the account (if the trail has one) and now. */
async function valueChange(deps: ContactEventDeps, accountId: string, subject: FindingSubject | undefined, after: AccountResult): Promise<ValueChange | undefined> {
  if (!deps.changes || subject === undefined) return undefined;
  const now = subjectValue(after, subject);
  if (now === undefined) return undefined;
  let previous: unknown;
  try {
    const text = await deps.changes.storage.get(lastChangeKey(deps.changes.prefix, accountId));
    previous = text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    deps.log?.warn('The previous change record could not be read; no old value in the alert', {
      accountId,
      errorCode: awsErrorCode(error),
    });
    return undefined;
  }
  const result = isRecord(previous) && isRecord(previous.result) ? (previous.result as unknown as AccountResult) : undefined;
  const before = result ? subjectValue(result, subject) : undefined;
  // Unchanged (a started e-mail update still pending, a Put of the same values): nothing to show.
  if (before === undefined || before === now) return undefined;
  return { contactType: subject, before: before === null ? null : safeText(before, 300), after: now === null ? null : safeText(now, 300) };
}

/**
 * Handles one EventBridge event (§7), as the §7 schema read it (`parseContactEvent`, or the
 * Lambda's parser middleware). Ignored events (other calls, malformed input) are logged and
 * acknowledged: this never throws for them. For a change or denied attempt it claims the event ID
 * with `deps.dedupe`, then re-evaluates the account (changes only), writes the `changes/` record,
 * and publishes exactly one alert. It throws only when the alert could not be published (or the
 * dedupe store failed), so the caller's retry can try again; the record is written before the
 * alert, so a retry rewrites the same key rather than losing it.
 */
export async function handleContactEvent(event: ParsedContactEvent, deps: ContactEventDeps): Promise<ContactEventOutcome> {
  const log = deps.log ?? silentLog;
  if (event.kind === 'ignored') {
    log.info('Event ignored', { reason: event.reason, ...(event.eventId ? { eventId: event.eventId } : {}) });
    return event;
  }
  const now = deps.now ?? (() => new Date());
  const outcome = await deps.dedupe.once(event.eventId, async () => {
    const handledAt = now();
    let result: AccountResult | null = null;
    let alert: Alert;
    let change: ValueChange | undefined;
    if (event.kind === 'change') {
      result = await reevaluateAndKeep(event, deps, utcDay(handledAt), log);
      change = await valueChange(deps, event.accountId, event.contactType, result);
      const described = result.name !== '' ? result.name : undefined;
      alert = contactChangedAlert({
        eventId: event.eventId,
        eventName: event.eventName,
        accountId: event.accountId,
        ...(described ? { accountName: described } : {}),
        ...(event.contactType ? { contactType: event.contactType } : {}),
        ...(event.actorArn ? { actorArn: event.actorArn } : {}),
        ...(event.sourceIp ? { sourceIp: event.sourceIp } : {}),
        eventTime: event.eventTime,
        result,
        ...(change ? { change: { before: change.before, after: change.after } } : {}),
      });
    } else {
      alert = deniedAlert(event);
    }
    const record = { ...changeRecord(event, result, alert, handledAt), ...(change ? { change } : {}) };
    const recordLocation = await writeRecord(record, deps, log);
    if (result) await writeLast(record, deps, log);
    const messageId = await deps.alerts.publish(alert);
    log.info('Alert published', {
      eventId: event.eventId,
      accountId: event.accountId,
      eventType: alert.eventType,
      severity: alert.severity,
      ...(result ? { status: result.status } : {}),
      ...(messageId ? { messageId } : {}),
    });
    return {
      kind: event.kind === 'change' ? ('changed' as const) : ('denied' as const),
      eventId: event.eventId,
      accountId: event.accountId,
      alert,
      ...(messageId ? { messageId } : {}),
      ...(result ? { status: result.status } : {}),
      ...(recordLocation ? { recordLocation } : {}),
    };
  });
  if (outcome.duplicate) {
    log.info('Duplicate event: already handled, no second alert', { eventId: event.eventId });
    return { kind: 'duplicate', eventId: event.eventId };
  }
  return outcome.value;
}

/** The alert of a denied attempt (§8 CONTACT_CHANGE_DENIED). */
function deniedAlert(event: Extract<ContactEvent, { kind: 'denied' }>): Alert {
  return contactChangeDeniedAlert({
    eventId: event.eventId,
    eventName: event.eventName,
    accountId: event.accountId,
    ...(event.contactType ? { contactType: event.contactType } : {}),
    ...(event.actorArn ? { actorArn: event.actorArn } : {}),
    ...(event.sourceIp ? { sourceIp: event.sourceIp } : {}),
    eventTime: event.eventTime,
    errorCode: event.errorCode,
    ...(event.errorMessage ? { errorMessage: event.errorMessage } : {}),
  });
}

/** Keeps the record as the account's last change, for the next one's old → new; a failure is only logged. */
async function writeLast(record: ChangeRecord, deps: ContactEventDeps, log: EventLog): Promise<void> {
  if (!deps.changes) return;
  try {
    await deps.changes.storage.put(lastChangeKey(deps.changes.prefix, record.accountId), `${JSON.stringify(record)}\n`, 'application/json');
  } catch (error) {
    log.warn('The last-change pointer could not be written; the next alert of this account has no old value', {
      accountId: record.accountId,
      errorCode: awsErrorCode(error),
    });
  }
}

/**
 * Writes the audit record. A write that fails (after the store's own retries) is logged and the
 * alert still goes out: the alert is the product's purpose, and failing here would retry the
 * whole event and risk a second alert for the same change.
 */
async function writeRecord(record: ChangeRecord, deps: ContactEventDeps, log: EventLog): Promise<string | undefined> {
  if (!deps.changes) return undefined;
  const { storage, prefix } = deps.changes;
  const key = changeKey(prefix, record.eventId, record.eventTime);
  try {
    await storage.put(key, `${JSON.stringify(record, null, 2)}\n`, 'application/json');
    return storage.locate(key);
  } catch (error) {
    log.error('The change record could not be written; the alert is sent anyway', {
      eventId: record.eventId,
      key,
      errorCode: awsErrorCode(error),
      errorMessage: safeText(awsErrorMessage(error), CAP.errorMessage),
    });
    return undefined;
  }
}

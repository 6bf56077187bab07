/**
 * The events that say an account joined the organization (README, "New accounts"), as EventBridge
 * delivers them from AWS Organizations:
 *
 * - `CreateAccountResult`, an "AWS Service Event via CloudTrail" that Organizations records when an
 *   account it was asked to create is ready; the new account is
 *   `detail.serviceEventDetails.createAccountStatus.accountId` when its `state` is `SUCCEEDED`
 *   (Organizations API reference, CreateAccount: "check the CloudTrail log for the
 *   CreateAccountResult event"; CreateAccountStatus for the members).
 * - `AcceptHandshake`, an "AWS API Call via CloudTrail": an invited account accepted the invitation.
 *   The account that made the call is the new member (`recipientAccountId`); a handshake of
 *   another kind (`responseElements.handshake.action` other than `INVITE`) adds no account.
 *
 * The third way in, an account first seen by a sweep, is no event: the sweep finds it
 * (src/audit/newAccounts.ts). Plain narrowing instead of a schema: these few fields are all that is read.
 */
import { safeText } from '../textHygiene.ts';

/** How an account was found new. */
type ArrivalSource = 'CreateAccountResult' | 'AcceptHandshake' | 'sweep';

/** One account that joined, and when. */
export interface Arrival {
  accountId: string;
  source: ArrivalSource;
  /** When it joined (the event's time, or the sweep's start), as an ISO time. */
  arrivedAt: string;
  accountName?: string;
  /** The CloudTrail event ID, when an event told us. */
  eventId?: string;
}

/**
 * What an event says about a new account: an arrival, an Organizations event that is none (with
 * the reason), or `undefined` for an event that is not from Organizations at all (the contact-change
 * path reads those).
 */
export type NewAccountParse = { kind: 'arrival'; arrival: Arrival } | { kind: 'ignored'; reason: string; eventId?: string } | undefined;

const SOURCE = 'aws.organizations';
const EVENT_SOURCE = 'organizations.amazonaws.com';
const SERVICE_EVENT = 'AWS Service Event via CloudTrail';
const API_CALL = 'AWS API Call via CloudTrail';
const ACCOUNT_ID = /^\d{12}$/;
const EVENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

type Json = Record<string, unknown>;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? (value as Json)[key] : undefined;
}

function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const accountIdOf = (value: unknown): string | undefined => (typeof value === 'string' && ACCOUNT_ID.test(value) ? value : undefined);

/** The new account of a `CreateAccountResult`, or why there is none. */
function createAccountResult(detail: unknown): { accountId: string; accountName?: string } | { reason: string } {
  const status = field(field(detail, 'serviceEventDetails'), 'createAccountStatus');
  const state = field(status, 'state');
  if (state !== 'SUCCEEDED') return { reason: `CreateAccountResult with createAccountStatus.state ${JSON.stringify(safeText(String(state ?? 'missing'), 40))}: no account was created` };
  const accountId = accountIdOf(field(status, 'accountId'));
  if (!accountId) return { reason: 'CreateAccountResult without a 12-digit createAccountStatus.accountId' };
  const name = field(status, 'accountName');
  return { accountId, ...(typeof name === 'string' && name !== '' ? { accountName: safeText(name, 50) } : {}) };
}

/** The new member of an accepted `AcceptHandshake`, or why there is none. */
function acceptedHandshake(detail: unknown): { accountId: string } | { reason: string } {
  if (field(detail, 'errorCode') !== undefined && field(detail, 'errorCode') !== null) return { reason: 'AcceptHandshake failed (errorCode): no account joined' };
  const action = field(field(field(detail, 'responseElements'), 'handshake'), 'action');
  if (action !== undefined && action !== 'INVITE') return { reason: `AcceptHandshake of a ${safeText(String(action), 40)} handshake: no account joined` };
  const accountId = accountIdOf(field(detail, 'recipientAccountId')) ?? accountIdOf(field(field(detail, 'userIdentity'), 'accountId'));
  return accountId ? { accountId } : { reason: 'AcceptHandshake without a 12-digit recipientAccountId' };
}

/**
 * Reads an EventBridge event for a new account. Never throws: anything from Organizations that
 * is not an arrival comes back `ignored` with the reason; anything else `undefined`.
 */
export function parseNewAccountEvent(input: unknown): NewAccountParse {
  if (field(input, 'source') !== SOURCE) return undefined;
  const detail = field(input, 'detail');
  const rawId = field(detail, 'eventID');
  const eventId = typeof rawId === 'string' && EVENT_ID.test(rawId) ? rawId : undefined;
  const ignored = (reason: string): NewAccountParse => ({ kind: 'ignored', reason, ...(eventId ? { eventId } : {}) });
  if (field(detail, 'eventSource') !== EVENT_SOURCE) return ignored(`detail.eventSource is not "${EVENT_SOURCE}"`);
  const eventName = field(detail, 'eventName');
  const detailType = field(input, 'detail-type');
  let found: { accountId: string; accountName?: string } | { reason: string };
  let source: ArrivalSource;
  if (eventName === 'CreateAccountResult' && detailType === SERVICE_EVENT) [found, source] = [createAccountResult(detail), eventName];
  else if (eventName === 'AcceptHandshake' && detailType === API_CALL) [found, source] = [acceptedHandshake(detail), eventName];
  else return ignored(`Organizations event ${JSON.stringify(safeText(String(eventName ?? 'missing'), 60))}: only CreateAccountResult and AcceptHandshake bring a new account`);
  if ('reason' in found) return ignored(found.reason);
  const arrivedAt = isoTime(field(detail, 'eventTime')) ?? isoTime(field(input, 'time'));
  if (!arrivedAt) return ignored('detail.eventTime is not a time');
  return { kind: 'arrival', arrival: { ...found, source, arrivedAt, ...(eventId ? { eventId } : {}) } };
}

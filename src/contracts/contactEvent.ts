/**
 * The real-time event of SPEC.md §7 ("Real-time events") as one zod/mini schema: an EventBridge
 * event from `aws.account` carrying the CloudTrail record of an alternate-contact call. Its output
 * is the change or denied attempt the use case handles; anything else fails with the reason it is
 * ignored. Two callers, one schema: the real-time Lambda parses through Powertools' parser
 * middleware (`safeParse`), the `contact-audit event` command through {@link parseContactEvent};
 * both turn the result into a {@link ParsedContactEvent} with {@link contactEventFrom}.
 *
 * The first check that fails is the reason, so each reason names one field and what it held. The
 * checks run in §7's order, except that stage 2's two cross-field checks (the time, the target
 * account) come after its per-field ones, so an event wrong in several places names a field
 * before a cross-field problem. The schema is its own module (not the use case's src/audit/event.ts) so the
 * contract of the input reads in one place, apart from what is done with it.
 */
import { parse } from '@aws-lambda-powertools/parser';
import type { ParsedResult } from '@aws-lambda-powertools/parser/types';
import * as z from 'zod/mini';
import { CONTACT_EVENT_NAMES, CONTACT_TYPES, type ContactEventName, type FindingSubject } from '../model.ts';
import { safeText } from '../textHygiene.ts';

/** What a valid change or denied attempt tells us. Every string is capped and free of control characters. */
export interface ContactEventFields {
  /** `detail.eventID`: the idempotency key and the `changes/` file name. */
  eventId: string;
  eventName: ContactEventName;
  /** `detail.eventTime` (else the envelope's `time`), as an ISO time. */
  eventTime: string;
  /** The account whose contacts were (to be) changed. */
  accountId: string;
  /** `organizations` when the call named the account (`accountId`), `standalone` when the account changed itself. */
  callContext: 'organizations' | 'standalone';
  /** `requestParameters.alternateContactType` when it is one of the three types; `PRIMARY` / `ROOT_EMAIL` for those calls. */
  contactType?: FindingSubject;
  /** `userIdentity.arn` (or the service that acted, `userIdentity.invokedBy`). */
  actorArn?: string;
  sourceIp?: string;
  userAgent?: string;
  /** The account that made the call and received the CloudTrail record. */
  recipientAccountId?: string;
}

/** A change or a denied attempt: what {@link contactEventSchema} outputs. */
export type ContactEvent = ({ kind: 'change' } & ContactEventFields) | ({ kind: 'denied'; errorCode: string; errorMessage?: string } & ContactEventFields);

export type ParsedContactEvent = ContactEvent | { kind: 'ignored'; reason: string; eventId?: string };

/** What the parser middleware hands the function with `safeParse: true`. */
export type ContactEventParse = ParsedResult<unknown, ContactEvent>;

const SOURCE = 'aws.account';
const DETAIL_TYPE = 'AWS API Call via CloudTrail';
const EVENT_SOURCE = 'account.amazonaws.com';
const ACCOUNT_ID = /^\d{12}$/;
/** CloudTrail event IDs are UUIDs; anything else that is short and plain is tolerated, nothing else. */
const EVENT_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** Longest text kept from an event for display (ARNs are at most 2048 characters). */
export const CAP = { arn: 2048, ip: 256, userAgent: 512, errorCode: 128, errorMessage: 2048 } as const;

/** What each of the issue-11 calls changes: the primary contact or the root e-mail. */
const SURFACE_SUBJECT: Partial<Record<ContactEventName, FindingSubject>> = {
  PutContactInformation: 'PRIMARY',
  StartPrimaryEmailUpdate: 'ROOT_EMAIL',
  AcceptPrimaryEmailUpdate: 'ROOT_EMAIL',
};

/** A short, printable rendering of an unknown value for an "ignored because" message. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(safeText(value, 60));
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${safeText(String(value), 60)}`;
}

/** The reason when a value is wrong: `because(input)` names the field and shows what it held. */
type Because = (input: unknown) => string;
const reason = (because: Because) => ({ error: (issue: { input?: unknown }) => because(issue.input) });

const isAccountId = (value: unknown): value is string => typeof value === 'string' && ACCOUNT_ID.test(value);

/** An ISO time with a four-digit year (changes/dt=YYYY-MM-DD needs one), or undefined. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

/**
 * The input's own enumerable properties on a null prototype. zod reads `input[key]`, which would
 * take a `source` or `detail` inherited from a prototype for the event's own; on this copy nothing
 * is inherited. Anything else passes through for the object schema to refuse.
 */
function ownProperties(value: unknown, ctx: z.core.ParsePayload): unknown {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.assign(Object.create(null) as object, value);
  } catch (error) {
    // Only exotic inputs get here (a proxy or getter that throws); JSON never does.
    ctx.issues.push({ code: 'custom', message: `unreadable event (${error instanceof Error ? error.name : typeof error})`, input: value });
    return z.NEVER;
  }
}

/** An object of which only own properties are read; unknown keys pass through to the next stage. */
function ownObject<S extends z.core.$ZodLooseShape>(shape: S, because: Because) {
  return z.pipe(z.transform(ownProperties), z.looseObject(shape, reason(because)));
}

/**
 * A value kept only when it fits `schema`, never a reason to ignore the event. (Not `z.catch`:
 * with a constant it pulls all of zod's util module, 9 KB, into the real-time bundle.)
 */
const ifValid = <T extends z.ZodMiniType>(schema: T) =>
  z.optional(
    z.transform((value: unknown): z.output<T> | undefined => {
      const result = z.safeParse(schema, value);
      return result.success ? result.data : undefined;
    }),
  );

/** A display string: left out (never a reason to ignore the event) when missing, empty or not a string; else capped and cleaned. */
const displayText = (max: number) => ifValid(z.pipe(z.string().check(z.minLength(1)), z.transform((text: string) => safeText(text, max))));

/** An EventBridge event from `aws.account` with a CloudTrail record as `detail`, in the order it is checked. */
const accountEvent = <D extends z.ZodMiniType>(detail: D) =>
  ownObject(
    {
      source: z.literal(SOURCE, reason((input) => `source is ${describe(input)}, not "${SOURCE}"`)),
      'detail-type': z.literal(DETAIL_TYPE, reason((input) => `detail-type is ${describe(input)}, not "${DETAIL_TYPE}"`)),
      detail,
    },
    (input) => `not an EventBridge event: the input is ${describe(input)}`,
  );

const eventIdIs = reason((input) => `detail.eventID is ${describe(input)}, not an event ID`);
const eventId = z.string(eventIdIs).check(z.regex(EVENT_ID, eventIdIs));
const notACloudTrailRecord: Because = (input) => `detail is ${describe(input)}, not a CloudTrail record`;

/**
 * The event's identity: an account event with an event ID. When it holds, an ignored event is
 * acknowledged under that ID (every check below comes after it, so the ID is never one that failed).
 */
const identifiedEvent = accountEvent(ownObject({ eventID: eventId }, notACloudTrailRecord));

/**
 * Stage 1, a write to Account Management: `detail.eventSource`, then not a read. A read
 * (GetAlternateContact, recorded with `readOnly: true`) changes nothing: no alert, whatever its name.
 */
const accountWrite: z.ZodMiniType<unknown> = accountEvent(
  ownObject(
    {
      eventID: eventId,
      eventSource: z.literal(EVENT_SOURCE, reason((input) => `detail.eventSource is ${describe(input)}, not "${EVENT_SOURCE}"`)),
    },
    notACloudTrailRecord,
  ).check(
    z.refine(
      (detail) => detail.readOnly !== true,
      reason((detail) => `read-only call ${describe((detail as { eventName?: unknown }).eventName)} (readOnly: true): only contact changes are alerted`),
    ),
  ),
);

/**
 * `requestParameters`: the account the call named (organizations context), as CloudTrail spells
 * it (`accountId`) or the API does (`AccountId`); both, if given, are one 12-digit ID.
 */
const requestParameters = z.pipe(
  ownObject(
    { accountId: z.optional(z.unknown()), AccountId: z.optional(z.unknown()), alternateContactType: ifValid(z.enum(CONTACT_TYPES)) },
    (input) => `detail.requestParameters is ${describe(input)}, not an object`,
  ),
  z.transform(({ accountId: lower, AccountId: upper, alternateContactType }, ctx) => {
    const named = [lower, upper].filter((v) => v !== undefined && v !== null);
    const problem = !named.every(isAccountId)
      ? `requestParameters.accountId is not a 12-digit account ID: ${named.map(describe).join(', ')}`
      : named.length === 2 && lower !== upper
        ? `requestParameters names two accounts: ${describe(lower)} and ${describe(upper)}`
        : undefined;
    if (problem) {
      ctx.issues.push({ code: 'custom', message: problem, input: named });
      return z.NEVER;
    }
    return { namedAccount: named[0] as string | undefined, alternateContactType };
  }),
);

const errorCodeIs = reason((input) => `detail.errorCode is ${describe(input)}, not an error code`);

/**
 * Stage 2, a contact change: one of the contact calls, its time, its target and whether it was
 * denied. Its input is stage 1's output (typed `unknown` there: stage 2 checks what it reads),
 * objects of own properties only.
 */
const contactCall = z.object({
  time: z.optional(z.unknown()),
  detail: z.object({
    eventID: z.string(),
    eventName: z.enum(
      CONTACT_EVENT_NAMES,
      reason(
        (input) =>
          `detail.eventName is ${describe(input)}: only PutAlternateContact and DeleteAlternateContact are handled (and PutContactInformation, StartPrimaryEmailUpdate, AcceptPrimaryEmailUpdate)`,
      ),
    ),
    eventTime: z.optional(z.unknown()),
    requestParameters: z.nullish(requestParameters),
    recipientAccountId: z.optional(z.unknown()),
    userIdentity: ifValid(ownObject({ arn: displayText(CAP.arn), invokedBy: displayText(CAP.arn) }, () => 'not an object')),
    sourceIPAddress: displayText(CAP.ip),
    userAgent: displayText(CAP.userAgent),
    errorCode: z.nullish(z.string(errorCodeIs).check(z.minLength(1, errorCodeIs))),
    errorMessage: displayText(CAP.errorMessage),
  }),
});

/** The time (`detail.eventTime`, else the envelope's `time`) and the target account, then the event itself. */
const toContactEvent = z.transform(({ time, detail }: z.output<typeof contactCall>, ctx): ContactEvent => {
  const failed = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: detail });
    return z.NEVER;
  };
  const eventTime = isoTime(detail.eventTime) ?? isoTime(time);
  if (eventTime === undefined) return failed(`detail.eventTime is ${describe(detail.eventTime)}, not a time`);
  // The named account (organizations context), else the account that called for itself
  // (reference guide, "Understanding API modes of operation").
  const recipient = isAccountId(detail.recipientAccountId) ? detail.recipientAccountId : undefined;
  const named = detail.requestParameters?.namedAccount;
  const accountId = named ?? recipient;
  if (accountId === undefined) {
    return failed(`no target account: no requestParameters.accountId and recipientAccountId is ${describe(detail.recipientAccountId)}`);
  }
  const contactType = SURFACE_SUBJECT[detail.eventName] ?? detail.requestParameters?.alternateContactType;
  const actorArn = detail.userIdentity?.arn ?? detail.userIdentity?.invokedBy;
  const fields: ContactEventFields = {
    eventId: detail.eventID,
    eventName: detail.eventName,
    eventTime,
    accountId,
    callContext: named ? 'organizations' : 'standalone',
    ...(contactType ? { contactType } : {}),
    ...(actorArn ? { actorArn } : {}),
    ...(detail.sourceIPAddress ? { sourceIp: detail.sourceIPAddress } : {}),
    ...(detail.userAgent ? { userAgent: detail.userAgent } : {}),
    ...(recipient ? { recipientAccountId: recipient } : {}),
  };
  if (detail.errorCode === undefined || detail.errorCode === null) return { kind: 'change', ...fields };
  const { errorMessage } = detail;
  return { kind: 'denied', ...fields, errorCode: safeText(detail.errorCode, CAP.errorCode), ...(errorMessage ? { errorMessage } : {}) };
});

/**
 * The §7 event: a write to Account Management (stage 1), then a contact change with its time and
 * target (stage 2). A stage runs only when the one before passed, so the first issue is the first
 * check that failed. The Lambda gives it to Powertools' parser middleware.
 */
export const contactEventSchema = z.pipe(accountWrite, z.pipe(contactCall, toContactEvent));

/** The first issue's message: the reason an event is ignored. */
function reasonOf(error: Error): string {
  const issues = error.cause;
  const first: unknown = Array.isArray(issues) ? issues[0] : undefined;
  const message = typeof first === 'object' && first !== null && 'message' in first ? first.message : undefined;
  return typeof message === 'string' && message !== '' ? message : 'not a contact change event';
}

/**
 * The parser's result as the use case takes it: the change or denied attempt, or `ignored` with
 * the reason (and the event ID when the event had a valid one).
 */
export function contactEventFrom(result: ContactEventParse): ParsedContactEvent {
  if (result.success) return result.data;
  const identity = z.safeParse(identifiedEvent, result.originalEvent);
  return {
    kind: 'ignored',
    reason: safeText(reasonOf(result.error), 300),
    ...(identity.success ? { eventId: identity.data.detail.eventID } : {}),
  };
}

/**
 * Reads an EventBridge event about an alternate-contact call, as the Lambda's parser middleware
 * does. Never throws, whatever the input: anything that is not a well-formed contact change or
 * denied attempt from `aws.account` comes back as `ignored` with the reason.
 */
export function parseContactEvent(input: unknown): ParsedContactEvent {
  try {
    return contactEventFrom(parse(input, undefined, contactEventSchema, true));
  } catch (error) {
    // Not reached by any input known to the tests: the schema turns what it cannot read into an issue.
    return { kind: 'ignored', reason: `unreadable event (${error instanceof Error ? error.name : typeof error})` };
  }
}

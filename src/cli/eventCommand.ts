/**
 * `contact-audit event FILE|-` (SPEC.md §6–§7). The event command
 * runs the Lambda's code path (the §7 schema, then {@link handleContactEvent}) with an in-memory dedupe, printing each
 * alert as a JSON line when no topic is given. Organizations events that bring a new account
 * (CreateAccountResult, an accepted AcceptHandshake) are recorded under `--out` instead, and
 * `event --due` checks those whose grace period is over (README, "New accounts").
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Alert } from '../alerts/index.ts';
import { AlertPublisher } from '../providers/aws/alerts.ts';
import { createClients, type AwsClients } from '../providers/aws/clients.ts';
import { ContactsAdapter } from '../providers/aws/contacts.ts';
import { AccountSurfaceAdapter } from '../providers/aws/primaryContact.ts';
import { ParentChainAdapter } from '../providers/aws/organizationTree.ts';
import { callerPartitionPacers } from '../providers/aws/partitionPacers.ts';
import { awsErrorCode, awsErrorMessage } from '../providers/aws/awsErrors.ts';
import { IdentityAdapter } from '../providers/aws/identity.ts';
import { OrganizationsAdapter } from '../providers/aws/organizations.ts';
import { AWS_CLI_OPTIONS, EXIT, POLICY_AND_OUTPUT_OPTIONS, UsageError, awsClientSettings, outOption, resolvePolicy, topicArnOption, type CliIo } from './options.ts';
import { configFromEnv, type EnvConfig } from '../config.ts';
import { errorText } from '../errors.ts';
import {
  accountDirectory,
  cachedAuditorContext,
  handleContactEvent,
  memoryDedupe,
  type ContactEventDeps,
  type ContactEventOutcome,
  type EventLog,
} from '../audit/event.ts';
import { checkDueArrivals, newAccountsLocation, recordArrivals, type DueCheckDeps, type NewAccountsStore } from '../audit/newAccounts.ts';
import { parseContactEvent } from '../contracts/contactEvent.ts';
import { parseNewAccountEvent } from '../contracts/newAccountEvent.ts';
import type { Policy } from '../policy/types.ts';
import { storageFor } from '../audit/job.ts';
import { EvidenceStore } from '../storage/evidenceStore.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';
import { safeText } from '../textHygiene.ts';
import { requireCredentials } from '../providers/aws/credentials.ts';

/** Input larger than this is refused: EventBridge events are at most 256 KiB each. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** What tests (and the demo) may replace. */
export interface EventCommandOptions {
  readStdin?: () => Promise<string>;
  clients?: AwsClients;
  now?: () => Date;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`standard input: larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(source: string, options: EventCommandOptions): Promise<string> {
  if (source === '-') {
    const text = await (options.readStdin ?? readAllStdin)();
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw new UsageError(`standard input: larger than ${MAX_INPUT_BYTES} bytes`);
    return text;
  }
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new UsageError(`${source}: not a file`);
    if (info.size > MAX_INPUT_BYTES) throw new UsageError(`${source}: larger than ${MAX_INPUT_BYTES} bytes`);
    return await readFile(source, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = errorText(error);
    throw new UsageError(`${source}: cannot be read (${reason})`, { cause: error });
  }
}

function firstLine(error: unknown): string {
  return errorText(error).split('\n')[0] ?? '';
}

/**
 * A JSON line that could not be read (a truncated or garbled record). It stands in its place among
 * the events so the others are still handled; the command logs it as ignored (SPEC §7: a malformed
 * event is logged and ignored, it never stops the processing of the others).
 */
export class UnreadableLine {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {}
}

/**
 * The events of the input: one JSON document (an event, or an array of events) or JSON lines.
 * In JSON lines, a line that is not JSON becomes an {@link UnreadableLine} in its place.
 * @throws UsageError naming the problem when the input is not JSON and not one line of it is.
 */
export function parseEventsInput(text: string, name: string): unknown[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new UsageError(`${name}: no events (the input is empty)`);
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(body);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === undefined) return Array.isArray(whole) ? whole : [whole];

  const lines = body.split(/\r?\n/);
  const nonBlank = lines.filter((line) => line.trim() !== '');
  if (nonBlank.length < 2) throw new UsageError(`${name}: not JSON (${safeText(firstLine(wholeError), 200)})`);
  const events: unknown[] = [];
  let firstBad: UnreadableLine | undefined;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line));
    } catch (error) {
      const bad = new UnreadableLine(index + 1, safeText(firstLine(error), 200));
      firstBad ??= bad;
      events.push(bad);
    }
  }
  if (firstBad && events.every((event) => event instanceof UnreadableLine)) {
    throw new UsageError(`${name}: not JSON, nor JSON lines: line ${firstBad.line}: ${firstBad.reason}`);
  }
  return events;
}

/** Warnings and errors of the use case, one line each on stderr. */
function stderrLog(io: CliIo): EventLog {
  const line = (level: string) => (message: string, data?: Record<string, unknown>) =>
    io.stderr(`${level}: ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`);
  return { info() {}, warn: line('warning'), error: line('error') };
}

/** The alert as one JSON line, as `event` prints it without a topic. */
function alertLine(alert: Alert): string {
  const { eventType, severity, subject, attributes, data } = alert;
  return `${JSON.stringify({ eventType, severity, subject, attributes, data })}\n`;
}

/** The options of `event` (node:util parseArgs). */
export const EVENT_OPTIONS = { ...POLICY_AND_OUTPUT_OPTIONS, due: { type: 'boolean' }, at: { type: 'string' }, ...AWS_CLI_OPTIONS } as const;

/** With `--out`: the changes/ records and the re-read accounts' evidence, both beside the reports (docs/continuous.md). */
function keptBeside(place: { storage: ReportStorage; prefix: string }): Pick<ContactEventDeps, 'changes' | 'evidence'> {
  return { changes: place, evidence: new EvidenceStore(place.storage, place.prefix) };
}

type EventValues = ReturnType<typeof parseEventArgs>['values'];

function parseEventArgs(args: string[]) {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: EVENT_OPTIONS });
  if (values.due === true) {
    if (positionals.length > 0) throw new UsageError(`event --due: unexpected argument "${positionals[0]}": --due checks the new accounts kept in --out, it reads no events`);
    if (values.out === undefined) throw new UsageError('event --due: where are the new accounts kept? give --out DIR or s3://BUCKET/PREFIX, as when they were recorded');
  } else {
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'event: which events? give a FILE, or - for standard input (or --due to check the new accounts due)' : `event: unexpected argument "${positionals[1]}"`);
    }
    if (values.at !== undefined) throw new UsageError('event: --at goes with --due');
  }
  return { values, source: positionals[0] };
}

/** `--at TIME`: the time the due checks run as (default now). */
function atOption(raw: string | undefined, now: () => Date): Date {
  if (raw === undefined) return now();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(raw)) throw new UsageError(`--at: expected an ISO time such as 2026-12-04T15:00:00Z, got "${safeText(raw, 60)}"`);
  return at;
}

/** The clients, the use case's collaborators and how alerts go out, as the Lambda has them. */
async function eventDeps(values: EventValues, io: CliIo, options: EventCommandOptions, settings: { env: EnvConfig; policy: Policy; topicArn: string | undefined }) {
  const { env, policy, topicArn } = settings;
  const clients = options.clients ?? createClients(await awsClientSettings(values, env));
  // No credentials at all: a set-up error (exit 2) before any event is handled, not an UNKNOWN alert.
  if (!options.clients) await requireCredentials(clients.sts);
  const log = stderrLog(io);
  const identity = new IdentityAdapter(clients.sts);
  // The caller's partition decides the quotas, and refuses where Account Management does not exist.
  const pacers = await callerPartitionPacers(identity, env.getRatePerSecond);
  const organizations = new OrganizationsAdapter(clients.organizations, { pacer: pacers.organizations });
  const publisher = new AlertPublisher(clients.sns);
  const deps = {
    policy,
    context: cachedAuditorContext(identity, organizations),
    contacts: new ContactsAdapter(clients.account, { pacer: pacers.alternateContact }),
    // One CLI run is one invocation: each account is described once.
    accounts: accountDirectory(organizations, log),
    surface: new AccountSurfaceAdapter(clients.account, {
      pacers: { contactInformation: pacers.contactInformation, primaryEmail: pacers.primaryEmail },
    }),
    placement: (accountId: string) => new ParentChainAdapter(clients.organizations, { pacer: pacers.organizations }).placementOf(accountId),
    alerts: {
      publish: async (alert: Alert) => {
        if (topicArn) return publisher.publish(topicArn, alert);
        io.stdout(alertLine(alert));
        return undefined;
      },
    },
    log,
    ...(options.now ? { now: options.now } : {}),
  } satisfies Omit<ContactEventDeps, 'dedupe'>;
  return { clients, deps };
}

/**
 * `contact-audit event FILE|- [--config FILE] [--domain D]... [--topic-arn ARN] [--out DIR|s3://…]`,
 * or `contact-audit event --due --out DIR|s3://… [--at TIME]` for the new accounts due (README, "New accounts").
 */
export async function eventCommand(args: string[], io: CliIo, options: EventCommandOptions = {}): Promise<number> {
  const { values, source } = parseEventArgs(args);
  const env = configFromEnv(io.env);
  // Everything that can be a usage error is checked before the first event is handled: nothing is published then.
  const policy = await resolvePolicy(values.config, values.domain, env);
  const topicArn = topicArnOption(values['topic-arn'] ?? env.topicArn);
  const destination = outOption(values.out);
  // --quiet: only the alerts on stdout and what was not handled on stderr.
  const note = (text: string) => {
    if (values.quiet !== true) io.stderr(text);
  };
  if (values.due === true && destination) {
    const at = atOption(values.at, options.now ?? (() => new Date()));
    const { clients, deps } = await eventDeps(values, io, options, { env, policy, topicArn });
    return dueRun({ ...deps, store: storageFor(destination, clients) }, at, io, note);
  }
  const name = source === '-' || source === undefined ? 'standard input' : source;
  const events = parseEventsInput(await readInput(source ?? '-', options), name);
  if (!destination && events.some((event) => parseNewAccountEvent(event)?.kind === 'arrival')) {
    throw new UsageError(`${name}: a new account arrives in these events: give --out DIR or s3://BUCKET/PREFIX to keep it until its check (README, "New accounts")`);
  }
  const { clients, deps } = await eventDeps(values, io, options, { env, policy, topicArn });
  const store = destination ? storageFor(destination, clients) : undefined;
  const contactDeps: ContactEventDeps = { ...deps, dedupe: memoryDedupe(), ...(store ? keptBeside(store) : {}) };
  let failed = 0;
  for (const [index, event] of events.entries()) {
    const handled = await handleOne(event, `event ${index + 1}`, { contactDeps, policy, io, note, ...(store ? { store } : {}) });
    if (!handled) failed++;
  }
  return failed > 0 ? EXIT.FAILED : EXIT.OK;
}

interface HandleContext {
  contactDeps: ContactEventDeps;
  policy: Policy;
  store?: NewAccountsStore;
  io: CliIo;
  note: (text: string) => void;
}

/** One event of the input: an arrival is recorded, anything else goes the real-time path. False when it could not be handled. */
async function handleOne(event: unknown, label: string, ctx: HandleContext): Promise<boolean> {
  const { note, io } = ctx;
  if (event instanceof UnreadableLine) {
    note(`${label}: ignored: line ${event.line} is not JSON (${event.reason}); the other lines are handled\n`);
    return true;
  }
  try {
    const arrival = parseNewAccountEvent(event);
    if (arrival?.kind === 'arrival' && ctx.store) {
      const { recorded } = await recordArrivals(ctx.store, [arrival.arrival], ctx.policy, ctx.contactDeps.now?.() ?? new Date());
      const { accountId, source } = arrival.arrival;
      note(
        recorded[0]
          ? `${label}: new account ${accountId} (${source}), checked once due at ${recorded[0].dueAt}; recorded in ${newAccountsLocation(ctx.store)}\n`
          : `${label}: new account ${accountId} (${source}) was recorded before; not again\n`,
      );
      return true;
    }
    if (arrival?.kind === 'ignored') {
      note(`${label}: ignored: ${arrival.reason}\n`);
      return true;
    }
    noteOutcome(await handleContactEvent(parseContactEvent(event), ctx.contactDeps), label, note);
    return true;
  } catch (error) {
    io.stderr(`${label}: not handled: ${awsErrorCode(error)}: ${safeText(awsErrorMessage(error), 500)}\n`);
    return false;
  }
}

function noteOutcome(outcome: ContactEventOutcome, label: string, note: (text: string) => void): void {
  switch (outcome.kind) {
    case 'ignored':
      note(`${label}: ignored: ${outcome.reason}\n`);
      break;
    case 'duplicate':
      note(`${label} (${outcome.eventId}): already handled in this run, no second alert\n`);
      break;
    default:
      note(
        `${label} (${outcome.eventId}): ${outcome.alert.eventType} for ${outcome.accountId}` +
          (outcome.status ? `, now ${outcome.status}` : '') +
          (outcome.messageId ? `, published as ${outcome.messageId}` : '') +
          (outcome.recordLocation ? `, recorded in ${outcome.recordLocation}` : '') +
          '\n',
      );
  }
}

/** `event --due`: the new accounts due at `at`, each checked once; exit 4 when one must be tried again. */
async function dueRun(deps: DueCheckDeps, at: Date, io: CliIo, note: (text: string) => void): Promise<number> {
  const { checks, notDue } = await checkDueArrivals(deps, at);
  let retry = 0;
  for (const check of checks) {
    if (check.outcome === 'retry') {
      retry++;
      io.stderr(`new account ${check.accountId}: not closed: ${check.reason}; it stays pending for the next run\n`);
    } else if (check.outcome === 'alerted') {
      note(`new account ${check.accountId}: ${check.status}: NEW_ACCOUNT_NOT_COMPLIANT${check.messageId ? `, published as ${check.messageId}` : ''}\n`);
    } else {
      note(`new account ${check.accountId}: ${check.status}, closed without an alert\n`);
    }
  }
  note(`${checks.length - retry} new account${checks.length - retry === 1 ? '' : 's'} checked at ${at.toISOString()}, ${notDue} not due yet, ${retry} to try again; ${newAccountsLocation(deps.store)}\n`);
  return retry > 0 ? EXIT.FAILED : EXIT.OK;
}

/**
 * `contact-audit event FILE|-` (SPEC.md §6–§7). The event command
 * runs the Lambda's code path (the §7 schema, then {@link handleContactEvent}) with an in-memory dedupe, printing each
 * alert as a JSON line when no topic is given.
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
import { configFromEnv } from '../config.ts';
import { errorText } from '../errors.ts';
import {
  accountDirectory,
  cachedAuditorContext,
  handleContactEvent,
  memoryDedupe,
  type ContactEventDeps,
  type EventLog,
} from '../audit/event.ts';
import { parseContactEvent } from '../contracts/contactEvent.ts';
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
export const EVENT_OPTIONS = { ...POLICY_AND_OUTPUT_OPTIONS, ...AWS_CLI_OPTIONS } as const;

/** With `--out`: the changes/ records and the re-read accounts' evidence, both beside the reports (docs/continuous.md). */
function keptBeside(place: { storage: ReportStorage; prefix: string }): Pick<ContactEventDeps, 'changes' | 'evidence'> {
  return { changes: place, evidence: new EvidenceStore(place.storage, place.prefix) };
}

/** `contact-audit event FILE|- [--config FILE] [--domain D]... [--topic-arn ARN] [--out DIR|s3://…]` */
export async function eventCommand(args: string[], io: CliIo, options: EventCommandOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: EVENT_OPTIONS,
  });
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'event: which events? give a FILE, or - for standard input' : `event: unexpected argument "${positionals[1]}"`);
  }
  const source = positionals[0] as string;
  const env = configFromEnv(io.env);
  // Everything that can be a usage error is checked before the first event is handled: nothing is published then.
  const policy = await resolvePolicy(values.config, values.domain, env);
  const topicArn = topicArnOption(values['topic-arn'] ?? env.topicArn);
  const destination = outOption(values.out);
  const events = parseEventsInput(await readInput(source, options), source === '-' ? 'standard input' : source);

  const clients = options.clients ?? createClients(await awsClientSettings(values, env));
  // --quiet: only the alerts on stdout and the events not handled on stderr.
  const note = (text: string) => {
    if (values.quiet !== true) io.stderr(text);
  };
  // No credentials at all: a set-up error (exit 2) before any event is handled, not an UNKNOWN alert.
  if (!options.clients) await requireCredentials(clients.sts);
  const log = stderrLog(io);
  const identity = new IdentityAdapter(clients.sts);
  // The caller's partition decides the quotas, and refuses where Account Management does not exist.
  const pacers = await callerPartitionPacers(identity, env.getRatePerSecond);
  const organizations = new OrganizationsAdapter(clients.organizations, { pacer: pacers.organizations });
  const publisher = new AlertPublisher(clients.sns);
  const deps: ContactEventDeps = {
    policy,
    context: cachedAuditorContext(identity, organizations),
    contacts: new ContactsAdapter(clients.account, { pacer: pacers.alternateContact }),
    // One CLI run is one invocation: each account is described once.
    accounts: accountDirectory(organizations, log),
    surface: new AccountSurfaceAdapter(clients.account, {
      pacers: { contactInformation: pacers.contactInformation, primaryEmail: pacers.primaryEmail },
    }),
    placement: (accountId) => new ParentChainAdapter(clients.organizations, { pacer: pacers.organizations }).placementOf(accountId),
    alerts: {
      publish: async (alert) => {
        if (topicArn) return publisher.publish(topicArn, alert);
        io.stdout(alertLine(alert));
        return undefined;
      },
    },
    ...(destination ? keptBeside(storageFor(destination, clients)) : {}),
    dedupe: memoryDedupe(),
    log,
    ...(options.now ? { now: options.now } : {}),
  };

  let failed = 0;
  for (const [index, event] of events.entries()) {
    const label = `event ${index + 1}`;
    if (event instanceof UnreadableLine) {
      note(`${label}: ignored: line ${event.line} is not JSON (${event.reason}); the other lines are handled\n`);
      continue;
    }
    try {
      const outcome = await handleContactEvent(parseContactEvent(event), deps);
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
    } catch (error) {
      failed++;
      io.stderr(`${label}: not handled: ${awsErrorCode(error)}: ${safeText(awsErrorMessage(error), 500)}\n`);
    }
  }
  return failed > 0 ? EXIT.FAILED : EXIT.OK;
}

/**
 * The real-time function's Lambda wiring (SPEC.md §7–§9): the runtime the use case
 * (src/audit/event.ts) runs with, made once per container from the environment, the DynamoDB-backed
 * dedupe on Powertools idempotency, the Powertools middleware, and one event → one printable
 * outcome. handlers/contactChange.ts is the entry point.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AlertPublisher } from '../src/providers/aws/alerts.ts';
import { realtimeClients, type AwsClients } from '../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../src/providers/aws/contacts.ts';
import type { DeclaresIamActions } from '../src/providers/aws/iam.ts';
import { IdentityAdapter } from '../src/providers/aws/identity.ts';
import { ObjectStore } from '../src/providers/aws/objects.ts';
import { OrganizationsAdapter } from '../src/providers/aws/organizations.ts';
import { ParentChainAdapter } from '../src/providers/aws/organizationTree.ts';
import { Pacer } from '../src/calls/pacer.ts';
import { deployedShares } from '../src/providers/aws/quotas.ts';
import { AccountSurfaceAdapter } from '../src/providers/aws/primaryContact.ts';
import { ConfigError, configFromEnv, realtimeSettingsFromEnv } from '../src/config.ts';
import { InvariantError } from '../src/errors.ts';
import type { Policy } from '../src/policy/types.ts';
import { lambdaLogging } from '../src/powertools.ts';
import { loadDeployedPolicy, type DeployedPolicySource } from '../src/policy/deployed.ts';
import { contactEventFrom, contactEventSchema, type ContactEventParse, type ParsedContactEvent } from '../src/contracts/contactEvent.ts';
import {
  accountDirectory,
  cachedAuditorContext,
  handleContactEvent,
  type AuditorContext,
  type ContactEventOutcome,
  type Dedupe,
  type EventLog,
} from '../src/audit/event.ts';
import type { ReportStorage } from '../src/storage/reportStorage.ts';
import { EvidenceStore } from '../src/storage/evidenceStore.ts';

/** Only part of what an adapter declares, when a function makes only some of its calls; never more. */
function uses(adapter: DeclaresIamActions & { name: string }, actions: readonly string[]): DeclaresIamActions {
  const extra = actions.filter((action) => !adapter.iamActions.includes(action));
  if (extra.length > 0) throw new InvariantError(`${adapter.name} does not declare ${extra.join(', ')}`);
  return { iamActions: actions };
}

/** Powertools' DynamoDB persistence layer: the calls it makes on the idempotency table. */
const IDEMPOTENCY_STORE: DeclaresIamActions = {
  iamActions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};

/**
 * The adapters the real-time function uses (its handler exports them); test/stack/iam.test.ts
 * holds its role to their `iamActions`. Organizations: DescribeOrganization (cold start) and
 * DescribeAccount, never ListAccounts. ObjectStore: the policy object (GetObject; ListBucket makes
 * a missing one NoSuchKey, not AccessDenied) and the changes/ records (PutObject).
 */
export const adapters: readonly DeclaresIamActions[] = [
  IdentityAdapter,
  uses(OrganizationsAdapter, ['organizations:DescribeOrganization', 'organizations:DescribeAccount']),
  ContactsAdapter,
  // The primary contact and root e-mail (with those policy sections), the OU (with OU overrides).
  AccountSurfaceAdapter,
  ParentChainAdapter,
  AlertPublisher,
  ObjectStore,
  IDEMPOTENCY_STORE,
];

/** A bucket with nothing in it: the policy then comes from the environment. */
const NO_OBJECTS: ReportStorage = { get: async () => undefined, put: async () => {}, locate: (key) => `(no bucket)/${key}` };

/** How long a warm container keeps the policy before reading it again (it changes without a deployment). */
const POLICY_TTL_MS = 5 * 60_000;

/** Everything made once per container (cold start) and shared by its invocations. */
export interface ContactChangeRuntime {
  /** The policy, or how to read it when a change needs it ({@link cachedPolicy} in the deployed function). */
  policy: Policy | (() => Promise<Policy>);
  topicArn: string;
  clients: Pick<AwsClients, 'sts' | 'organizations' | 'account' | 'sns' | 's3'>;
  changes?: { storage: ReportStorage; prefix: string };
  /** Where each re-read is kept as the account's evidence (docs/continuous.md, "The deployed stack"). */
  evidence?: EvidenceStore;
  /** Caller and management account, fetched once and cached. */
  context: () => Promise<AuditorContext>;
  dedupe: Dedupe;
  /**
   * The real-time share of each quota it reads (quotas.ts `deployedShares` for the partition; the
   * function's reserved concurrency of 1 makes it the only real-time reader): the sweep paces at the rest.
   */
  pacers?: RealtimePacers;
  /** Given the Lambda context so in-flight idempotency records expire with the invocation. */
  idempotencyConfig?: IdempotencyConfig;
  log: EventLog;
}

/** One pacer per quota the real-time function reads; Organizations: all its calls there through one. */
interface RealtimePacers {
  alternateContact: Pacer;
  contactInformation: Pacer;
  primaryEmail: Pacer;
  organizations: Pacer;
}

/** The Powertools logger as the use case's {@link EventLog}: the fields at the top level of each line. */
export function powertoolsLog(logger: Logger): EventLog {
  return {
    info: (message, data) => logger.info(message, { ...data }),
    warn: (message, data) => logger.warn(message, { ...data }),
    error: (message, data) => logger.error(message, { ...data }),
  };
}

/** What a completed run stores: a marker only (an alert can be 256 KiB; an item at most 400 KB). */
interface Handled {
  handled: true;
  /** Set by the config's `responseHook`, which Powertools calls only when it returns a stored record. */
  replayed?: true;
}

/**
 * Idempotency on the event ID (`eventKeyJmesPath`), remembered `expiresAfterSeconds`. Its
 * `responseHook` marks a result that Powertools returned from a completed record without running
 * the function again: that is a duplicate.
 */
export function idempotencyConfigFor(expiresAfterSeconds: number): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: 'eventId',
    expiresAfterSeconds,
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
}

/**
 * A {@link Dedupe} on Powertools idempotency (config from {@link idempotencyConfigFor}). When the
 * record of a completed run exists, Powertools returns the stored marker without running `work`: a
 * duplicate. A run that throws deletes its record, so EventBridge's retry can handle the event; a
 * twin arriving while the first is in flight fails with IdempotencyAlreadyInProgressError and
 * EventBridge retries it later, when it is a duplicate.
 */
export function idempotencyDedupe(persistenceStore: BasePersistenceLayer, config: IdempotencyConfig): Dedupe {
  const run = makeIdempotent(async (_key: { eventId: string }, work: () => Promise<Handled>) => work(), {
    persistenceStore,
    config,
    dataIndexArgument: 0,
  });
  return {
    async once<T extends object>(key: string, work: () => Promise<T>) {
      // The value stays in memory: only the marker goes to the table.
      let value: T | undefined;
      const result = await run({ eventId: key }, async () => {
        value = await work();
        return { handled: true };
      });
      return result.replayed ? { duplicate: true as const } : { duplicate: false as const, value: value as T };
    },
  };
}

/**
 * The deployed policy (policy object in the bucket, else CONTACT_AUDIT_POLICY, else the
 * companyDomains parameter), kept `ttlMs` so a burst of events does not read S3 each time. A failed
 * load is not kept.
 */
export function cachedPolicy(load: () => Promise<Policy>, ttlMs = POLICY_TTL_MS, now: () => number = Date.now): () => Promise<Policy> {
  let cached: { at: number; policy: Promise<Policy> } | undefined;
  return () => {
    if (!cached || now() - cached.at > ttlMs) {
      const entry = { at: now(), policy: load() };
      entry.policy.catch(() => {
        if (cached === entry) cached = undefined;
      });
      cached = entry;
    }
    return cached.policy;
  };
}

/** Builds the runtime from the environment, once per container. Throws (and the init fails) on bad settings. */
export function runtimeFromEnv(env: Record<string, string | undefined>, logger: Logger): ContactChangeRuntime {
  const config = configFromEnv(env);
  const settings = realtimeSettingsFromEnv(env);
  if (!config.topicArn) throw new ConfigError('CONTACT_AUDIT_TOPIC_ARN is not set: the real-time function needs the alert topic');
  if (!config.partition) throw new ConfigError('CONTACT_AUDIT_PARTITION is not set');
  const shares = deployedShares(config.partition, config.sweepParallelBatches, config.quotaScale).realtime;
  const { GetAlternateContact, GetContactInformation, GetPrimaryEmail, Organizations } = shares;
  const pacers: RealtimePacers = {
    alternateContact: Pacer.forShare(GetAlternateContact),
    contactInformation: Pacer.forShare(GetContactInformation),
    primaryEmail: Pacer.forShare(GetPrimaryEmail),
    organizations: Pacer.forShare(Organizations),
  };
  const clients = realtimeClients(config.clients);
  const storage = config.reportBucket ? new ObjectStore(config.reportBucket, clients.s3) : undefined;
  const source: DeployedPolicySource = {
    policyKey: config.policyKey,
    ...(config.policyText ? { policyText: config.policyText } : {}),
    ...(config.companyDomains ? { companyDomains: config.companyDomains } : {}),
  };
  if (!storage && !config.policyText && !config.companyDomains) {
    throw new ConfigError('no policy: set CONTACT_AUDIT_REPORT_BUCKET (policy object), CONTACT_AUDIT_POLICY or CONTACT_AUDIT_COMPANY_DOMAINS');
  }
  const log = powertoolsLog(logger);
  // The sweep's loader (JSON only: no YAML parser in the bundle); read when a change needs it.
  const policy = cachedPolicy(async () => {
    const loaded = await loadDeployedPolicy(storage ?? NO_OBJECTS, source);
    log.info('Policy loaded', { origin: loaded.origin });
    return loaded.policy;
  });
  const idempotencyConfig = idempotencyConfigFor(settings.idempotencyTtlSeconds);
  const persistence = new DynamoDBPersistenceLayer({ tableName: settings.idempotencyTable });
  return {
    policy,
    topicArn: config.topicArn,
    clients,
    ...(storage ? { changes: { storage, prefix: config.reportPrefix }, evidence: new EvidenceStore(storage, config.reportPrefix) } : {}),
    context: cachedAuditorContext(new IdentityAdapter(clients.sts), new OrganizationsAdapter(clients.organizations, { pacer: pacers.organizations })),
    dedupe: idempotencyDedupe(persistence, idempotencyConfig),
    pacers,
    idempotencyConfig,
    log,
  };
}

/**
 * One parsed event, one outcome. Ignored events resolve (EventBridge must not retry them); a
 * failure to publish rejects, so EventBridge retries and, in the end, the DLQ keeps it.
 */
export async function processContactChange(event: ParsedContactEvent, runtime: ContactChangeRuntime): Promise<ContactEventOutcome> {
  // Every read goes through the runtime's pacers, made once per container (no fresh burst per event).
  const { pacers } = runtime;
  const organizations = new OrganizationsAdapter(runtime.clients.organizations, { pacer: pacers?.organizations });
  const publisher = new AlertPublisher(runtime.clients.sns);
  return handleContactEvent(event, {
    policy: runtime.policy,
    context: runtime.context,
    contacts: new ContactsAdapter(runtime.clients.account, { pacer: pacers?.alternateContact }),
    // DescribeAccount answers are kept for this invocation only: names and states do change.
    accounts: accountDirectory(organizations, runtime.log),
    surface: new AccountSurfaceAdapter(runtime.clients.account, { pacers: pacers ?? {} }),
    placement: (accountId) => new ParentChainAdapter(runtime.clients.organizations, { pacer: pacers?.organizations }).placementOf(accountId),
    alerts: { publish: (alert) => publisher.publish(runtime.topicArn, alert) },
    ...(runtime.changes ? { changes: runtime.changes } : {}),
    ...(runtime.evidence ? { evidence: runtime.evidence } : {}),
    dedupe: runtime.dedupe,
    log: runtime.log,
  });
}

/** What the function returns: a small, printable summary, never the event itself (it may be hostile). */
export type ContactChangeSummary =
  | Extract<ContactEventOutcome, { kind: 'ignored' | 'duplicate' }>
  | { kind: 'changed' | 'denied'; eventId: string; accountId: string; messageId: string | null; status: string | null };

/**
 * One invocation: the Lambda context to the idempotency config, the parser middleware's result
 * read as a §7 event (a malformed one is ignored with its reason, never thrown), the event's
 * account on every log line (the logger middleware removes it afterwards), the event handled and
 * summarized.
 */
export async function contactChangeInvocation(parsed: ContactEventParse, context: Context, runtime: ContactChangeRuntime, logger: Logger): Promise<ContactChangeSummary> {
  runtime.idempotencyConfig?.registerLambdaContext(context);
  const event = contactEventFrom(parsed);
  if (event.kind !== 'ignored') logger.appendKeys({ accountId: event.accountId });
  const outcome = await processContactChange(event, runtime);
  return outcome.kind === 'ignored' || outcome.kind === 'duplicate'
    ? outcome
    : { kind: outcome.kind, eventId: outcome.eventId, accountId: outcome.accountId, messageId: outcome.messageId ?? null, status: outcome.status ?? null };
}

/**
 * The middleware the function runs under, in this order: the logger's (Lambda context on every
 * line, keys reset after each invocation), then Powertools' parser with the §7 schema. With
 * `safeParse` a malformed event reaches the function as a failed parse, to be logged and ignored
 * (SPEC.md §7), instead of failing the invocation.
 */
export function withContactChangeMiddleware(fn: (parsed: ContactEventParse, context: Context) => Promise<ContactChangeSummary>, logger: Logger) {
  return middy(fn)
    .use(lambdaLogging(logger))
    .use(parser({ schema: contactEventSchema, safeParse: true }));
}

/** The middy-wrapped handler over a runtime (tests pass their own; the deployed one is made at init). */
export function makeHandler(getRuntime: () => ContactChangeRuntime, logger: Logger) {
  return withContactChangeMiddleware((parsed, context) => contactChangeInvocation(parsed, context, getRuntime(), logger), logger);
}

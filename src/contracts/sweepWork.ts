/**
 * The deployed sweep's data contract in one place: what each Step Functions step receives and
 * returns, and the work files the steps leave for each other under `<prefix>/work/<runId>/`
 * (expired by the bucket lifecycle). src/audit/stateMachine.ts writes and reads them; the
 * handlers parse their input here.
 *
 * - list: {@link ListInput} → writes `manifest.json` ({@link SweepManifest}) and `items.json`
 *   ({@link BatchItems}) → {@link StartOutput};
 * - batch, one per Map item: {@link BatchInput} → writes `results/batch-N.json`
 *   ({@link BatchResultFile}) → {@link BatchOutput};
 * - finalize: {@link FinalizeInput} → writes `baseline.json` ({@link PinnedBaseline}), then the
 *   §9 report → {@link FinishOutput}.
 *
 * Every work file is validated when read back, so a corrupt or foreign object stops at the read
 * with a {@link SweepStateError} naming its key and field instead of failing deep inside. Each
 * schema and the type derived from it share one name.
 */
import * as z from 'zod/mini';
import { ACCOUNT_STATUSES, CONTACT_TYPES, EVIDENCE_SOURCES, FINDING_CODES, FINDING_SUBJECTS, NOTE_CODES, REREAD_REASONS, type ContactKind, type FindingSubject } from '../model.ts';
import { fieldPath } from '../fieldPath.ts';
import { policySchema } from '../policy/schema.ts';
import { normalizePrefix } from '../report/layout.ts';
import { isRunId } from '../report/runId.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';

/** The state machine handed a step an input it does not understand; retrying does not help. */
class SweepEventError extends Error {
  override readonly name = 'SweepEventError';
}

/** A step found the run's work files missing or not of the expected shape; retrying does not help. */
export class SweepStateError extends Error {
  override readonly name = 'SweepStateError';
}

/** The deployed sweep's two kinds of run (docs/continuous.md). */
const SWEEP_MODES = ['full', 'incremental'] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

// ---------------------------------------------------------------- the report's parts (SPEC §5)

const count = z.number().check(z.int(), z.nonnegative());
const ouPlacement = z.object({ id: z.string(), name: z.string(), path: z.string() });

/** An account as the list step hands it on (model.ts `OrgAccount`): only what the check needs. */
const listedAccount = z.object({
  id: z.string().check(z.regex(/^\d{12}$/)),
  name: z.string(),
  state: z.string(),
  // The account's OU and, for the management account only, its listed e-mail.
  ou: z.optional(z.extend(ouPlacement, { ids: z.array(z.string()) })),
  email: z.optional(z.string()),
});

const contact = z.object({ name: z.string(), title: z.string(), emailAddress: z.string(), phoneNumber: z.string() });

const primaryContact = z.object({
  fullName: z.string(),
  companyName: z.optional(z.string()),
  phoneNumber: z.string(),
  addressLine1: z.string(),
  addressLine2: z.optional(z.string()),
  addressLine3: z.optional(z.string()),
  city: z.string(),
  stateOrRegion: z.optional(z.string()),
  districtOrCounty: z.optional(z.string()),
  postalCode: z.string(),
  countryCode: z.string(),
  websiteUrl: z.optional(z.string()),
});

/**
 * What a finding or a contact is about, as model.ts types it. A report read back as a baseline may
 * come from either cloud (an Alibaba Cloud report names message types, src/rules/messageContacts.ts),
 * or from a later version with a name this one does not know: it takes any name. The deployed
 * sweep's batch results, AWS only, are held to the AWS names.
 */
const anySubject = z.custom<FindingSubject>((v) => typeof v === 'string', 'expected a string');
const anyContactKind = z.custom<ContactKind>((v) => typeof v === 'string', 'expected a string');

/** One account of the report (model.ts `AccountResult`), its subjects named by `subject` and `contactType`. */
function accountResultOf(subject: z.ZodMiniType<FindingSubject>, contactType: z.ZodMiniType<ContactKind>) {
  const finding = z.object({
    contactType: subject,
    code: z.enum(FINDING_CODES),
    message: z.string(),
    errorCode: z.optional(z.string()),
    exemption: z.optional(z.object({ reason: z.string(), expires: z.string() })),
  });
  const note = z.object({ contactType: subject, code: z.enum(NOTE_CODES), message: z.string(), errorCode: z.optional(z.string()) });
  return z.object({
    accountId: z.string(),
    name: z.string(),
    state: z.string(),
    status: z.enum(ACCOUNT_STATUSES),
    contacts: z.partialRecord(contactType, z.nullable(contact)),
    findings: z.array(finding),
    ou: z.optional(ouPlacement),
    primaryContact: z.optional(z.nullable(primaryContact)),
    primaryPhoneVerification: z.optional(z.string()),
    rootEmail: z.optional(z.string()),
    notes: z.optional(z.array(note)),
    evidence: z.optional(accountEvidence),
  });
}

/** An account's evidence age and source (model.ts `AccountEvidence`, docs/continuous.md). */
const accountEvidence = z.object({
  readAt: z.string(),
  source: z.enum(EVIDENCE_SOURCES),
  ageDays: count,
  stale: z.optional(z.literal(true)),
});

/** The report's evidence summary (model.ts `EvidenceSummary`). */
const evidenceSummary = z.object({
  mode: z.enum(['full', 'incremental', 'from-evidence']),
  accountsRead: count,
  reasons: z.optional(z.partialRecord(z.enum(REREAD_REASONS), count)),
  maxEvidenceAgeDays: count,
  oldestReadAt: z.optional(z.string()),
  pastBound: count,
});

/**
 * One account of an AWS sweep. Every field is listed: parsing drops the keys a schema does not
 * name, and test/contracts/sweepWork.test.ts holds the schema and model.ts to the same keys.
 */
export const accountResultSchema = accountResultOf(z.enum(FINDING_SUBJECTS), z.enum(CONTACT_TYPES));

const reportSummary = z.object({
  accounts: count,
  compliant: count,
  nonCompliant: count,
  unknown: count,
  exempt: count,
  skipped: count,
});

/** The §5 report (model.ts `Report`) of either cloud: the previous run's is the baseline of the §8 diffs. */
export const reportSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  organizationId: z.string(),
  managementAccountId: z.string(),
  callerAccountId: z.string(),
  // Reports of older versions have neither.
  productVersion: z.optional(z.string()),
  policyHash: z.optional(z.string()),
  policy: z.object({ companyDomains: z.array(z.string()), requiredContactTypes: z.array(anyContactKind) }),
  summary: reportSummary,
  evidence: z.optional(evidenceSummary),
  accounts: z.array(accountResultOf(anySubject, anyContactKind)),
});

const callStats = z.object({ calls: count, retries: count, throttled: count, failed: count });

// ---------------------------------------------------------------- work files

/** What every step of one run agrees on (`manifest.json`), written once by the list step. */
export const SweepManifest = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  organizationId: z.string(),
  managementAccountId: z.string(),
  callerAccountId: z.string(),
  /**
   * The validated policy, pinned for the whole run even if the policy object changes meanwhile;
   * checked again here as it crosses a process boundary (the schema, not the YAML loader: the
   * batch and finalize bundles stay free of the YAML parser).
   */
  policy: policySchema,
  policyOrigin: z.string(),
  accounts: count,
  batches: count,
  /** A full sweep reads every account; an incremental one only those `plan.json` names (docs/continuous.md). Absent: full. */
  mode: z.optional(z.enum(SWEEP_MODES)),
});
export type SweepManifest = z.output<typeof SweepManifest>;

/**
 * One item of the Distributed Map: a batch of listed accounts. `items.json` is a list of them.
 * `rolling`: the accounts of an incremental sweep read only because their evidence is the oldest
 * (their evidence source is then `rolling`, the others' `incremental`).
 */
export const BatchItem = z.object({ batch: count, accounts: z.array(listedAccount), rolling: z.optional(z.array(z.string())) });
export type BatchItem = z.output<typeof BatchItem>;

/** `items.json`, the Map's ItemReader: every batch of the run. */
export const BatchItems = z.array(BatchItem);

/** What a batch leaves in S3 (`results/batch-N.json`). */
export const BatchResultFile = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  batch: count,
  results: z.array(accountResultSchema),
  stats: callStats,
});
export type BatchResultFile = z.output<typeof BatchResultFile>;

/**
 * What the list step decided (`plan.json`): every listed account in listing order, the report is
 * of all of them, and (incremental) why each one read is read. The finalize step judges the others
 * on their stored evidence.
 */
export const SweepPlan = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  listing: z.array(listedAccount),
  reasons: z.record(z.string(), z.enum(REREAD_REASONS)),
});
export type SweepPlan = z.output<typeof SweepPlan>;

/** The baseline the finalize step diffs against (`baseline.json`), pinned by its first attempt; `null`: a first run. */
export const PinnedBaseline = z.object({ baseline: z.nullable(reportSchema) });
export type PinnedBaseline = z.output<typeof PinnedBaseline>;

/** The keys of one run's work files, `<prefix>/work/<runId>/…`. */
export function workKeys(prefix: string, runId: string) {
  if (!isRunId(runId)) throw new SweepStateError(`not a run id: ${JSON.stringify(runId)}`);
  const p = normalizePrefix(prefix);
  const base = `${p === '' ? '' : `${p}/`}work/${runId}`;
  return {
    manifest: `${base}/manifest.json`,
    items: `${base}/items.json`,
    plan: `${base}/plan.json`,
    baseline: `${base}/baseline.json`,
    result: (batch: number) => `${base}/results/batch-${batch}.json`,
  };
}

// ---------------------------------------------------------------- step inputs and outputs

/**
 * The list step's input: `$$.Execution.Name`, `$$.Execution.StartTime` and the execution's own
 * input (`$`), whose `mode` the schedules set (serverless.yml, `SweepSchedule`,
 * `IncrementalSweepSchedule`); all optional for a manual invoke, and no mode is a full sweep.
 */
export const ListInput = z.object({
  executionName: z.optional(z.string().check(z.minLength(1))),
  executionStartTime: z.optional(z.iso.datetime({ offset: true })),
  execution: z.optional(z.object({ mode: z.optional(z.enum(SWEEP_MODES)) })),
});

/** The list step's output, the state every later step receives (kept small: keys, not data). */
export const StartOutput = z.object({
  runId: z.string(),
  startedAt: z.string(),
  manifestKey: z.string(),
  itemsKey: z.string(),
  accounts: count,
  batches: count,
});
export type StartOutput = z.output<typeof StartOutput>;

/** One item of the Map as its ItemSelector shapes it (serverless.yml, state `CheckBatches`). */
export const BatchInput = z.object({ runId: z.string(), manifestKey: z.string(), batch: BatchItem });
export type BatchInput = z.output<typeof BatchInput>;

/** What a batch step returns (its results are in S3). */
export const BatchOutput = z.object({
  batch: count,
  accounts: count,
  nonCompliant: count,
  unknown: count,
  stats: z.optional(callStats),
});
export type BatchOutput = z.output<typeof BatchOutput>;

/** The list step's output (the Map's ResultPath is null); `mapError` is there when the Map failed beyond its tolerance. */
export const FinalizeInput = z.extend(z.pick(StartOutput, { runId: true, manifestKey: true, itemsKey: true }), {
  mapError: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});
export type FinalizeInput = z.output<typeof FinalizeInput>;

/** What the finalize step returns; the state machine keeps part of it (`Finalize.ResultSelector`). */
export const FinishOutput = z.object({
  runId: z.string(),
  summary: reportSummary,
  missingAccounts: count,
  missingBatches: z.array(count),
  /** Why a batch's result file, present, could not be used (its accounts count as without a result). */
  unusableResults: z.array(z.string()),
  /** Results naming accounts their batch did not list; ignored, counted for the logs. */
  unexpectedResults: count,
  reportLocation: z.string(),
  jsonLocation: z.string(),
  alertsSent: count,
  alertsFailed: count,
  /** The new accounts recorded and closed (README, "New accounts"); `error` when their file could not be used. */
  newAccounts: z.optional(z.object({ recorded: count, closed: count, alerted: count, retry: count, error: z.optional(z.string()) })),
});
export type FinishOutput = z.output<typeof FinishOutput>;

// ---------------------------------------------------------------- parsing

const MAX_LISTED_ISSUES = 3;

/** What a value is, never the value itself: a work file holds contact names and e-mail addresses. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * One issue in words. zod/mini carries no messages of its own (only "Invalid input"), so the
 * built-in checks are described here; the policy schema's own checks bring their message.
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case 'invalid_value':
      // FINDING_CODES has 19: past a few, the count says enough.
      return issue.values.length <= 5 ? `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}` : `expected one of ${issue.values.length} known values`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `expected to match ${String(issue.pattern)}` : `expected ${issue.format}`;
    case 'too_small':
      return `expected ${issue.origin} ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return `expected ${issue.origin} ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    default:
      return issue.message;
  }
}

/** `accounts[3].id: expected string, got number`, a few at most: a corrupt file of 10,000 accounts must not give a 10,000-line error. */
function describeIssues(error: z.core.$ZodError, whole: string): string {
  const listed = error.issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `${fieldPath(issue.path) || whole}: ${describeIssue(issue)}`);
  const more = error.issues.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Parses a step's input at the boundary. @throws SweepEventError naming the step and each wrong field. */
export function parseStepInput<T extends z.ZodMiniType>(schema: T, event: unknown, step: string): z.output<T> {
  const result = z.safeParse(schema, event, { reportInput: true });
  if (!result.success) throw new SweepEventError(`${step}: unexpected input (${describeIssues(result.error, '(input)')})`, { cause: result.error });
  return result.data;
}

/**
 * A work file's text, parsed and validated; `what` and `location` name it in the error.
 * @throws SweepStateError naming the file and the field when it is not JSON or not of the schema.
 */
export function parseWorkFile<T extends z.ZodMiniType>(schema: T, text: string, what: string, location: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SweepStateError(`${what} ${location} is not JSON`, { cause: error });
  }
  const result = z.safeParse(schema, raw, { reportInput: true });
  if (!result.success) throw new SweepStateError(`${what} ${location}: ${describeIssues(result.error, '(file)')}`, { cause: result.error });
  return result.data;
}

/** A work file that must exist. @throws SweepStateError when it is absent, not JSON or not of the schema. */
export async function readWorkFile<T extends z.ZodMiniType>(storage: ReportStorage, key: string, schema: T, what: string): Promise<z.output<T>> {
  const text = await storage.get(key);
  if (text === undefined) throw new SweepStateError(`${what} ${storage.locate(key)} does not exist`);
  return parseWorkFile(schema, text, what, storage.locate(key));
}

/**
 * The evidence store (docs/continuous.md, "The evidence store"): for each account, the contact
 * surface last read, when, by what, and the request IDs of the calls, one JSON object per account
 * at `<prefix>/state/accounts/<id>.json` beside the reports, in whichever {@link ReportStorage} the
 * reports go to (a folder for `--out DIR`, S3 for `--out s3://…` and the deployed stack).
 *
 * The newer read wins, decided by its read time, never by the order writes arrive; a read that
 * failed keeps the older evidence and marks the record stale, never "missing".
 */
import type { ContactSurface, EvidenceSource, OrgAccount } from '../model.ts';
import { evidenceKey, organizationStateKey } from '../report/layout.ts';
import type { ReportStorage } from './reportStorage.ts';

/** One read of one account, as the sweep or the real-time path made it. */
export interface EvidenceRead {
  /** When the read started (ISO 8601): what "newer" means. */
  readAt: string;
  source: EvidenceSource;
  /** The account as listed when read: its OU and e-mail tell a later run that it moved. */
  account: OrgAccount;
  surface: ContactSurface;
  /** The request IDs of the calls that gave the surface, where the cloud sent them. */
  requestIds: string[];
}

/** The failed read that made a record stale, with the error codes it failed with. */
interface EvidenceFailure extends EvidenceRead {
  errorCodes: string[];
}

/** `state/accounts/<id>.json`. */
export interface EvidenceRecord extends EvidenceRead {
  schemaVersion: 1;
  accountId: string;
  /** A later read failed: `failure` holds it, the fields above the older evidence (or the failure itself when there was none). */
  stale?: true;
  failure?: EvidenceFailure;
}

/** `state/organization.json`: who swept which organization, and its accounts as last listed. */
export interface OrganizationState {
  schemaVersion: 1;
  organizationId: string;
  managementAccountId: string;
  callerAccountId: string;
  listedAt: string;
  accounts: OrgAccount[];
}

/** The error codes of the reads of a surface that failed; none when every read gave an answer. */
function surfaceFailures(surface: ContactSurface): string[] {
  if (surface.kind === 'messageContacts') {
    return [surface.reads.contacts, surface.reads.account].flatMap((read) => (read && !read.ok ? [read.errorCode] : []));
  }
  const { primaryContact, rootEmail, rootEmailUpdate } = surface.extras;
  const reads = [...Object.values(surface.reads), primaryContact, rootEmail, rootEmailUpdate];
  return reads.flatMap((read) => (read?.kind === 'failed' ? [read.errorCode] : []));
}

/** The request IDs the AWS adapters kept on each read of a surface. */
export function surfaceRequestIds(surface: ContactSurface): string[] {
  if (surface.kind === 'messageContacts') return [];
  const { primaryContact, rootEmail } = surface.extras;
  return [...Object.values(surface.reads), primaryContact, rootEmail].flatMap((read) => (read?.requestId ? [read.requestId] : []));
}

/** The time of the record's latest read, failed or not. */
export function lastReadAt(record: EvidenceRecord): string {
  return record.failure && record.failure.readAt > record.readAt ? record.failure.readAt : record.readAt;
}

/** The read an account is judged on: the latest one, so a failed read is UNKNOWN as it is in a sweep. */
export function judgedRead(record: EvidenceRecord): EvidenceRead {
  return record.failure ?? record;
}

/**
 * The record after `read` (pure): the newer read wins by `readAt`; a read no newer than the record's
 * latest gives `undefined` (nothing to write). A failed read keeps the older good evidence, stale.
 */
export function mergeEvidence(previous: EvidenceRecord | undefined, read: EvidenceRead): EvidenceRecord | undefined {
  if (previous && read.readAt <= lastReadAt(previous)) return undefined;
  const errorCodes = surfaceFailures(read.surface);
  const fresh: EvidenceRecord = { schemaVersion: 1, accountId: read.account.id, ...read };
  if (errorCodes.length === 0) return fresh;
  const failure: EvidenceFailure = { ...read, errorCodes };
  const { stale: _stale, failure: _failure, ...older } = previous ?? fresh;
  return { ...older, stale: true, failure };
}

/** A stored record, or undefined when the text is not one (the account is then read again, never judged on it). */
function parseRecord(text: string, accountId: string): EvidenceRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<EvidenceRecord>;
    const ok = value.schemaVersion === 1 && value.accountId === accountId && typeof value.readAt === 'string' && typeof value.surface === 'object';
    return ok ? (value as EvidenceRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads and writes the evidence of accounts in a report store. `record` is read-compare-write;
 * within one process the writes of one account are queued, so two reads of it cannot overwrite
 * each other. Across processes (an event and a sweep) the window between the read and the write
 * is the race docs/continuous.md describes.
 */
export class EvidenceStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly storage: ReportStorage,
    readonly prefix: string,
    private readonly concurrency = 16,
  ) {}

  async get(accountId: string): Promise<EvidenceRecord | undefined> {
    const text = await this.storage.get(evidenceKey(this.prefix, accountId));
    return text === undefined ? undefined : parseRecord(text, accountId);
  }

  /** The records of these accounts, `concurrency` reads at a time; accounts without one are absent. */
  async getMany(accountIds: readonly string[]): Promise<Map<string, EvidenceRecord>> {
    const found = new Map<string, EvidenceRecord>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < accountIds.length) {
        const id = accountIds[next++]!;
        const record = await this.get(id);
        if (record) found.set(id, record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, accountIds.length) }, worker));
    return found;
  }

  /** Keeps one read: the record as it now stands (unchanged when a newer read was already kept). */
  record(read: EvidenceRead): Promise<EvidenceRecord> {
    const id = read.account.id;
    const work = (this.queues.get(id) ?? Promise.resolve()).catch(() => undefined).then(() => this.write(read));
    this.queues.set(id, work);
    void work.finally(() => {
      if (this.queues.get(id) === work) this.queues.delete(id);
    }).catch(() => undefined);
    return work;
  }

  private async write(read: EvidenceRead): Promise<EvidenceRecord> {
    const previous = await this.get(read.account.id);
    const next = mergeEvidence(previous, read);
    if (!next) return previous!;
    await this.storage.put(evidenceKey(this.prefix, read.account.id), `${JSON.stringify(next)}\n`, 'application/json');
    return next;
  }

  async getOrganization(): Promise<OrganizationState | undefined> {
    const text = await this.storage.get(organizationStateKey(this.prefix));
    if (text === undefined) return undefined;
    const value = JSON.parse(text) as Partial<OrganizationState>;
    return value.schemaVersion === 1 && Array.isArray(value.accounts) ? (value as OrganizationState) : undefined;
  }

  async putOrganization(state: OrganizationState): Promise<void> {
    await this.storage.put(organizationStateKey(this.prefix), `${JSON.stringify(state)}\n`, 'application/json');
  }
}

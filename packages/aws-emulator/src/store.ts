/**
 * The emulator's mutable world: the organization, every account's contacts, what was published,
 * recorded or stored, and the per-operation counters. Services read and write it; `state()` is
 * the JSON of GET /_emulator/state.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, ContactType, PrimaryContact } from './shapes.ts';
import { DEFAULT_LAMBDA_CONCURRENCY, defaultRootId, type Fixture, type FixtureAccount, type FixtureOrganization, type FixtureOu, type FixtureRoot } from './fixture.ts';
import type { RequestContext } from './protocol.ts';

export interface SnsMessage {
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  messageId: string;
  timestamp: string;
}

export interface S3Object {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
  /** Checksums the uploader sent and the emulator verified, by header name (x-amz-checksum-crc32…). */
  checksums: Record<string, string>;
}

/** A CloudTrail record of the shape in the guide, "Understanding the Account Management log entries". */
export type CloudTrailRecord = Record<string, unknown> & { eventID: string; eventName: string; eventTime: string; eventSource: string };

/** A bucket: created by the fixture or CreateBucket; objects by key. */
export interface S3Bucket {
  name: string;
  created: Date;
  objects: Map<string, S3Object>;
}

/** A multipart upload in progress (CreateMultipartUpload … Complete/Abort). */
export interface MultipartUpload {
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: Date;
  parts: Map<number, { body: Buffer; etag: string }>;
}

/** An SNS topic: its owner is the account in its ARN; `publishers` are other accounts allowed to publish ('*' = any). */
/** A resource of an emulated CloudFormation stack: recorded, not provisioned (S3 buckets aside). */
export interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
  properties: Record<string, unknown>;
  updated: Date;
}

interface StackEvent {
  eventId: string;
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
  timestamp: Date;
}

export interface ChangeSet {
  id: string;
  name: string;
  type: 'CREATE' | 'UPDATE';
  status: 'CREATE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus: 'AVAILABLE' | 'UNAVAILABLE' | 'EXECUTE_COMPLETE';
  template: Record<string, unknown>;
  changes: { action: 'Add' | 'Modify' | 'Remove'; logicalId: string; type: string }[];
  created: Date;
}

export interface Stack {
  id: string;
  name: string;
  status: string;
  created: Date;
  updated?: Date;
  template: Record<string, unknown>;
  resources: Map<string, StackResource>;
  /** Newest last. */
  events: StackEvent[];
  changeSets: Map<string, ChangeSet>;
  tags: { Key: string; Value: string }[];
  capabilities: string[];
}

/** Every template handed to CloudFormation (CreateStack, UpdateStack, CreateChangeSet, ValidateTemplate), in order. */
export interface ReceivedTemplate {
  operation: string;
  stackName?: string;
  changeSetName?: string;
  changeSetType?: string;
  /** Where it came from: the request body or an S3 object of the emulator (TemplateURL). */
  templateURL?: string;
  template: Record<string, unknown>;
}

export interface SnsTopic {
  arn: string;
  publishers: string[];
}

/**
 * A fixed-capacity ring buffer: keeps the newest `capacity` items and counts the ones it let go,
 * so recording every call of a 10,000-account sweep stays bounded in memory.
 */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;
  /** Items overwritten because the ring was full. */
  dropped = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }
  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
  }
  get length(): number {
    return this.items.length;
  }
  /** The i-th item, oldest first (0 ≤ i < length). */
  at(i: number): T {
    return this.items[(this.start + i) % this.items.length] as T;
  }
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}

/** How many CloudTrail records the emulator keeps by default (the newest; older ones are counted as dropped). */
const DEFAULT_MAX_CLOUDTRAIL_EVENTS = 10_000;

export interface StoredEvent {
  seq: number;
  record: CloudTrailRecord;
  accessKeyId: string;
  username: string;
}

export interface EmulatorState {
  organization: FixtureOrganization;
  accounts: FixtureAccount[];
  standaloneAccounts: { id: string; contacts: Partial<Record<ContactType, Contact | null>> }[];
  snsMessages: SnsMessage[];
  cloudtrailEvents: CloudTrailRecord[];
  /** Records let go because more than the cap were recorded (oldest first). */
  cloudtrailEventsDropped: number;
  requestCounts: Record<string, number>;
  throttledCounts: Record<string, number>;
  s3Objects: { bucket: string; key: string; size: number; contentType: string; etag: string; lastModified: string }[];
  s3Buckets: string[];
  snsTopics: string[];
  cloudFormationStacks: { stackName: string; stackId: string; stackStatus: string; resources: { logicalId: string; type: string; physicalId: string }[] }[];
  cloudFormationTemplates: ReceivedTemplate[];
  /** StartPrimaryEmailUpdate requests awaiting AcceptPrimaryEmailUpdate, with the OTP "sent" to the new address. */
  pendingPrimaryEmailUpdates: PendingEmailUpdate[];
  /** Findings imported with BatchImportFindings, the latest of each Region, ProductArn and Id. */
  securityHubFindings: { region: string; finding: Record<string, unknown> }[];
}

export interface PendingEmailUpdate {
  accountId: string;
  primaryEmail: string;
  otp: string;
}

const ROLE = 'ContactAuditorEmulator';

export class Store {
  readonly organization: FixtureOrganization;
  readonly accounts = new Map<string, FixtureAccount>();
  /** Callers outside the organization: standalone accounts, created on first use. */
  readonly standalone = new Map<string, Partial<Record<ContactType, Contact | null>>>();
  readonly snsMessages: SnsMessage[] = [];
  /** BatchImportFindings: a re-import of the same Region, ProductArn and Id replaces the finding. */
  private readonly securityHub = new Map<string, { region: string; finding: Record<string, unknown> }>();
  readonly events: Ring<StoredEvent>;
  readonly requestCounts: Record<string, number> = {};
  readonly throttledCounts: Record<string, number> = {};
  /** Buckets by name; a bucket must exist before objects go in (fixture `buckets` or CreateBucket). */
  readonly buckets = new Map<string, S3Bucket>();
  readonly uploads = new Map<string, MultipartUpload>();
  /** Topics by ARN (fixture `topics` or CreateTopic). */
  readonly topics = new Map<string, SnsTopic>();
  /** Organizations answers the retired Account.Status only when the fixture asks for it. */
  readonly legacyStatus: boolean;
  /** Primary contacts of standalone callers (outside the organization). */
  readonly standaloneContactInformation = new Map<string, PrimaryContact | null>();
  /** accountId → the pending primary e-mail update. */
  readonly pendingEmailUpdates = new Map<string, PendingEmailUpdate>();
  /** CloudFormation stacks by name (services/cloudformation.ts); a deleted stack is removed. */
  readonly stacks = new Map<string, Stack>();
  readonly templatesReceived: ReceivedTemplate[] = [];
  /** The account's Lambda concurrency quota (services/lambda.ts). */
  lambdaConcurrency: number;
  private seq = 0;

  constructor(fixture: Fixture, maxCloudTrailEvents = DEFAULT_MAX_CLOUDTRAIL_EVENTS) {
    this.organization = structuredClone(fixture.organization);
    for (const a of fixture.accounts) this.accounts.set(a.id, structuredClone(a));
    this.events = new Ring(maxCloudTrailEvents);
    for (const name of fixture.buckets ?? []) this.createBucket(name);
    for (const t of fixture.topics ?? []) this.createTopic(t.arn, t.publishers);
    this.legacyStatus = fixture.legacyStatus === true;
    this.lambdaConcurrency = fixture.lambdaConcurrency ?? DEFAULT_LAMBDA_CONCURRENCY;
  }

  /** Creates a bucket; false when it already exists. */
  createBucket(name: string, now = new Date()): boolean {
    if (this.buckets.has(name)) return false;
    this.buckets.set(name, { name, created: new Date(Math.floor(now.getTime() / 1000) * 1000), objects: new Map() });
    return true;
  }

  /** Creates a topic (idempotent), adding any extra publishers. */
  createTopic(arn: string, publishers: string[] = []): SnsTopic {
    let t = this.topics.get(arn);
    if (!t) {
      t = { arn, publishers: [] };
      this.topics.set(arn, t);
    }
    for (const p of publishers) if (!t.publishers.includes(p)) t.publishers.push(p);
    return t;
  }

  /** The organization's roots: the fixture's, else one named "Root". */
  get roots(): FixtureRoot[] {
    return this.organization.roots ?? [{ id: defaultRootId(this.organization.id), name: 'Root' }];
  }

  get organizationalUnits(): FixtureOu[] {
    return this.organization.organizationalUnits ?? [];
  }

  /** The parent (root or OU) of an account: its `parentId`, else the first root. */
  parentOf(account: FixtureAccount): string {
    return account.parentId ?? this.roots[0]!.id;
  }

  isOrgAccount(id: string): boolean {
    return this.accounts.has(id);
  }

  /** The contacts of an account addressed in standalone context (its own), creating a standalone account if needed. */
  ownContacts(accountId: string): Partial<Record<ContactType, Contact | null>> {
    const org = this.accounts.get(accountId);
    if (org) return org.contacts;
    let c = this.standalone.get(accountId);
    if (!c) {
      c = {};
      this.standalone.set(accountId, c);
    }
    return c;
  }

  count(op: string): void {
    this.requestCounts[op] = (this.requestCounts[op] ?? 0) + 1;
  }

  countThrottle(op: string): void {
    this.throttledCounts[op] = (this.throttledCounts[op] ?? 0) + 1;
  }

  /** The principal every emulated caller acts as: an assumed role session named after its access key. */
  identity(ctx: RequestContext): { arn: string; principalId: string; roleArn: string; rolePrincipalId: string } {
    const rolePrincipalId = `AROA${ctx.callerAccountId}EMUL8`;
    return {
      arn: `arn:aws:sts::${ctx.callerAccountId}:assumed-role/${ROLE}/${ctx.accessKeyId}`,
      principalId: `${rolePrincipalId}:${ctx.accessKeyId}`,
      roleArn: `arn:aws:iam::${ctx.callerAccountId}:role/${ROLE}`,
      rolePrincipalId,
    };
  }

  /**
   * Records an Account Management call as CloudTrail would (the caller's account receives the event):
   * writes with `readOnly: false`, GetAlternateContact with `readOnly: true` (guide, Example 1).
   */
  recordAccountEvent(
    ctx: RequestContext,
    eventName: string,
    requestParameters: Record<string, unknown>,
    error?: { code: string; message: string },
    readOnly = false,
  ): CloudTrailRecord {
    const id = this.identity(ctx);
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const record: CloudTrailRecord = {
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        principalId: id.principalId,
        arn: id.arn,
        accountId: ctx.callerAccountId,
        accessKeyId: ctx.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: id.rolePrincipalId, arn: id.roleArn, accountId: ctx.callerAccountId, userName: ROLE },
          webIdFederationData: {},
          attributes: { mfaAuthenticated: 'false', creationDate: iso(new Date(ctx.now.getTime() - 60_000)) },
        },
      },
      eventTime: iso(ctx.now),
      eventSource: 'account.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: ctx.sourceIp,
      userAgent: ctx.userAgent,
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
      requestParameters,
      responseElements: null,
      requestID: ctx.requestId,
      eventID: randomUUID(),
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: ctx.callerAccountId,
    };
    this.events.push({ seq: ++this.seq, record, accessKeyId: ctx.accessKeyId, username: ctx.accessKeyId });
    return record;
  }

  /** Records a CloudTrail record of another service (Organizations' calls and service events) as received by `ctx`'s caller. */
  recordEvent(ctx: RequestContext, record: CloudTrailRecord): void {
    this.events.push({ seq: ++this.seq, record, accessKeyId: ctx.accessKeyId, username: ctx.accessKeyId });
  }

  state(): EmulatorState {
    const s3Objects: EmulatorState['s3Objects'] = [];
    for (const [bucket, { objects }] of this.buckets) {
      for (const [key, o] of objects) {
        s3Objects.push({ bucket, key, size: o.body.length, contentType: o.contentType, etag: o.etag, lastModified: o.lastModified.toISOString() });
      }
    }
    return structuredClone({
      organization: this.organization,
      accounts: [...this.accounts.values()],
      standaloneAccounts: [...this.standalone].map(([id, contacts]) => ({ id, contacts })),
      snsMessages: this.snsMessages,
      cloudtrailEvents: this.events.toArray().map((e) => e.record),
      cloudtrailEventsDropped: this.events.dropped,
      requestCounts: this.requestCounts,
      throttledCounts: this.throttledCounts,
      s3Objects,
      s3Buckets: [...this.buckets.keys()],
      snsTopics: [...this.topics.keys()],
      cloudFormationStacks: [...this.stacks.values()].map((st) => ({
        stackName: st.name,
        stackId: st.id,
        stackStatus: st.status,
        resources: [...st.resources.values()].map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId })),
      })),
      cloudFormationTemplates: this.templatesReceived,
      pendingPrimaryEmailUpdates: [...this.pendingEmailUpdates.values()],
      securityHubFindings: [...this.securityHub.values()],
    });
  }

  importFinding(region: string, finding: Record<string, unknown>): void {
    this.securityHub.set(`${region}\u0000${String(finding.ProductArn)}\u0000${String(finding.Id)}`, { region, finding });
  }
}

/**
 * The emulator's mutable world: the organization, every account's contacts, what was published,
 * recorded or stored, and the per-operation counters. Services read and write it; `state()` is
 * the JSON of GET /_emulator/state.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, ContactType, PrimaryContact } from '../model.ts';
import { defaultRootId, type Fixture, type FixtureAccount, type FixtureOrganization, type FixtureOu, type FixtureRoot } from './fixture.ts';
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
  requestCounts: Record<string, number>;
  throttledCounts: Record<string, number>;
  s3Objects: { bucket: string; key: string; size: number; contentType: string; etag: string; lastModified: string }[];
  /** StartPrimaryEmailUpdate requests awaiting AcceptPrimaryEmailUpdate, with the OTP "sent" to the new address. */
  pendingPrimaryEmailUpdates: PendingEmailUpdate[];
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
  readonly events: StoredEvent[] = [];
  readonly requestCounts: Record<string, number> = {};
  readonly throttledCounts: Record<string, number> = {};
  /** bucket → key → object */
  readonly s3 = new Map<string, Map<string, S3Object>>();
  /** Primary contacts of standalone callers (outside the organization). */
  readonly standaloneContactInformation = new Map<string, PrimaryContact | null>();
  /** accountId → the pending primary e-mail update. */
  readonly pendingEmailUpdates = new Map<string, PendingEmailUpdate>();
  private seq = 0;

  constructor(fixture: Fixture) {
    this.organization = structuredClone(fixture.organization);
    for (const a of fixture.accounts) this.accounts.set(a.id, structuredClone(a));
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

  /** Records an Account Management write as CloudTrail would (the caller's account receives the event). */
  recordAccountEvent(
    ctx: RequestContext,
    eventName: string,
    requestParameters: Record<string, unknown>,
    error?: { code: string; message: string },
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
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: ctx.callerAccountId,
    };
    this.events.push({ seq: ++this.seq, record, accessKeyId: ctx.accessKeyId, username: ctx.accessKeyId });
    return record;
  }

  state(): EmulatorState {
    const s3Objects: EmulatorState['s3Objects'] = [];
    for (const [bucket, objects] of this.s3) {
      for (const [key, o] of objects) {
        s3Objects.push({ bucket, key, size: o.body.length, contentType: o.contentType, etag: o.etag, lastModified: o.lastModified.toISOString() });
      }
    }
    return structuredClone({
      organization: this.organization,
      accounts: [...this.accounts.values()],
      standaloneAccounts: [...this.standalone].map(([id, contacts]) => ({ id, contacts })),
      snsMessages: this.snsMessages,
      cloudtrailEvents: this.events.map((e) => e.record),
      requestCounts: this.requestCounts,
      throttledCounts: this.throttledCounts,
      s3Objects,
      pendingPrimaryEmailUpdates: [...this.pendingEmailUpdates.values()],
    });
  }
}

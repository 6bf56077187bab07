/**
 * End to end over the real wire protocols: a real SDK Put/DeleteAlternateContact against the
 * emulator produces the CloudTrail record; wrapped as an EventBridge event, it goes through the
 * handler's plain function and lands as an SNS message and a changes/ object in the emulator.
 */
import { AccountClient, DeleteAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processContactChange, type ContactChangeRuntime } from '../../handlers/contactChangeRuntime.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { EvidenceStore } from '../../src/storage/evidenceStore.ts';
import { ObjectStore } from '../../src/providers/aws/objects.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { cachedAuditorContext, memoryDedupe, silentLog } from '../../src/audit/event.ts';
import { type CloudTrailRecord, type Emulator, type Fixture, type SnsMessage, startEmulator } from '@contact-auditor/aws-emulator';
import { policyFromDomains } from '../../src/policy/load.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY, smallOrg } from '../fixtures/organizations.ts';

/** A second member; here, like every account, it starts with all three contacts set. */
const OTHER_MEMBER = MEMBER_EMPTY;
const TOPIC = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:contact-auditor-alerts`;
const BUCKET = 'contact-auditor-reports';

const contact = (local: string) => ({ name: `${local} team`, title: 'Team', emailAddress: `${local}@example.com`, phoneNumber: '+1 206 555 0100' });
const allGood = { BILLING: contact('billing'), OPERATIONS: contact('ops'), SECURITY: contact('security') };

/** The shared small organization, every account compliant to begin with: each test makes one change. */
const org = smallOrg();
const fixture: Fixture = { ...org, accounts: org.accounts.map((account) => ({ ...account, contacts: { ...allGood } })) };

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ fixture, port: 0, quotaScale: 100 });
  // The topic's policy also lets the management account publish: one test runs the handler there.
  emu.createTopic(TOPIC, [MANAGEMENT]);
  emu.createBucket(BUCKET);
});
afterAll(async () => {
  await emu?.close();
});

const sdk = (accessKeyId: string) => ({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1 });

/** The handler's runtime, running as `auditor` (the function's own account). */
function runtimeAs(auditor: string): ContactChangeRuntime {
  const clients = createClients({ endpoint: emu.url, credentials: { accessKeyId: auditor, secretAccessKey: 'x' }, forcePathStyle: true });
  return {
    policy: policyFromDomains(['example.com']),
    topicArn: TOPIC,
    clients,
    changes: { storage: new ObjectStore(BUCKET, clients.s3), prefix: 'audit' },
    evidence: new EvidenceStore(new ObjectStore(BUCKET, clients.s3), 'audit'),
    context: cachedAuditorContext(new IdentityAdapter(clients.sts), new OrganizationsAdapter(clients.organizations)),
    dedupe: memoryDedupe(),
    log: silentLog,
  };
}

/** What EventBridge delivers for a CloudTrail record of `aws.account`. */
const envelope = (record: CloudTrailRecord) => ({
  version: '0',
  id: `eb-${record.eventID}`,
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.account',
  account: String(record.recipientAccountId),
  time: record.eventTime,
  region: 'us-east-1',
  resources: [],
  detail: record,
});

/** Runs `call` and returns the CloudTrail record it produced. */
async function recorded(call: () => Promise<unknown>): Promise<CloudTrailRecord> {
  const before = emu.state().cloudtrailEvents.length;
  await call().catch(() => undefined);
  const events = emu.state().cloudtrailEvents;
  expect(events.length).toBe(before + 1);
  return events.at(-1)!;
}

function newMessages(before: number): SnsMessage[] {
  return emu.state().snsMessages.slice(before);
}

const attr = (m: SnsMessage, name: string) => m.messageAttributes[name]?.StringValue;

async function changeObject(record: CloudTrailRecord): Promise<Record<string, any>> {
  const key = `audit/changes/dt=${record.eventTime.slice(0, 10)}/${record.eventID}.json`;
  expect(emu.state().s3Objects.map((o) => `${o.bucket}/${o.key}`)).toContain(`${BUCKET}/${key}`);
  const s3 = createClients({ endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' }, forcePathStyle: true }).s3;
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await out.Body!.transformToString());
}

describe('real-time change alerts end to end', () => {
  it('management account changes a member in organizations context → CONTACT_CHANGED, NON_COMPLIANT', async () => {
    const record = await recorded(() =>
      new AccountClient(sdk(MANAGEMENT)).send(
        new PutAlternateContactCommand({
          AccountId: MEMBER,
          AlternateContactType: 'SECURITY',
          Name: 'Outsourced SOC',
          Title: 'SOC',
          EmailAddress: 'soc@vendor.example.net',
          PhoneNumber: '+1 206 555 0199',
        }),
      ),
    );
    expect(record).toMatchObject({ eventName: 'PutAlternateContact', requestParameters: { accountId: MEMBER } });
    expect(JSON.stringify(record)).not.toContain('0199'); // CloudTrail does not log the phone

    const before = emu.state().snsMessages.length;
    const outcome = await processContactChange(parseContactEvent(envelope(record)), runtimeAs(DELEGATED_ADMIN));
    expect(outcome).toMatchObject({ kind: 'changed', accountId: MEMBER, status: 'NON_COMPLIANT' });

    const [message, ...rest] = newMessages(before);
    expect(rest).toEqual([]);
    expect(message!.topicArn).toBe(TOPIC);
    expect(attr(message!, 'event_type')).toBe('CONTACT_CHANGED');
    expect(attr(message!, 'severity')).toBe('HIGH');
    expect(attr(message!, 'account_id')).toBe(MEMBER);
    expect(message!.subject!.length).toBeLessThanOrEqual(100);
    expect(message!.message).toContain(`arn:aws:sts::${MANAGEMENT}:assumed-role/`);
    expect(message!.message).toContain('EMAIL_NOT_COMPANY_DOMAIN');

    const stored = await changeObject(record);
    expect(stored).toMatchObject({ kind: 'change', accountId: MEMBER, callContext: 'organizations', result: { status: 'NON_COMPLIANT', name: 'prod-app' } });
    // The re-read is the account's evidence now (docs/continuous.md, "The deployed stack").
    const s3 = createClients({ endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' }, forcePathStyle: true }).s3;
    const evidence = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `audit/state/accounts/${MEMBER}.json` }))).Body!.transformToString());
    expect(evidence).toMatchObject({ accountId: MEMBER, source: 'event', surface: { reads: { SECURITY: { contact: { emailAddress: 'soc@vendor.example.net' } } } } });
  });

  it('member deletes its own contact in standalone context → the auditor re-reads it in organizations context', async () => {
    const record = await recorded(() => new AccountClient(sdk(OTHER_MEMBER)).send(new DeleteAlternateContactCommand({ AlternateContactType: 'OPERATIONS' })));
    expect(record.recipientAccountId).toBe(OTHER_MEMBER);
    expect(record.requestParameters).not.toHaveProperty('accountId');

    const before = emu.state().snsMessages.length;
    const getsBefore = emu.state().requestCounts.GetAlternateContact ?? 0;
    const outcome = await processContactChange(parseContactEvent(envelope(record)), runtimeAs(DELEGATED_ADMIN));
    expect(outcome).toMatchObject({ kind: 'changed', accountId: OTHER_MEMBER, status: 'NON_COMPLIANT' });
    expect((emu.state().requestCounts.GetAlternateContact ?? 0) - getsBefore).toBe(3);

    const [message] = newMessages(before);
    expect(attr(message!, 'account_id')).toBe(OTHER_MEMBER);
    expect(JSON.parse(message!.message.split('--- machine-readable ---\n')[1]!)).toMatchObject({
      eventType: 'CONTACT_CHANGED',
      status: 'NON_COMPLIANT',
      contactType: 'OPERATIONS',
      findings: [expect.objectContaining({ contactType: 'OPERATIONS', code: 'MISSING_CONTACT' })],
    });
    expect(await changeObject(record)).toMatchObject({ callContext: 'standalone', eventName: 'DeleteAlternateContact' });
  });

  it('the management account changing itself, seen from the management account, is read in standalone context', async () => {
    const record = await recorded(() =>
      new AccountClient(sdk(MANAGEMENT)).send(
        new PutAlternateContactCommand({ AlternateContactType: 'BILLING', Name: 'AP', Title: 'AP', EmailAddress: 'ap@example.com', PhoneNumber: '+1 206 555 0111' }),
      ),
    );
    const outcome = await processContactChange(parseContactEvent(envelope(record)), runtimeAs(MANAGEMENT));
    expect(outcome).toMatchObject({ kind: 'changed', accountId: MANAGEMENT, status: 'COMPLIANT' });
  });

  it('the same change seen from the delegated admin is UNKNOWN (AWS refuses to name the management account), never COMPLIANT', async () => {
    const record = await recorded(() =>
      new AccountClient(sdk(MANAGEMENT)).send(
        new PutAlternateContactCommand({ AlternateContactType: 'BILLING', Name: 'AP', Title: 'AP', EmailAddress: 'ap2@example.com', PhoneNumber: '+1 206 555 0112' }),
      ),
    );
    const before = emu.state().snsMessages.length;
    const outcome = await processContactChange(parseContactEvent(envelope(record)), runtimeAs(DELEGATED_ADMIN));
    expect(outcome).toMatchObject({ kind: 'changed', status: 'UNKNOWN' });
    const [message] = newMessages(before);
    expect(attr(message!, 'severity')).toBe('MEDIUM');
    expect(message!.message).toContain('AccessDeniedException');
  });

  it('a denied attempt → one CONTACT_CHANGE_DENIED and no re-read', async () => {
    // A member may not name another account (organizations context is for the management account and delegated admin).
    const record = await recorded(() =>
      new AccountClient(sdk(MEMBER)).send(
        new PutAlternateContactCommand({ AccountId: OTHER_MEMBER, AlternateContactType: 'SECURITY', Name: 'M', Title: 'M', EmailAddress: 'm@evil.example', PhoneNumber: '1' }),
      ),
    );
    expect(record.errorCode).toBe('AccessDeniedException');

    const before = emu.state().snsMessages.length;
    const getsBefore = emu.state().requestCounts.GetAlternateContact ?? 0;
    const outcome = await processContactChange(parseContactEvent(envelope(record)), runtimeAs(DELEGATED_ADMIN));
    expect(outcome.kind).toBe('denied');
    expect(emu.state().requestCounts.GetAlternateContact ?? 0).toBe(getsBefore);
    const [message, ...rest] = newMessages(before);
    expect(rest).toEqual([]);
    expect(attr(message!, 'event_type')).toBe('CONTACT_CHANGE_DENIED');
    expect(attr(message!, 'account_id')).toBe(OTHER_MEMBER);
    expect(message!.message).toContain(`arn:aws:sts::${MEMBER}:assumed-role/`);
    expect(await changeObject(record)).toMatchObject({ kind: 'denied', errorCode: 'AccessDeniedException', result: null });
  });

  it('the record as CloudTrail LookupEvents returns it works too, and a redelivery alerts once', async () => {
    const record = await recorded(() =>
      new AccountClient(sdk(MEMBER)).send(
        new PutAlternateContactCommand({ AlternateContactType: 'OPERATIONS', Name: 'Ops', Title: 'Ops', EmailAddress: 'ops@example.com', PhoneNumber: '+1 206 555 0123' }),
      ),
    );
    const looked = await new CloudTrailClient(sdk(MEMBER)).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: record.eventID }] }),
    );
    const detail = JSON.parse(looked.Events![0]!.CloudTrailEvent!) as CloudTrailRecord;
    expect(detail.eventID).toBe(record.eventID);

    const runtime = runtimeAs(DELEGATED_ADMIN);
    const before = emu.state().snsMessages.length;
    const first = await processContactChange(parseContactEvent(envelope(detail)), runtime);
    const again = await processContactChange(parseContactEvent(envelope(detail)), runtime);
    expect(first.kind).toBe('changed');
    expect(again).toEqual({ kind: 'duplicate', eventId: record.eventID });
    expect(newMessages(before)).toHaveLength(1);
  });
});

/**
 * The deployed incremental sweep without AWS (docs/continuous.md, "The deployed stack"): the three
 * step handlers run in the state machine's order against the emulator, as the two schedules start
 * them (`{"mode":"full"}` on Sundays, `{"mode":"incremental"}` the other days). A full run keeps
 * every account's evidence in the bucket; a change made through the Account API and handled by the
 * real-time path is read again by the next incremental run, with the rolling slice, and that run's
 * findings equal a full sweep's; a new account is read at once, recorded, and checked once its grace
 * period is over (README, "New accounts"): NEW_ACCOUNT_NOT_COMPLIANT only when still non-compliant.
 */
import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { CreateAccountCommand, MoveAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization, type CloudTrailRecord, type Emulator } from '@contact-auditor/aws-emulator';
import { accountDirectory, cachedAuditorContext, handleContactEvent, memoryDedupe } from '../../src/audit/event.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import type { BatchItem } from '../../src/contracts/sweepWork.ts';
import type { Report } from '../../src/model.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { ObjectStore } from '../../src/providers/aws/objects.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { deployedSweep, type DeployedSweep, type SweepHandlers } from './sweepSteps.ts';

const BUCKET = 'contact-auditor-incremental-reports';
const fixture = generateOrganization({ accounts: 30, seed: 4 });
const MANAGEMENT = fixture.organization.managementAccountId;
const DELEGATED_ADMIN = fixture.organization.delegatedAdminAccountId ?? '';
const TOPIC = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:contact-auditor-incremental-alerts`;
const ACTIVE = fixture.accounts.filter((a) => a.state === 'ACTIVE');
const HOUR = 3_600_000;

let emu: Emulator;
let handlers: SweepHandlers;
let s3: S3Client;
let deployed: DeployedSweep | undefined;

beforeAll(async () => {
  deployed = await deployedSweep(fixture, BUCKET, TOPIC, { CONTACT_AUDIT_PARTITION: 'aws', CONTACT_AUDIT_QUOTA_SCALE: '20', CONTACT_AUDIT_CONCURRENCY: '4' });
  ({ emu, handlers } = deployed);
  s3 = new S3Client({ region: 'us-east-1', endpoint: emu.url, forcePathStyle: true, credentials: { accessKeyId: DELEGATED_ADMIN, secretAccessKey: 'x' } });
}, 30_000);

afterAll(async () => {
  await deployed?.close();
});

async function getJson<T>(key: string): Promise<T> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse((await out.Body?.transformToString('utf-8')) ?? '') as T;
}

const reads = () => emu.state().requestCounts.GetAlternateContact ?? 0;
let runs = 0;

/** One execution as a schedule starts it, at `at` (the evidence is read now, so runs are at or after the real time). */
async function runExecution(mode: 'full' | 'incremental', at: Date) {
  const before = reads();
  const startTime = at.toISOString();
  const listed = await handlers.sweepList({ executionName: `${mode}-${++runs}`, executionStartTime: startTime, execution: { mode } });
  const items = await getJson<BatchItem[]>(listed.itemsKey);
  for (const item of items) await handlers.sweepBatch({ runId: listed.runId, manifestKey: listed.manifestKey, batch: item });
  const finished = await handlers.sweepFinalize(listed);
  const report = await getJson<Report>(`runs/${startTime.slice(0, 4)}/${startTime.slice(5, 7)}/${startTime.slice(8, 10)}/${listed.runId}/report.json`);
  return { items, finished, report, reads: reads() - before, read: new Set(items.flatMap((item) => item.accounts.map((a) => a.id))) };
}

/** What a full sweep and an incremental one must agree on: each account without its evidence's age and source. */
const judged = (report: Report, except: ReadonlySet<string> = new Set()) =>
  report.accounts.filter((a) => !except.has(a.accountId)).map(({ evidence: _evidence, ...account }) => account);

const management = () => new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' } });
const organizations = () => new OrganizationsClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' } });
const soc = { Name: 'SOC', Title: 'SOC', EmailAddress: 'soc@example.com', PhoneNumber: '+1 206 555 0199' };

/** A SECURITY contact put through the Account API; its CloudTrail record handed to the real-time path unless `dropped`. */
async function changeSecurity(accountId: string, dropped: boolean): Promise<void> {
  await management().send(new PutAlternateContactCommand({ AccountId: accountId, AlternateContactType: 'SECURITY', ...soc, EmailAddress: 'someone@vendor.example.net' }));
  if (dropped) return;
  const record = emu.state().cloudtrailEvents.at(-1) as CloudTrailRecord;
  const clients = createClients({ endpoint: emu.url, credentials: { accessKeyId: DELEGATED_ADMIN, secretAccessKey: 'x' }, forcePathStyle: true });
  const event = { version: '0', id: `eb-${record.eventID}`, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.account', account: MANAGEMENT, time: record.eventTime, region: 'us-east-1', resources: [], detail: record };
  await handleContactEvent(parseContactEvent(event), {
    policy: policyFromDomains(['example.com']),
    context: cachedAuditorContext(new IdentityAdapter(clients.sts), new OrganizationsAdapter(clients.organizations)),
    contacts: new ContactsAdapter(clients.account),
    accounts: accountDirectory(new OrganizationsAdapter(clients.organizations)),
    alerts: { publish: async () => undefined },
    changes: { storage: new ObjectStore(BUCKET, clients.s3), prefix: '' },
    dedupe: memoryDedupe(),
  });
}

const members = ACTIVE.filter((a) => a.id !== MANAGEMENT && a.id !== DELEGATED_ADMIN).map((a) => a.id);
const alertsOf = (type: string, from: number) => emu.state().snsMessages.slice(from).filter((m) => m.messageAttributes.event_type?.StringValue === type);

describe('the deployed incremental sweep, step by step against the emulator', () => {
  const start = Date.now();
  let full: Awaited<ReturnType<typeof runExecution>>;
  let incremental: Awaited<ReturnType<typeof runExecution>>;
  const [handled, dropped] = [members[2]!, members[5]!];

  it('keeps every account as evidence on a full run, with the listing', async () => {
    full = await runExecution('full', new Date(start));
    const evidence = await getJson<{ source: string; readAt: string }>(`state/accounts/${members[0]}.json`);
    expect(evidence.source).toBe('full-sweep');
    expect((await getJson<{ accounts: unknown[] }>('state/organization.json')).accounts).toHaveLength(fixture.accounts.length);
    expect(full.report.evidence).toMatchObject({ mode: 'full', accountsRead: ACTIVE.length, pastBound: 0 });
    expect(full.report.accounts.find((a) => a.accountId === members[0])?.evidence).toMatchObject({ source: 'full-sweep', ageDays: 0 });
  });

  it('reads only the changed account, the stale one and the rolling slice, and equals a full sweep but for the event it never got', async () => {
    // Prepare: two changes through the API; the event of the second is lost.
    await changeSecurity(handled, false);
    await changeSecurity(dropped, true);

    // Act: the next day's incremental run, then a full sweep of the same organization.
    incremental = await runExecution('incremental', new Date(start + 24 * HOUR));
    const slice = Math.ceil(ACTIVE.length / 7);
    const { reasons } = incremental.report.evidence!;

    // Assess: the changed account is read for its change; only the management account, which the
    // delegated administrator may not read (stale), and the oldest slice beside it.
    expect(incremental.read.has(handled)).toBe(true);
    expect(reasons).toMatchObject({ changed: 1, rolling: slice });
    expect(incremental.read.size).toBe(1 + slice + (reasons?.stale ?? 0));
    // Three per account read, and the list step's one set-up probe.
    expect(incremental.reads).toBeLessThanOrEqual(3 * incremental.read.size + 1);
    expect(incremental.reads).toBeLessThan(full.reads / 3);
    expect(incremental.report.accounts.find((a) => a.accountId === handled)?.evidence).toMatchObject({ source: 'incremental' });
    expect(incremental.report.summary.accounts).toBe(fixture.accounts.length);
    const after = await runExecution('full', new Date(start + 25 * HOUR));
    // The lost event's account differs until the slice reaches it (at most maxEvidenceAgeDays); nothing else does.
    const missed = new Set(incremental.read.has(dropped) ? [] : [dropped]);
    expect(judged(incremental.report, missed)).toEqual(judged(after.report, missed));
    expect(after.report.accounts.find((a) => a.accountId === dropped)?.contacts.SECURITY?.emailAddress).toBe('someone@vendor.example.net');
  });

  it('reads an account moved to another OU, and reports it in its new OU', async () => {
    // Prepare: a member the last run did not read, moved by the management account.
    const account = fixture.accounts.find((a) => members.includes(a.id) && !incremental.read.has(a.id) && a.parentId !== undefined)!;
    const destination = fixture.organization.organizationalUnits!.find((ou) => ou.id !== account.parentId)!;
    await organizations().send(new MoveAccountCommand({ AccountId: account.id, SourceParentId: account.parentId!, DestinationParentId: destination.id }));

    // Act
    const run = await runExecution('incremental', new Date(start + 25.5 * HOUR));

    // Assess
    expect(run.read.has(account.id)).toBe(true);
    expect(run.report.evidence?.reasons?.moved).toBe(1);
    expect(run.report.accounts.find((a) => a.accountId === account.id)?.ou?.id).toBe(destination.id);
  });

  it('reads a new account at once, records it, and alerts NEW_ACCOUNT_NOT_COMPLIANT only once its grace period is over', async () => {
    // Prepare: two accounts created by the management account; one gets its contacts within the grace period.
    const ids: string[] = [];
    for (const name of ['new-broken', 'new-fixed']) {
      const known = new Set(emu.state().accounts.map((a) => a.id));
      await organizations().send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      ids.push(emu.state().accounts.find((a) => !known.has(a.id))!.id);
    }
    const [broken, fixed] = ids as [string, string];
    const from = emu.state().snsMessages.length;

    // Act: the next run sees them; the one after an hour finds nothing due.
    const seen = await runExecution('incremental', new Date(start + 26 * HOUR));
    for (const type of ['BILLING', 'OPERATIONS', 'SECURITY'] as const) {
      await management().send(new PutAlternateContactCommand({ AccountId: fixed, AlternateContactType: type, ...soc, EmailAddress: `${type.toLowerCase()}@example.com` }));
    }
    const early = await runExecution('incremental', new Date(start + 27 * HOUR));
    const pending = await getJson<{ pending: { accountId: string; dueAt: string }[] }>('new-accounts/pending.json');
    const due = await runExecution('incremental', new Date(start + 51 * HOUR));

    // Assess
    expect(seen.report.evidence?.reasons?.new).toBe(2);
    expect(seen.finished.newAccounts).toMatchObject({ recorded: 2, closed: 0 });
    expect(pending.pending.map((a) => a.accountId).sort()).toEqual([...ids].sort());
    expect(early.finished.newAccounts).toMatchObject({ recorded: 0, closed: 0 });
    expect(due.read.has(broken) && due.read.has(fixed)).toBe(true);
    expect(due.finished.newAccounts).toMatchObject({ closed: 2, alerted: 1, retry: 0 });
    const alerts = alertsOf('NEW_ACCOUNT_NOT_COMPLIANT', from);
    expect(alerts.map((m) => m.messageAttributes.account_id?.StringValue)).toEqual([broken]);
  });

  it('refuses a mode it does not know, naming the field, without retrying', async () => {
    await expect(handlers.sweepList({ execution: { mode: 'fast' } })).rejects.toMatchObject({ name: 'SweepEventError', message: expect.stringContaining('execution.mode') });
  });
});

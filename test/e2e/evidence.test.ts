/**
 * Continuous compliance end to end against the emulator, in process (docs/continuous.md): a full
 * sweep keeps every account's evidence; a change made through the Account API and handled by
 * `contact-audit event --out` becomes that account's evidence, so the next `sweep --incremental`
 * reads only the rolling slice, with the findings of a full sweep; a read that fails keeps the
 * older evidence, stale, and is read again; `sweep --from-evidence` judges a new policy with no
 * call to AWS. (Which accounts a change record names is unit-tested in test/audit/evidence.test.ts,
 * and measured by bench/incremental.ts, whose events keep no evidence, as the deployed handler's.)
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { runMain } from '../cli/inProcess.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, contactAt, smallOrg } from '../fixtures/organizations.ts';
import { emulatorEnv } from './cli.ts';

const FAST = ['--rate', '100', '--format', 'json', '--quiet'];
const fixture = smallOrg();
// Five active accounts and the default bound of 7 days: a rolling slice of one.
const ACTIVE = fixture.accounts.filter((a) => a.state === 'ACTIVE').length;

let emu: Emulator;
let work: string;
beforeAll(async () => {
  emu = await startEmulator({ fixture, port: 0, quotaScale: 10 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-evidence-'));
});
afterAll(async () => {
  await emu?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = (caller: string) => emulatorEnv(emu.url, caller, 10);
const reads = () => emu.state().requestCounts.GetAlternateContact ?? 0;
const calls = () => Object.values(emu.state().requestCounts).reduce((a, b) => a + b, 0);

async function sweep(caller: string, ...args: string[]): Promise<Report> {
  const run = await runMain(['sweep', ...FAST, ...args], env(caller));
  expect([0, 1, 3], run.stderr).toContain(run.code);
  return JSON.parse(run.stdout) as Report;
}

/** What a full sweep and an incremental one must agree on: every account's status, contacts and findings. */
const judged = (report: Report) => report.accounts.map(({ evidence: _evidence, ...account }) => account);

/** Makes `change` through the Account API, then hands its CloudTrail record to `contact-audit event --out`, as EventBridge would. */
async function changeAndRecord(change: () => Promise<unknown>, out: string, handler = MANAGEMENT): Promise<void> {
  const before = emu.state().cloudtrailEvents.length;
  await change();
  const record = emu.state().cloudtrailEvents.slice(before).find((e) => (e as { readOnly?: boolean }).readOnly !== true)!;
  const envelope = { version: '0', id: `eb-${record.eventID}`, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.account', account: MANAGEMENT, time: record.eventTime, region: 'us-east-1', resources: [], detail: record };
  const file = join(work, `${record.eventID}.json`);
  await writeFile(file, JSON.stringify(envelope));
  const run = await runMain(['event', file, '--domain', 'example.com', '--out', out, '--quiet'], env(handler));
  expect(run.code, run.stderr).toBe(0);
}

const account = () => new AccountClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' } });
const evidenceOf = async (out: string, id: string) => JSON.parse(await readFile(join(out, 'state', 'accounts', `${id}.json`), 'utf8'));

describe('the evidence store and sweep --incremental', () => {
  it('full sweep → change + event → incremental reads the slice only and equals a full sweep; a failed read stays stale; a policy change reads nothing', async () => {
    const out = join(work, 'reports');
    // Prepare / Act: a full sweep keeps one record per active account.
    const full = await sweep(MANAGEMENT, '--domain', 'example.com', '--out', out);
    expect((await readdir(join(out, 'state', 'accounts'))).length).toBe(ACTIVE);
    expect(full.evidence).toMatchObject({ mode: 'full', accountsRead: ACTIVE, pastBound: 0 });
    const member = await evidenceOf(out, MEMBER);
    expect(member).toMatchObject({ source: 'full-sweep', accountId: MEMBER, surface: { kind: 'alternateContacts' } });
    expect(member.requestIds).toHaveLength(3);

    // A change through the API, its event handled within seconds: the account's evidence is that re-read.
    await changeAndRecord(() => account().send(new PutAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'SECURITY', ...upper(contactAt('soc')) })), out);
    expect(await evidenceOf(out, MEMBER)).toMatchObject({ source: 'event', surface: { reads: { SECURITY: { contact: { emailAddress: 'soc@example.com' } } } } });
    const before = reads();
    const incremental = await sweep(MANAGEMENT, '--domain', 'example.com', '--out', out, '--incremental');
    // Assess: the event's read stands (read after the change), so only a slice of one is read, plus the one probe read of discovery.
    expect(incremental.evidence).toMatchObject({ mode: 'incremental', accountsRead: 1, reasons: { rolling: 1 } });
    expect(reads() - before).toBe(1 + 3);
    expect(incremental.accounts.find((a) => a.accountId === MEMBER)?.evidence).toMatchObject({ source: 'event', ageDays: 0 });
    expect(judged(incremental)).toEqual(judged(await sweep(MANAGEMENT, '--domain', 'example.com')));
    // The kept reports say the age and source of each account's evidence, and the summary of it.
    const latest = (ext: string) => readFile(join(out, 'latest', `report.${ext}`), 'utf8');
    expect(await latest('md')).toContain('- Evidence: incremental sweep: 1 account read (rolling 1), the others judged on their stored evidence; oldest evidence');
    expect(await latest('md')).toMatch(/read today by the real-time event \(/);
    expect(await latest('html')).toContain('<dt>Evidence</dt><dd>incremental sweep: 1 account read');
    const csv = (await latest('csv')).split('\r\n');
    expect(csv[0]).toMatch(/,evidenceReadAt,evidenceSource,evidenceAgeDays,evidenceStale$/);
    expect(csv.find((row) => row.includes(MEMBER))).toMatch(/,event,'0,$/);

    // Reads that fail: the management account changes, and the delegated admin, which handles the
    // event and then sweeps, may not read it (AccessDenied): the older evidence stays, stale.
    await changeAndRecord(() => account().send(new PutAlternateContactCommand({ AlternateContactType: 'BILLING', ...upper(contactAt('billing2')) })), out, DELEGATED_ADMIN);
    expect(await evidenceOf(out, MANAGEMENT)).toMatchObject({ stale: true, failure: { source: 'event' } });
    const stale = await sweep(DELEGATED_ADMIN, '--domain', 'example.com', '--out', out, '--incremental');
    expect(stale.evidence?.reasons).toMatchObject({ stale: 1 });
    const management = await evidenceOf(out, MANAGEMENT);
    expect(management).toMatchObject({ stale: true, failure: { source: 'incremental', errorCodes: ['AccessDeniedException', 'AccessDeniedException', 'AccessDeniedException'] } });
    expect(management.surface.reads.BILLING).toMatchObject({ kind: 'present', contact: { emailAddress: 'billing@example.com' } });
    expect(stale.accounts.find((a) => a.accountId === MANAGEMENT)).toMatchObject({ status: 'UNKNOWN', evidence: { stale: true } });
    expect(judged(stale)).toEqual(judged(await sweep(DELEGATED_ADMIN, '--domain', 'example.com')));

    // A policy change: no call to AWS at all, and the report says how it was made.
    const allCalls = calls();
    const policy = await sweep(MANAGEMENT, '--domain', 'example.org', '--out', out, '--from-evidence');
    expect(calls()).toBe(allCalls);
    expect(policy.evidence).toMatchObject({ mode: 'from-evidence', accountsRead: 0, pastBound: 0 });
    expect(judged(policy)).toEqual(judged(await sweep(DELEGATED_ADMIN, '--domain', 'example.org')));
  });
});

/** A contact as the Account API's PutAlternateContact takes it. */
function upper(contact: { name: string; title: string; emailAddress: string; phoneNumber: string }) {
  return { Name: contact.name, Title: contact.title, EmailAddress: contact.emailAddress, PhoneNumber: contact.phoneNumber };
}

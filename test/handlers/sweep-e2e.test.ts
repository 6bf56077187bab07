/**
 * The deployed sweep without AWS: the three Lambda handlers' plain functions run in the order the
 * state machine runs them — list → every batch, fed from the items file as the Distributed Map's
 * ItemReader and ItemSelector would → finalize — against the emulator (Organizations, Account,
 * S3, SNS over the real wire protocols), as the Account Management delegated administrator.
 */
import { AccountClient, DeleteAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountResult, Report } from '../../src/model.ts';
import * as z from 'zod/mini';
import { BatchItems, FinalizeInput, FinishOutput, StartOutput, type BatchItem } from '../../src/contracts/sweepWork.ts';
import { deployedSweep, type DeployedSweep, type SweepHandlers } from './sweepSteps.ts';
import { type Emulator, generateOrganization } from '@contact-auditor/aws-emulator';

const BUCKET = 'contact-auditor-test-reports';
const BATCH_SIZE = 7;

const fixture = generateOrganization({ accounts: 30, seed: 4 });
const MANAGEMENT = fixture.organization.managementAccountId;
const DELEGATED_ADMIN = fixture.organization.delegatedAdminAccountId ?? '';
const TOPIC = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:contact-auditor-test-alerts`;

let emu: Emulator;
let handlers: SweepHandlers;
let s3: S3Client;
let deployed: DeployedSweep | undefined;

beforeAll(async () => {
  deployed = await deployedSweep(fixture, BUCKET, TOPIC, {
    CONTACT_AUDIT_BATCH_SIZE: String(BATCH_SIZE),
    // As deployed (serverless.yml sets the partition for every function): each step paces at its
    // share of the partition's quotas, here the emulator's, 20 times AWS's. Without a partition the
    // primary e-mail reads would go at AWS's own 3/s.
    CONTACT_AUDIT_PARTITION: 'aws',
    CONTACT_AUDIT_QUOTA_SCALE: '20',
    CONTACT_AUDIT_CONCURRENCY: '4',
  });
  ({ emu, handlers } = deployed);
  s3 = new S3Client({ region: 'us-east-1', endpoint: emu.url, forcePathStyle: true, credentials: { accessKeyId: DELEGATED_ADMIN, secretAccessKey: 'x' } });
}, 30_000);

afterAll(async () => {
  await deployed?.close();
});

async function getText(key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

/** One execution of the state machine, step by step; `skipBatches` fail for good (the Map tolerates them). */
async function runExecution(name: string, startTime: string, skipBatches: number[] = []) {
  const listed = await handlers.sweepList({ executionName: name, executionStartTime: startTime });
  // ItemReader: the JSON array the list step wrote; ItemSelector: { runId, manifestKey, batch }.
  const items = JSON.parse(await getText(listed.itemsKey)) as BatchItem[];
  for (const item of items) {
    if (skipBatches.includes(item.batch)) continue;
    await handlers.sweepBatch({ runId: listed.runId, manifestKey: listed.manifestKey, batch: item });
  }
  // The Map's ResultPath is null: finalize gets the list step's output.
  const finished = await handlers.sweepFinalize(listed);
  const report = JSON.parse(await getText(`runs/${startTime.slice(0, 4)}/${startTime.slice(5, 7)}/${startTime.slice(8, 10)}/${listed.runId}/report.json`)) as Report;
  return { listed, items, finished, report };
}

const attr = (m: { messageAttributes: Record<string, { StringValue?: string }> }, name: string) => m.messageAttributes[name]?.StringValue;

describe('the sweep state machine, step by step against the emulator', () => {
  let first: Awaited<ReturnType<typeof runExecution>>;
  let secondMessagesFrom = 0;
  let changed: { deleted: string; fixed: string };
  let secondRun: Awaited<ReturnType<typeof runExecution>>;

  it('lists every account into batches of the configured size', async () => {
    // Prepare / Act
    first = await runExecution('scheduled-run-1', '2026-11-22T06:00:00.000Z');

    // Assess
    const listedIds = first.items.flatMap((item) => item.accounts.map((a) => a.id));
    expect(new Set(listedIds).size).toBe(fixture.accounts.length);
    expect(first.items).toHaveLength(Math.ceil(fixture.accounts.length / BATCH_SIZE));
    expect(first.items.every((item) => item.accounts.length <= BATCH_SIZE)).toBe(true);
    expect(first.listed).toMatchObject({ accounts: fixture.accounts.length, batches: first.items.length });
  });

  it('writes the §9 keys and a report with every account exactly once', () => {
    const { runId } = first.listed;
    const keys = emu.state().s3Objects.filter((o) => o.bucket === BUCKET).map((o) => o.key);
    for (const ext of ['json', 'csv', 'md', 'html']) {
      expect(keys).toContain(`runs/2026/11/22/${runId}/report.${ext}`);
      expect(keys).toContain(`latest/report.${ext}`);
    }
    expect(keys).toContain(`findings/dt=2026-11-22/${runId}.jsonl`);
    const ids = first.report.accounts.map((a) => a.accountId);
    expect(ids.sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    expect(first.report.summary.accounts).toBe(fixture.accounts.length);
    expect(first.report.callerAccountId).toBe(DELEGATED_ADMIN);
    // The delegated admin may not name the management account: AWS's AccessDenied, reported UNKNOWN.
    expect(first.report.accounts.find((a) => a.accountId === MANAGEMENT)?.status).toBe('UNKNOWN');
    expect(first.finished.missingAccounts).toBe(0);
  });

  it('sends only the SWEEP_SUMMARY on a first run (no baseline)', () => {
    const messages = emu.state().snsMessages;
    expect(messages).toHaveLength(1);
    expect(messages[0]?.topicArn).toBe(TOPIC);
    expect(attr(messages[0]!, 'event_type')).toBe('SWEEP_SUMMARY');
    expect(first.finished.alertsSent).toBe(1);
  });

  it('alerts VIOLATION_OPENED and VIOLATION_RESOLVED after contacts change', async () => {
    // Prepare: as the management account, with the real SDK, break a compliant account and fix a non-compliant one.
    const isMember = (a: AccountResult) => a.accountId !== MANAGEMENT && a.accountId !== DELEGATED_ADMIN;
    const compliant = first.report.accounts.find((a) => isMember(a) && a.status === 'COMPLIANT');
    const nonCompliant = first.report.accounts.find(
      (a) => isMember(a) && a.status === 'NON_COMPLIANT' && a.findings.every((f) => f.code !== 'CHECK_FAILED'),
    );
    expect(compliant).toBeDefined();
    expect(nonCompliant).toBeDefined();
    changed = { deleted: compliant!.accountId, fixed: nonCompliant!.accountId };
    const management = new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'AKIAMANAGEMENT', secretAccessKey: 'x' } });
    await management.send(new DeleteAlternateContactCommand({ AccountId: changed.deleted, AlternateContactType: 'SECURITY' }));
    for (const [type, local] of [['BILLING', 'billing'], ['OPERATIONS', 'ops'], ['SECURITY', 'security']] as const) {
      await management.send(
        new PutAlternateContactCommand({
          AccountId: changed.fixed,
          AlternateContactType: type,
          Name: `${local} team`,
          Title: 'Team',
          EmailAddress: `${local}@example.com`,
          PhoneNumber: '+1 206 555 0100',
        }),
      );
    }
    secondMessagesFrom = emu.state().snsMessages.length;

    // Act
    const second = await runExecution('scheduled-run-2', '2026-11-23T06:00:00.000Z');
    secondRun = second;

    // Assess
    const messages = emu.state().snsMessages.slice(secondMessagesFrom);
    const opened = messages.filter((m) => attr(m, 'event_type') === 'VIOLATION_OPENED');
    const resolved = messages.filter((m) => attr(m, 'event_type') === 'VIOLATION_RESOLVED');
    expect(opened.map((m) => attr(m, 'account_id'))).toEqual([changed.deleted]);
    expect(resolved.map((m) => attr(m, 'account_id'))).toEqual([changed.fixed]);
    expect(messages.filter((m) => attr(m, 'event_type') === 'SWEEP_SUMMARY')).toHaveLength(1);
    expect(second.report.accounts.find((a) => a.accountId === changed.deleted)?.findings).toContainEqual(
      expect.objectContaining({ contactType: 'SECURITY', code: 'MISSING_CONTACT' }),
    );
    expect(second.report.accounts.find((a) => a.accountId === changed.fixed)?.status).toBe('COMPLIANT');
    // Runs never overwrite each other; latest/ is the newest.
    expect(JSON.parse(await getText('latest/report.json')).runId).toBe(second.listed.runId);
  });

  it('diffs a retried finalize against the baseline pinned by its first attempt, not against itself', async () => {
    // Prepare: latest/ now holds run 2 itself.
    const from = emu.state().snsMessages.length;

    // Act: the state machine retries Finalize (e.g. its first attempt timed out after writing latest/).
    await handlers.sweepFinalize(secondRun.listed);

    // Assess: the same alerts as the first attempt, from the pinned baseline (run 1).
    const again = emu.state().snsMessages.slice(from);
    expect(again.filter((m) => attr(m, 'event_type') === 'VIOLATION_OPENED').map((m) => attr(m, 'account_id'))).toEqual([changed.deleted]);
    expect(again.filter((m) => attr(m, 'event_type') === 'VIOLATION_RESOLVED').map((m) => attr(m, 'account_id'))).toEqual([changed.fixed]);
  });

  it('reports the accounts of a batch that failed completely as UNKNOWN, none missing', async () => {
    // Prepare: batch 1 fails after all its retries (the Map's ToleratedFailurePercentage lets the run go on).
    const failed = 1;

    // Act
    const run = await runExecution('scheduled-run-3', '2026-11-24T06:00:00.000Z', [failed]);

    // Assess
    const lostIds = run.items[failed]!.accounts.map((a) => a.id);
    expect(run.items[failed]!.accounts.some((a) => a.state === 'ACTIVE')).toBe(true);
    expect(run.report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    for (const id of lostIds) {
      const account = run.report.accounts.find((a) => a.accountId === id)!;
      if (account.state !== 'ACTIVE') {
        expect(account.status).toBe('SKIPPED');
        continue;
      }
      expect(account.status).toBe('UNKNOWN');
      expect(account.findings.length).toBeGreaterThan(0);
      expect(account.findings.every((f) => f.code === 'CHECK_FAILED' && f.errorCode === 'SweepBatchFailed')).toBe(true);
      expect(account.findings[0]?.message).toMatch(/batch 1 .*produced no result/);
    }
    expect(run.finished.missingAccounts).toBe(lostIds.length);
    expect(run.finished.missingBatches).toEqual([failed]);
    expect(run.report.summary.unknown).toBeGreaterThanOrEqual(lostIds.length - run.items[failed]!.accounts.filter((a) => a.state !== 'ACTIVE').length);
  });

  it('reads the policy object from the bucket at every run, without a deployment', async () => {
    // Prepare: exempt the account whose SECURITY contact was deleted.
    const policy = { companyDomains: ['example.com'], exemptions: [{ accountId: changed.deleted, contactTypes: ['SECURITY'], reason: 'being closed', expires: '2030-01-01' }] };
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'config/policy.json', Body: JSON.stringify(policy), ContentType: 'application/json' }));

    // Act
    const run = await runExecution('scheduled-run-4', '2026-11-25T06:00:00.000Z');

    // Assess
    const manifest = JSON.parse(await getText(run.listed.manifestKey)) as { policyOrigin: string };
    expect(manifest.policyOrigin).toBe(`s3://${BUCKET}/config/policy.json`);
    expect(run.report.accounts.find((a) => a.accountId === changed.deleted)?.status).toBe('EXEMPT');
  });

  it('stops a run whose policy object is not valid JSON, naming it, rather than falling back', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'config/policy.json', Body: 'companyDomains: [example.com]\n' }));
    await expect(handlers.sweepList({ executionName: 'scheduled-run-5', executionStartTime: '2026-11-26T06:00:00.000Z' })).rejects.toMatchObject({
      name: 'PolicyError',
      message: expect.stringMatching(/policy object s3:\/\/contact-auditor-test-reports\/config\/policy\.json: not JSON.*npx yaml --json/),
    });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'config/policy.json', Body: JSON.stringify({ companyDomain: ['example.com'] }) }));
    await expect(handlers.sweepList({ executionName: 'scheduled-run-6', executionStartTime: '2026-11-26T06:00:00.000Z' })).rejects.toMatchObject({
      name: 'PolicyError',
      message: expect.stringContaining('companyDomain'),
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'config/policy.json' }));
  });

  it('rejects a step input it does not understand without retrying (SweepEventError)', async () => {
    await expect(handlers.sweepBatch({ runId: first.listed.runId, manifestKey: first.listed.manifestKey })).rejects.toMatchObject({ name: 'SweepEventError' });
    await expect(handlers.sweepFinalize({ runId: 'not-a-run' })).rejects.toMatchObject({ name: 'SweepEventError' });
  });

  it('hands each step what its schema says: the list output is a finalize input, the items file batch inputs', () => {
    expect(z.parse(StartOutput, first.listed)).toEqual(first.listed);
    expect(z.parse(FinalizeInput, first.listed)).toMatchObject({ runId: first.listed.runId, manifestKey: first.listed.manifestKey, itemsKey: first.listed.itemsKey });
    expect(z.parse(BatchItems, first.items)).toEqual(first.items);
    expect(z.parse(FinishOutput, first.finished)).toEqual(first.finished);
  });

  it('gives a retried list step the same run (idempotent run ID)', async () => {
    const again = await handlers.sweepList({ executionName: 'scheduled-run-1', executionStartTime: '2026-11-22T06:00:00.000Z' });
    expect(again.runId).toBe(first.listed.runId);
  });

  it('reads the OU tree, the primary contact and the root e-mail in the deployed sweep too', async () => {
    // Prepare: a policy with the new sections and an override for the generator's Prod OU.
    const prodOu = fixture.organization.organizationalUnits!.find((ou) => ou.name === 'Prod')!.id;
    const policy = {
      companyDomains: ['example.com'],
      primaryContact: { companyNamePattern: '^Example Corp$' },
      rootEmail: {},
      overrides: { [prodOu]: { requiredContactTypes: ['SECURITY'] } },
    };
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'config/policy.json', Body: JSON.stringify(policy), ContentType: 'application/json' }));

    // Act
    const run = await runExecution('scheduled-run-7', '2026-11-27T06:00:00.000Z');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'config/policy.json' }));

    // Assess: every account placed; members read, the management account's root e-mail as listed.
    const accounts = run.report.accounts;
    expect(accounts.every((a) => a.ou?.path.startsWith('Root'))).toBe(true);
    const inProd = accounts.filter((a) => a.ou?.id === prodOu && a.status !== 'SKIPPED');
    expect(inProd.length).toBeGreaterThan(0);
    for (const account of inProd) expect(Object.keys(account.contacts)).toEqual(['SECURITY']);
    const management = accounts.find((a) => a.accountId === MANAGEMENT)!;
    expect(management.rootEmail).toBe(fixture.accounts.find((a) => a.id === MANAGEMENT)!.email);
    expect(management.findings.some((f) => f.contactType === 'PRIMARY' && f.code === 'CHECK_FAILED')).toBe(true);
    const member = accounts.find((a) => a.accountId === DELEGATED_ADMIN)!;
    expect(member.rootEmail).toMatch(/@example\.com$/);
    expect(member.primaryContact === null || typeof member.primaryContact?.fullName === 'string').toBe(true);
    const codes = new Set(accounts.flatMap((a) => a.findings.map((f) => f.code)));
    expect([...codes].some((code) => code.startsWith('PRIMARY_CONTACT_'))).toBe(true);
  });
});

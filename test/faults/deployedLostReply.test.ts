/**
 * The deployed sweep (the three step handlers in the state machine's order, as in
 * test/handlers/sweep-e2e.test.ts) when S3 stores every PUT of `latest/report.json` but loses its
 * reply: the finalize step fails, `latest/` stays one whole run (none after a first run), and the
 * next execution diffs against the last run whose switch of `latest/` completed. The handler keeps
 * its production retries (eight attempts with backoff), hence this file is in the fault matrix.
 */
import { AccountClient, DeleteAlternateContactCommand } from '@aws-sdk/client-account';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.ts';
import type { BatchItem, StartOutput } from '../../src/contracts/sweepWork.ts';
import { deployedSweep, type DeployedSweep, type SweepHandlers } from '../handlers/sweepSteps.ts';
import { type Emulator, generateOrganization } from '@contact-auditor/aws-emulator';
import { truth } from './helpers.ts';

const BUCKET = 'contact-auditor-lost-replies';
const fixture = generateOrganization({ accounts: 12, seed: 9 });
const MANAGEMENT = fixture.organization.managementAccountId;
const DELEGATED_ADMIN = fixture.organization.delegatedAdminAccountId ?? '';
const TOPIC = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:contact-auditor-alerts`;
const LATEST = ['latest/report.json', 'latest/report.csv', 'latest/report.md', 'latest/report.html'];
/** The handler's eight attempts of the write of latest/report.json; as many again for its undo. */
const ATTEMPTS = 8;

let emu: Emulator;
let handlers: SweepHandlers;
let deployed: DeployedSweep | undefined;

beforeAll(async () => {
  deployed = await deployedSweep(fixture, BUCKET, TOPIC, {
    CONTACT_AUDIT_GET_RATE: '50',
  });
  ({ emu, handlers } = deployed);
});

afterAll(async () => {
  await deployed?.close();
});

/** An object's text as a reader of the bucket sees it; undefined when there is none. */
async function s3Text(key: string): Promise<string | undefined> {
  const res = await fetch(`${emu.url}/${BUCKET}/${key}`);
  return res.status === 200 ? res.text() : undefined;
}

/** One execution: list, every batch, finalize; the finalize step's error when it fails. */
async function execution(name: string, startTime: string): Promise<{ listed: StartOutput; report: Report; finalizeError?: unknown }> {
  const listed = await handlers.sweepList({ executionName: name, executionStartTime: startTime });
  const items = JSON.parse((await s3Text(listed.itemsKey))!) as BatchItem[];
  for (const item of items) await handlers.sweepBatch({ runId: listed.runId, manifestKey: listed.manifestKey, batch: item });
  const finalizeError = await handlers.sweepFinalize(listed).then(() => undefined, (error: unknown) => error ?? new Error('rejected'));
  const report = JSON.parse((await s3Text(`runs/${startTime.slice(0, 10).replaceAll('-', '/')}/${listed.runId}/report.json`))!) as Report;
  return { listed, report, ...(finalizeError ? { finalizeError } : {}) };
}

const loseReportJsonReplies = (count: number) => emu.injectFault({ operation: 'PutObject', count, kind: 'reply-lost', path: `/${BUCKET}/latest/report.json` });

describe('the deployed finalize when the reply of every PUT of latest/report.json is lost', () => {
  it('first execution fails with no latest/; the next one switches; one that fails after it leaves it whole; the one after alerts what that saw', async () => {
    loseReportJsonReplies(ATTEMPTS);
    const failedFirst = await execution('lost-1', '2026-11-22T06:00:00.000Z');
    expect(failedFirst.finalizeError).toBeDefined();
    expect(await Promise.all(LATEST.map(s3Text))).toEqual(LATEST.map(() => undefined));

    const first = await execution('lost-2', '2026-11-23T06:00:00.000Z');
    expect(first.finalizeError).toBeUndefined();
    const before = await Promise.all(LATEST.map(s3Text));
    expect(JSON.parse(before[0]!).runId).toBe(first.listed.runId);

    const today = '2026-11-24';
    const broken = fixture.accounts.find((a) => a.id !== MANAGEMENT && a.id !== DELEGATED_ADMIN && truth(fixture, a.id, today).status === 'COMPLIANT')!.id;
    const management = new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' } });
    await management.send(new DeleteAlternateContactCommand({ AccountId: broken, AlternateContactType: 'SECURITY' }));
    management.destroy();
    loseReportJsonReplies(2 * ATTEMPTS);
    const failed = await execution('lost-3', '2026-11-24T06:00:00.000Z');
    expect(failed.finalizeError).toBeDefined();
    expect(failed.report.accounts.find((a) => a.accountId === broken)?.status).toBe('NON_COMPLIANT');
    expect(await Promise.all(LATEST.map(s3Text))).toEqual(before);

    const sent = emu.state().snsMessages.length;
    const after = await execution('lost-4', '2026-11-25T06:00:00.000Z');
    expect(after.finalizeError).toBeUndefined();
    const opened = emu.state().snsMessages.slice(sent).filter((m) => m.messageAttributes.event_type?.StringValue === 'VIOLATION_OPENED');
    expect(opened.map((m) => m.messageAttributes.account_id?.StringValue)).toEqual([broken]);
    expect(JSON.parse((await s3Text('latest/report.json'))!).runId).toBe(after.listed.runId);
  });
});

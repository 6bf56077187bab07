/**
 * A PUT of `latest/report.json` that S3 stores but whose reply is lost, on every attempt (the
 * emulator's `reply-lost` fault): the run fails, yet `latest/` stays one whole run — none on a
 * first run, the previous one on a later run — and the next run diffs against the last run whose
 * switch of `latest/` completed, so a violation the failed run saw is still alerted. The CLI sweep
 * (job.ts) and the deployed finalize step (stateMachine.ts) both keep their reports through
 * finalizeSweep, which is what runs here, with the real S3 adapter over the emulator's S3.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishableAlert } from '../../src/providers/aws/alerts.ts';
import { finalizeSweep, readBaseline } from '../../src/audit/finalize.ts';
import { PublishingObjectStore } from '../../src/providers/aws/objects.ts';
import { type Emulator, generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { compliant, missingSecurity, report } from '../report/fixtures.ts';

const BUCKET = 'contact-audit-lost-reply';
/** Two attempts per call, no real wait: the fault is on every attempt, so how many does not matter. */
const RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 };
const LATEST = ['report.csv', 'report.html', 'report.json', 'report.md'];

let emulator: Emulator;
let client: S3Client;
let store: PublishingObjectStore;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), port: 0 });
  emulator.createBucket(BUCKET);
  // maxAttempts 1, as the product's clients (clients.ts): retries are the store's own.
  client = new S3Client({ region: 'us-east-1', endpoint: emulator.url, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' } });
  store = new PublishingObjectStore(BUCKET, client, RETRY);
});
afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

const run = (runId: string, hour: string, accounts: Report['accounts']): Report => ({ ...report(accounts), runId, startedAt: `2026-11-22T${hour}:00:00.000Z` });
const RUN_1 = '2026-11-22T06-00-00Z-aaaaaa';
const RUN_2 = '2026-11-22T07-00-00Z-bbbbbb';
const RUN_3 = '2026-11-22T08-00-00Z-cccccc';

/**
 * Every PutObject of `<prefix>/latest/report.json` is stored, then its connection is cut: the
 * write itself and the undo that puts the previous file back, each on both attempts.
 */
function loseEveryReplyOfReportJson(prefix: string, puts: number): void {
  emulator.injectFault({ operation: 'PutObject', count: puts * RETRY.attempts, kind: 'reply-lost', path: `/${BUCKET}/${prefix}/latest/report.json` });
}

async function latestFiles(prefix: string): Promise<Record<string, string | undefined>> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/latest/` }));
  const files: Record<string, string | undefined> = {};
  for (const object of out.Contents ?? []) files[object.Key!.slice(`${prefix}/latest/`.length)] = await store.get(object.Key!);
  return files;
}

function recorder(): { sent: PublishableAlert[]; publish: (alert: PublishableAlert) => Promise<void> } {
  const sent: PublishableAlert[] = [];
  return { sent, publish: async (alert) => void sent.push(alert) };
}

describe('a lost reply to the PUT of latest/report.json', () => {
  it('reaches the emulator as a stored object with a failed call (what the fault does)', async () => {
    emulator.injectFault({ operation: 'PutObject', count: RETRY.attempts, kind: 'reply-lost', path: `/${BUCKET}/probe/latest/report.json` });
    await expect(store.put('probe/latest/report.json', 'stored', 'text/plain')).rejects.toThrow();
    expect(await store.get('probe/latest/report.json')).toBe('stored');
  });

  it('on a first run leaves no latest/ at all, not a partial one', async () => {
    // Only the write fails: a first run undoes by deleting, which the fault does not touch.
    loseEveryReplyOfReportJson('first', 1);
    const first = finalizeSweep({ report: run(RUN_1, '06', [missingSecurity('111111111111')]), storage: store, prefix: 'first', maxAlertsPerSweep: 25 });
    await expect(first).rejects.toThrow();
    expect(await latestFiles('first')).toEqual({});
    expect(await readBaseline(store, 'first')).toBeUndefined();
    // The run itself is kept.
    expect(await store.get(`first/runs/2026/11/22/${RUN_1}/report.json`)).toContain(RUN_1);
  });

  it('on a later run leaves every latest/ file the previous run, and the run after diffs against that run', async () => {
    // Run 1 completes: 111 compliant.
    await finalizeSweep({ report: run(RUN_1, '06', [compliant('111111111111')]), storage: store, prefix: 'later', maxAlertsPerSweep: 25 });
    const before = await latestFiles('later');
    expect(Object.keys(before).sort()).toEqual(LATEST);

    // Run 2 finds 111 missing its security contact; its latest/report.json write and the undo lose their replies.
    loseEveryReplyOfReportJson('later', 2);
    const alerts2 = recorder();
    const second = finalizeSweep({ report: run(RUN_2, '07', [missingSecurity('111111111111')]), storage: store, prefix: 'later', maxAlertsPerSweep: 25, alerts: alerts2 });
    await expect(second).rejects.toThrow();
    expect(alerts2.sent).toEqual([]);
    expect(await latestFiles('later')).toEqual(before);
    for (const [name, text] of Object.entries(await latestFiles('later'))) expect(text, name).not.toContain(RUN_2);

    // Run 3 still finds it: the baseline is run 1 (the last whole switch), so the violation is alerted.
    const alerts3 = recorder();
    const third = await finalizeSweep({ report: run(RUN_3, '08', [missingSecurity('111111111111')]), storage: store, prefix: 'later', maxAlertsPerSweep: 25, alerts: alerts3 });
    expect(third.previous?.runId).toBe(RUN_1);
    const opened = alerts3.sent.filter((alert) => alert.attributes.event_type === 'VIOLATION_OPENED');
    expect(opened.map((alert) => alert.attributes.account_id)).toEqual(['111111111111']);
    expect((await readBaseline(store, 'later'))?.runId).toBe(RUN_3);
    const now = await latestFiles('later');
    expect(Object.keys(now).sort()).toEqual(LATEST);
    for (const name of LATEST) expect(now[name], name).toBe(await store.get(`later/runs/2026/11/22/${RUN_3}/${name}`));
  });

  it('says which latest/ files may be left when the undo cannot be confirmed either', async () => {
    const first = run(RUN_1, '06', [compliant('111111111111')]);
    await finalizeSweep({ report: first, storage: store, prefix: 'stuck', maxAlertsPerSweep: 25 });
    // The write and the undo lose their replies, and the read-back of the undo is refused too.
    loseEveryReplyOfReportJson('stuck', 2);
    emulator.injectFault({ operation: 'GetObject', count: RETRY.attempts, kind: 'server-error', path: `/${BUCKET}/stuck/latest/report.json` });
    // The baseline is given (as the deployed finalize passes its pinned one), so no read precedes the writes.
    const second = finalizeSweep({ report: run(RUN_2, '07', [missingSecurity('111111111111')]), storage: store, prefix: 'stuck', maxAlertsPerSweep: 25, previous: first });
    await expect(second).rejects.toThrow(/putting latest\/ back failed too.*stuck\/latest\/report\.json/);
  });
});

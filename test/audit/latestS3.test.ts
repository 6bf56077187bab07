/**
 * `latest/` in S3 (the emulator, the real S3 client): S3 has no multi-object switch, so a run that
 * fails half way through `latest/` undoes what it wrote there — the previous run's files go back,
 * or, on a first run, the new files are deleted — and `latest/` is never partial or mixed.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeSweep, readBaseline } from '../../src/audit/finalize.ts';
import { PublishingObjectStore } from '../../src/providers/aws/objects.ts';
import { type Emulator, generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { compliant, missingSecurity, report } from '../report/fixtures.ts';

const BUCKET = 'contact-audit-latest-s3';
const NO_RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

/** The real S3 adapter, whose n-th put under latest/ fails (a dropped connection after the retries ran out). */
class FailingLatestStore extends PublishingObjectStore {
  failAt = 0;
  private latestPuts = 0;
  override async put(key: string, body: string, contentType: string): Promise<void> {
    if (key.includes('latest/') && ++this.latestPuts === this.failAt) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    await super.put(key, body, contentType);
  }
}

const run = (runId: string, accounts: Report['accounts']): Report => ({ ...report(accounts), runId, startedAt: '2026-11-22T06:00:00.000Z' });

let emulator: Emulator;
let client: S3Client;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), port: 0 });
  emulator.createBucket(BUCKET);
  client = new S3Client({ region: 'us-east-1', endpoint: emulator.url, forcePathStyle: true, credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' } });
});
afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

async function latestKeys(prefix: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/latest/` }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe('latest/ in S3', () => {
  it('a first run failing half way through latest/ leaves no latest/ object at all', async () => {
    const store = new FailingLatestStore(BUCKET, client, NO_RETRY);
    store.failAt = 3;
    const first = finalizeSweep({ report: run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]), storage: store, prefix: 'first', maxAlertsPerSweep: 25 });
    await expect(first).rejects.toThrow(/Access Denied/);
    expect(await latestKeys('first')).toEqual([]);
    // The run itself is kept under runs/.
    expect(await store.get('first/runs/2026/11/22/2026-11-22T06-00-00Z-aaaaaa/report.json')).toBeDefined();
  });

  it('a later run failing half way leaves the previous run in every latest/ file', async () => {
    const store = new FailingLatestStore(BUCKET, client, NO_RETRY);
    await finalizeSweep({ report: run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]), storage: store, prefix: 'later', maxAlertsPerSweep: 25 });
    const before = await latestKeys('later');
    expect(before).toHaveLength(4);
    store.failAt = 4 + 3;
    const second = finalizeSweep({ report: run('2026-11-22T07-00-00Z-bbbbbb', [missingSecurity('111111111111')]), storage: store, prefix: 'later', maxAlertsPerSweep: 25 });
    await expect(second).rejects.toThrow(/Access Denied/);
    expect(await latestKeys('later')).toEqual(before);
    expect((await readBaseline(store, 'later'))?.runId).toBe('2026-11-22T06-00-00Z-aaaaaa');
    for (const key of before) {
      const text = (await store.get(key)) ?? '';
      expect(text, key).not.toContain('2026-11-22T07-00-00Z-bbbbbb');
    }
  });
});

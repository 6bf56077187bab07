/**
 * The deployed sweep as Step Functions runs it: the state machine definition of the packaged
 * template, executed by an ASL interpreter (aws-local-stepfunctions), its Lambda tasks bound to
 * the functions' bundles with the template's environment and reserved concurrency, against the
 * emulator at a scaled quota (test/stack/localStateMachine.ts says what the harness binds: the
 * lambda:invoke integration and the Distributed Map's ItemReader, ItemSelector, child executions
 * and failure tolerance). Runs as the Account Management delegated administrator.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import type { BatchItem } from '../../src/contracts/sweepWork.ts';
import type { Report } from '../../src/model.ts';
import { buildBundles, createStackResources, INTERPRETER_RUNS, LocalSweepStack, stackResourceNames, TaskError, type LocalStackOptions } from '../stack/localStateMachine.ts';
import { packaged } from '../stack/packaged.ts';

const QUOTA_SCALE = 20;
const fixture = generateOrganization({ accounts: 40, seed: 21 });
const CALLER = fixture.organization.delegatedAdminAccountId!;
const MANAGEMENT = fixture.organization.managementAccountId;
const NAMES = stackResourceNames(CALLER);
const ACTIVE = fixture.accounts.filter((a) => a.state === 'ACTIVE');

let emulator: Emulator;
let dir: string;
let base: LocalStackOptions;
let s3: S3Client;
const stacks: LocalSweepStack[] = [];

beforeAll(async () => {
  if (!INTERPRETER_RUNS) return;
  const { template } = await packaged();
  dir = mkdtempSync(join(tmpdir(), 'contact-auditor-asl-'));
  await buildBundles(dir, ['sweepList', 'sweepBatch', 'sweepFinalize']);
  emulator = await startEmulator({ fixture, port: 0, quotaScale: QUOTA_SCALE });
  createStackResources(emulator, NAMES);
  base = {
    template,
    bundleDir: dir,
    endpoint: emulator.url,
    callerAccountId: CALLER,
    ...NAMES,
    quotaScale: QUOTA_SCALE,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com' },
  };
  s3 = new S3Client({ region: 'us-east-1', endpoint: emulator.url, forcePathStyle: true, credentials: { accessKeyId: CALLER, secretAccessKey: 'x' } });
}, 240_000);

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function stack(options: Partial<LocalStackOptions> = {}): LocalSweepStack {
  const s = new LocalSweepStack({ ...base, ...options, env: { ...base.env, ...options.env } });
  stacks.push(s);
  return s;
}

async function getJson<T>(key: string): Promise<T> {
  const out = await s3.send(new GetObjectCommand({ Bucket: NAMES.bucket, Key: key }));
  return JSON.parse((await out.Body?.transformToString('utf-8')) ?? '') as T;
}

/** The run's report and its batches. */
async function runFiles(runId: string): Promise<{ report: Report; items: BatchItem[] }> {
  const keys = emulator.state().s3Objects.filter((o) => o.bucket === NAMES.bucket).map((o) => o.key);
  const reportKey = keys.find((k) => k.startsWith('runs/') && k.endsWith(`/${runId}/report.json`));
  expect(reportKey, `report of ${runId}`).toBeDefined();
  return { report: await getJson<Report>(reportKey!), items: await getJson<BatchItem[]>(`work/${runId}/items.json`) };
}

const runIdOf = (executionName: string): string => {
  const keys = emulator.state().s3Objects.filter((o) => o.bucket === NAMES.bucket && o.key.startsWith('work/') && o.key.endsWith('/manifest.json'));
  // The run ID ends in the first six hex characters of sha256(execution name).
  const suffix = createHash('sha256').update(executionName).digest('hex').slice(0, 6);
  const key = keys.map((o) => o.key).find((k) => k.split('/')[1]!.endsWith(`-${suffix}`));
  expect(key, `run of execution ${executionName}`).toBeDefined();
  return key!.split('/')[1]!;
};


describe.skipIf(!INTERPRETER_RUNS)('the packaged sweep state machine, executed by an ASL interpreter against the emulator (Node ≥ 22)', () => {
  it('lists, checks every batch in the Distributed Map, finalizes and succeeds: every account once, none COMPLIANT unread', async () => {
    // Prepare
    const sweep = stack();
    const before = emulator.state().requestCounts.GetAlternateContact ?? 0;

    // Act
    const outcome = await sweep.execute('asl-run-1');

    // Assess: the execution's own output (Finalize's ResultSelector) and the Choice's default.
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    const output = outcome.output as { runId: string; result: { runId: string; missingAccounts: number; summary: { accounts: number } } };
    expect(output.result.missingAccounts).toBe(0);
    expect(output.result.summary.accounts).toBe(fixture.accounts.length);
    const { report, items } = await runFiles(output.runId);
    // Batches from the organization's size: a whole multiple of the Map's MaxConcurrency (2).
    expect(outcome.mapItems).toBe(items.length);
    expect(items.length % 2).toBe(0);
    expect(items.flatMap((i) => i.accounts.map((a) => a.id)).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    // No COMPLIANT account that was not read: each has its three contacts.
    for (const account of report.accounts.filter((a) => a.status === 'COMPLIANT')) {
      for (const type of ['BILLING', 'OPERATIONS', 'SECURITY'] as const) expect(account.contacts[type], `${account.accountId} ${type}`).toBeTruthy();
    }
    expect(report.accounts.find((a) => a.accountId === MANAGEMENT)?.status).toBe('UNKNOWN');
    // Three reads per ACTIVE account and the list step's one set-up probe; retries only for 429s.
    const state = emulator.state();
    const gets = (state.requestCounts.GetAlternateContact ?? 0) - before;
    expect(gets).toBeGreaterThanOrEqual(ACTIVE.length * 3 + 1);
    expect(state.snsMessages.filter((m) => m.topicArn === NAMES.topicArn).length).toBeGreaterThanOrEqual(1);
    // Every batch function invocation came from the Map, one per item, each within reserved concurrency.
    expect(sweep.functions.get('sweepBatch')!.invocations).toBe(items.length);
    expect(sweep.functions.get('sweepBatch')!.reserved).toBe(2);
  }, 120_000);

  it('retries a batch whose first attempt crashed and still succeeds with a complete report', async () => {
    // Prepare: batch 0's first invocation fails as a crashed runtime would.
    const attempts: number[] = [];
    const sweep = stack({
      beforeInvoke: (fn, event, attempt) => {
        if (fn.endsWith('-sweepBatch') && (event as { batch?: { batch?: number } }).batch?.batch === 0) attempts.push(attempt);
        if (fn.endsWith('-sweepBatch') && (event as { batch?: { batch?: number } }).batch?.batch === 0 && attempt === 1) {
          throw new TaskError('Runtime.ExitError', 'RequestId: 1 Error: Runtime exited with error: signal: killed');
        }
      },
    });

    // Act
    const outcome = await sweep.execute('asl-run-retry');

    // Assess
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    const runId = runIdOf('asl-run-retry');
    const { report, items } = await runFiles(runId);
    // The crashed attempt and the retry the Retry of CheckBatch made.
    expect(attempts).toEqual([1, 2]);
    expect(sweep.functions.get('sweepBatch')!.invocations).toBe(items.length);
    expect(outcome.mapFailures).toBe(0);
    expect(report.summary.accounts).toBe(fixture.accounts.length);
    expect(report.accounts.flatMap((a) => a.findings).filter((f) => f.errorCode === 'SweepBatchFailed')).toEqual([]);
  }, 120_000);

  it('a batch that fails for good beyond the tolerance: the Map fails, Catch → Finalize writes its accounts UNKNOWN, then the Choice fails the run', async () => {
    // Prepare: batch 1 fails on every attempt; 1 of 4 batches is above the tolerated 10%.
    const sweep = stack({
      beforeInvoke: (fn, event) => {
        if (fn.endsWith('-sweepBatch') && (event as { batch?: { batch?: number } }).batch?.batch === 1) throw new TaskError('Runtime.ExitError', 'killed');
      },
    });

    // Act
    const outcome = await sweep.execute('asl-run-failed-batch');

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('SweepIncomplete');
    const { report, items } = await runFiles(runIdOf('asl-run-failed-batch'));
    expect(outcome.mapFailures).toBe(1);
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    const lost = items[1]!.accounts;
    expect(lost.some((a) => a.state === 'ACTIVE')).toBe(true);
    for (const listed of lost) {
      const account = report.accounts.find((a) => a.accountId === listed.id)!;
      if (listed.state !== 'ACTIVE') {
        expect(account.status).toBe('SKIPPED');
        continue;
      }
      expect(account.status).toBe('UNKNOWN');
      expect(account.findings.every((f) => f.code === 'CHECK_FAILED' && f.errorCode === 'SweepBatchFailed')).toBe(true);
    }
  }, 120_000);

  it('a failure within the tolerance: the Map succeeds, Finalize counts the accounts without result and the Choice fails the run', async () => {
    // Prepare: batches of at most 3 accounts (14 batches), one of them failing for good: 7% ≤ 10%.
    const sweep = stack({
      env: { CONTACT_AUDIT_BATCH_SIZE: '3' },
      beforeInvoke: (fn, event) => {
        if (fn.endsWith('-sweepBatch') && (event as { batch?: { batch?: number } }).batch?.batch === 2) throw new TaskError('Runtime.ExitError', 'killed');
      },
    });

    // Act
    const outcome = await sweep.execute('asl-run-tolerated');

    // Assess
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('SweepIncomplete');
    const { report, items } = await runFiles(runIdOf('asl-run-tolerated'));
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(outcome.mapFailures).toBe(1);
    const activeLost = items[2]!.accounts.filter((a) => a.state === 'ACTIVE').map((a) => a.id);
    const unknownByBatch = report.accounts.filter((a) => a.findings.some((f) => f.errorCode === 'SweepBatchFailed')).map((a) => a.accountId);
    expect(unknownByBatch.sort()).toEqual(activeLost.sort());
  }, 120_000);
});

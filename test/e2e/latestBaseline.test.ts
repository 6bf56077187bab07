/**
 * End to end against the emulator: a partial sweep (`--accounts`) never becomes the baseline, so the
 * next full sweep sends no VIOLATION_OPENED for violations already open (in process: the sweep is
 * what is tested); and SIGTERM/SIGINT while the real binary reads the contacts end it with 143/130
 * (never a kill by the default handler) and leave `latest/` as the run before left it. Signals at
 * many more moments of a sweep: test/faults/signals.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { runMain } from '../cli/inProcess.ts';
import { emulatorEnv } from './cli.ts';

const BIN = fileURLToPath(new URL('../../bin/contact-audit.js', import.meta.url));
const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;
/** The alert topic of this file (create it first once the emulator requires topics to exist). */
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:contact-audit-alerts';
const KEY = 'AKIAMANAGEMENTKEY';
const FAST = ['--rate', '150', '--concurrency', '16'];

let emulator: Emulator;
let work: string;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: await loadFixture(fixturePath), port: 0, quotaScale: 20 });
  emulator.createTopic(TOPIC);
  work = await mkdtemp(join(tmpdir(), 'contact-audit-baseline-'));
});
afterAll(async () => {
  await emulator?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const alertsOf = (type: string, since: number) =>
  emulator.state().snsMessages.slice(since).filter((m) => m.topicArn === TOPIC && m.messageAttributes?.event_type?.StringValue === type);

async function latestReport(out: string): Promise<Report> {
  return JSON.parse(await readFile(join(out, 'latest', 'report.json'), 'utf8')) as Report;
}

describe('partial sweeps and the baseline', () => {
  it('sweep --accounts X keeps its run under runs/ only; the next full sweep re-sends no VIOLATION_OPENED', async () => {
    const out = join(work, 'partial');
    const env = emulatorEnv(emulator.url, KEY, 20);
    // A full sweep: the baseline.
    let mark = emulator.state().snsMessages.length;
    const full = await runMain(['sweep', '--config', policyPath, '--out', out, '--topic-arn', TOPIC, '--format', 'json', ...FAST], env);
    expect(full.code).toBe(1);
    const baseline = await latestReport(out);
    const nonCompliant = baseline.accounts.filter((a) => a.status === 'NON_COMPLIANT');
    expect(nonCompliant.length).toBeGreaterThan(0);

    // A partial sweep of one non-compliant account.
    const one = nonCompliant[0]!.accountId;
    mark = emulator.state().snsMessages.length;
    const partial = await runMain(['sweep', '--config', policyPath, '--out', out, '--topic-arn', TOPIC, '--accounts', one, '--format', 'json', ...FAST], env);
    expect(partial.code).toBe(1);
    expect(JSON.parse(partial.stdout).accounts).toHaveLength(1);
    expect((await latestReport(out)).runId).toBe(baseline.runId);
    expect((await latestReport(out)).accounts).toHaveLength(baseline.accounts.length);
    expect(alertsOf('VIOLATION_OPENED', mark)).toHaveLength(0);
    expect(alertsOf('SWEEP_SUMMARY', mark)).toHaveLength(1);
    const days = join(out, 'runs');
    const runIds = (await readdir(days, { recursive: true })).filter((p) => p.endsWith('report.json'));
    expect(runIds).toHaveLength(2);

    // The next full sweep diffs against the full baseline: nothing newly opened.
    mark = emulator.state().snsMessages.length;
    const again = await runMain(['sweep', '--config', policyPath, '--out', out, '--topic-arn', TOPIC, '--format', 'json', ...FAST], env);
    expect(again.code).toBe(1);
    expect(alertsOf('VIOLATION_OPENED', mark)).toHaveLength(0);
    expect((await latestReport(out)).accounts).toHaveLength(baseline.accounts.length);
  });
});

/** The signal tests' emulator: it holds every contact read from a chosen one on, until released. */
let gated: Emulator;
let holdFrom = Number.POSITIVE_INFINITY;
let held: Promise<void> | undefined;
let letGo = (): void => {};
let onHeld = (): void => {};
const contactReads = () => gated.state().requestCounts.GetAlternateContact ?? 0;

/** Holds the `n`-th contact read from now on, and every one after it; resolves once one is held. */
function holdFromRead(n: number): Promise<void> {
  holdFrom = contactReads() + n;
  return new Promise((resolve) => (onHeld = resolve));
}

function releaseReads(): void {
  holdFrom = Number.POSITIVE_INFINITY;
  held = undefined;
  letGo();
}

/**
 * Starts the real binary's sweep, sends `signal` once the emulator holds its tenth contact read
 * (the sweep is then reading, whatever the machine's speed), lets the reads go once the process has
 * ended, and resolves with how it ended.
 */
function sweepInterrupted(out: string, signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const holding = holdFromRead(10);
    const child = spawn(process.execPath, [BIN, 'sweep', '--config', policyPath, '--out', out, '--format', 'json', ...FAST], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...emulatorEnv(gated.url, KEY, 20) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    void holding.then(() => child.kill(signal));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      releaseReads();
      resolve({ code, signal: sig, stderr });
    });
  });
}

/** latest/ is whole: four files, each the copy of one and the same run under runs/. */
async function expectLatestWhole(out: string): Promise<Report> {
  const report = await latestReport(out);
  const day = report.startedAt.slice(0, 10).split('-').join('/');
  for (const ext of ['json', 'csv', 'md', 'html']) {
    expect(await readFile(join(out, 'latest', `report.${ext}`), 'utf8')).toBe(await readFile(join(out, 'runs', day, report.runId, `report.${ext}`), 'utf8'));
  }
  return report;
}

describe('signals during a sweep', () => {
  beforeAll(async () => {
    gated = await startEmulator({
      fixture: await loadFixture(fixturePath),
      port: 0,
      quotaScale: 20,
      // Every answer passes through `delay`, which waits only while reads are held.
      latencyMs: 1,
      delay: async () => {
        if (contactReads() < holdFrom) return;
        held ??= new Promise<void>((resolve) => {
          letGo = resolve;
          onHeld();
        });
        await held;
      },
    });
  });
  afterAll(async () => {
    releaseReads();
    await gated?.close();
  });

  it.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('%s while the contacts are read: exit %i, no stack trace, latest/ the run before, whole', async (signal, exitCode) => {
    // Prepare: a first, complete run (in process), so the interrupted one would replace a latest/.
    const out = join(work, `signal-${signal}`);
    expect((await runMain(['sweep', '--config', policyPath, '--out', out, ...FAST], emulatorEnv(gated.url, KEY, 20))).code).toBe(1);
    const before = await latestReport(out);
    // Act
    const result = await sweepInterrupted(out, signal);
    // Assess
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stderr).toBe(exitCode);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await expectLatestWhole(out)).runId).toBe(before.runId);
  });
});

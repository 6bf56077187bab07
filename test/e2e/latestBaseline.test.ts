/**
 * End to end against the emulator: a partial sweep (`--accounts`) never becomes the baseline, so the
 * next full sweep sends no VIOLATION_OPENED for violations already open; and SIGTERM/SIGINT during a
 * sweep end it with 143/130 (never a kill by the default handler) and leave `latest/` whole.
 */
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../src/emulator/fixture.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import type { Report } from '../../src/model.ts';
import { emulatorEnv, runCli } from './cli.ts';

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
    const full = await runCli(['sweep', '--config', policyPath, '--out', out, '--topic-arn', TOPIC, '--format', 'json', ...FAST], env);
    expect(full.code).toBe(1);
    const baseline = await latestReport(out);
    const nonCompliant = baseline.accounts.filter((a) => a.status === 'NON_COMPLIANT');
    expect(nonCompliant.length).toBeGreaterThan(0);

    // A partial sweep of one non-compliant account.
    const one = nonCompliant[0]!.accountId;
    mark = emulator.state().snsMessages.length;
    const partial = await runCli(['sweep', '--config', policyPath, '--out', out, '--topic-arn', TOPIC, '--accounts', one, '--format', 'json', ...FAST], env);
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
    const again = await runCli(['sweep', '--config', policyPath, '--out', out, '--topic-arn', TOPIC, '--format', 'json', ...FAST], env);
    expect(again.code).toBe(1);
    expect(alertsOf('VIOLATION_OPENED', mark)).toHaveLength(0);
    expect((await latestReport(out)).accounts).toHaveLength(baseline.accounts.length);
  }, 180_000);
});

/** Starts a sweep and sends `signal` after `delayMs`; resolves with how it ended. */
function sweepInterrupted(out: string, signal: 'SIGINT' | 'SIGTERM', delayMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sweep', '--config', policyPath, '--out', out, '--format', 'json', ...FAST], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...emulatorEnv(emulator.url, KEY, 20) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill(signal), delayMs);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stderr });
    });
  });
}

/** latest/ is absent or whole: four files, each the copy of one and the same run under runs/. */
async function expectLatestWhole(out: string): Promise<void> {
  const latest = join(out, 'latest');
  if (!(await lstat(latest).then(() => true, () => false))) return;
  const report = await latestReport(out);
  const day = report.startedAt.slice(0, 10).split('-').join('/');
  for (const ext of ['json', 'csv', 'md', 'html']) {
    expect(await readFile(join(latest, `report.${ext}`), 'utf8')).toBe(await readFile(join(out, 'runs', day, report.runId, `report.${ext}`), 'utf8'));
  }
}

describe('signals during a sweep', () => {
  it('SIGTERM / SIGINT at any moment: exit 143 / 130 (or the run had finished), latest/ whole', async () => {
    const out = join(work, 'signals');
    // A first, complete run, so later ones replace a latest/.
    expect((await runCli(['sweep', '--config', policyPath, '--out', out, ...FAST], emulatorEnv(emulator.url, KEY, 20))).code).toBe(1);
    const seen = new Set<number | null>();
    for (const [signal, delay] of [['SIGTERM', 1500], ['SIGINT', 2200], ['SIGTERM', 2800], ['SIGTERM', 3500], ['SIGINT', 1200]] as const) {
      const result = await sweepInterrupted(out, signal, delay);
      expect(result.signal, result.stderr).toBeNull();
      expect([signal === 'SIGINT' ? 130 : 143, 1]).toContain(result.code);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      seen.add(result.code);
      await expectLatestWhole(out);
    }
    // At least one run was indeed interrupted.
    expect([...seen].some((code) => code === 130 || code === 143)).toBe(true);
  }, 240_000);
});

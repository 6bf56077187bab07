/**
 * SIGTERM / SIGINT at many moments of a sweep by the real binary (`bin/contact-audit.js`): early in
 * the reads, late in them, and about when the reports are written. Each run ends 143 / 130, or 1 when
 * it had finished first, never killed by the default handler and with no stack trace; `latest/` is
 * whole after every one. The moments are counted in contact reads the emulator has answered, not in
 * milliseconds, so a slow machine moves them no more than a fast one. The two cases npm test keeps:
 * test/e2e/latestBaseline.test.ts.
 */
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { runMain } from '../cli/inProcess.ts';
import { emulatorEnv } from '../e2e/cli.ts';

const BIN = fileURLToPath(new URL('../../bin/contact-audit.js', import.meta.url));
const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;
const KEY = 'AKIAMANAGEMENTKEY';
const FAST = ['--rate', '150', '--concurrency', '16'];

let emulator: Emulator;
let work: string;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: await loadFixture(fixturePath), port: 0, quotaScale: 20 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-signals-'));
});
afterAll(async () => {
  await emulator?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const contactReads = () => emulator.state().requestCounts.GetAlternateContact ?? 0;

/** Starts a sweep and sends `signal` once the emulator has answered `reads` more contact reads (0: at its first). */
function sweepInterrupted(out: string, signal: 'SIGINT' | 'SIGTERM', reads: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const from = contactReads();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sweep', '--config', policyPath, '--out', out, '--format', 'json', ...FAST], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...emulatorEnv(emulator.url, KEY, 20) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let closed = false;
    child.stderr.on('data', (c) => (stderr += c));
    const poll = setInterval(() => {
      if (!closed && contactReads() - from >= Math.max(1, reads)) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 2);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      closed = true;
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

/** latest/ is absent or whole: four files, each the copy of one and the same run under runs/. */
async function expectLatestWhole(out: string): Promise<void> {
  const latest = join(out, 'latest');
  if (!(await lstat(latest).then(() => true, () => false))) return;
  const report = JSON.parse(await readFile(join(latest, 'report.json'), 'utf8')) as Report;
  const day = report.startedAt.slice(0, 10).split('-').join('/');
  for (const ext of ['json', 'csv', 'md', 'html']) {
    expect(await readFile(join(latest, `report.${ext}`), 'utf8')).toBe(await readFile(join(out, 'runs', day, report.runId, `report.${ext}`), 'utf8'));
  }
}

describe('signals during a sweep', () => {
  it('SIGTERM / SIGINT at any moment: exit 143 / 130 (or the run had finished), latest/ whole', async () => {
    const out = join(work, 'signals');
    // A first, complete run, so later ones replace a latest/; it also counts the reads of a whole run.
    const before = contactReads();
    expect((await runMain(['sweep', '--config', policyPath, '--out', out, ...FAST], emulatorEnv(emulator.url, KEY, 20))).code).toBe(1);
    const whole = contactReads() - before;
    const seen = new Set<number | null>();
    const moments = [['SIGTERM', 0], ['SIGINT', Math.floor(whole / 3)], ['SIGTERM', Math.floor(whole / 2)], ['SIGTERM', whole - 1], ['SIGINT', whole]] as const;
    for (const [signal, reads] of moments) {
      const result = await sweepInterrupted(out, signal, reads);
      expect(result.signal, result.stderr).toBeNull();
      expect([signal === 'SIGINT' ? 130 : 143, 1]).toContain(result.code);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      seen.add(result.code);
      await expectLatestWhole(out);
    }
    // At least one run was indeed interrupted (the first, at its first read, always is).
    expect([...seen].some((code) => code === 130 || code === 143)).toBe(true);
  });
});

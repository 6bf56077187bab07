/**
 * `contact-audit sweep … | head`: the reader closes the pipe early. The run keeps its real exit code
 * (0 all compliant, 1 NON_COMPLIANT) and prints no stack trace.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type Fixture, startEmulator } from '@contact-auditor/aws-emulator';
import { emulatorEnv } from './cli.ts';

const BIN = fileURLToPath(new URL('../../bin/contact-audit.js', import.meta.url));
const MANAGEMENT = '111111111111';
const good = (local: string) => ({ name: local, title: 'Team', emailAddress: `${local}@example.com`, phoneNumber: '+1 206 555 0100' });

/** Enough accounts that the JSON report is far larger than a pipe's buffer (64 KiB). */
function organization(nonCompliant: boolean): Fixture {
  const accounts: Fixture['accounts'] = [];
  for (let i = 0; i < 300; i++) {
    const id = String(200000000000 + i);
    accounts.push({ id, name: `account-${i}`, email: `aws+${i}@example.com`, state: 'ACTIVE', contacts: { BILLING: good('billing'), OPERATIONS: good('ops'), SECURITY: good('security') } });
  }
  accounts.push({ id: MANAGEMENT, name: 'management', email: 'root@example.com', state: 'ACTIVE', contacts: { BILLING: good('billing'), OPERATIONS: good('ops'), SECURITY: nonCompliant ? { ...good('security'), emailAddress: 'security@evil.example' } : good('security') } });
  return { organization: { id: 'o-abc123defg', managementAccountId: MANAGEMENT, trustedAccess: true }, accounts };
}

/**
 * Runs `sweep … | head -c 1` in a shell: a real pipe (64 KiB), closed by its reader after one byte.
 * The sweep's own exit code comes back through PIPESTATUS on the last line of stderr.
 */
function sweepClosedEarly(url: string): Promise<{ code: number | null; stderr: string }> {
  const command = `"${process.execPath}" "${BIN}" sweep --domain example.com --format json --rate 500 --concurrency 16 | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...emulatorEnv(url, 'AKIAMANAGEMENTKEY', 100) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const match = /exit=(\d+)\s*$/.exec(stderr);
      resolve({ code: match ? Number(match[1]) : null, stderr: stderr.replace(/exit=\d+\s*$/, '') });
    });
  });
}

describe('sweep with a closed stdout', () => {
  const emulators: Emulator[] = [];
  beforeAll(async () => {
    emulators.push(await startEmulator({ fixture: organization(false), port: 0, quotaScale: 100 }));
    emulators.push(await startEmulator({ fixture: organization(true), port: 0, quotaScale: 100 }));
  });
  afterAll(async () => {
    for (const emulator of emulators) await emulator.close();
  });

  it('all compliant: exit 0, no EPIPE stack trace', async () => {
    const run = await sweepClosedEarly(emulators[0]!.url);
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    expect(run.stderr).toMatch(/301 accounts: 0 non-compliant, 0 unknown, 0 exempt, 301 compliant, 0 skipped/);
    expect(run.code).toBe(0);
  }, 120_000);

  it('one NON_COMPLIANT: exit 1, no EPIPE stack trace', async () => {
    const run = await sweepClosedEarly(emulators[1]!.url);
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    expect(run.stderr).toMatch(/1 non-compliant/);
    expect(run.code).toBe(1);
  }, 120_000);
});

/**
 * `contact-audit emulator` as the README has a user run it: `npx contact-audit emulator --generate
 * … &`, then a sweep in a shell with the environment it printed, then Ctrl+C. The real binary in a
 * process of its own (the sweep in process, test/cli/inProcess.ts: the emulator is what is tested).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.ts';
import { runMain } from './inProcess.ts';

const BIN = fileURLToPath(new URL('../../bin/contact-audit.js', import.meta.url));

let child: ChildProcessWithoutNullStreams | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('contact-audit emulator', () => {
  it('prints the environment a sweep needs, answers it, and stops on Ctrl+C with exit 0', async () => {
    // Prepare
    const emulator = spawn(process.execPath, [BIN, 'emulator', '--generate', '12', '--seed', '7', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    });
    child = emulator;
    let stdout = '';
    let stderr = '';
    emulator.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => emulator.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      emulator.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('Press Ctrl+C')) resolve();
      });
      void exited.then((code) => reject(new Error(`the emulator exited (${code}) before it was ready: ${stderr}`)));
    });
    const printed = Object.fromEntries([...stdout.matchAll(/^export ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

    // Act: the README's next line, with only what was printed (no profile, no config files).
    const sweep = await runMain(['sweep', '--domain', 'example.com', '--format', 'json'], { ...printed, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
    emulator.kill('SIGINT');

    // Assess
    expect(sweep.stderr).not.toMatch(/could not complete/);
    const report = JSON.parse(sweep.stdout) as Report;
    expect(report.callerAccountId).toBe(printed.AWS_ACCESS_KEY_ID);
    expect(report.accounts).toHaveLength(12);
    expect(await exited).toBe(0);
    expect(stderr).toContain('emulator stopped');
  });
});

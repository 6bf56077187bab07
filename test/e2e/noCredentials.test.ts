/**
 * No AWS credentials at all (empty HOME, no AWS_* variables): every command that calls AWS stops
 * with exit 2 and the same message (README, "Exit codes"; SPEC §6), before any check or alert.
 * `sweep` runs as the user runs it, the real binary in a fresh environment; the others in process
 * (test/cli/inProcess.ts clears every AWS_* variable; HOME is the empty folder).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../cli/inProcess.ts';
import { runCli } from './cli.ts';

const EVENT = new URL('../events/guide-example-2-put-alternate-contact.json', import.meta.url).pathname;
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'contact-audit-nocreds-'));
});
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('no credentials', () => {
  it('sweep: exit 2, names the missing credentials, writes nothing', async () => {
    const out = join(home, 'reports');
    const run = await runCli(['sweep', '--domain', 'example.com', '--out', out], { HOME: home }, { cwd: home });
    expect(run.stderr).toMatch(/no AWS credentials found/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(await readdir(home)).toEqual([]);
  }, 60_000);

  it('event: exit 2 and no alert printed', async () => {
    const run = await runMain(['event', EVENT, '--domain', 'example.com'], { HOME: home });
    expect(run.stderr).toMatch(/no AWS credentials found/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  }, 60_000);

  it('doctor and test-alert: exit 2 with the same message as sweep, no check and no alert printed', async () => {
    const sweep = await runMain(['sweep', '--domain', 'example.com'], { HOME: home });
    const doctor = await runMain(['doctor'], { HOME: home });
    const alert = await runMain(['test-alert', '--topic-arn', 'arn:aws:sns:us-east-1:111111111111:alerts'], { HOME: home });
    for (const run of [doctor, alert]) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toBe(sweep.stderr);
      expect(run.stdout).toBe('');
    }
    expect(sweep.stderr).toMatch(/^contact-audit: no AWS credentials found \(.*\): set AWS_PROFILE/);
  }, 60_000);
});

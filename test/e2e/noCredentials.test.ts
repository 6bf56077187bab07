/** No AWS credentials at all (empty HOME, no AWS_* variables): exit 2 with a clear message (README, exit codes). */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const run = await runCli(['event', EVENT, '--domain', 'example.com'], { HOME: home }, { cwd: home });
    expect(run.stderr).toMatch(/no AWS credentials found/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  }, 60_000);
});

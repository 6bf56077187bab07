import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportsNotKeptError, awsProviderSource, runSweepJob } from '../../src/audit/job.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { loadPolicyFile } from '../../src/policy/yamlFile.ts';
import { runMain } from '../cli/inProcess.ts';
import { emulatorEnv } from '../e2e/cli.ts';

const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;

let emulator: Emulator;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ fixture: await loadFixture(fixturePath), port: 0, quotaScale: 20 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-job-'));
});

afterAll(async () => {
  await emulator?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('runSweepJob when the reports cannot be kept', () => {
  it('throws ReportsNotKeptError carrying the whole report and what refused it, instead of returning the error', async () => {
    const fixture = await loadFixture(fixturePath);
    const caller = fixture.organization.delegatedAdminAccountId ?? fixture.organization.managementAccountId;
    // A regular file where the report folder should be: the folder store cannot create runs/ under it.
    const notAFolder = join(work, 'not-a-folder');
    await writeFile(notAFolder, 'x');
    const error: unknown = await runSweepJob({
      policy: await loadPolicyFile(policyPath),
      clients: createClients({ endpoint: emulator.url, credentials: { accessKeyId: caller, secretAccessKey: 'x' }, forcePathStyle: true }),
      provider: awsProviderSource(150),
      concurrency: 8,
      out: { kind: 'dir', path: notAFolder },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportsNotKeptError);
    const notKept = error as ReportsNotKeptError;
    expect(notKept.name).toBe('ReportsNotKeptError');
    expect(notKept.cause).toBeInstanceOf(Error);
    expect((notKept.cause as NodeJS.ErrnoException).code).toMatch(/^(ENOTDIR|EEXIST)$/);
    expect(notKept.outcome.report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    expect(notKept.outcome.finalized).toBeUndefined();
  });

  it('the CLI still prints the report, then exits 4 naming the folder that refused it (README "Exit codes")', async () => {
    const fixture = await loadFixture(fixturePath);
    const caller = fixture.organization.delegatedAdminAccountId ?? fixture.organization.managementAccountId;
    const notAFolder = join(work, 'not-a-folder-cli');
    await writeFile(notAFolder, 'x');
    const run = await runMain(
      ['sweep', '--config', policyPath, '--format', 'json', '--out', notAFolder, '--rate', '150', '--concurrency', '8'],
      emulatorEnv(emulator.url, caller, 20),
    );
    expect(run.code, run.stderr).toBe(4);
    const report = JSON.parse(run.stdout) as { accounts: { accountId: string }[] };
    expect(report.accounts).toHaveLength(fixture.accounts.length);
    expect(run.stderr).toContain(`contact-audit: the run could not complete: the reports could not be written to ${notAFolder}: `);
    expect(run.stderr).toMatch(/: (ENOTDIR|EEXIST): /);
  });
});

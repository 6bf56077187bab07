/**
 * `contact-audit sweep` as a user types it (in process, against the emulator): the filter options
 * narrow the report on stdout but never the reports kept under --out, a bad value is a usage error
 * that names it, and a second sweep shows what changed since the first, in the table on stdout and in
 * the kept Markdown and HTML, the same changes the VIOLATION_* alerts carry.
 */
import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/options.ts';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { emulatorEnv } from '../e2e/cli.ts';

const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
/** The emulator's quotas are 20 times AWS's; the CLI is told so, or it holds --rate to AWS's 10/s. */
const QUOTA_SCALE = 20;
const FAST = ['--rate', '150', '--concurrency', '16'];

let emulator: Emulator;
let work: string;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: await loadFixture(fixturePath), port: 0, quotaScale: QUOTA_SCALE });
  // The SDK's credential chain reads the process environment, not the CLI's io.env.
  for (const [name, value] of Object.entries(emulatorEnv(emulator.url, 'AKIAMANAGEMENTKEY', QUOTA_SCALE))) vi.stubEnv(name, value);
  work = await mkdtemp(join(tmpdir(), 'contact-audit-parts-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function sweep(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: emulatorEnv(emulator.url, 'AKIAMANAGEMENTKEY', QUOTA_SCALE), stderrIsTTY: false, stdoutIsTTY: false };
  // Alternate contacts only (no primary-contact or root e-mail reads): what the filters see is the same, the run shorter.
  const code = await main(['sweep', '--domain', 'example.com', ...FAST, ...args], io);
  return { code, stdout, stderr };
}

const latest = async (out: string, file: string) => readFile(join(out, 'latest', file), 'utf8');

describe('sweep: filters, per-OU summary and changes since the last run', () => {
  const out = () => join(work, 'out');

  it('--failing --format markdown lists only the accounts needing attention; the kept report lists all', async () => {
    const run = await sweep(['--out', out(), '--format', 'markdown', '--failing']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(await latest(out(), 'report.json')) as Report;
    const failing = report.accounts.filter((a) => a.status === 'NON_COMPLIANT' || a.status === 'UNKNOWN');
    const others = report.accounts.filter((a) => !failing.includes(a));
    expect(failing.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const a of failing) expect(run.stdout).toContain(`### ${a.accountId} `);
    for (const a of others) expect(run.stdout).not.toMatch(new RegExp(`^(### |\\| )${a.accountId} `, 'm'));
    expect(run.stdout).toContain(`Showing ${failing.length} of ${report.accounts.length} accounts (status NON\\_COMPLIANT or UNKNOWN).`);
    expect(run.stdout).toContain('## By organizational unit');
    const kept = await latest(out(), 'report.md');
    for (const a of report.accounts) expect(kept).toContain(a.accountId);
  });

  it('--status and --ou narrow the CSV (--code is held to the report in test/report/view.test.ts)', async () => {
    const report = JSON.parse(await latest(out(), 'report.json')) as Report;
    const withOu = report.accounts.find((a) => a.ou && a.status === 'COMPLIANT')!;
    const csv = await sweep(['--format', 'csv', '--status', 'compliant', '--ou', withOu.ou!.id]);
    const expected = report.accounts.filter((a) => a.status === 'COMPLIANT' && a.ou?.id === withOu.ou!.id).map((a) => a.accountId);
    expect(expected.length).toBeGreaterThan(0);
    const listed = new Set([...csv.stdout.matchAll(/^'(\d{12}),/gm)].map((m) => m[1]));
    expect([...listed]).toEqual(expected);
  });

  it('a bad filter value, or a filter with a format that carries every account, is a usage error naming it', async () => {
    const bad = await sweep(['--status', 'BROKEN']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status: "BROKEN" is not one of COMPLIANT, NON_COMPLIANT, UNKNOWN, EXEMPT, SKIPPED');
    const json = await sweep(['--failing', '--format', 'json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--format json always carries every account');
    expect(json.stdout).toBe('');
  });

  it('a second sweep shows what opened and resolved since the first, in the table and the kept Markdown and HTML', async () => {
    // Prepare: fix one account's violation, break a compliant one's SECURITY contact.
    const first = JSON.parse(await latest(out(), 'report.json')) as Report;
    // Member accounts: the management account's contacts are not named by ID in organizations context (SPEC §4).
    const member = (a: Report['accounts'][number]) => a.accountId !== first.managementAccountId;
    const fixed = first.accounts.find((a) => member(a) && a.status === 'NON_COMPLIANT' && a.findings.every((f) => f.contactType === 'SECURITY'))!;
    const broken = first.accounts.find((a) => member(a) && a.status === 'COMPLIANT')!;
    const account = new AccountClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAMANAGEMENTKEY', secretAccessKey: 'test' } });
    const put = (id: string, email: string) =>
      account.send(new PutAlternateContactCommand({ AccountId: id, AlternateContactType: 'SECURITY', Name: 'Security Operations Center', Title: 'SecOps', EmailAddress: email, PhoneNumber: '+1 206 555 0120' }));
    await put(fixed.accountId, 'security@example.com');
    await put(broken.accountId, 'someone@gmail.com');

    // Act
    const run = await sweep(['--out', out(), '--format', 'table']);

    // Assess
    expect(run.stdout).toContain(`Changed since run ${first.runId}: 1 opened, 1 resolved`);
    expect(run.stdout).toMatch(new RegExp(`opened +${broken.accountId} ${broken.name}: SECURITY EMAIL_NOT_COMPANY_DOMAIN`));
    expect(run.stdout).toMatch(new RegExp(`resolved ${fixed.accountId} ${fixed.name}: SECURITY `));
    const md = await latest(out(), 'report.md');
    expect(md).toContain('## Changed since the last run');
    expect(md).toContain(`### Opened (1)\n\n- ${broken.accountId} — `);
    const html = await latest(out(), 'report.html');
    expect(html).toContain('<h2 id="changes">Changed since the last run</h2>');
    expect(html).toContain(`<tr><td><code>${fixed.accountId}</code></td>`);
  });
});

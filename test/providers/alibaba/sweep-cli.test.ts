import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/model.ts';
import { runSweepJob } from '../../../src/audit/job.ts';
import { alibabaProviderSource } from '../../../src/providers/alibaba/alibabaProvider.ts';
import { alibabaSettingsFromEnv } from '../../../src/config.ts';
import { policyFromDomains } from '../../../src/policy/load.ts';
import { type Emulator, generateOrganization, loadAlibabaFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { runMain } from '../../cli/inProcess.ts';
import { emulatorEnv, runCli } from '../../e2e/cli.ts';

/** The report keys contacts by type; for Alibaba the types are message types (plain strings on the wire). */
const messageContacts = (account: { contacts: object }) => account.contacts as Record<string, { emailAddress: string; phoneNumber: string } | null | undefined>;

const fixturePath = new URL('./directory.json', import.meta.url).pathname;
const BIN = fileURLToPath(new URL('../../../bin/contact-audit.js', import.meta.url));
const MASTER = '1000000000000001';
const DELEGATED = '1000000000000002';

let emulator: Emulator;
let work: string;

/** The environment that points the sweep at the emulator's Alibaba endpoint as `keyId`. */
const alibabaEnv = (keyId: string, secret = 'any-secret'): Record<string, string> => ({
  ALIBABA_CLOUD_ENDPOINT: emulator.url,
  ALIBABA_CLOUD_ACCESS_KEY_ID: keyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
});

beforeAll(async () => {
  const alibaba = await loadAlibabaFixture(fixturePath);
  alibaba.accessKeys.push({ id: 'LTAI5tKnownKey', secret: 'the-real-secret', accountId: MASTER });
  emulator = await startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), alibaba, port: 0 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-alibaba-'));
});

afterAll(async () => {
  await emulator?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What docs/alibaba.md says of each member of test/providers/alibaba/directory.json under the default policy and --domain example.com. */
const EXPECTED: Record<string, { status: string; codes: string[] }> = {
  '1000000000000001': { status: 'COMPLIANT', codes: [] }, // cloud account: no secure-phone check; own and directory contacts
  '1000000000000002': { status: 'COMPLIANT', codes: [] }, // prod folder contact + directory contact
  '1000000000000003': { status: 'COMPLIANT', codes: [] }, // nested folder inherits prod's contact
  '1000000000000004': { status: 'NON_COMPLIANT', codes: ['FaultMessage:CONTACT_NOT_VERIFIED'] }, // its own Verifying contact
  '1000000000000005': { status: 'NON_COMPLIANT', codes: ['AccountExpenses:EMAIL_NOT_COMPANY_DOMAIN', 'FaultMessage:EMAIL_NOT_COMPANY_DOMAIN'] },
  '1000000000000006': { status: 'NON_COMPLIANT', codes: ['SecureMobilePhone:NO_SECURE_MOBILE_PHONE'] },
  '1000000000000007': { status: 'UNKNOWN', codes: ['SecureMobilePhone:CHECK_FAILED'] }, // GetAccount denied
  '1000000000000008': { status: 'SKIPPED', codes: [] }, // DeletionStatus Deleting
  '1000000000000009': { status: 'UNKNOWN', codes: ['SecurityMessage:CHECK_FAILED', 'AccountExpenses:CHECK_FAILED', 'FaultMessage:CHECK_FAILED'] },
  '1000000000000010': { status: 'NON_COMPLIANT', codes: ['AccountExpenses:EMAIL_NOT_COMPANY_DOMAIN', 'FaultMessage:EMAIL_NOT_COMPANY_DOMAIN'] }, // cloud account without secure phone: not checked
  '1000000000000011': { status: 'NON_COMPLIANT', codes: ['FaultMessage:INVALID_PHONE'] },
  '1000000000000012': { status: 'NON_COMPLIANT', codes: ['AccountExpenses:MISSING_CONTACT', 'FaultMessage:MISSING_CONTACT'] }, // a Deleting contact does not count
};

const codesOf = (account: Report['accounts'][number]) => account.findings.map((f) => `${f.contactType}:${f.code}`);

// The first test runs the real CLI as the user does (a new Node process with tsx), and so does the
// one about a signal; the others run it in process (test/cli/inProcess.ts), the sweep being what they test.
describe('contact-audit sweep --cloud alibaba against the emulator', { timeout: 90_000 }, () => {
  it('as the management account: every member once, statuses and codes as documented, exit 1', async () => {
    // Act
    const run = await runCli(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json'], alibabaEnv('AKmanagement'));
    // Assess
    expect(run.stderr).not.toMatch(/could not complete/);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.schemaVersion).toBe(1);
    expect(report.organizationId).toBe('rd-3G4k9Q');
    expect(report.managementAccountId).toBe(MASTER);
    expect(report.callerAccountId).toBe(MASTER);
    expect(report.policy.requiredContactTypes).toEqual(['SecurityMessage', 'AccountExpenses', 'FaultMessage']);
    const got = Object.fromEntries(report.accounts.map((a) => [a.accountId, { status: a.status, codes: codesOf(a) }]));
    expect(got).toEqual(EXPECTED);
    expect(report.summary).toEqual({ accounts: 12, compliant: 3, nonCompliant: 6, unknown: 2, exempt: 0, skipped: 1 });
    const gmail = report.accounts.find((a) => a.accountId === '1000000000000005')!;
    expect(gmail.findings[0]!.message).toMatch(/contact c-sbxgmail1, bound to fd-sbx001/);
    expect(messageContacts(gmail).AccountExpenses).toMatchObject({ emailAddress: 'dev.team@gmail.com', phoneNumber: '86-13900004321' });
    const denied = report.accounts.find((a) => a.accountId === '1000000000000007')!;
    expect(denied.findings[0]!.errorCode).toBe('NoPermission');
    const missing = report.accounts.find((a) => a.accountId === '1000000000000012')!;
    expect(messageContacts(missing).AccountExpenses).toBeNull();
  });

  it('as the delegated administrator: the same statuses, the caller named', async () => {
    const run = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json'], alibabaEnv(DELEGATED));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.callerAccountId).toBe(DELEGATED);
    expect(Object.fromEntries(report.accounts.map((a) => [a.accountId, a.status]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([id, e]) => [id, e.status])),
    );
  });

  it('with the policy alibaba section: phone prefixes, exemptions and the checks it turns off', async () => {
    const policy = join(work, 'policy.yaml');
    await writeFile(
      policy,
      [
        'companyDomains: [example.com]',
        'alibaba:',
        '  requiredMessageTypes: [AccountExpenses, FaultMessage]',
        '  companyDomains: [example.com, gmail.com]',
        '  phone:',
        '    allowedPrefixes: ["86-139"]',
        '  requireActiveContacts: false',
        '  requireSecureMobilePhone: false',
        '  exemptions:',
        '    - memberId: "1000000000000012"',
        '      reason: contacts being re-created',
        '      expires: "2999-12-31"',
        '',
      ].join('\n'),
    );
    const run = await runMain(['sweep', '--cloud', 'alibaba', '--config', policy, '--format', 'json'], alibabaEnv('AKmanagement'));
    const report = JSON.parse(run.stdout) as Report;
    const status = Object.fromEntries(report.accounts.map((a) => [a.accountId, a.status]));
    expect(status['1000000000000004']).toBe('COMPLIANT'); // Verifying allowed
    expect(status['1000000000000005']).toBe('COMPLIANT'); // gmail.com is a company domain here
    expect(status['1000000000000006']).toBe('COMPLIANT'); // secure phone not required
    expect(status['1000000000000007']).toBe('COMPLIANT'); // so GetAccount is not needed
    expect(status['1000000000000009']).toBe('UNKNOWN');
    expect(status['1000000000000012']).toBe('EXEMPT');
    expect(report.policy.requiredContactTypes).toEqual(['AccountExpenses', 'FaultMessage']);
    expect(run.code).toBe(1); // bad-phone is still INVALID_PHONE
    expect(codesOf(report.accounts.find((a) => a.accountId === '1000000000000011')!)).toEqual(['FaultMessage:INVALID_PHONE']);
  });

  it('tries --out s3://… before the first Resource Directory read: a missing bucket is exit 2 with NoSuchBucket and the fix', async () => {
    const before = { ...emulator.state().requestCounts };
    const run = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--out', 's3://no-such-alibaba-reports/rd'], {
      ...emulatorEnv(emulator.url, 'AKIAREPORTS'),
      ...alibabaEnv('AKmanagement'),
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('--out s3://no-such-alibaba-reports/rd: the reports could not be written: NoSuchBucket');
    expect(run.stdout).toBe('');
    const after = emulator.state().requestCounts;
    const resourceDirectoryReads = Object.keys(after).filter((op) => /^(ListAccounts|GetAccount|ListMessageContacts|GetResourceDirectory)$/.test(op) && after[op] !== before[op]);
    expect(resourceDirectoryReads).toEqual([]);
  });

  it('exit 3 when nothing is non-compliant but something could not be read; --accounts takes member IDs', async () => {
    const run = await runMain(
      ['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json', '--accounts', '1000000000000003,1000000000000007'],
      alibabaEnv('AKmanagement'),
    );
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.accounts.map((a) => [a.accountId, a.status])).toEqual([
      ['1000000000000003', 'COMPLIANT'],
      ['1000000000000007', 'UNKNOWN'],
    ]);
    const unknownId = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--accounts', '1999999999999999'], alibabaEnv('AKmanagement'));
    expect(unknownId.code).toBe(2);
    expect(unknownId.stderr).toMatch(/not in the resource directory: 1999999999999999/);
  });

  it('keeps the reports with --out in every format, the table shows whole member IDs', async () => {
    const out = join(work, 'reports');
    const run = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--out', out], alibabaEnv('AKmanagement'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/1000000000000012 +only-deleting-contact +NON_COMPLIANT +AccountExpenses:MISSING_CONTACT/);
    const latest = await readdir(join(out, 'latest'));
    expect(latest.sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
    const csv = await readFile(join(out, 'latest', 'report.csv'), 'utf8');
    expect(csv).toMatch(/'1000000000000006,no-secure-phone,CreateSuccess,NON_COMPLIANT,SecureMobilePhone,.*NO_SECURE_MOBILE_PHONE/);
    expect(csv).toMatch(/'1000000000000003,pay-prod,CreateSuccess,COMPLIANT,FaultMessage,Finance,Billing,billing@finance.example.com/);
  });

  // The alerts and --accounts: test/providers/alibaba/sweep-keep.test.ts (in process; no process boundary there).

  it('SIGTERM while latest/ is being switched in S3: the switch finishes, exit 143, latest/ one whole run', async () => {
    // Its own emulator, which holds the PUT of latest/report.md (the second latest/ file) until
    // the sweep has said it got the signal: the signal lands in the middle of the switch, always.
    let held: Promise<void> | undefined;
    let release = (): void => {};
    let holdAtPut = Number.POSITIVE_INFINITY;
    const gated: Emulator = await startEmulator({
      fixture: generateOrganization({ accounts: 2, seed: 1 }),
      alibaba: await loadAlibabaFixture(fixturePath),
      port: 0,
      latencyMs: 1,
      delay: async () => {
        if ((gated.state().requestCounts.PutObject ?? 0) !== holdAtPut) return;
        held ??= new Promise<void>((resolve) => (release = resolve));
        await held;
      },
    });
    try {
      gated.createBucket('alibaba-reports');
      const env = { ...emulatorEnv(gated.url, 'AKIAREPORTS'), ...alibabaEnv('AKmanagement'), ALIBABA_CLOUD_ENDPOINT: gated.url };
      const args = ['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json', '--out', 's3://alibaba-reports/rd'];
      const s3Text = async (key: string) => {
        const res = await fetch(`${gated.url}/alibaba-reports/rd/${key}`);
        return res.status === 200 ? res.text() : undefined;
      };
      // The run before, in process: only the interrupted one needs a process of its own.
      await runSweepJob({
        policy: policyFromDomains(['example.com']),
        provider: alibabaProviderSource(alibabaSettingsFromEnv(env), { ratePerSecond: 1000 }),
        clientSettings: { region: 'us-east-1', endpoint: gated.url, credentials: { accessKeyId: 'AKIAREPORTS', secretAccessKey: 'x' }, forcePathStyle: true },
        concurrency: 4,
        out: { kind: 's3', bucket: 'alibaba-reports', prefix: 'rd' },
      });
      const before = await s3Text('latest/report.json');
      // The write check, runs/ ×4 and findings/ of the next run, latest/report.csv, then latest/report.md: the eighth put.
      holdAtPut = (gated.state().requestCounts.PutObject ?? 0) + 8;

      const child = spawn(process.execPath, [BIN, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const sawSignal = new Promise<void>((resolve) =>
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          if (stderr.includes('finishing writing the reports')) resolve();
        }),
      );
      // Signal once the PUT of latest/report.md is held; let it through once the sweep has taken the signal.
      const signalled = (async () => {
        while (held === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
        child.kill('SIGTERM');
        // A sweep that ignores the guard just exits: the assertions below say so, rather than a hang.
        await Promise.race([sawSignal, closed]);
        release();
      })();
      const code = await closed;
      await signalled;
      expect(code, stderr).toBe(143);
      expect(stderr).toMatch(/the reports are kept; stopping as asked/);
      // It stopped once the reports were kept, before printing the report: latest/ is the new run, whole.
      expect(stdout).toBe('');
      const latest = JSON.parse((await s3Text('latest/report.json'))!) as Report;
      expect(latest.runId).not.toBe((JSON.parse(before!) as Report).runId);
      const day = latest.startedAt.slice(0, 10).replaceAll('-', '/');
      for (const name of ['report.json', 'report.csv', 'report.md', 'report.html']) {
        expect(await s3Text(`latest/${name}`), name).toBe(await s3Text(`runs/${day}/${latest.runId}/${name}`));
      }
    } finally {
      release();
      await gated.close();
    }
  });

  it('stops with exit 2 naming the set-up for a plain member; nothing written', async () => {
    const out = join(work, 'refused');
    const member = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--out', out], alibabaEnv('1000000000000003'));
    expect(member.code).toBe(2);
    expect(member.stderr).toMatch(/ListAccounts was refused \(NoPermission/);
    expect(member.stderr).toMatch(/resourcemanager:/);
    expect(existsSync(out)).toBe(false);
  });

  it('stops with exit 2 for missing credentials or an unknown --cloud', async () => {
    const noKeys = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com'], { ALIBABA_CLOUD_ENDPOINT: emulator.url });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID/);
    const badCloud = await runMain(['sweep', '--cloud', 'gcp', '--domain', 'example.com'], alibabaEnv('AKmanagement'));
    expect(badCloud.code).toBe(2);
  });

  it('verifies the signature of a key whose secret the emulator knows: exit 2 for a wrong secret', async () => {
    const wrongSecret = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com'], alibabaEnv('LTAI5tKnownKey', 'not-the-secret'));
    expect(wrongSecret.code).toBe(2);
    expect(wrongSecret.stderr).toMatch(/SignatureDoesNotMatch/);
    const rightSecret = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json'], alibabaEnv('LTAI5tKnownKey', 'the-real-secret'));
    expect(rightSecret.code).toBe(1);
  });

  it('retries Throttling.User and dropped connections: the member is read, not UNKNOWN', async () => {
    emulator.injectFault({ operation: 'alibaba:ListMessageContacts', count: 3, kind: 'throttle' });
    emulator.injectFault({ operation: 'alibaba:GetAccount', count: 2, kind: 'drop' });
    const run = await runMain(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json'], alibabaEnv('AKmanagement'));
    const report = JSON.parse(run.stdout) as Report;
    expect(Object.fromEntries(report.accounts.map((a) => [a.accountId, a.status]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([id, e]) => [id, e.status])),
    );
    expect(run.stderr).toMatch(/[1-9]\d* retried, 3 throttled/);
    expect(emulator.state().throttledCounts['alibaba:ListMessageContacts']).toBeGreaterThanOrEqual(3);
  });
});

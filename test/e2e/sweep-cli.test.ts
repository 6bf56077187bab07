import { AccountClient, DeleteAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.ts';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { loadPolicyFile } from '../../src/policy/yamlFile.ts';
import { applyOrganizationRules, evaluateAccount, skippedAccount } from '../../src/rules/evaluate.ts';
import type { AccountResult, ContactReads, OrgAccount } from '../../src/model.ts';
import { runMain } from '../cli/inProcess.ts';
import { emulatorEnv, runCli } from './cli.ts';

const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;

let emulator: Emulator;
let fixture: Awaited<ReturnType<typeof loadFixture>>;
let work: string;
const MANAGEMENT_KEY = 'AKIAMANAGEMENTKEY'; // not 12 digits: the emulator treats it as the management account
// The emulator's quota is scaled up and the sweep paced to match, so the suite stays fast.
const FAST = ['--rate', '150', '--concurrency', '16'];

beforeAll(async () => {
  fixture = await loadFixture(fixturePath);
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 20 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-e2e-'));
});

afterAll(async () => {
  await emulator?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The fixture account's OU as the sweep reads it from the tree. */
function placement(account: (typeof fixture.accounts)[number]): OrgAccount['ou'] {
  const roots = fixture.organization.roots ?? [];
  const ous = fixture.organization.organizationalUnits ?? [];
  const chain: { id: string; name: string }[] = [];
  for (let id: string | undefined = account.parentId ?? roots[0]?.id; id !== undefined; ) {
    const ou = ous.find((o) => o.id === id);
    chain.unshift({ id, name: ou?.name ?? roots.find((r) => r.id === id)?.name ?? id });
    id = ou?.parentId;
  }
  const parent = chain[chain.length - 1]!;
  return { id: parent.id, name: parent.name, path: chain.map((n) => n.name).join(' / '), ids: chain.map((n) => n.id) };
}

/** What the rules say of each fixture account when everything is read (the management account read as itself). */
async function expectedStatuses(): Promise<Map<string, string>> {
  const policy = await loadPolicyFile(policyPath);
  const today = new Date().toISOString().slice(0, 10);
  const results: AccountResult[] = [];
  for (const account of fixture.accounts) {
    const org = { id: account.id, name: account.name, state: account.state, email: account.email, ou: placement(account) };
    if (account.state !== 'ACTIVE') {
      results.push(skippedAccount(org));
      continue;
    }
    const reads: ContactReads = {};
    // The account's own required types (an override may narrow them); every contact is readable here.
    for (const type of ['BILLING', 'OPERATIONS', 'SECURITY'] as const) {
      const contact = account.contacts[type];
      reads[type] = contact ? { kind: 'present', contact } : { kind: 'missing' };
    }
    const info = account.contactInformation;
    results.push(
      evaluateAccount(org, reads, policy, today, {
        primaryContact: info ? { kind: 'present', contact: info } : { kind: 'missing' },
        rootEmail: { kind: 'present', email: account.email, source: 'GetPrimaryEmail' },
      }),
    );
  }
  return new Map(applyOrganizationRules(results, policy, today).map((r) => [r.accountId, r.status]));
}

describe('contact-audit sweep against the emulator', () => {
  // As the user runs it: the real binary in a process of its own. The other runs here are in process
  // (test/cli/inProcess.ts): what they test is the sweep, not the process boundary.
  it('as the management account: every account once, statuses as the rules say, exit 1 when something is non-compliant', async () => {
    // Act
    const run = await runCli(['sweep', '--config', policyPath, '--format', 'json', ...FAST], emulatorEnv(emulator.url, MANAGEMENT_KEY, 20));
    // Assess
    expect(run.stderr).not.toMatch(/could not complete/);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.callerAccountId).toBe(fixture.organization.managementAccountId);
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    const expected = await expectedStatuses();
    for (const account of report.accounts) expect([account.accountId, account.status]).toEqual([account.accountId, expected.get(account.accountId)]);
    expect(report.summary.unknown).toBe(0);
  });

  it('as the delegated admin: the management account is UNKNOWN with AWS\'s AccessDenied and its reason', async () => {
    const run = await runMain(
      ['sweep', '--config', policyPath, '--format', 'json', ...FAST],
      emulatorEnv(emulator.url, fixture.organization.delegatedAdminAccountId!, 20),
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const management = report.accounts.find((a) => a.accountId === fixture.organization.managementAccountId)!;
    expect(management.status).toBe('UNKNOWN');
    expect(management.findings.map((f) => [f.code, f.errorCode])).toEqual([
      ['CHECK_FAILED', 'AccessDeniedException'],
      ['CHECK_FAILED', 'AccessDeniedException'],
      ['CHECK_FAILED', 'AccessDeniedException'],
      // The primary contact (examples/policy.yaml has a primaryContact section) follows the same context rule.
      ['CHECK_FAILED', 'AccessDeniedException'],
    ]);
    // Its root e-mail is the one Organizations lists: GetPrimaryEmail cannot name the management account.
    expect(management.rootEmail).toBe(fixture.accounts.find((a) => a.id === fixture.organization.managementAccountId)!.email);
    expect(management.findings[0]!.message).toMatch(/standalone context/);
    expect(management.contacts).toEqual({});
  });

  it('as a plain member: exit 2 with an error naming the missing set-up, and nothing written', async () => {
    const member = fixture.accounts.find(
      (a) => a.state === 'ACTIVE' && a.id !== fixture.organization.managementAccountId && a.id !== fixture.organization.delegatedAdminAccountId,
    )!;
    const out = join(work, 'member-run');
    const run = await runMain(['sweep', '--config', policyPath, '--out', out, ...FAST], emulatorEnv(emulator.url, member.id, 20));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/delegated administrator/);
    expect(run.stderr).toMatch(/register-delegated-administrator/);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an invalid policy with exit 2, naming the field, before touching AWS', async () => {
    const bad = join(work, 'bad-policy.yaml');
    await writeFile(bad, 'companyDomains: [example.com]\nexemptions:\n  - accountId: "123"\n    reason: x\n    expires: "2027-01-31"\n');
    const out = join(work, 'bad-policy-run');
    const before = emulator.state().requestCounts.ListAccounts ?? 0;
    const run = await runMain(['sweep', '--config', bad, '--out', out], emulatorEnv(emulator.url, MANAGEMENT_KEY, 20));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exemptions\[0\]\.accountId/);
    expect(existsSync(out)).toBe(false);
    expect(emulator.state().requestCounts.ListAccounts ?? 0).toBe(before);
  });

  it('rejects unknown options and formats with exit 2', async () => {
    const env = emulatorEnv(emulator.url, MANAGEMENT_KEY, 20);
    expect((await runMain(['sweep', '--domain', 'example.com', '--format', 'pdf'], env)).code).toBe(2);
    expect((await runMain(['sweep', '--domain', 'example.com', '--colour'], env)).code).toBe(2);
    expect((await runMain(['sweep'], env)).stderr).toMatch(/--config FILE or --domain/);
    expect((await runMain(['sweep', '--domain', 'example.com', '--accounts', '12'], env)).code).toBe(2);
  });

  it('keeps every run under --out, and alerts on violations opened and resolved since the previous run', async () => {
    // Prepare: a first run is the baseline.
    const out = join(work, 'history');
    const admin = fixture.organization.delegatedAdminAccountId!;
    const topicArn = `arn:aws:sns:us-east-1:${admin}:contact-auditor`;
    emulator.createTopic(topicArn);
    const env = emulatorEnv(emulator.url, admin, 20);
    const first = await runMain(['sweep', '--config', policyPath, '--out', out, '--topic-arn', topicArn, ...FAST], env);
    expect(first.code).toBe(1);
    const firstMessages = emulator.state().snsMessages.filter((m) => m.topicArn === topicArn);
    expect(firstMessages.map((m) => m.messageAttributes.event_type?.StringValue)).toEqual(['SWEEP_SUMMARY']);

    // Act: break a compliant account and fix a non-compliant one, as the management account would.
    const firstReport = JSON.parse(await readFile(join(out, 'latest', 'report.json'), 'utf8')) as Report;
    const compliant = firstReport.accounts.find((a) => a.status === 'COMPLIANT' && a.accountId !== admin)!;
    const missing = firstReport.accounts.find((a) => a.status === 'NON_COMPLIANT' && a.findings.every((f) => f.code === 'MISSING_CONTACT'))!;
    const account = new AccountClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: MANAGEMENT_KEY, secretAccessKey: 'x' } });
    await account.send(new DeleteAlternateContactCommand({ AccountId: compliant.accountId, AlternateContactType: 'SECURITY' }));
    for (const finding of missing.findings) {
      await account.send(
        new PutAlternateContactCommand({
          AccountId: missing.accountId,
          AlternateContactType: finding.contactType as 'BILLING' | 'OPERATIONS' | 'SECURITY',
          Name: 'Team',
          Title: 'Team',
          EmailAddress: finding.contactType === 'SECURITY' ? 'security@example.com' : `${finding.contactType.toLowerCase()}-${missing.accountId}@example.com`,
          PhoneNumber: '+1 206 555 0199',
        }),
      );
    }
    const second = await runMain(['sweep', '--config', policyPath, '--out', out, '--topic-arn', topicArn, ...FAST], env);

    // Assess
    expect(second.code).toBe(1);
    const messages = emulator.state().snsMessages.filter((m) => m.topicArn === topicArn).slice(firstMessages.length);
    const byType = (type: string) => messages.filter((m) => m.messageAttributes.event_type?.StringValue === type);
    expect(byType('VIOLATION_OPENED').map((m) => m.messageAttributes.account_id?.StringValue)).toEqual([compliant.accountId]);
    expect(byType('VIOLATION_RESOLVED').map((m) => m.messageAttributes.account_id?.StringValue)).toEqual([missing.accountId]);
    expect(byType('SWEEP_SUMMARY')).toHaveLength(1);
    for (const message of messages) {
      expect(message.subject).toMatch(/^[\x20-\x7E]{1,100}$/);
      expect(message.messageAttributes.severity?.StringValue).toMatch(/^(INFO|LOW|MEDIUM|HIGH)$/);
    }
    const days = await readdir(join(out, 'runs'), { recursive: true });
    expect(days.filter((p) => p.endsWith('report.json'))).toHaveLength(2);
    const latest = JSON.parse(await readFile(join(out, 'latest', 'report.json'), 'utf8')) as Report;
    expect(latest.runId).not.toBe(firstReport.runId);
    expect(latest.accounts.find((a) => a.accountId === compliant.accountId)!.findings.map((f) => f.code)).toEqual(['MISSING_CONTACT']);
  });

  it('escapes hostile contact text in the HTML and CSV it writes', async () => {
    const out = join(work, 'hostile');
    const run = await runMain(['sweep', '--config', policyPath, '--out', out, '--format', 'csv', ...FAST], emulatorEnv(emulator.url, MANAGEMENT_KEY, 20));
    expect(run.code).toBe(1);
    const html = await readFile(join(out, 'latest', 'report.html'), 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    const cells = run.stdout.split(/\r\n/).flatMap((line) => line.split(','));
    expect(cells.some((cell) => /^"?=HYPERLINK/i.test(cell))).toBe(false);
    expect(run.stdout).toMatch(/'=HYPERLINK/i);
  });
});

describe('contact-audit sweep under faults', () => {
  let faulty: Emulator;
  beforeAll(async () => {
    faulty = await startEmulator({ fixture, port: 0, quotaScale: 20, faultRate: 0.1, seed: 7 });
  });
  afterAll(async () => {
    await faulty?.close();
  });

  it('loses no account and reports nothing COMPLIANT that the rules would not pass', async () => {
    const run = await runMain(['sweep', '--config', policyPath, '--format', 'json', ...FAST], emulatorEnv(faulty.url, MANAGEMENT_KEY, 20));
    expect([1, 3]).toContain(run.code);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());
    const expected = await expectedStatuses();
    for (const account of report.accounts) {
      if (account.status === 'COMPLIANT') expect(expected.get(account.accountId)).toBe('COMPLIANT');
      if (account.status === 'UNKNOWN') expect(account.findings.some((f) => f.code === 'CHECK_FAILED' && f.errorCode)).toBe(true);
    }
    const faults = faulty.state().requestCounts;
    expect(faults.GetAlternateContact).toBeGreaterThan(3 * 30);
  });
});

describe('contact-audit basics', () => {
  it('prints help and the version', async () => {
    const help = await runMain(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/contact-audit sweep/);
    const version = await runMain(['--version'], {});
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = await runMain(['frobnicate'], {});
    expect(unknown.code).toBe(2);
  });
});

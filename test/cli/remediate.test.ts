/**
 * `contact-audit remediate` against the emulator, as a user runs it: a plan from the policy's
 * `expect` (with an OU override), a dry run that writes nothing, a plan refused once an account
 * changed, and one applied, read back and verified; the management account written in standalone
 * context, the others in organizations context.
 */
import { AccountClient, GetAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import type { RemediationReport } from '../../src/remediation/apply.ts';
import { planHash, type RemediationPlan } from '../../src/remediation/plan.ts';
import { emulatorEnv } from '../e2e/cli.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY, PROD_OU, smallOrgWithOus } from '../fixtures/organizations.ts';
import { runMain } from './inProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'remediate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECURITY = { name: 'Security Team', title: 'Security', emailAddress: 'security@example.com', phoneNumber: '+1 206 555 0100' };
const PROD_SECURITY_EMAIL = 'secops+prod@example.com';
const policyFile = join(dir, 'policy.yaml');
writeFileSync(
  policyFile,
  [
    'companyDomains: [example.com]',
    'requiredContactTypes: [SECURITY]',
    'expect:',
    `  SECURITY: ${JSON.stringify(SECURITY)}`,
    'overrides:',
    `  ${PROD_OU}:`,
    '    expect:',
    `      SECURITY: { emailAddress: "${PROD_SECURITY_EMAIL}" }`,
    '',
  ].join('\n'),
);

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ fixture: smallOrgWithOus(), port: 0, quotaScale: 20 });
});
afterEach(async () => emu.close());

const env = () => emulatorEnv(emu.url, MANAGEMENT, 20);
const run = (args: string[]) => runMain(['remediate', ...args], env());
const puts = () => emu.state().requestCounts.PutAlternateContact ?? 0;

async function makePlan(name: string): Promise<{ file: string; plan: RemediationPlan }> {
  const file = join(dir, name);
  const made = await run(['--plan', file, '--config', policyFile]);
  expect(made.code, made.stderr).toBe(0);
  return { file, plan: JSON.parse(readFileSync(file, 'utf8')) as RemediationPlan };
}

describe('remediate --plan', () => {
  it('plans each non-compliant contact with its current and desired values, the OU override applied, and writes nothing to AWS', async () => {
    const { plan } = await makePlan('plan.json');
    const byAccount = Object.fromEntries(plan.changes.map((c) => [c.accountId, c]));
    // The delegated admin's SECURITY is security@example.com already, but its name and phone differ.
    expect(Object.keys(byAccount).sort()).toEqual([DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY].sort());
    expect(byAccount[MEMBER]).toMatchObject({ contactType: 'SECURITY', current: null, desired: { ...SECURITY, emailAddress: PROD_SECURITY_EMAIL } });
    expect(byAccount[MEMBER_EMPTY]!.desired).toEqual(SECURITY);
    expect(byAccount[DELEGATED_ADMIN]!.current?.emailAddress).toBe('security@example.com');
    expect(puts()).toBe(0);
  });

  it('refuses a policy without expect: no contact has a desired value', async () => {
    const bare = join(dir, 'bare.yaml');
    writeFileSync(bare, 'companyDomains: [example.com]\n');
    const r = await run(['--plan', join(dir, 'never.json'), '--config', bare]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the policy has no expect section');
  });
});

describe('remediate --apply', () => {
  it('is a dry run without --confirm: says what it would write, writes nothing', async () => {
    const { file, plan } = await makePlan('dry.json');
    const r = await run(['--apply', file]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as RemediationReport;
    expect(report).toMatchObject({ dryRun: true, planSha256: planHash(readFileSync(file, 'utf8')) });
    expect(report.results.map((x) => x.outcome)).toEqual(plan.changes.map(() => 'WOULD_WRITE'));
    expect(r.stderr).toContain('Run again with --confirm to write');
    expect(puts()).toBe(0);
  });

  it('refuses the whole plan, writing nothing, when an account changed since it was made', async () => {
    const { file } = await makePlan('stale.json');
    const someone = new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' } });
    await someone.send(new PutAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'SECURITY', Name: 'Someone', Title: 'Else', EmailAddress: 'else@example.com', PhoneNumber: '+1 206 555 0199' }));
    someone.destroy();
    const before = puts();
    const r = await run(['--apply', file, '--confirm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused: 1 planned contact no longer holds the value the plan read \(\d{12} SECURITY is now else@example\.com\): nothing was written/);
    expect(puts()).toBe(before);
  });

  it('refuses a plan older than --max-age-hours, and a file that is not a plan', async () => {
    const { plan } = await makePlan('old.json');
    const old = join(dir, 'older.json');
    writeFileSync(old, JSON.stringify({ ...plan, createdAt: new Date(Date.now() - 25 * 3_600_000).toISOString() }));
    const r = await run(['--apply', old, '--confirm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hours ago, more than --max-age-hours 24: make a new plan/);
    expect((await run(['--apply', old, '--max-age-hours', '48'])).code).toBe(0);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...plan, changes: [{ ...plan.changes[0], accountId: 'x' }] }));
    const bad = await run(['--apply', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a remediation plan: changes.0.accountId: expected a 12-digit account ID');
    expect(puts()).toBe(0);
  });

  it('with --confirm writes exactly the plan, reads each contact back, and reports each VERIFIED', async () => {
    const { file, plan } = await makePlan('apply.json');
    const out = join(dir, 'remediation.json');
    const r = await run(['--apply', file, '--confirm', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as RemediationReport;
    expect(report).toMatchObject({ dryRun: false, ranBy: expect.stringContaining(`:${MANAGEMENT}:`), planSha256: planHash(readFileSync(file, 'utf8')) });
    expect(report.results).toEqual(plan.changes.map((c) => ({ accountId: c.accountId, contactType: 'SECURITY', outcome: 'VERIFIED' })));
    expect(puts()).toBe(plan.changes.length);
    // What AWS holds now is the desired value.
    const account = new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: MANAGEMENT, secretAccessKey: 'x' } });
    const member = await account.send(new GetAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'SECURITY' }));
    account.destroy();
    expect(member.AlternateContact?.EmailAddress).toBe(PROD_SECURITY_EMAIL);
    // The management account in standalone context (no AccountId), every other one in organizations context.
    const writes = emu.state().cloudtrailEvents.filter((e) => e.eventName === 'PutAlternateContact');
    const named = writes.map((e) => (e.requestParameters as { accountId?: string } | undefined)?.accountId ?? 'standalone').sort();
    expect(named).toEqual([DELEGATED_ADMIN, MEMBER, MEMBER_EMPTY, 'standalone'].sort());
    // The next sweep finds nothing left to change.
    const again = await run(['--plan', join(dir, 'after.json'), '--config', policyFile]);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, 'after.json'), 'utf8')) as RemediationPlan).changes).toEqual([]);
  });
});

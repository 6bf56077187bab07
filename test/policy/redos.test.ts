/**
 * A policy regular expression can never hang a run: `^(a+)+$` against a 50-'a' local part (2^50
 * backtracking steps in an ordinary engine) finishes with the right finding, in the rules, in a
 * sweep and in the real-time event path; patterns that cannot be matched in linear time are refused
 * at load, naming the field.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type Fixture, startEmulator } from '@contact-auditor/aws-emulator';
import { PolicyError, parsePolicy } from '../../src/policy/load.ts';
import { hasNestedRepetition } from '../../src/policy/regex.ts';
import { emulatorEnv } from '../e2e/cli.ts';
import { MANAGEMENT, MEMBER } from '../fixtures/organizations.ts';

const EVIL = '^(a+)+$';
const HOSTILE_ADDRESS = `${'a'.repeat(50)}-@example.com`;
const BIN = fileURLToPath(new URL('../../bin/contact-audit.js', import.meta.url));
const good = (local: string) => ({ name: local, title: 'Team', emailAddress: `${local}@example.com`, phoneNumber: '+1 206 555 0100' });
const fixture: Fixture = {
  organization: { id: 'o-abc123defg', managementAccountId: MANAGEMENT, trustedAccess: true },
  accounts: [
    { id: MANAGEMENT, name: 'management', email: 'root@example.com', state: 'ACTIVE', contacts: { BILLING: good('billing'), OPERATIONS: good('ops'), SECURITY: good('aaaa') } },
    { id: MEMBER, name: 'member', email: 'm@example.com', state: 'ACTIVE', contacts: { BILLING: good('billing'), OPERATIONS: good('ops'), SECURITY: { ...good('x'), emailAddress: HOSTILE_ADDRESS } } },
  ],
};

/** A node child process, killed after `ms` so a hang fails the test instead of stalling the suite. */
function run(args: string[], env: Record<string, string>, ms = 60_000, node: string[] = [BIN]): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...node, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, ms);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

describe('ReDoS-safe policy patterns', () => {
  it('rules: ^(a+)+$ against a hostile local part finishes with EMAIL_PATTERN_MISMATCH', async () => {
    // In a child process: an engine that backtracks would block this one for ever, out of reach of any time-out.
    const rules = fileURLToPath(new URL('../../src/rules/evaluate.ts', import.meta.url));
    const load = fileURLToPath(new URL('../../src/policy/load.ts', import.meta.url));
    const script = `
      const { evaluateAccount } = await import(${JSON.stringify(rules)});
      const { parsePolicy } = await import(${JSON.stringify(load)});
      const policy = parsePolicy({ companyDomains: ['example.com'], emailLocalPartPatterns: { SECURITY: ${JSON.stringify(EVIL)} } });
      const contact = (emailAddress) => ({ kind: 'present', contact: { name: 'n', title: 't', emailAddress, phoneNumber: '+1 206 555 0100' } });
      const reads = (security) => ({ BILLING: contact('billing@example.com'), OPERATIONS: contact('ops@example.com'), SECURITY: contact(security) });
      const acct = { id: '333333333333', name: 'x', state: 'ACTIVE' };
      const bad = evaluateAccount(acct, reads(${JSON.stringify(HOSTILE_ADDRESS)}), policy, '2026-11-22');
      const good = evaluateAccount(acct, reads('${'a'.repeat(60)}@example.com'), policy, '2026-11-22');
      process.stdout.write(JSON.stringify({ bad: bad.findings.map((f) => f.contactType + ':' + f.code), good: good.status }));
    `;
    const result = await run(['--input-type=module', '-e', script], {}, 60_000, ['--import', 'tsx']);
    expect(result.killed).toBe(false);
    expect(JSON.parse(result.stdout)).toEqual({ bad: ['SECURITY:EMAIL_PATTERN_MISMATCH'], good: 'COMPLIANT' });
  }, 90_000);

  it.each([
    ['a backreference', '^(a)\\1$'],
    ['a lookahead', '^(?=sec)\\w+$'],
    // A lookbehind is refused on Node 20 only: Node 22's linear engine runs it in linear time.
  ])('refuses %s at load, naming the field', (_name, pattern) => {
    expect(() => parsePolicy({ companyDomains: ['example.com'], emailLocalPartPatterns: { SECURITY: pattern } })).toThrow(PolicyError);
    expect(() => parsePolicy({ companyDomains: ['example.com'], emailLocalPartPatterns: { SECURITY: pattern } })).toThrow(/emailLocalPartPatterns\.SECURITY: unsafe regular expression/);
  });

  it('the fallback check (no linear engine) spots nested repetition and leaves plain patterns alone', () => {
    for (const p of ['^(a+)+$', '(a*)*', '(a|aa)+', '^(\\w+\\s?)*$', '((ab)+c)*', '(a{2,})+']) expect(hasNestedRepetition(p), p).toBe(true);
    for (const p of ['^(security|secops)$', '^[a-z]+$', '^sec(ops)?$', '[(+*)]+', '\\(a+\\)+', '^(ab)+$']) expect(hasNestedRepetition(p), p).toBe(false);
  });

  describe('end to end', () => {
    let emu: Emulator;
    let dir: string;
    beforeAll(async () => {
      emu = await startEmulator({ fixture, port: 0, quotaScale: 100 });
      dir = mkdtempSync(join(tmpdir(), 'contact-audit-redos-'));
      writeFileSync(join(dir, 'policy.json'), JSON.stringify({ companyDomains: ['example.com'], emailLocalPartPatterns: { SECURITY: EVIL } }));
    });
    afterAll(async () => {
      await emu?.close();
    });

    it('sweep finishes: the member is NON_COMPLIANT with EMAIL_PATTERN_MISMATCH, exit 1', async () => {
      const result = await run(['sweep', '--config', join(dir, 'policy.json'), '--format', 'json', '--rate', '100'], emulatorEnv(emu.url, 'AKIAMANAGEMENTKEY', 100));
      expect(result.killed).toBe(false);
      const report = JSON.parse(result.stdout);
      const member = report.accounts.find((a: { accountId: string }) => a.accountId === MEMBER);
      expect(member.status).toBe('NON_COMPLIANT');
      expect(member.findings.map((f: { code: string }) => f.code)).toEqual(['EMAIL_PATTERN_MISMATCH']);
      expect(report.accounts.find((a: { accountId: string }) => a.accountId === MANAGEMENT).status).toBe('COMPLIANT');
      expect(result.code).toBe(1);
    }, 90_000);

    it('event finishes: the CONTACT_CHANGED alert says NON_COMPLIANT with EMAIL_PATTERN_MISMATCH', async () => {
      const event = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(new URL('../events/org-context-put-accountId.json', import.meta.url), 'utf8')));
      event.detail.requestParameters.accountId = MEMBER;
      const file = join(dir, 'event.json');
      writeFileSync(file, JSON.stringify(event));
      const result = await run(['event', file, '--config', join(dir, 'policy.json')], emulatorEnv(emu.url, 'AKIAMANAGEMENTKEY', 100));
      expect(result.killed).toBe(false);
      const alert = JSON.parse(result.stdout.trim().split('\n')[0] ?? '{}');
      expect(alert.eventType).toBe('CONTACT_CHANGED');
      expect(alert.data.status).toBe('NON_COMPLIANT');
      expect(alert.data.findings.map((f: { code: string }) => f.code)).toEqual(['EMAIL_PATTERN_MISMATCH']);
      expect(result.code).toBe(0);
    }, 90_000);
  });
});

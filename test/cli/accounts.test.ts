/**
 * `sweep --accounts ID,…` on a large organization reads only the named accounts: one
 * DescribeAccount each and no ListAccounts nor walk of the OU tree; the OU lookup (ListParents up
 * to the root) only when the policy has OU-keyed overrides. Counted on the emulator's recorded calls.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.ts';
import { type Emulator, type Fixture, generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import { emulatorEnv } from '../e2e/cli.ts';
import { runMain } from './inProcess.ts';

let emu: Emulator;
let fixture: Fixture;
let work: string;

beforeAll(async () => {
  fixture = generateOrganization({ accounts: 2000, seed: 21 });
  emu = await startEmulator({ fixture, port: 0, quotaScale: 20 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-accounts-'));
});
afterAll(async () => {
  await emu?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const caller = () => fixture.organization.delegatedAdminAccountId ?? fixture.organization.managementAccountId;
/** Two active members of the generated organization, not the caller nor the management account. */
const members = () =>
  fixture.accounts.filter((a) => a.state === 'ACTIVE' && a.id !== caller() && a.id !== fixture.organization.managementAccountId).slice(5, 7);

/** What the emulator counted during `run`, per operation. */
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; calls: Record<string, number> }> {
  const before = { ...emu.state().requestCounts };
  const result = await run();
  const after = emu.state().requestCounts;
  const calls: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) if (n - (before[op] ?? 0) > 0) calls[op] = n - (before[op] ?? 0);
  return { result, calls };
}

const sweep = (args: string[]) => runMain(['sweep', '--format', 'json', ...args], emulatorEnv(emu.url, caller(), 20));

describe('sweep --accounts on a 2,000-account organization', () => {
  it('reads the named accounts only: DescribeAccount each, no ListAccounts, no OU tree', async () => {
    const ids = members().map((a) => a.id);
    const { result, calls } = await counted(() => sweep(['--domain', 'example.com', '--accounts', ids.join(',')]));

    expect(result.stderr).not.toContain('contact-audit:');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual([...ids].sort());
    expect(calls.DescribeAccount).toBe(2);
    expect(calls.ListAccounts).toBeUndefined();
    expect(calls.ListAccountsForParent).toBeUndefined();
    expect(calls.ListOrganizationalUnitsForParent).toBeUndefined();
    expect(calls.ListParents).toBeUndefined();
    // The three contacts of each, plus the one set-up probe of the caller's own contact.
    expect(calls.GetAlternateContact).toBe(2 * 3 + 1);
  });

  it('with an override keyed by an OU: the OU of each named account is looked up (ListParents), and applied', async () => {
    const [one] = members();
    const ouId = fixture.accounts.find((a) => a.id === one!.id)!.parentId!;
    const policy = join(work, 'ou-policy.json');
    await writeFile(policy, JSON.stringify({ companyDomains: ['example.com'], overrides: { [ouId]: { requiredContactTypes: ['SECURITY'] } } }));

    const { result, calls } = await counted(() => sweep(['--config', policy, '--accounts', one!.id]));

    const report = JSON.parse(result.stdout) as Report;
    expect(report.accounts[0]!.ou?.id).toBe(ouId);
    expect(calls.ListParents).toBeGreaterThanOrEqual(1);
    expect(calls.ListAccounts).toBeUndefined();
    expect(calls.ListAccountsForParent).toBeUndefined();
    // Only SECURITY is read for it (the override), plus the set-up probe.
    expect(calls.GetAlternateContact).toBe(1 + 1);
  });

  it('an ID that is not in the organization is a usage error naming it, before any contact is read', async () => {
    const { result, calls } = await counted(() => sweep(['--domain', 'example.com', '--accounts', `${members()[0]!.id},000000000001`]));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('contact-audit: --accounts: not in the organization: 000000000001\n');
    expect(calls.GetAlternateContact).toBeUndefined();
  });
});

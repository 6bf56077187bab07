/** The fixture format (SPEC §10), the deterministic generator and the `emulator` subcommand. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../src/command.ts';
import { FixtureError, loadFixture, parseFixture } from '../src/fixture.ts';
import { generateOrganization } from '../src/generate.ts';
import { smallOrg } from '../../../test/fixtures/organizations.ts';
import { capturedIo } from './helpers.ts';

const SPEC_EXAMPLE = {
  organization: { id: 'o-abc123defg', managementAccountId: '111111111111', delegatedAdminAccountId: '222222222222', trustedAccess: true },
  accounts: [
    { id: '222222222222', name: 'sec', email: 'aws+sec@example.com', state: 'ACTIVE', contacts: {} },
    {
      id: '333333333333',
      name: 'prod-app',
      email: 'aws+prod@example.com',
      state: 'ACTIVE',
      contacts: {
        BILLING: { name: 'Billing Team', title: 'Finance', emailAddress: 'billing@example.com', phoneNumber: '+1 206 555 0100' },
        OPERATIONS: null,
        SECURITY: null,
      },
    },
  ],
};

describe('parseFixture', () => {
  it('accepts the SPEC §10 example and adds the absent management account as ACTIVE with no contacts', () => {
    const f = parseFixture(structuredClone(SPEC_EXAMPLE));
    expect(f.accounts.map((a) => a.id)).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(f.accounts[0]).toMatchObject({ state: 'ACTIVE', contacts: {} });
    expect(f.accounts[2]?.contacts.BILLING?.emailAddress).toBe('billing@example.com');
  });

  const broken = (mutate: (f: any) => void) => {
    const f = structuredClone(SPEC_EXAMPLE) as any;
    mutate(f);
    return () => parseFixture(f);
  };

  it.each([
    ['organization', (f: any) => delete f.organization],
    ['organization.id', (f: any) => (f.organization.id = 'org-1')],
    ['organization.managementAccountId', (f: any) => (f.organization.managementAccountId = '1234')],
    ['organization.trustedAccess', (f: any) => (f.organization.trustedAccess = 'yes')],
    ['organization.delegatedAdminAccountId', (f: any) => (f.organization.delegatedAdminAccountId = '444444444444')],
    ['accounts', (f: any) => (f.accounts = {})],
    ['accounts[1].id', (f: any) => (f.accounts[1].id = 'abc')],
    ['accounts[1].id', (f: any) => (f.accounts[1].id = '222222222222')],
    ['accounts[1].state', (f: any) => (f.accounts[1].state = 'DORMANT')],
    ['accounts[0].name', (f: any) => (f.accounts[0].name = 7)],
    ['accounts[1].contacts.PRIMARY', (f: any) => (f.accounts[1].contacts.PRIMARY = null)],
    ['accounts[1].contacts.BILLING.phoneNumber', (f: any) => delete f.accounts[1].contacts.BILLING.phoneNumber],
  ])('names the bad field %s', (field, mutate) => {
    expect(broken(mutate)).toThrow(FixtureError);
    expect(broken(mutate)).toThrow(field);
  });

  it('loadFixture reports unreadable files and bad JSON as FixtureError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixture-'));
    await writeFile(join(dir, 'bad.json'), '{ nope');
    await expect(loadFixture(join(dir, 'bad.json'))).rejects.toThrow(/not valid JSON/);
    await expect(loadFixture(join(dir, 'missing.json'))).rejects.toThrow(FixtureError);
  });
});

describe('generateOrganization', () => {
  it('is deterministic: same seed → identical fixture, different seed → different', () => {
    expect(generateOrganization({ accounts: 200, seed: 3 })).toEqual(generateOrganization({ accounts: 200, seed: 3 }));
    expect(generateOrganization({ accounts: 200, seed: 4 })).not.toEqual(generateOrganization({ accounts: 200, seed: 3 }));
  });

  it('is a valid fixture with the management and delegated-admin accounts and unique 12-digit IDs', () => {
    const f = generateOrganization({ accounts: 500, seed: 1 });
    expect(() => parseFixture(structuredClone(f))).not.toThrow();
    const ids = f.accounts.map((a) => a.id);
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => /^\d{12}$/.test(id))).toBe(true);
    expect(ids).toContain(f.organization.managementAccountId);
    expect(ids).toContain(f.organization.delegatedAdminAccountId);
  });

  it('gives every primary contact a phone VerificationStatus, a few UNVERIFIED', () => {
    // Act
    const f = generateOrganization({ accounts: 1000, seed: 1 });
    // Assess
    const withContact = f.accounts.filter((a) => a.contactInformation);
    expect(withContact.every((a) => a.phoneVerificationStatus === 'VERIFIED' || a.phoneVerificationStatus === 'UNVERIFIED')).toBe(true);
    const unverified = withContact.filter((a) => a.phoneVerificationStatus === 'UNVERIFIED').length;
    expect(unverified).toBeGreaterThan(5);
    expect(unverified).toBeLessThan(withContact.length / 10);
    expect(f.accounts.filter((a) => !a.contactInformation).every((a) => a.phoneVerificationStatus === undefined)).toBe(true);
  });

  it('has a realistic mix: ~80% compliant, inactive accounts and every kind of violation', () => {
    const f = generateOrganization({ accounts: 1000, seed: 1 });
    const contacts = f.accounts.flatMap((a) => Object.values(a.contacts));
    const emails = contacts.flatMap((c) => (c ? [c.emailAddress] : []));
    const phones = contacts.flatMap((c) => (c ? [c.phoneNumber] : []));
    const compliant = f.accounts.filter(
      (a) =>
        a.state === 'ACTIVE' &&
        (['BILLING', 'OPERATIONS', 'SECURITY'] as const).every((t) => {
          const c = a.contacts[t];
          return c && /^[a-z]+@([a-z]+\.)?example\.com$/.test(c.emailAddress) && /^\+1[ (-]*206[ )-]*555[ -]\d{4}$/.test(c.phoneNumber);
        }) &&
        /^(security|secops)@/.test(a.contacts.SECURITY?.emailAddress ?? '') &&
        new Set(Object.values(a.contacts).map((c) => c?.emailAddress)).size === 3,
    );
    expect(compliant.length / f.accounts.length).toBeGreaterThan(0.75);
    expect(compliant.length / f.accounts.length).toBeLessThan(0.88);
    expect(f.accounts.some((a) => a.state === 'SUSPENDED')).toBe(true);
    expect(f.accounts.some((a) => a.state === 'CLOSED' || a.state === 'PENDING_CLOSURE')).toBe(true);
    expect(f.accounts.some((a) => Object.values(a.contacts).includes(null))).toBe(true);
    expect(emails.some((e) => e.endsWith('@gmail.com'))).toBe(true);
    expect(emails.some((e) => e.endsWith('@example.com.evil.io'))).toBe(true);
    expect(emails.some((e) => e.endsWith('@evil-example.com'))).toBe(true);
    expect(emails.some((e) => e.includes('ex\u0430mple.com'))).toBe(true);
    expect(emails.some((e) => !/^[\w+=,.-]+@[\w.-]+\.\w+$/.test(e))).toBe(true);
    expect(f.accounts.some((a) => a.contacts.SECURITY && !/^(security|secops)/.test(a.contacts.SECURITY.emailAddress))).toBe(true);
    expect(phones.some((p) => !/^[\s0-9()+-]+$/.test(p))).toBe(true);
    expect(phones.some((p) => /^[\s0-9()+-]+$/.test(p) && !p.replace(/\D/g, '').startsWith('1206555'))).toBe(true);
    expect(f.accounts.some((a) => {
      const e = Object.values(a.contacts).flatMap((c) => (c ? [c.emailAddress] : []));
      return new Set(e).size < e.length;
    })).toBe(true);
  });

  it('generates 10,000 accounts with distinct 12-digit IDs (npm run bench prints how long it takes)', () => {
    const f = generateOrganization({ accounts: 10_000, seed: 9 });
    expect(f.accounts).toHaveLength(10_000);
    expect(new Set(f.accounts.map((a) => a.id)).size).toBe(10_000);
    expect(f.accounts.every((a) => /^\d{12}$/.test(a.id))).toBe(true);
  });
});

describe('contact-audit emulator', () => {

  it.each([
    [['--port', 'abc'], '--port'],
    [['--fault-rate', '1.5'], '--fault-rate'],
    [['--quota-scale', '0'], '--quota-scale'],
    [['--latency-ms', '-1'], '--latency-ms'],
    [['--generate', 'ten'], '--generate'],
    [['--seed', '3'], '--seed'],
    [['--fixture', 'a.json', '--generate', '5'], '--fixture'],
    [['--bogus'], 'bogus'],
  ])('%j is a usage error (exit 2) naming the flag', async (argv, flag) => {
    const { out, io: streams } = capturedIo();
    expect(await emulatorCommand(argv, streams)).toBe(2);
    expect(out.stderr).toContain(flag);
  });

  it('a bad fixture file is a usage error naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixture-'));
    const file = join(dir, 'f.json');
    const f = smallOrg() as any;
    f.accounts[2].state = 'NAPPING';
    await writeFile(file, JSON.stringify(f));
    const { out, io: streams } = capturedIo();
    expect(await emulatorCommand(['--fixture', file], streams)).toBe(2);
    expect(out.stderr).toContain('accounts[2].state');
  });

  it('starts, prints the URL and the shell lines, serves, and stops with exit 0', async () => {
    const { out, io: streams } = capturedIo();
    const stop = new AbortController();
    const run = emulatorCommand(['--generate', '12', '--seed', '5'], streams, stop.signal);
    await expect.poll(() => out.stdout, { timeout: 5000 }).toContain('export AWS_ENDPOINT_URL=');
    const url = /export AWS_ENDPOINT_URL=(\S+)/.exec(out.stdout)?.[1] as string;
    const delegated = generateOrganization({ accounts: 12, seed: 5 }).organization.delegatedAdminAccountId;
    expect(out.stdout).toContain(`export AWS_ACCESS_KEY_ID=${delegated}`);
    const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { accounts: unknown[] };
    expect(state.accounts).toHaveLength(12);
    stop.abort();
    expect(await run).toBe(0);
    await expect(fetch(`${url}/_emulator/state`)).rejects.toThrow();
  });
});

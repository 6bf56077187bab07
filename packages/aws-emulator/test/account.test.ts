/**
 * Account Management against the emulator with the real SDK client. Each behaviour names its page
 * in the AWS Account Management reference guide.
 */
import {
  DeleteAlternateContactCommand,
  GetAlternateContactCommand,
  PutAlternateContactCommand,
  type AlternateContactType,
} from '@aws-sdk/client-account';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.ts';
import { clients, failure } from './helpers.ts';
import { billing, DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY, OUTSIDER, smallOrg } from '../../../test/fixtures/organizations.ts';

const put = (AccountId: string | undefined, over: Record<string, string> = {}) =>
  new PutAlternateContactCommand({
    ...(AccountId ? { AccountId } : {}),
    AlternateContactType: 'OPERATIONS',
    Name: 'Ops Team',
    Title: 'Operations',
    EmailAddress: 'operations@example.com',
    PhoneNumber: '+1 206 555 0101',
    ...over,
  } as never);
const get = (AccountId: string | undefined, type: AlternateContactType = 'BILLING') =>
  new GetAlternateContactCommand({ ...(AccountId ? { AccountId } : {}), AlternateContactType: type });

let emu: Emulator;
afterEach(async () => emu.close());

describe('Understanding API modes of operation', () => {
  beforeEach(async () => {
    emu = await startEmulator({ fixture: smallOrg() });
  });

  it('standalone context (no AccountId) reads the caller’s own contacts', async () => {
    // Prepare
    const { account } = clients(emu, MEMBER);
    // Act
    const out = await account.send(get(undefined));
    // Assess
    expect(out.AlternateContact).toEqual({ AlternateContactType: 'BILLING', EmailAddress: billing.emailAddress, Name: billing.name, PhoneNumber: billing.phoneNumber, Title: billing.title });
  });

  it('a non-12-digit access key is the management account, which reads its own contacts in standalone context', async () => {
    const { account } = clients(emu, 'AKIAIOSFODNN7EXAMPLE');
    const out = await account.send(get(undefined));
    expect(out.AlternateContact?.EmailAddress).toBe('billing@example.com');
    await account.send(put(undefined));
    expect(emu.state().accounts.find((a) => a.id === MANAGEMENT)?.contacts.OPERATIONS?.emailAddress).toBe('operations@example.com');
  });

  it('a caller outside the organization is a standalone account with no contacts, created on first use', async () => {
    const { account } = clients(emu, OUTSIDER);
    expect((await failure(account.send(get(undefined)))).name).toBe('ResourceNotFoundException');
    await account.send(put(undefined));
    expect((await account.send(get(undefined, 'OPERATIONS'))).AlternateContact?.Name).toBe('Ops Team');
    expect(emu.state().standaloneAccounts.map((a) => a.id)).toEqual([OUTSIDER]);
  });

  it.each([
    ['management account', MANAGEMENT],
    ['delegated admin', DELEGATED_ADMIN],
  ])('the %s reads a member account in organizations context', async (_, caller) => {
    const { account } = clients(emu, caller);
    const out = await account.send(get(MEMBER));
    expect(out.AlternateContact?.EmailAddress).toBe('billing@example.com');
  });

  it('the delegated admin may name its own ID', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const out = await account.send(get(DELEGATED_ADMIN, 'SECURITY'));
    expect(out.AlternateContact?.EmailAddress).toBe('security@example.com');
  });

  it.each([
    ['the delegated admin', DELEGATED_ADMIN],
    ['the management account itself', MANAGEMENT],
    ['a non-numeric key (management)', 'AKIAIOSFODNN7EXAMPLE'],
  ])('no caller can name the management account in organizations context: %s gets 403 AccessDenied', async (_, caller) => {
    const { account } = clients(emu, caller);
    const err = await failure(account.send(get(MANAGEMENT)));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toMatch(/\(The management account can only be managed using the standalone context from the management account\.\)$/);
  });

  it('a member account naming another account (or itself) gets AccessDenied', async () => {
    const { account } = clients(emu, MEMBER);
    expect((await failure(account.send(get(MEMBER_EMPTY)))).name).toBe('AccessDeniedException');
    expect((await failure(account.send(get(MEMBER)))).name).toBe('AccessDeniedException');
  });

  it('an account outside the organization as target gets AccessDenied', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(account.send(get(OUTSIDER)));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('not a member of organization');
  });

  it('an AccountId not matching ^\\d{12}$ is a ValidationException', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(account.send(get('12345')));
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('trusted access (AccountId parameter: "the organization must have trusted access enabled")', () => {
  it('without trusted access, organizations context is denied and names account.amazonaws.com', async () => {
    emu = await startEmulator({ fixture: smallOrg({ trustedAccess: false }) });
    const { account } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(account.send(get(MEMBER)));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toMatch(/trusted access/);
    expect(err.message).toContain('account.amazonaws.com');
    // standalone context still works
    expect((await account.send(get(undefined, 'SECURITY'))).AlternateContact).toBeDefined();
  });
});

describe('PutAlternateContact / GetAlternateContact / DeleteAlternateContact (API reference)', () => {
  beforeEach(async () => {
    emu = await startEmulator({ fixture: smallOrg() });
  });

  it('Put then Get round-trips, and a second Put overwrites', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(put(MEMBER_EMPTY));
    await account.send(put(MEMBER_EMPTY, { Name: 'New Ops' }));
    const out = await account.send(get(MEMBER_EMPTY, 'OPERATIONS'));
    expect(out.AlternateContact).toEqual({ AlternateContactType: 'OPERATIONS', Name: 'New Ops', Title: 'Operations', EmailAddress: 'operations@example.com', PhoneNumber: '+1 206 555 0101' });
  });

  it('Get of a missing contact is ResourceNotFoundException (404)', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(account.send(get(MEMBER, 'SECURITY')));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
  });

  it('Delete succeeds once; the second Delete is ResourceNotFoundException', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(new DeleteAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'BILLING' }));
    const err = await failure(account.send(new DeleteAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'BILLING' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect((await failure(account.send(get(MEMBER)))).name).toBe('ResourceNotFoundException');
  });

  it.each([
    ['EmailAddress', { EmailAddress: 'not-an-email' }],
    ['EmailAddress', { EmailAddress: 'billing@example.com trailing' }],
    ['EmailAddress', { EmailAddress: `${'a'.repeat(243)}@example.com` }], // 255 > the model's 254
    ['EmailAddress', { EmailAddress: 'a,b@example.com' }], // the older guide text allowed a comma; the current model does not
    ['EmailAddress', { EmailAddress: '\u00A0billing@example.com' }], // NBSP is not ASCII white space
    ['EmailAddress', { EmailAddress: 'billing@example.com\u2028' }],
    ['EmailAddress', { EmailAddress: '\uFEFFbilling@example.com' }],
    ['EmailAddress', { EmailAddress: 'jos\u00E9@example.com' }], // \w is ASCII
    ['PhoneNumber', { PhoneNumber: '\u3000+1 206 555 0100' }],
    ['EmailAddress', { EmailAddress: 'security@ex\u0430mple.com' }],
    ['EmailAddress', { EmailAddress: '' }],
    ['Name', { Name: '' }],
    ['Name', { Name: 'n'.repeat(65) }],
    ['Title', { Title: 't'.repeat(51) }],
    ['PhoneNumber', { PhoneNumber: '+1 206 555 0100 ext. 7' }],
    ['PhoneNumber', { PhoneNumber: '1'.repeat(26) }],
    ['AlternateContactType', { AlternateContactType: 'Billing' }],
  ])('Put with a bad %s is a ValidationException naming the field', async (field, over) => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(account.send(put(MEMBER, over)));
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((err.fieldList as { name: string }[]).map((f) => f.name)).toContain(field);
  });

  it.each([
    ['a 72-character address (over the old 64)', `${'a'.repeat(60)}@example.com`],
    ['a 254-character address', `${'a'.repeat(242)}@example.com`],
    ['the model\'s extra local-part characters # | ! &', 'sec#ops|x!y&z@example.com'],
    ['ASCII white space around the address', ' \tbilling@example.com \r\n'],
  ])('Put accepts %s (current API model, EmailAddress)', async (_, EmailAddress) => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(put(MEMBER, { EmailAddress }));
    expect((await account.send(get(MEMBER, 'OPERATIONS'))).AlternateContact?.EmailAddress).toBe(EmailAddress);
  });

  it('Put accepts any Name and Title text within the lengths (the model sets no pattern for them)', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(put(MEMBER, { Name: 'Zoë Ångström 安全', Title: 'Sécurité' }));
    expect((await account.send(get(MEMBER, 'OPERATIONS'))).AlternateContact).toMatchObject({ Name: 'Zoë Ångström 安全', Title: 'Sécurité' });
  });

  it('Put without a required field is a ValidationException', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(
      account.send(new PutAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'BILLING', Name: 'n', EmailAddress: 'a@example.com' } as never)),
    );
    expect(err.name).toBe('ValidationException');
    expect((err.fieldList as { name: string }[]).map((f) => f.name).sort()).toEqual(['PhoneNumber', 'Title']);
  });

  it('Get and Delete with a bad contact type are ValidationExceptions', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    expect((await failure(account.send(get(MEMBER, 'PRIMARY' as never)))).name).toBe('ValidationException');
    expect((await failure(account.send(new DeleteAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'x' as never })))).name).toBe('ValidationException');
  });

  it('an unknown operation is a 400 error, not a crash', async () => {
    const res = await fetch(`${emu.url}/getRegionOptStatus`, {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/account/aws4_request, SignedHeaders=host, Signature=x', 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('malformed JSON is a 400 error and the server keeps answering', async () => {
    const res = await fetch(`${emu.url}/getAlternateContact`, {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/account/aws4_request, SignedHeaders=host, Signature=x', 'content-type': 'application/json' },
      body: '{"AlternateContactType":',
    });
    expect(res.status).toBe(400);
    expect((await clients(emu, MEMBER).account.send(get(undefined))).AlternateContact).toBeDefined();
  });
});

describe('Quotas for AWS Account Management (per calling account)', () => {
  it('a burst of 30 parallel Gets at scale 1 exceeds burst 15: some get 429 TooManyRequestsException', async () => {
    // Prepare: the clock stands still, so the 30 calls are one instant however slow the machine.
    emu = await startEmulator({ fixture: smallOrg(), now: () => 0 });
    const { account } = clients(emu, DELEGATED_ADMIN);
    // Act
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => account.send(get(MEMBER))));
    // Assess: the burst is answered, the rest are refused (the bucket never refills).
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.length - rejected.length).toBe(15);
    expect(rejected).toHaveLength(15);
    for (const r of rejected) {
      expect(r.reason.name).toBe('TooManyRequestsException');
      expect(r.reason.$metadata.httpStatusCode).toBe(429);
    }
    const state = emu.state();
    expect(state.throttledCounts.GetAlternateContact).toBe(15);
    expect(state.requestCounts.GetAlternateContact).toBe(30);
  });

  it('the quota is per calling account: another caller is not throttled by the first one’s burst', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    await Promise.allSettled(Array.from({ length: 20 }, () => clients(emu, DELEGATED_ADMIN).account.send(get(MEMBER))));
    await expect(clients(emu, MANAGEMENT).account.send(get(MEMBER))).resolves.toBeDefined();
  });

  it('Gets paced at 10/s (one every 100 ms) are never throttled, past the burst', async () => {
    let now = 0;
    emu = await startEmulator({ fixture: smallOrg(), now: () => now });
    const { account } = clients(emu, DELEGATED_ADMIN);
    for (let i = 0; i < 40; i++) {
      await account.send(get(MEMBER));
      now += 100;
    }
    expect(emu.state().throttledCounts.GetAlternateContact ?? 0).toBe(0);
    expect(emu.state().requestCounts.GetAlternateContact).toBe(40);
  });

  it('the bucket refills at 10/s: half a token 50 ms after the burst is spent is a 429, 100 ms later a Get is answered', async () => {
    let now = 0;
    emu = await startEmulator({ fixture: smallOrg(), now: () => now });
    const { account } = clients(emu, DELEGATED_ADMIN);
    for (let i = 0; i < 15; i++) await account.send(get(MEMBER));
    now = 50;
    expect((await failure(account.send(get(MEMBER)))).name).toBe('TooManyRequestsException');
    now = 150;
    await expect(account.send(get(MEMBER))).resolves.toBeDefined();
  });

  it('Delete allows a burst of 2 only', async () => {
    emu = await startEmulator({ fixture: smallOrg(), now: () => 0 });
    const { account } = clients(emu, DELEGATED_ADMIN);
    const results = await Promise.allSettled(
      (['BILLING', 'OPERATIONS', 'SECURITY', 'BILLING'] as const).map((t) => account.send(new DeleteAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: t }))),
    );
    expect(results.filter((r) => r.status === 'rejected' && r.reason.name === 'TooManyRequestsException')).toHaveLength(2);
  });

  it('quotaScale multiplies the quotas: 30 parallel Gets at scale 3 (burst 45) are all answered', async () => {
    emu = await startEmulator({ fixture: smallOrg(), quotaScale: 3 });
    const { account } = clients(emu, DELEGATED_ADMIN);
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => account.send(get(MEMBER))));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(emu.state().throttledCounts.GetAlternateContact ?? 0).toBe(0);
  });
});

/** Contact-surface emulator operations: primary contact, root e-mail and the OU tree, with validation, context rules and quotas. */
import {
  AcceptPrimaryEmailUpdateCommand,
  GetContactInformationCommand,
  GetPrimaryEmailCommand,
  PutContactInformationCommand,
  StartPrimaryEmailUpdateCommand,
} from '@aws-sdk/client-account';
import { ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, ListParentsCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFixture } from '../src/fixture.ts';
import { startEmulator, type Emulator } from '../src/server.ts';
import { clients, failure } from './helpers.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY, PRIMARY_CONTACT as INFO, smallOrg, smallOrgWithOus } from '../../../test/fixtures/organizations.ts';

function fixture() {
  return parseFixture(smallOrgWithOus());
}

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ fixture: fixture(), port: 0 });
});
afterEach(async () => {
  await emu.close();
});

describe('GetContactInformation / PutContactInformation', () => {
  it('puts and gets a member primary contact in organizations context, and records the Put without the values', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    expect((await failure(account.send(new GetContactInformationCommand({ AccountId: MEMBER })))).name).toBe('ResourceNotFoundException');
    await account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: INFO }));
    const out = await account.send(new GetContactInformationCommand({ AccountId: MEMBER }));
    expect(out.ContactInformation).toEqual(INFO);
    const event = emu.state().cloudtrailEvents.find((e) => e.eventName === 'PutContactInformation')!;
    expect(event.requestParameters).toEqual({ accountId: MEMBER, contactInformation: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    expect(JSON.stringify(event)).not.toContain('Example Corp');
  });

  it('refuses the management account in organizations context, even to the delegated admin; allows standalone', async () => {
    const admin = clients(emu, DELEGATED_ADMIN).account;
    const denied = await failure(admin.send(new GetContactInformationCommand({ AccountId: MANAGEMENT })));
    expect(denied.name).toBe('AccessDeniedException');
    const management = clients(emu, MANAGEMENT).account;
    await management.send(new PutContactInformationCommand({ ContactInformation: INFO }));
    expect((await management.send(new GetContactInformationCommand({}))).ContactInformation?.CompanyName).toBe('Example Corp');
  });

  it('refuses a member naming another account', async () => {
    const member = clients(emu, MEMBER).account;
    expect((await failure(member.send(new GetContactInformationCommand({ AccountId: MEMBER_EMPTY })))).name).toBe('AccessDeniedException');
  });

  it.each([
    ['a phone without +', { ...INFO, PhoneNumber: '206 555 0100' }],
    ['a phone over 20 characters', { ...INFO, PhoneNumber: '+1 206 555 0100 00000' }],
    ['no state for the US', { ...INFO, StateOrRegion: undefined }],
    ['a three-letter country code', { ...INFO, CountryCode: 'USA' }],
    ['no full name', { ...INFO, FullName: undefined }],
  ])('answers ValidationException for %s', async (_label, info) => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const error = await failure(account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: info as never })));
    expect(error.name).toBe('ValidationException');
  });
});

describe('GetPrimaryEmail / StartPrimaryEmailUpdate / AcceptPrimaryEmailUpdate', () => {
  it('reads a member root e-mail, never the management account', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    expect((await account.send(new GetPrimaryEmailCommand({ AccountId: MEMBER }))).PrimaryEmail).toBe('aws+prod@example.com');
    expect((await failure(account.send(new GetPrimaryEmailCommand({ AccountId: MANAGEMENT })))).name).toBe('AccessDeniedException');
    expect((await failure(account.send(new GetPrimaryEmailCommand({} as never)))).name).toBe('ValidationException');
    expect((await failure(clients(emu, MEMBER).account.send(new GetPrimaryEmailCommand({ AccountId: MEMBER })))).name).toBe('AccessDeniedException');
  });

  it('changes the root e-mail only once the OTP is accepted, and records both calls', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const started = await account.send(new StartPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com' }));
    expect(started.Status).toBe('PENDING');
    expect((await account.send(new GetPrimaryEmailCommand({ AccountId: MEMBER }))).PrimaryEmail).toBe('aws+prod@example.com');
    const otp = emu.state().pendingPrimaryEmailUpdates.find((p) => p.accountId === MEMBER)!.otp;
    expect((await failure(account.send(new AcceptPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com', Otp: 'ZZZZZZ' })))).name).toBe(
      'ValidationException',
    );
    // AcceptPrimaryEmailUpdate: 1 per second, burst 1.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const accepted = await account.send(new AcceptPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com', Otp: otp }));
    expect(accepted.Status).toBe('ACCEPTED');
    expect((await account.send(new GetPrimaryEmailCommand({ AccountId: MEMBER }))).PrimaryEmail).toBe('root-prod@example.com');
    const trail = emu.state().cloudtrailEvents as { eventName: string; errorCode?: string; readOnly?: boolean }[];
    const names = trail.filter((e) => !e.readOnly).map((e) => `${e.eventName}:${e.errorCode ?? 'ok'}`);
    expect(names).toEqual(['StartPrimaryEmailUpdate:ok', 'AcceptPrimaryEmailUpdate:ValidationException', 'AcceptPrimaryEmailUpdate:ok']);
    // The two reads are recorded too, read-only (the guide's Example 1 shape).
    expect(trail.filter((e) => e.readOnly).map((e) => e.eventName)).toEqual(['GetPrimaryEmail', 'GetPrimaryEmail']);
  });

  it('answers ConflictException for an address another account uses', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    expect((await failure(account.send(new StartPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'aws+dev@example.com' })))).name).toBe(
      'ConflictException',
    );
  });

  it('throttles GetPrimaryEmail above its quota of 3 per second, burst 3', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const answers = await Promise.allSettled(Array.from({ length: 6 }, () => account.send(new GetPrimaryEmailCommand({ AccountId: MEMBER }))));
    const throttled = answers.filter((a) => a.status === 'rejected' && (a.reason as Error).name === 'TooManyRequestsException');
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    expect(emu.state().throttledCounts.GetPrimaryEmail).toBe(throttled.length);
  });
});

describe('the OU tree', () => {
  it('lists roots, OUs and accounts per parent, and an account parent', async () => {
    const { organizations } = clients(emu, DELEGATED_ADMIN);
    expect((await organizations.send(new ListRootsCommand({}))).Roots?.map((r) => r.Id)).toEqual(['r-ab12']);
    const ous = await organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-ab12' }));
    expect(ous.OrganizationalUnits?.map((o) => o.Name)).toEqual(['Workloads']);
    const prod = await organizations.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12-22222222' }));
    expect(prod.Accounts?.map((a) => a.Id)).toEqual([MEMBER]);
    const underRoot = await organizations.send(new ListAccountsForParentCommand({ ParentId: 'r-ab12' }));
    expect(underRoot.Accounts?.map((a) => a.Id)).not.toContain(MEMBER);
    expect((await organizations.send(new ListParentsCommand({ ChildId: MEMBER }))).Parents).toEqual([{ Id: 'ou-ab12-22222222', Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await failure(organizations.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12-99999999' })))).name).toBe('ParentNotFoundException');
    expect((await failure(clients(emu, MEMBER).organizations.send(new ListRootsCommand({})))).name).toBe('AccessDeniedException');
  });

  it('rejects a fixture whose OU parent does not exist', () => {
    const org = smallOrg();
    expect(() =>
      parseFixture({ ...org, organization: { ...org.organization, organizationalUnits: [{ id: 'ou-ab12-11111111', name: 'X', parentId: 'r-zzzz' }] } }),
    ).toThrow(/parentId/);
  });
});

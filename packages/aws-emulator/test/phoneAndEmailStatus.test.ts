/**
 * The emulator's primary phone VerificationStatus and GetPrimaryEmailUpdateStatus, both from the
 * SDK's model (@aws-sdk/client-account): served from the fixture, and from the state that
 * Start/AcceptPrimaryEmailUpdate keep.
 */
import {
  AcceptPrimaryEmailUpdateCommand,
  GetContactInformationCommand,
  GetPrimaryEmailUpdateStatusCommand,
  PutContactInformationCommand,
  StartPrimaryEmailUpdateCommand,
} from '@aws-sdk/client-account';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureError, parseFixture } from '../src/fixture.ts';
import { startEmulator, type Emulator } from '../src/server.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY, PRIMARY_CONTACT, smallOrg } from '../../../test/fixtures/organizations.ts';
import { clients, failure } from './helpers.ts';

const INFO = { fullName: 'Cloud Team', companyName: 'Example Corp', phoneNumber: '+1 206 555 0100', addressLine1: '410 Terry Ave N', city: 'Seattle', stateOrRegion: 'WA', postalCode: '98109', countryCode: 'US' };

/** smallOrg, written as a fixture file is: MEMBER's phone UNVERIFIED, MEMBER_EMPTY's last root e-mail update FAILED and no status for its phone. */
function fixtureJson(): Record<string, unknown> {
  const org = smallOrg();
  return {
    ...org,
    accounts: org.accounts.map((a) =>
      a.id === MEMBER
        ? { ...a, contactInformation: INFO, phoneVerificationStatus: 'UNVERIFIED' }
        : a.id === MEMBER_EMPTY
          ? { ...a, contactInformation: INFO, primaryEmailUpdate: { status: 'FAILED', updatedAt: '2026-11-30T08:00:00Z' } }
          : a,
    ),
  };
}

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ fixture: parseFixture(fixtureJson()), port: 0 });
});
afterEach(async () => {
  await emu.close();
});

describe('GetContactInformation VerificationStatus', () => {
  it('answers the fixture status, and leaves the member out when the fixture sets none', async () => {
    // Prepare
    const { account } = clients(emu, DELEGATED_ADMIN);
    // Act
    const member = await account.send(new GetContactInformationCommand({ AccountId: MEMBER }));
    const unset = await account.send(new GetContactInformationCommand({ AccountId: MEMBER_EMPTY }));
    // Assess
    expect(member.VerificationStatus).toBe('UNVERIFIED');
    expect(unset.ContactInformation?.CompanyName).toBe('Example Corp');
    expect(unset.VerificationStatus).toBeUndefined();
  });

  it('makes a new number UNVERIFIED; the same number keeps its status', async () => {
    // Prepare
    const fixture = fixtureJson();
    (fixture.accounts as Record<string, unknown>[]).find((a) => a.id === MEMBER)!.phoneVerificationStatus = 'VERIFIED';
    await emu.close();
    emu = await startEmulator({ fixture: parseFixture(fixture), port: 0 });
    const { account } = clients(emu, DELEGATED_ADMIN);
    // Act / Assess
    await account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: PRIMARY_CONTACT }));
    expect((await account.send(new GetContactInformationCommand({ AccountId: MEMBER }))).VerificationStatus).toBe('VERIFIED');
    await account.send(new PutContactInformationCommand({ AccountId: MEMBER, ContactInformation: { ...PRIMARY_CONTACT, PhoneNumber: '+1 206 555 0199' } }));
    expect((await account.send(new GetContactInformationCommand({ AccountId: MEMBER }))).VerificationStatus).toBe('UNVERIFIED');
  });

  it('refuses a status the model does not list, naming the field', () => {
    const bad = fixtureJson();
    (bad.accounts as Record<string, unknown>[])[2]!.phoneVerificationStatus = 'verified';
    expect(() => parseFixture(bad)).toThrow(FixtureError);
    expect(() => parseFixture(bad)).toThrow(/accounts\[2\]\.phoneVerificationStatus: expected one of PENDING, VERIFIED, UNVERIFIED, NOT_SUPPORTED/);
  });
});

describe('GetPrimaryEmailUpdateStatus', () => {
  it('is ResourceNotFound before any update, PENDING after the start, ACCEPTED after the accept, with the time', async () => {
    // Prepare
    const { account } = clients(emu, DELEGATED_ADMIN);
    // Act / Assess
    expect((await failure(account.send(new GetPrimaryEmailUpdateStatusCommand({ AccountId: MEMBER })))).name).toBe('ResourceNotFoundException');
    await account.send(new StartPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com' }));
    const pending = await account.send(new GetPrimaryEmailUpdateStatusCommand({ AccountId: MEMBER }));
    expect(pending.Status).toBe('PENDING');
    expect(pending.UpdatedAt).toBeInstanceOf(Date);
    const otp = emu.state().pendingPrimaryEmailUpdates.find((p) => p.accountId === MEMBER)!.otp;
    await account.send(new AcceptPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'root-prod@example.com', Otp: otp }));
    expect((await account.send(new GetPrimaryEmailUpdateStatusCommand({ AccountId: MEMBER }))).Status).toBe('ACCEPTED');
  });

  it('answers the fixture status and time, and records a read-only CloudTrail event', async () => {
    const { account } = clients(emu, DELEGATED_ADMIN);
    const out = await account.send(new GetPrimaryEmailUpdateStatusCommand({ AccountId: MEMBER_EMPTY }));
    expect(out.Status).toBe('FAILED');
    expect(out.UpdatedAt?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    const event = emu.state().cloudtrailEvents.find((e) => e.eventName === 'GetPrimaryEmailUpdateStatus')!;
    expect(event.readOnly).toBe(true);
    expect(event.requestParameters).toEqual({ accountId: MEMBER_EMPTY });
  });

  it('refuses the management account, a member caller, and a call without AccountId', async () => {
    const admin = clients(emu, DELEGATED_ADMIN).account;
    expect((await failure(admin.send(new GetPrimaryEmailUpdateStatusCommand({ AccountId: MANAGEMENT })))).name).toBe('AccessDeniedException');
    expect((await failure(clients(emu, MEMBER).account.send(new GetPrimaryEmailUpdateStatusCommand({ AccountId: MEMBER_EMPTY })))).name).toBe('AccessDeniedException');
    expect((await failure(admin.send(new GetPrimaryEmailUpdateStatusCommand({})))).name).toBe('ValidationException');
  });
});

describe('phone verification is not emulated', () => {
  it('answers neither SendPhoneNumberVerification nor VerifyPhoneNumber as served operations', async () => {
    // The product never sends them (test/stack/noPhoneVerification.test.ts); the emulator does not pretend to text anyone.
    for (const path of ['/sendPhoneNumberVerification', '/verifyPhoneNumber']) {
      const response = await fetch(`${emu.url}${path}`, {
        method: 'POST',
        headers: { authorization: `AWS4-HMAC-SHA256 Credential=${DELEGATED_ADMIN}/20260101/us-east-1/account/aws4_request, SignedHeaders=host, Signature=00`, 'content-type': 'application/json' },
        body: JSON.stringify({ AccountId: MEMBER }),
      });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(emu.state().requestCounts.SendPhoneNumberVerification ?? 0).toBe(0);
      expect(emu.state().requestCounts.VerifyPhoneNumber ?? 0).toBe(0);
    }
  });
});

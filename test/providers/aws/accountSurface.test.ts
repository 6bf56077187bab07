/**
 * AccountSurfaceAdapter's newer reads: GetContactInformation's VerificationStatus and
 * GetPrimaryEmailUpdateStatus (SDK model), and that the update status goes through GetPrimaryEmail's
 * pacer, as no quota is published for it.
 */
import {
  AccessDeniedException,
  AccountClient,
  GetContactInformationCommand,
  GetPrimaryEmailCommand,
  GetPrimaryEmailUpdateStatusCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-account';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountSurfaceAdapter } from '../../../src/providers/aws/primaryContact.ts';
import type { Pacer } from '../../../src/calls/pacer.ts';

const management = '111111111111';
const delegatedAdmin = '222222222222';
const member = '333333333333';
const target = { accountId: member, callerAccountId: delegatedAdmin, managementAccountId: management };
const fastRetry = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };
const INFO = { FullName: 'Cloud Team', CompanyName: 'Example Corp', PhoneNumber: '+1 206 555 0100', AddressLine1: '1 Main St', City: 'Seattle', PostalCode: '98109', CountryCode: 'US' };

const account = mockClient(AccountClient);
beforeEach(() => account.reset());

describe('readPrimaryContact: VerificationStatus', () => {
  it('keeps the status AWS sends beside the contact', async () => {
    // Prepare
    account.on(GetContactInformationCommand).resolves({ ContactInformation: INFO, VerificationStatus: 'PENDING' });
    // Act
    const read = await new AccountSurfaceAdapter(new AccountClient({}), { retry: fastRetry }).readPrimaryContact(target);
    // Assess
    expect(read).toEqual({ kind: 'present', contact: expect.objectContaining({ companyName: 'Example Corp' }), verificationStatus: 'PENDING' });
    expect(account).toHaveReceivedCommandWith(GetContactInformationCommand, { AccountId: member });
  });

  it('has no status when AWS sends none', async () => {
    account.on(GetContactInformationCommand).resolves({ ContactInformation: INFO });
    const read = await new AccountSurfaceAdapter(new AccountClient({}), { retry: fastRetry }).readPrimaryContact(target);
    expect(read.kind).toBe('present');
    expect('verificationStatus' in read).toBe(false);
  });
});

describe('readRootEmailUpdate', () => {
  it('reads the status and its time for a member', async () => {
    account.on(GetPrimaryEmailUpdateStatusCommand).resolves({ Status: 'FAILED', UpdatedAt: new Date('2026-11-30T08:00:00Z') });
    const read = await new AccountSurfaceAdapter(new AccountClient({}), { retry: fastRetry }).readRootEmailUpdate(target);
    expect(read).toEqual({ kind: 'present', status: 'FAILED', updatedAt: '2026-11-30T08:00:00.000Z' });
    expect(account).toHaveReceivedCommandWith(GetPrimaryEmailUpdateStatusCommand, { AccountId: member });
  });

  it('is none when no update was ever started (ResourceNotFoundException), and for the management account without a call', async () => {
    account.on(GetPrimaryEmailUpdateStatusCommand).rejects(new ResourceNotFoundException({ message: 'none', $metadata: { httpStatusCode: 404 } }));
    const adapter = new AccountSurfaceAdapter(new AccountClient({}), { retry: fastRetry });
    expect(await adapter.readRootEmailUpdate(target)).toEqual({ kind: 'none' });
    account.reset();
    expect(await adapter.readRootEmailUpdate({ ...target, accountId: management })).toEqual({ kind: 'none' });
    expect(account).not.toHaveReceivedCommand(GetPrimaryEmailUpdateStatusCommand);
  });

  it('is a failed read with the AWS error code, not counted among the failed reads that make an account UNKNOWN', async () => {
    // Prepare
    account.on(GetPrimaryEmailUpdateStatusCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: account:GetPrimaryEmailUpdateStatus', $metadata: { httpStatusCode: 403 } }));
    const stats = { calls: 0, retries: 0, throttled: 0, failed: 0 };
    // Act
    const read = await new AccountSurfaceAdapter(new AccountClient({}), { retry: fastRetry, stats }).readRootEmailUpdate(target);
    // Assess
    expect(read).toEqual({ kind: 'failed', errorCode: 'AccessDeniedException', message: expect.stringContaining('GetPrimaryEmailUpdateStatus') });
    expect(stats.failed).toBe(0);
  });

  it("shares GetPrimaryEmail's pacer: both calls take a token from the same one", async () => {
    // Prepare: a pacer that counts what it lets through.
    let taken = 0;
    const counting = { acquire: async () => void taken++, answered: () => {}, throttled: () => {} } as unknown as Pacer;
    account.on(GetPrimaryEmailCommand).resolves({ PrimaryEmail: 'aws+prod@example.com' });
    account.on(GetPrimaryEmailUpdateStatusCommand).resolves({ Status: 'PENDING' });
    const adapter = new AccountSurfaceAdapter(new AccountClient({}), { retry: fastRetry, pacers: { primaryEmail: counting } });
    // Act
    await adapter.readRootEmail(target);
    await adapter.readRootEmailUpdate(target);
    // Assess
    expect(taken).toBe(2);
  });
});

import { AccountClient, GetAlternateContactCommand, AccessDeniedException, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-account';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ContactsAdapter, accountIdParameter, newCallStats } from '../../../src/providers/aws/contacts.ts';

const fastRetry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const management = '111111111111';
const delegatedAdmin = '222222222222';
const member = '333333333333';

const account = mockClient(AccountClient);
beforeEach(() => account.reset());

const awsError = <T extends Error>(Ctor: new (o: { message: string; $metadata: object }) => T, message: string, status: number): T =>
  new Ctor({ message, $metadata: { httpStatusCode: status } });

describe('accountIdParameter — reference guide, "Understanding API modes of operation"', () => {
  it('reads the management account in standalone context only when the management account calls', () => {
    expect(accountIdParameter({ accountId: management, callerAccountId: management, managementAccountId: management })).toBeUndefined();
  });

  it('names the target in organizations context for members, the delegated admin itself, and the management account read by the delegated admin', () => {
    expect(accountIdParameter({ accountId: member, callerAccountId: management, managementAccountId: management })).toBe(member);
    expect(accountIdParameter({ accountId: delegatedAdmin, callerAccountId: delegatedAdmin, managementAccountId: management })).toBe(delegatedAdmin);
    expect(accountIdParameter({ accountId: management, callerAccountId: delegatedAdmin, managementAccountId: management })).toBe(management);
  });
});

describe('ContactsAdapter.read', () => {
  const target = { accountId: member, callerAccountId: delegatedAdmin, managementAccountId: management };

  it('returns the contact as read, in organizations context', async () => {
    // Prepare
    account.on(GetAlternateContactCommand).resolves({
      AlternateContact: { AlternateContactType: 'SECURITY', Name: 'Sec', Title: 'CISO', EmailAddress: 'security@example.com', PhoneNumber: '+1 206 555 0100' },
    });
    // Act
    const read = await new ContactsAdapter(new AccountClient({}), { retry: fastRetry }).read(target, 'SECURITY');
    // Assess
    expect(read).toEqual({ kind: 'present', contact: { name: 'Sec', title: 'CISO', emailAddress: 'security@example.com', phoneNumber: '+1 206 555 0100' } });
    expect(account).toHaveReceivedCommandWith(GetAlternateContactCommand, { AccountId: member, AlternateContactType: 'SECURITY' });
  });

  it('treats ResourceNotFound as a missing contact', async () => {
    account.on(GetAlternateContactCommand).rejects(awsError(ResourceNotFoundException, 'not found', 404));
    const read = await new ContactsAdapter(new AccountClient({}), { retry: fastRetry }).read(target, 'BILLING');
    expect(read).toEqual({ kind: 'missing' });
  });

  it('reports AccessDenied as a failed read with the AWS error code, without retrying', async () => {
    account.on(GetAlternateContactCommand).rejects(awsError(AccessDeniedException, 'The management account can only be managed using the standalone context from the management account.', 403));
    const stats = newCallStats();
    const read = await new ContactsAdapter(new AccountClient({}), { retry: fastRetry, stats }).read(target, 'BILLING');
    expect(read).toMatchObject({ kind: 'failed', errorCode: 'AccessDeniedException' });
    expect(account).toHaveReceivedCommandTimes(GetAlternateContactCommand, 1);
    expect(stats).toMatchObject({ calls: 1, failed: 1, retries: 0 });
  });

  it('retries throttling and succeeds, counting the throttled calls', async () => {
    account
      .on(GetAlternateContactCommand)
      .rejectsOnce(awsError(TooManyRequestsException, 'Rate exceeded', 429))
      .rejectsOnce(awsError(TooManyRequestsException, 'Rate exceeded', 429))
      .resolves({ AlternateContact: { AlternateContactType: 'BILLING', Name: 'B', Title: 'T', EmailAddress: 'billing@example.com', PhoneNumber: '1' } });
    const stats = newCallStats();
    const read = await new ContactsAdapter(new AccountClient({}), { retry: fastRetry, stats }).read(target, 'BILLING');
    expect(read.kind).toBe('present');
    expect(stats).toMatchObject({ calls: 3, retries: 2, throttled: 2, failed: 0 });
  });

  it('gives up after its attempts and reports the throttling code, never a missing contact', async () => {
    account.on(GetAlternateContactCommand).rejects(awsError(TooManyRequestsException, 'Rate exceeded', 429));
    const read = await new ContactsAdapter(new AccountClient({}), { retry: fastRetry }).read(target, 'OPERATIONS');
    expect(read).toMatchObject({ kind: 'failed', errorCode: 'TooManyRequestsException' });
    expect(account).toHaveReceivedCommandTimes(GetAlternateContactCommand, fastRetry.attempts);
  });

  it('retries a dropped connection', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    account.on(GetAlternateContactCommand).rejectsOnce(reset).resolves({});
    const read = await new ContactsAdapter(new AccountClient({}), { retry: fastRetry }).read(target, 'OPERATIONS');
    expect(read).toEqual({ kind: 'missing' });
    expect(account).toHaveReceivedCommandTimes(GetAlternateContactCommand, 2);
  });
});

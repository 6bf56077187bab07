/** Organizations CreateAccount in the emulator: the account exists at once, and CloudTrail holds CreateAccount and CreateAccountResult. */
import { GetAlternateContactCommand } from '@aws-sdk/client-account';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccountCommand, DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.ts';
import { DELEGATED_ADMIN, MANAGEMENT, smallOrg } from '../../../test/fixtures/organizations.ts';
import { clients, failure } from './helpers.ts';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('Organizations CreateAccount (emulator)', () => {
  it('creates an ACTIVE account without contacts and records CreateAccountResult SUCCEEDED in the management account', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrg() });
    const { organizations, account, cloudtrail } = clients(emu, MANAGEMENT);
    // Act
    const reply = await organizations.send(new CreateAccountCommand({ Email: 'new-app@example.com', AccountName: 'new-app' }));
    // Assess
    expect(reply.CreateAccountStatus).toMatchObject({ State: 'IN_PROGRESS', AccountName: 'new-app', Id: expect.stringMatching(/^car-[a-z0-9]{8,32}$/) });
    const result = emu.state().cloudtrailEvents.find((e) => e.eventName === 'CreateAccountResult');
    expect(result).toMatchObject({
      eventSource: 'organizations.amazonaws.com',
      eventType: 'AwsServiceEvent',
      recipientAccountId: MANAGEMENT,
      serviceEventDetails: { createAccountStatus: { id: reply.CreateAccountStatus!.Id, state: 'SUCCEEDED', accountName: 'new-app', accountId: expect.stringMatching(/^\d{12}$/) } },
    });
    const accountId = (result!.serviceEventDetails as { createAccountStatus: { accountId: string } }).createAccountStatus.accountId;
    expect((await organizations.send(new DescribeAccountCommand({ AccountId: accountId }))).Account).toMatchObject({ Name: 'new-app', State: 'ACTIVE' });
    expect((await failure(account.send(new GetAlternateContactCommand({ AccountId: accountId, AlternateContactType: 'SECURITY' })))).name).toBe('ResourceNotFoundException');
    const looked = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccountResult' }] }));
    expect(looked.Events?.map((e) => e.EventName)).toEqual(['CreateAccountResult']);
  });

  it('fails the creation with EMAIL_ALREADY_EXISTS for an address in use, and creates nothing', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrg() });
    const { organizations } = clients(emu, MANAGEMENT);
    const before = emu.state().accounts.length;
    const taken = emu.state().accounts[0]!.email;
    // Act
    await organizations.send(new CreateAccountCommand({ Email: taken.toUpperCase(), AccountName: 'dup' }));
    // Assess
    expect(emu.state().accounts).toHaveLength(before);
    expect(emu.state().cloudtrailEvents.find((e) => e.eventName === 'CreateAccountResult')).toMatchObject({
      serviceEventDetails: { createAccountStatus: { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' } },
    });
  });

  it('answers AccessDeniedException to any caller but the management account', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrg() });
    // Act
    const e = await failure(clients(emu, DELEGATED_ADMIN).organizations.send(new CreateAccountCommand({ Email: 'x@example.com', AccountName: 'x' })));
    // Assess
    expect(e.name).toBe('AccessDeniedException');
    expect(emu.state().cloudtrailEvents.filter((r) => r.eventSource === 'organizations.amazonaws.com')).toEqual([]);
  });
});

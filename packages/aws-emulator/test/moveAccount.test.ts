/** Organizations MoveAccount in the emulator: the tree answers the new place at once, and CloudTrail holds the MoveAccount call. */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAccountCommand, ListAccountsForParentCommand, ListParentsCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, OUTSIDER, PROD_OU, smallOrgWithOus } from '../../../test/fixtures/organizations.ts';
import { clients, failure } from './helpers.ts';

/** The OU above Prod in smallOrgWithOus (Root / Workloads / Prod). */
const WORKLOADS_OU = 'ou-ab12-11111111';
const ROOT = 'r-ab12';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The Organizations records of the emulator's CloudTrail. */
const organizationsEvents = (e: Emulator) => e.state().cloudtrailEvents.filter((r) => r.eventSource === 'organizations.amazonaws.com');

describe('Organizations MoveAccount (emulator)', () => {
  it('moves an account for the management account: ListParents, ListAccountsForParent and Paths answer the new place, and CloudTrail records MoveAccount', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrgWithOus() });
    const { organizations, cloudtrail } = clients(emu, MANAGEMENT);
    // Act
    const reply = await organizations.send(new MoveAccountCommand({ AccountId: MEMBER, SourceParentId: PROD_OU, DestinationParentId: WORKLOADS_OU }));
    // Assess
    expect(reply.$metadata.httpStatusCode).toBe(200);
    expect(Object.keys(reply)).toEqual(['$metadata']);
    expect((await organizations.send(new ListParentsCommand({ ChildId: MEMBER }))).Parents).toEqual([{ Id: WORKLOADS_OU, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await organizations.send(new ListAccountsForParentCommand({ ParentId: WORKLOADS_OU }))).Accounts?.map((a) => a.Id)).toEqual([MEMBER]);
    expect((await organizations.send(new ListAccountsForParentCommand({ ParentId: PROD_OU }))).Accounts).toEqual([]);
    expect((await organizations.send(new DescribeAccountCommand({ AccountId: MEMBER }))).Account?.Paths).toEqual([`o-abc123defg/${ROOT}/${WORKLOADS_OU}/${MEMBER}/`]);
    expect(emu.state().accounts.find((a) => a.id === MEMBER)?.parentId).toBe(WORKLOADS_OU);
    expect(organizationsEvents(emu)).toEqual([
      expect.objectContaining({
        eventName: 'MoveAccount',
        eventSource: 'organizations.amazonaws.com',
        eventType: 'AwsApiCall',
        readOnly: false,
        recipientAccountId: MANAGEMENT,
        requestParameters: { accountId: MEMBER, sourceParentId: PROD_OU, destinationParentId: WORKLOADS_OU },
        responseElements: null,
      }),
    ]);
    const looked = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'MoveAccount' }] }));
    expect(looked.Events?.map((e) => e.EventName)).toEqual(['MoveAccount']);
  });

  it('moves an account back to the root', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrgWithOus() });
    const { organizations } = clients(emu, MANAGEMENT);
    // Act
    await organizations.send(new MoveAccountCommand({ AccountId: MEMBER, SourceParentId: PROD_OU, DestinationParentId: ROOT }));
    // Assess
    expect((await organizations.send(new ListParentsCommand({ ChildId: MEMBER }))).Parents).toEqual([{ Id: ROOT, Type: 'ROOT' }]);
    expect((await organizations.send(new ListAccountsForParentCommand({ ParentId: ROOT }))).Accounts?.map((a) => a.Id)).toContain(MEMBER);
  });

  it('answers AccessDeniedException to the delegated administrator and a member, AWSOrganizationsNotInUseException outside the organization, and moves nothing', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrgWithOus() });
    const move = new MoveAccountCommand({ AccountId: MEMBER, SourceParentId: PROD_OU, DestinationParentId: WORKLOADS_OU });
    // Act
    const admin = await failure(clients(emu, DELEGATED_ADMIN).organizations.send(move));
    const member = await failure(clients(emu, MEMBER).organizations.send(move));
    const outsider = await failure(clients(emu, OUTSIDER).organizations.send(move));
    // Assess
    expect([admin.name, admin.message]).toEqual(['AccessDeniedException', "You don't have permissions to access this resource."]);
    expect(member.name).toBe('AccessDeniedException');
    expect(outsider.name).toBe('AWSOrganizationsNotInUseException');
    expect(emu.state().accounts.find((a) => a.id === MEMBER)?.parentId).toBe(PROD_OU);
    expect(organizationsEvents(emu)).toEqual([]);
  });

  it('answers the model error for a wrong source parent, an unknown destination or account, and a malformed ID, and moves nothing', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrgWithOus() });
    const { organizations } = clients(emu, MANAGEMENT);
    const move = (AccountId: string, SourceParentId: string, DestinationParentId: string) =>
      failure(organizations.send(new MoveAccountCommand({ AccountId, SourceParentId, DestinationParentId })));
    // Act
    const notTheParent = await move(MEMBER, WORKLOADS_OU, ROOT);
    const unknownSource = await move(MEMBER, 'ou-ab12-99999999', ROOT);
    const unknownDestination = await move(MEMBER, PROD_OU, 'ou-ab12-99999999');
    const unknownAccount = await move('999999999999', PROD_OU, ROOT);
    const malformed = await move(MEMBER, PROD_OU, 'ou-ab12');
    // Assess
    expect([notTheParent.name, notTheParent.message]).toEqual(['SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified."]);
    expect(unknownSource.name).toBe('SourceParentNotFoundException');
    expect([unknownDestination.name, unknownDestination.message]).toEqual([
      'DestinationParentNotFoundException',
      "We can't find the destination container (a root or OU) with the ParentId that you specified.",
    ]);
    expect(unknownAccount.name).toBe('AccountNotFoundException');
    expect([malformed.name, malformed.Reason]).toEqual(['InvalidInputException', 'INVALID_PATTERN']);
    expect(emu.state().accounts.find((a) => a.id === MEMBER)?.parentId).toBe(PROD_OU);
    expect(organizationsEvents(emu)).toEqual([]);
  });

  it('answers DuplicateAccountException for a move to the parent the account is already in', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrgWithOus() });
    // Act
    const e = await failure(clients(emu, MANAGEMENT).organizations.send(new MoveAccountCommand({ AccountId: MEMBER, SourceParentId: PROD_OU, DestinationParentId: PROD_OU })));
    // Assess
    expect([e.name, e.message, e.$metadata?.httpStatusCode]).toEqual(['DuplicateAccountException', 'That account is already present in the specified destination.', 400]);
    expect(organizationsEvents(emu)).toEqual([]);
  });
});

/**
 * The emulator against the botocore models of the AWS CLI on this machine (test/fixtures/botocoreModels.ts):
 * Organizations Paths, who may call the administration reads, input bounds and patterns, and the
 * Account ValidationException reason. Each check goes through the real SDK v3 clients.
 */
import { AcceptPrimaryEmailUpdateCommand, StartPrimaryEmailUpdateCommand } from '@aws-sdk/client-account';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFixture } from '../src/fixture.ts';
import { CLOUDFORMATION_INPUT, ORGANIZATIONS_INPUT, type InputRules } from '../src/modelInput.ts';
import { startEmulator, type Emulator } from '../src/server.ts';
import { botocoreModel, type BotocoreShape } from '../../../test/fixtures/botocoreModels.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, smallOrg } from '../../../test/fixtures/organizations.ts';
import { clients, failure } from './helpers.ts';

const organizationsModel = botocoreModel('organizations');
const cloudFormationModel = botocoreModel('cloudformation');
const accountModel = botocoreModel('account');

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** smallOrg with a real root ID and MEMBER two OUs deep (Workloads / Prod). */
function nestedOrg() {
  const f: Record<string, any> = structuredClone(smallOrg());
  f.organization.rootId = 'r-ab12';
  f.organization.organizationalUnits = [
    { id: 'ou-ab12-11111111', name: 'Workloads', parentId: 'r-ab12' },
    { id: 'ou-ab12-22222222', name: 'Prod', parentId: 'ou-ab12-11111111' },
  ];
  f.accounts.find((a: { id: string }) => a.id === MEMBER).parentId = 'ou-ab12-22222222';
  return parseFixture(f);
}

describe('Organizations Account.Paths (shape Path)', () => {
  it('starts at the root ListRoots answers and carries the whole OU chain ListParents walks', async () => {
    // Prepare
    emu = await startEmulator({ fixture: nestedOrg() });
    const { organizations } = clients(emu, MANAGEMENT);
    // Act
    const roots = await organizations.send(new ListRootsCommand({}));
    const member = (await organizations.send(new DescribeAccountCommand({ AccountId: MEMBER }))).Account!;
    const all = (await organizations.send(new ListAccountsCommand({}))).Accounts!;
    // Assess
    const chain: string[] = [];
    for (let child = MEMBER; ; ) {
      const parent = (await organizations.send(new ListParentsCommand({ ChildId: child }))).Parents![0]!;
      chain.unshift(parent.Id!);
      if (parent.Type === 'ROOT') break;
      child = parent.Id!;
    }
    expect(chain[0]).toBe(roots.Roots![0]!.Id);
    expect(member.Paths).toEqual([`o-abc123defg/${chain.join('/')}/${MEMBER}/`]);
    expect(member.Paths).toEqual(['o-abc123defg/r-ab12/ou-ab12-11111111/ou-ab12-22222222/333333333333/']);
    expect(all.find((a) => a.Id === MANAGEMENT)!.Paths).toEqual([`o-abc123defg/r-ab12/${MANAGEMENT}/`]);
  });

  it.skipIf(!organizationsModel)('matches the model pattern of Path for every account', async () => {
    emu = await startEmulator({ fixture: nestedOrg() });
    const pattern = new RegExp(`^(?:${organizationsModel!.shapes.Path!.pattern})$`);
    const accounts = (await clients(emu, MANAGEMENT).organizations.send(new ListAccountsCommand({}))).Accounts!;
    expect(accounts.length).toBe(5);
    for (const a of accounts) expect(a.Paths![0]).toMatch(pattern);
  });
});

describe('Organizations: who may call the administration reads (API reference of each)', () => {
  it('the delegated administrator lists delegated administrators and trusted services, as AWS allows', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const { organizations } = clients(emu, DELEGATED_ADMIN);
    const admins = await organizations.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'account.amazonaws.com' }));
    const services = await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}));
    expect(admins.DelegatedAdministrators?.map((a) => a.Id)).toEqual([DELEGATED_ADMIN]);
    expect(services.EnabledServicePrincipals?.map((s) => s.ServicePrincipal)).toEqual(['account.amazonaws.com']);
  });

  it('a plain member is still refused, and policies stay with the management account (no delegation policy is emulated)', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const member = clients(emu, MEMBER).organizations;
    expect((await failure(member.send(new ListDelegatedAdministratorsCommand({})))).name).toBe('AccessDeniedException');
    expect((await failure(member.send(new ListAWSServiceAccessForOrganizationCommand({})))).name).toBe('AccessDeniedException');
    const admin = clients(emu, DELEGATED_ADMIN).organizations;
    expect((await failure(admin.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' })))).name).toBe('AccessDeniedException');
  });
});

describe('Organizations input bounds, patterns and enums (botocore organizations)', () => {
  it('MaxResults outside 1–20 is InvalidInputException on the two service reads; a foreign NextToken too', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const { organizations } = clients(emu, DELEGATED_ADMIN);
    for (const MaxResults of [0, 21]) {
      for (const send of [() => organizations.send(new ListDelegatedAdministratorsCommand({ MaxResults })), () => organizations.send(new ListAWSServiceAccessForOrganizationCommand({ MaxResults }))]) {
        const e = await failure(send());
        expect([e.name, e.Reason]).toEqual(['InvalidInputException', MaxResults === 0 ? 'MIN_VALUE_EXCEEDED' : 'MAX_VALUE_EXCEEDED']);
      }
    }
    const token = (await clients(emu, MANAGEMENT).organizations.send(new ListAccountsCommand({ MaxResults: 1 }))).NextToken!;
    expect(token).toBeTruthy();
    const e = await failure(organizations.send(new ListDelegatedAdministratorsCommand({ NextToken: token })));
    expect([e.name, e.Reason]).toEqual(['InvalidInputException', 'INVALID_NEXT_TOKEN']);
    const page = await organizations.send(new ListDelegatedAdministratorsCommand({ MaxResults: 1 }));
    expect([page.DelegatedAdministrators?.length, page.NextToken]).toEqual([1, undefined]);
  });

  it('ListParents pages like every listing: a NextToken it never gave is INVALID_NEXT_TOKEN; SNS ListTopics refuses one too', async () => {
    emu = await startEmulator({ fixture: nestedOrg() });
    const { organizations, sns } = clients(emu, MANAGEMENT);
    const e = await failure(organizations.send(new ListParentsCommand({ ChildId: MEMBER, NextToken: 'bm90LWEtdG9rZW4' })));
    expect([e.name, e.Reason]).toEqual(['InvalidInputException', 'INVALID_NEXT_TOKEN']);
    expect((await organizations.send(new ListParentsCommand({ ChildId: MEMBER, MaxResults: 1 }))).Parents).toEqual([{ Id: 'ou-ab12-22222222', Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await failure(sns.send(new ListTopicsCommand({ NextToken: 'bm90LWEtdG9rZW4' })))).name).toBe('InvalidParameterException'); // code InvalidParameter
  });

  it.skipIf(!organizationsModel)('ListPolicies accepts every policy type of the model enum and refuses any other', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const { organizations } = clients(emu, MANAGEMENT);
    const types = organizationsModel!.shapes.PolicyType!.enum!;
    expect(types.length).toBeGreaterThanOrEqual(13);
    for (const Filter of types) expect((await organizations.send(new ListPoliciesCommand({ Filter: Filter as PolicyType }))).Policies).toEqual([]);
    const e = await failure(organizations.send(new ListPoliciesCommand({ Filter: 'NOT_A_POLICY' as PolicyType })));
    expect([e.name, e.Reason]).toEqual(['InvalidInputException', 'INVALID_ENUM_POLICY_TYPE']);
  });

  it('a malformed ParentId, ChildId or OU ID is InvalidInputException; a well-formed unknown one is not found', async () => {
    emu = await startEmulator({ fixture: nestedOrg() });
    const { organizations } = clients(emu, MANAGEMENT);
    for (const send of [
      () => organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'root' })),
      () => organizations.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12' })),
      () => organizations.send(new ListParentsCommand({ ChildId: '12345' })),
      () => organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-AB12-11111111' })),
      () => organizations.send(new DescribeAccountCommand({ AccountId: '12345678901a' })),
    ]) {
      const e = await failure(send());
      expect([e.name, e.Reason]).toEqual(['InvalidInputException', 'INVALID_PATTERN']);
    }
    expect((await failure(organizations.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12-99999999' })))).name).toBe('ParentNotFoundException');
    expect((await failure(organizations.send(new ListParentsCommand({ ChildId: '999999999999' })))).name).toBe('ChildNotFoundException');
  });

  it.skipIf(!organizationsModel)('the emulator input tables are the model input shapes: members, required, bounds, patterns, enums', () => {
    expectTablesAreTheModel(organizationsModel!, ORGANIZATIONS_INPUT, () => true);
  });
});

/**
 * Each table of modelInput.ts against the botocore model: the members it lists (those `scalar`
 * keeps), the required ones, and each member's shape, type, bounds, pattern and enum.
 */
function expectTablesAreTheModel(model: NonNullable<ReturnType<typeof botocoreModel>>, tables: Record<string, InputRules>, scalar: (s: BotocoreShape) => boolean): void {
  for (const [op, rules] of Object.entries(tables)) {
    const input = model.operations[op]!.input;
    const shape: BotocoreShape = input ? model.shapes[input.shape]! : { type: 'structure', members: {}, required: [] };
    const kept = Object.entries(shape.members ?? {}).filter(([, m]) => scalar(model.shapes[m.shape]!));
    expect(Object.keys(rules.members).sort(), op).toEqual(kept.map(([name]) => name).sort());
    expect([...(rules.required ?? [])].sort(), op).toEqual([...(shape.required ?? [])].sort());
    for (const [name, rule] of Object.entries(rules.members)) {
      const ref = shape.members![name]!.shape;
      const s = model.shapes[ref]!;
      expect({ shape: ref, type: s.type, min: s.min, max: s.max, pattern: s.pattern, enum: s.enum }, `${op}.${name}`).toEqual({
        shape: rule.shape,
        type: rule.type,
        min: rule.min,
        max: rule.max,
        pattern: rule.enum ? undefined : rule.pattern,
        enum: rule.enum ? [...rule.enum] : undefined,
      });
    }
  }
}

describe('CloudFormation input (botocore cloudformation)', () => {
  it.skipIf(!cloudFormationModel)('the input tables are the string and integer members of the model input shapes', () => {
    expectTablesAreTheModel(cloudFormationModel!, CLOUDFORMATION_INPUT, (s) => s.type === 'string' || s.type === 'integer');
  });
});

describe('Account AcceptPrimaryEmailUpdate (botocore account)', () => {
  it.skipIf(!accountModel)('a wrong OTP is a ValidationException whose reason is a value of ValidationExceptionReason', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const { account } = clients(emu, MANAGEMENT);
    await account.send(new StartPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'new-prod@example.com' }));
    const e = await failure(account.send(new AcceptPrimaryEmailUpdateCommand({ AccountId: MEMBER, PrimaryEmail: 'new-prod@example.com', Otp: '000000' })));
    expect(e.name).toBe('ValidationException');
    expect(accountModel!.shapes.ValidationExceptionReason!.enum).toContain(e.reason);
    expect(e.fieldList).toEqual([{ name: 'Otp', message: expect.any(String) }]);
  });
});

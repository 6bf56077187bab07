import { AccessDeniedException, AccountClient, GetAlternateContactCommand, ResourceNotFoundException } from '@aws-sdk/client-account';
import {
  AccountNotFoundException,
  DescribeAccountCommand,
  AccessDeniedException as OrgAccessDenied,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { AwsProvider } from '../../src/providers/aws/awsProvider.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { AccountSelectionError, SetupError, runSweep } from '../../src/audit/sweep.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { MANAGEMENT, MEMBER } from '../fixtures/organizations.ts';

const ADMIN = '222222222222';
const SUSPENDED = '444444444444';
const retry = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

const sts = mockClient(STSClient);
const orgs = mockClient(OrganizationsClient);
const account = mockClient(AccountClient);

const good = (type: string) => ({
  AlternateContact: { AlternateContactType: type, Name: 'Team', Title: 'Team', EmailAddress: `${type.toLowerCase()}@example.com`, PhoneNumber: '+1 206 555 0100' },
});

function organization(caller: string) {
  sts.on(GetCallerIdentityCommand).resolves({ Account: caller, Arn: `arn:aws:sts::${caller}:assumed-role/auditor/x` });
  orgs.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc123defg', MasterAccountId: MANAGEMENT } });
  orgs.on(ListAccountsCommand).resolves({
    Accounts: [
      { Id: MANAGEMENT, Name: 'management', State: 'ACTIVE' },
      { Id: ADMIN, Name: 'security-admin', State: 'ACTIVE' },
      { Id: MEMBER, Name: 'prod-app', State: 'ACTIVE' },
      { Id: SUSPENDED, Name: 'old', State: 'SUSPENDED', Status: 'ACTIVE' as never },
    ],
  });
}

const adapters = () => ({
  identity: new IdentityAdapter(new STSClient({}), retry),
  organizations: new OrganizationsAdapter(new OrganizationsClient({}), { retry }),
  contacts: new ContactsAdapter(new AccountClient({}), { retry }),
});

const policy = policyFromDomains(['example.com']);

beforeEach(() => {
  sts.reset();
  orgs.reset();
  account.reset();
});

describe('runSweep', () => {
  it('as the management account: reads itself in standalone context, members by ID, skips suspended accounts', async () => {
    // Prepare
    organization(MANAGEMENT);
    account.on(GetAlternateContactCommand).callsFake((input) => {
      if (input.AccountId === MANAGEMENT) throw new AccessDeniedException({ message: 'management by ID', $metadata: {} });
      if (input.AccountId === MEMBER && input.AlternateContactType === 'SECURITY') {
        throw new ResourceNotFoundException({ message: 'none', $metadata: {} });
      }
      return good(input.AlternateContactType);
    });
    // Act
    const { report } = await runSweep(new AwsProvider(adapters()), policy);
    // Assess
    const byId = Object.fromEntries(report.accounts.map((a) => [a.accountId, a]));
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual([MANAGEMENT, ADMIN, MEMBER, SUSPENDED].sort());
    expect(byId[MANAGEMENT]!.status).toBe('COMPLIANT');
    expect(byId[MEMBER]!.status).toBe('NON_COMPLIANT');
    expect(byId[MEMBER]!.findings.map((f) => f.code)).toEqual(['MISSING_CONTACT']);
    expect(byId[SUSPENDED]!.status).toBe('SKIPPED');
    const calls = account.commandCalls(GetAlternateContactCommand).map((c) => c.args[0].input);
    expect(calls.filter((c) => c.AccountId === undefined)).toHaveLength(3);
    expect(calls.some((c) => c.AccountId === MANAGEMENT)).toBe(false);
    expect(calls.some((c) => c.AccountId === SUSPENDED)).toBe(false);
    expect(report).toMatchObject({ organizationId: 'o-abc123defg', managementAccountId: MANAGEMENT, callerAccountId: MANAGEMENT });
    expect(report.summary).toEqual({ accounts: 4, compliant: 2, nonCompliant: 1, unknown: 0, exempt: 0, skipped: 1 });
  });

  it('as the delegated admin: asks about the management account and reports AWS\'s AccessDenied as UNKNOWN', async () => {
    organization(ADMIN);
    account.on(GetAlternateContactCommand).callsFake((input) => {
      if (input.AccountId === MANAGEMENT) {
        throw new AccessDeniedException({
          message: 'User is not authorized (The management account can only be managed using the standalone context from the management account.)',
          $metadata: { httpStatusCode: 403 },
        });
      }
      return good(input.AlternateContactType);
    });
    const { report } = await runSweep(new AwsProvider(adapters()), policy);
    const management = report.accounts.find((a) => a.accountId === MANAGEMENT)!;
    expect(management.status).toBe('UNKNOWN');
    expect(management.findings).toHaveLength(3);
    expect(management.findings.every((f) => f.code === 'CHECK_FAILED' && f.errorCode === 'AccessDeniedException')).toBe(true);
    expect(management.findings[0]!.message).toContain('standalone context');
    expect(report.accounts.find((a) => a.accountId === ADMIN)!.status).toBe('COMPLIANT');
  });

  it('as a plain member: stops with an error naming the missing set-up instead of reporting every account UNKNOWN', async () => {
    organization(MEMBER);
    orgs.on(ListAccountsCommand).rejects(new OrgAccessDenied({ message: "You don't have permissions to access this resource.", $metadata: { httpStatusCode: 400 } }));
    const sweep = runSweep(new AwsProvider(adapters()), policy);
    await expect(sweep).rejects.toThrow(SetupError);
    await expect(sweep).rejects.toThrow(/delegated administrator/);
    expect(account.commandCalls(GetAlternateContactCommand)).toHaveLength(0);
  });

  it('as the management account without trusted access: stops with an error naming trusted access', async () => {
    organization(MANAGEMENT);
    account.on(GetAlternateContactCommand).rejects(new AccessDeniedException({ message: 'trusted access is not enabled', $metadata: { httpStatusCode: 403 } }));
    await expect(runSweep(new AwsProvider(adapters()), policy)).rejects.toThrow(/enable-aws-service-access --service-principal account.amazonaws.com/);
  });

  it('reads an account whose State is missing instead of skipping it (the deprecated Status is not read)', async () => {
    organization(MANAGEMENT);
    orgs.on(ListAccountsCommand).resolves({ Accounts: [{ Id: MANAGEMENT, Name: 'management', State: 'ACTIVE' }, { Id: MEMBER, Name: 'no-state', Status: 'SUSPENDED' as never }] });
    account.on(GetAlternateContactCommand).callsFake((input) => good(input.AlternateContactType));
    const { report } = await runSweep(new AwsProvider(adapters()), policy);
    expect(report.accounts.find((a) => a.accountId === MEMBER)).toMatchObject({ state: 'UNKNOWN', status: 'COMPLIANT' });
  });

  it('reads only the accounts named by --accounts, and refuses an ID outside the organization', async () => {
    organization(MANAGEMENT);
    orgs.on(DescribeAccountCommand, { AccountId: MEMBER }).resolves({ Account: { Id: MEMBER, Name: 'prod-app', State: 'ACTIVE' } });
    orgs.on(DescribeAccountCommand, { AccountId: '999999999999' }).rejects(new AccountNotFoundException({ message: 'not found', $metadata: {} }));
    account.on(GetAlternateContactCommand).callsFake((input) => good(input.AlternateContactType));
    const { report } = await runSweep(new AwsProvider(adapters()), policy, { accountIds: [MEMBER] });
    expect(report.accounts.map((a) => a.accountId)).toEqual([MEMBER]);
    // One DescribeAccount per named account, never the whole listing.
    expect(orgs.commandCalls(ListAccountsCommand)).toHaveLength(0);
    expect(orgs.commandCalls(DescribeAccountCommand)).toHaveLength(1);
    await expect(runSweep(new AwsProvider(adapters()), policy, { accountIds: ['999999999999'] })).rejects.toThrow(AccountSelectionError);
  });
});

import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import type { OrgAccount } from '../../model.ts';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';
import type { Pacer } from '../../calls/pacer.ts';
import { UnexpectedResponseError } from '../../errors.ts';
import { RepeatedPageGuard } from '../../calls/paging.ts';

export interface OrganizationInfo {
  id: string;
  managementAccountId: string;
}

function toOrgAccount(account: Account): OrgAccount {
  if (!account.Id) throw new UnexpectedResponseError('Organizations answered an account without an Id');
  return {
    id: account.Id,
    name: account.Name ?? '',
    ...(account.Email ? { email: account.Email } : {}),
    // `State` is the lifecycle; `Status` was deprecated on 2026-09-09 and is not read (SPEC §4).
    state: account.State ?? 'UNKNOWN',
  };
}

/** The organization and its accounts (AWS Organizations). */
export class OrganizationsAdapter {
  static readonly iamActions: readonly string[] = [
    'organizations:DescribeOrganization',
    'organizations:ListAccounts',
    'organizations:DescribeAccount',
  ];

  private readonly call: AwsCall;

  constructor(
    private readonly client: OrganizationsClient = new OrganizationsClient(clientOptions()),
    /** A pacer where Organizations is shared with other readers (quotas.ts `deployedShares`). */
    options: { pacer?: Pacer | undefined; retry?: RetryOptions | undefined } = {},
  ) {
    this.call = awsCaller(options);
  }

  async describeOrganization(): Promise<OrganizationInfo> {
    const out = await this.call(() => this.client.send(new DescribeOrganizationCommand({})));
    const org = out.Organization;
    if (!org?.Id || !org.MasterAccountId) throw new UnexpectedResponseError('Organizations answered DescribeOrganization without Id or MasterAccountId');
    return { id: org.Id, managementAccountId: org.MasterAccountId };
  }

  /** One page of ListAccounts (retried on its own, so a throttled page does not restart the listing); every page: {@link listAllAccounts}. */
  async listAccountsPage(token: string | undefined): Promise<{ accounts: OrgAccount[]; nextToken: string | undefined }> {
    const page = await this.call(() => this.client.send(new ListAccountsCommand({ MaxResults: 20, ...(token ? { NextToken: token } : {}) })));
    return { accounts: (page.Accounts ?? []).map(toOrgAccount), nextToken: page.NextToken };
  }

  async describeAccount(accountId: string): Promise<OrgAccount> {
    const out = await this.call(() => this.client.send(new DescribeAccountCommand({ AccountId: accountId })));
    if (!out.Account) throw new UnexpectedResponseError(`Organizations answered DescribeAccount ${accountId} without an account`);
    return toOrgAccount(out.Account);
  }
}

/**
 * Every account of the organization, all pages. A function, not a method: the real-time function
 * never lists the organization, and its bundle then carries none of this.
 */
export async function listAllAccounts(organizations: Pick<OrganizationsAdapter, 'listAccountsPage'>): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  const guard = new RepeatedPageGuard('Organizations ListAccounts');
  let nextToken: string | undefined;
  do {
    const page = await organizations.listAccountsPage(nextToken);
    nextToken = page.nextToken;
    guard.check(page.accounts.map((account) => account.id), nextToken);
    accounts.push(...page.accounts);
  } while (nextToken);
  return accounts;
}

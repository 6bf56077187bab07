import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import type { OrgAccount } from '../model.ts';
import { awsCaller, type AwsCall, type RetryOptions } from './caller.ts';
import { clientOptions } from './clients.ts';
import type { Pacer } from './pacer.ts';
import { UnexpectedResponseError } from '../errors.ts';

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

  /** Every account, all pages; each page is retried on its own, so a throttled page does not restart the listing. */
  async listAccounts(): Promise<OrgAccount[]> {
    const accounts: OrgAccount[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.call(() => this.client.send(new ListAccountsCommand({ MaxResults: 20, ...(token ? { NextToken: token } : {}) })));
      for (const account of page.Accounts ?? []) accounts.push(toOrgAccount(account));
      nextToken = page.NextToken;
    } while (nextToken);
    return accounts;
  }

  async describeAccount(accountId: string): Promise<OrgAccount> {
    const out = await this.call(() => this.client.send(new DescribeAccountCommand({ AccountId: accountId })));
    if (!out.Account) throw new UnexpectedResponseError(`Organizations answered DescribeAccount ${accountId} without an account`);
    return toOrgAccount(out.Account);
  }
}

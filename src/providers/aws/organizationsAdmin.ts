import {
  DescribePolicyCommand,
  ListAccountsCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { OrgAccount } from '../../model.ts';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';

/** A service control policy with its document and where it is attached. */
export interface ServiceControlPolicy {
  id: string;
  name: string;
  /** The policy document as JSON text. */
  content: string;
  targets: { id: string; type: string }[];
}

/**
 * The organization's administrative set-up (AWS Organizations), read by `contact-audit doctor`:
 * trusted access, delegated administrators, the root and the service control policies. AWS answers
 * these only to the management account (or an Organizations delegated administrator).
 */
export class OrganizationsAdminAdapter {
  static readonly iamActions: readonly string[] = [
    'organizations:ListAWSServiceAccessForOrganization',
    'organizations:ListDelegatedAdministrators',
    'organizations:ListRoots',
    'organizations:ListPolicies',
    'organizations:DescribePolicy',
    'organizations:ListTargetsForPolicy',
    'organizations:ListAccounts',
  ];

  private readonly call: AwsCall;

  constructor(
    private readonly client: OrganizationsClient = new OrganizationsClient(clientOptions()),
    retry?: RetryOptions,
  ) {
    this.call = awsCaller({ retry });
  }

  /** The first page of accounts (up to 20): enough to prove the permission and pick an account to probe. */
  async sampleAccounts(): Promise<OrgAccount[]> {
    const page = await this.call(() => this.client.send(new ListAccountsCommand({ MaxResults: 20 })));
    return (page.Accounts ?? []).flatMap((a) => (a.Id ? [{ id: a.Id, name: a.Name ?? '', state: a.State ?? 'UNKNOWN' }] : []));
  }

  /** Service principals with trusted access, all pages. */
  async enabledServicePrincipals(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const next = token;
      const page = await this.call(() => this.client.send(new ListAWSServiceAccessForOrganizationCommand(next ? { NextToken: next } : {})));
      for (const p of page.EnabledServicePrincipals ?? []) if (p.ServicePrincipal) out.push(p.ServicePrincipal);
      token = page.NextToken;
    } while (token);
    return out;
  }

  /** Account IDs registered as delegated administrator for `servicePrincipal`, all pages. */
  async delegatedAdministrators(servicePrincipal: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const next = token;
      const page = await this.call(() => this.client.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: servicePrincipal, ...(next ? { NextToken: next } : {}) })));
      for (const a of page.DelegatedAdministrators ?? []) if (a.Id) out.push(a.Id);
      token = page.NextToken;
    } while (token);
    return out;
  }

  /** The root IDs (an organization has one). */
  async rootIds(): Promise<string[]> {
    const page = await this.call(() => this.client.send(new ListRootsCommand({})));
    return (page.Roots ?? []).flatMap((r) => (r.Id ? [r.Id] : []));
  }

  /** Every service control policy with its document and targets. */
  async serviceControlPolicies(): Promise<ServiceControlPolicy[]> {
    const summaries: { id: string; name: string }[] = [];
    let token: string | undefined;
    do {
      const next = token;
      const page = await this.call(() => this.client.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', ...(next ? { NextToken: next } : {}) })));
      for (const p of page.Policies ?? []) if (p.Id) summaries.push({ id: p.Id, name: p.Name ?? p.Id });
      token = page.NextToken;
    } while (token);
    const policies: ServiceControlPolicy[] = [];
    for (const s of summaries) {
      const described = await this.call(() => this.client.send(new DescribePolicyCommand({ PolicyId: s.id })));
      const targets: { id: string; type: string }[] = [];
      let t: string | undefined;
      do {
        const next = t;
        const page = await this.call(() => this.client.send(new ListTargetsForPolicyCommand({ PolicyId: s.id, ...(next ? { NextToken: next } : {}) })));
        for (const target of page.Targets ?? []) if (target.TargetId) targets.push({ id: target.TargetId, type: target.Type ?? 'UNKNOWN' });
        t = page.NextToken;
      } while (t);
      policies.push({ id: s.id, name: s.name, content: described.Policy?.Content ?? '', targets });
    }
    return policies;
  }
}

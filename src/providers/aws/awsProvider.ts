/**
 * The AWS provider: an AWS Organization's accounts (Organizations) and each account's alternate
 * contacts, primary contact and root e-mail (Account Management), paced under the quotas of the
 * caller's partition.
 */
import type { ContactSurface, OrgAccount } from '../../model.ts';
import { effectivePolicy, hasOuOverrides } from '../../policy/overrides.ts';
import type { AppliedPolicy, Policy } from '../../policy/types.ts';
import { isInactive } from '../../rules/evaluate.ts';
import type { Caller, ClassifiedError, Discovery, Provider, ProviderQuota } from '../provider.ts';
import { newCallStats, type CallStats } from './awsCaller.ts';
import type { AwsClients } from './clients.ts';
import { ContactsAdapter } from './contacts.ts';
import { discoverOrganization, readExtras, readPlacements, type SweepAdapters } from './discovery.ts';
import { awsErrorCode, awsErrorMessage, isRetryable, isThrottling } from './awsErrors.ts';
import { IdentityAdapter } from './identity.ts';
import { OrganizationsAdapter } from './organizations.ts';
import { OrganizationTreeAdapter, ParentChainAdapter } from './organizationTree.ts';
import { callerPartitionPacers } from './partitionPacers.ts';
import { AccountSurfaceAdapter } from './primaryContact.ts';
import { PARTITION_QUOTAS, type Partition } from './quotas.ts';

/** The adapters a sweep of AWS reads through; their IAM actions are the provider's {@link AwsProvider.permissions}. */
const READ_ADAPTERS = [IdentityAdapter, OrganizationsAdapter, ContactsAdapter, AccountSurfaceAdapter, OrganizationTreeAdapter, ParentChainAdapter] as const;

/** Codes AWS answers for "not there": the one kind of answer that is data, not failure. */
const NOT_FOUND_CODES = ['ResourceNotFoundException', 'AccountNotFoundException'];

/**
 * Reads one account's contact surface: its alternate contacts, and its primary contact and root
 * e-mail where its policy has those sections. The deployed sweep's batches read through it alone.
 */
export class AwsAccountReader implements Pick<Provider, 'read'> {
  constructor(private readonly adapters: Pick<SweepAdapters, 'contacts' | 'surface'>) {}

  async read(account: OrgAccount, caller: Caller, policy: Policy): Promise<ContactSurface | undefined> {
    if (isInactive(account)) return undefined;
    const target = { accountId: account.id, callerAccountId: caller.callerAccountId, managementAccountId: caller.managementAccountId };
    // The account's own expectations (OU and account overrides) decide what is read.
    const effective = effectivePolicy(policy, account);
    const [reads, extras] = await Promise.all([
      this.adapters.contacts.readAll(target, effective.requiredContactTypes),
      readExtras(this.adapters.surface, target, account, effective),
    ]);
    return { kind: 'alternateContacts', reads, extras };
  }
}

/** The AWS provider over its adapters; tests give it adapters with mocked clients. */
export class AwsProvider implements Provider {
  readonly cloud = 'aws';
  readonly permissions: readonly string[] = [...new Set(READ_ADAPTERS.flatMap((adapter) => adapter.iamActions))].sort();
  readonly quotas: readonly ProviderQuota[];
  readonly callsName = 'GetAlternateContact';
  private readonly reader: AwsAccountReader;

  constructor(
    private readonly adapters: SweepAdapters,
    partition: Partition = 'aws',
  ) {
    this.reader = new AwsAccountReader(adapters);
    this.quotas = Object.entries(PARTITION_QUOTAS[partition]).flatMap(([operation, quota]) => (quota ? [{ operation, ...quota }] : []));
  }

  get stats(): CallStats | undefined {
    return this.adapters.contacts.stats;
  }

  async discover(policy: Policy, accountIds?: readonly string[]): Promise<Discovery> {
    // Without OU-keyed overrides no read depends on where an account sits, so the tree (one
    // Organizations call per 20 accounts at 5/s: 100 s for 10,000) is read while the contacts are.
    const { tree, ...untreed } = this.adapters;
    const alongside = tree && !accountIds && !hasOuOverrides(policy) ? tree : undefined;
    const view = await discoverOrganization(alongside ? untreed : this.adapters, policy, accountIds);
    return alongside ? { ...view, placements: readPlacements(alongside, policy, view.callerAccountId) } : view;
  }

  read(account: OrgAccount, caller: Caller, policy: Policy): Promise<ContactSurface | undefined> {
    return this.reader.read(account, caller, policy);
  }

  classify(error: unknown): ClassifiedError {
    return classifyAwsError(error);
  }

  appliedPolicy(policy: Policy): AppliedPolicy {
    return policy;
  }
}

/** What an AWS error means for the audit ({@link import('../provider.ts').ErrorKind}). */
function classifyAwsError(error: unknown): ClassifiedError {
  const code = awsErrorCode(error);
  const message = awsErrorMessage(error);
  if (isThrottling(error)) return { kind: 'throttled', code, message };
  if (code === 'AccessDeniedException' || code === 'AccessDenied') return { kind: 'access-denied', code, message };
  if (NOT_FOUND_CODES.includes(code)) return { kind: 'not-found', code, message };
  return { kind: isRetryable(error) ? 'retryable' : 'failed', code, message };
}

/**
 * The provider of a sweep from the command line: its adapters over `clients`, every read paced at
 * `getRatePerSecond`'s share of the quotas of the caller's partition (partitionPacers.ts).
 * @throws ConfigError where the caller's partition has no Account Management.
 */
export async function awsProviderFor(clients: AwsClients, getRatePerSecond: number): Promise<AwsProvider> {
  const identity = new IdentityAdapter(clients.sts);
  // The caller's partition decides the quotas, and refuses where Account Management does not exist.
  const pacers = await callerPartitionPacers(identity, getRatePerSecond);
  const organizations = { pacer: pacers.organizations };
  return new AwsProvider(
    {
      identity,
      organizations: new OrganizationsAdapter(clients.organizations, organizations),
      contacts: new ContactsAdapter(clients.account, { pacer: pacers.alternateContact, stats: newCallStats() }),
      // Each Account Management read has its own quota, so its own pacer.
      surface: new AccountSurfaceAdapter(clients.account, {
        pacers: { contactInformation: pacers.contactInformation, primaryEmail: pacers.primaryEmail },
        stats: newCallStats(),
      }),
      tree: new OrganizationTreeAdapter(clients.organizations, organizations),
      parents: new ParentChainAdapter(clients.organizations, organizations),
    },
    pacers.partition,
  );
}

/**
 * How the AWS provider finds the organization (src/providers/aws/awsProvider.ts): who calls, which
 * organization, which accounts and where they sit, and whether these credentials can read other
 * accounts' contacts at all. The deployed sweep's list step (src/audit/stateMachine.ts) uses it too.
 */
import { AccountSelectionError, SetupError } from '../../errors.ts';
import type { ExtraReads, OrgAccount, PrimaryContactRead, RootEmailRead, RootEmailUpdateRead } from '../../model.ts';
import { hasOuOverrides } from '../../policy/overrides.ts';
import type { Policy } from '../../policy/types.ts';
import { isInactive } from '../../rules/evaluate.ts';
import type { ContactsAdapter, ReadTarget } from './contacts.ts';
import { awsErrorCode, awsErrorMessage } from './awsErrors.ts';
import type { IdentityAdapter } from './identity.ts';
import { listAllAccounts, type OrganizationsAdapter } from './organizations.ts';
import type { AccountPlacement } from './organizationTree.ts';

export interface SweepAdapters {
  identity: IdentityAdapter;
  organizations: OrganizationsAdapter;
  contacts: ContactsAdapter;
  /** The primary contact and root e-mail (read only when the policy has those sections). */
  surface?: SurfaceReader;
  /** The OU tree: each account's `ou`, and the OU-keyed overrides. */
  tree?: TreeReader;
  /** One account's place, walked upwards: for `--accounts`, where walking the whole tree would cost more than the sweep. */
  parents?: ParentReader;
}

/** Reads one account's place ({@link import('./organizationTree.ts').ParentChainAdapter}). */
interface ParentReader {
  placementOf(accountId: string): Promise<AccountPlacement>;
}

/** Reads the primary contact and the root e-mail ({@link import('./primaryContact.ts').AccountSurfaceAdapter}). */
export interface SurfaceReader {
  readPrimaryContact(target: ReadTarget): Promise<PrimaryContactRead>;
  readRootEmail(target: ReadTarget, listedEmail?: string): Promise<RootEmailRead>;
  /** Only the sweep asks (with `rootEmail.updateStatus`); a reader without it leaves the notes out. */
  readRootEmailUpdate?(target: ReadTarget): Promise<RootEmailUpdateRead>;
}

/** Reads where each account sits ({@link import('./organizationTree.ts').OrganizationTreeAdapter}). */
export interface TreeReader {
  placements(): Promise<Map<string, AccountPlacement>>;
}

/** What a sweep knows before it reads any contact. */
export interface OrganizationView {
  organizationId: string;
  managementAccountId: string;
  callerAccountId: string;
  accounts: OrgAccount[];
}

const SETUP_HELP =
  'Run the sweep from the management account or, preferably, from the Account Management delegated administrator: ' +
  'in the management account run `aws organizations enable-aws-service-access --service-principal account.amazonaws.com` ' +
  'and `aws organizations register-delegated-administrator --account-id <ID> --service-principal account.amazonaws.com`, ' +
  'and allow the caller account:GetAlternateContact, organizations:ListAccounts and organizations:DescribeOrganization.';

/**
 * Who calls, which organization, which accounts — and whether these credentials can read other
 * accounts' contacts at all. A caller that is neither the management account nor the delegated
 * admin can read only its own contacts (SPEC §4); rather than report every account UNKNOWN, the
 * sweep stops here with a SetupError. The probe is one organizations-context read: of the
 * caller itself when it is not the management account (only the delegated admin may name its
 * own ID), else of the first active member.
 *
 * With `accountIds` (`--accounts`) only those accounts are read, one DescribeAccount each, and
 * their place in the tree only when the policy's OU-keyed overrides need it (one ListParents
 * chain each): a sweep of one account of 2,000 makes a handful of calls, not a listing of all.
 */
export async function discoverOrganization(adapters: SweepAdapters, policy: Policy, accountIds?: readonly string[]): Promise<OrganizationView> {
  const caller = await adapters.identity.whoAmI();
  let organization: Awaited<ReturnType<SweepAdapters['organizations']['describeOrganization']>>;
  try {
    organization = await adapters.organizations.describeOrganization();
  } catch (error) {
    if (awsErrorCode(error) === 'AWSOrganizationsNotInUseException') {
      throw new SetupError(`Account ${caller.accountId} is not a member of an AWS Organization. ${SETUP_HELP}`, { cause: error });
    }
    throw error;
  }
  const isManagement = caller.accountId === organization.managementAccountId;
  let accounts: OrgAccount[];
  try {
    accounts = accountIds ? await describeAccounts(adapters.organizations, accountIds) : await listAllAccounts(adapters.organizations);
  } catch (error) {
    if (awsErrorCode(error) === 'AccessDeniedException') {
      const action = accountIds ? 'DescribeAccount' : 'ListAccounts';
      throw new SetupError(
        `Account ${caller.accountId} may not ${accountIds ? 'describe' : 'list'} the accounts of ${organization.id} (${awsErrorMessage(error)}). ` +
          (isManagement ? `Allow the caller organizations:${action}. ` : 'It is neither the management account nor a delegated administrator. ') +
          SETUP_HELP,
        { cause: error },
      );
    }
    throw error;
  }

  if (accountIds) accounts = await placeSelected(adapters.parents, accounts, policy, caller.accountId);
  else if (adapters.tree) accounts = await placeAccounts(adapters.tree, accounts, policy, caller.accountId);

  const probeTarget = isManagement
    ? accounts.find((a) => a.id !== organization.managementAccountId && !isInactive(a))?.id
    : caller.accountId;
  const probeType = policy.requiredContactTypes[0];
  if (probeTarget && probeType) {
    const probe = await adapters.contacts.read(
      { accountId: probeTarget, callerAccountId: caller.accountId, managementAccountId: organization.managementAccountId },
      probeType,
    );
    if (probe.kind === 'failed' && probe.errorCode === 'AccessDeniedException') {
      throw new SetupError(
        `Account ${caller.accountId} may not read alternate contacts in organizations context (${probe.message}). ` +
          (isManagement
            ? 'Trusted access for account.amazonaws.com is probably not enabled. '
            : 'It is not the delegated administrator for Account Management. ') +
          SETUP_HELP,
      );
    }
  }
  return {
    organizationId: organization.id,
    managementAccountId: organization.managementAccountId,
    callerAccountId: caller.accountId,
    accounts,
  };
}

/**
 * The accounts with their `ou` from the OU tree. A tree that cannot be read leaves them without
 * one, unless the policy has OU-keyed overrides: then applying the wrong expectations would be
 * worse than not sweeping, and the sweep stops with the reason.
 */
async function placeAccounts(tree: TreeReader, accounts: OrgAccount[], policy: Policy, callerAccountId: string): Promise<OrgAccount[]> {
  const placements = await readPlacements(tree, policy, callerAccountId);
  return accounts.map((account) => placed(account, placements));
}

/** Every account's place in the tree; undefined when it cannot be read and nothing depends on it (see {@link placeAccounts}). */
export async function readPlacements(tree: TreeReader, policy: Policy, callerAccountId: string): Promise<Map<string, AccountPlacement> | undefined> {
  try {
    return await tree.placements();
  } catch (error) {
    if (!hasOuOverrides(policy)) return undefined;
    throw new SetupError(
      `Account ${callerAccountId} cannot read the OU tree (${awsErrorCode(error)}: ${awsErrorMessage(error)}), and the policy has overrides by OU. ` +
        'Allow the caller organizations:ListRoots, organizations:ListOrganizationalUnitsForParent and organizations:ListAccountsForParent.',
      { cause: error },
    );
  }
}

/** Organizations calls at once for `--accounts`: DescribeAccount has no documented rate, so a few at a time, retried when throttled. */
const DESCRIBE_CONCURRENCY = 4;

/** Each named account, by DescribeAccount, in the order given; an ID Organizations does not know is an {@link AccountSelectionError}. */
async function describeAccounts(organizations: OrganizationsAdapter, accountIds: readonly string[]): Promise<OrgAccount[]> {
  const ids = [...new Set(accountIds)];
  const found = new Array<OrgAccount | undefined>(ids.length);
  const unknown: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index]!;
      try {
        found[index] = await organizations.describeAccount(id);
      } catch (error) {
        if (awsErrorCode(error) !== 'AccountNotFoundException') throw error;
        unknown.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, ids.length) }, worker));
  if (unknown.length > 0) throw new AccountSelectionError(`--accounts: not in the organization: ${unknown.sort().join(', ')}`);
  return found.filter((account): account is OrgAccount => account !== undefined);
}

/**
 * The selected accounts with their `ou` when the policy has OU-keyed overrides (else the report
 * leaves `ou` out rather than pay for the lookups); as for the whole tree, a lookup that fails
 * then stops the sweep, since the wrong expectations would apply.
 */
async function placeSelected(parents: ParentReader | undefined, accounts: OrgAccount[], policy: Policy, callerAccountId: string): Promise<OrgAccount[]> {
  if (!parents || !hasOuOverrides(policy)) return accounts;
  const placed: OrgAccount[] = [];
  for (const account of accounts) {
    try {
      placed.push({ ...account, ou: await parents.placementOf(account.id) });
    } catch (error) {
      throw new SetupError(
        `Account ${callerAccountId} cannot find the OU of ${account.id} (${awsErrorCode(error)}: ${awsErrorMessage(error)}), and the policy has overrides by OU. ` +
          'Allow the caller organizations:ListParents, organizations:DescribeOrganizationalUnit and organizations:ListRoots.',
        { cause: error },
      );
    }
  }
  return placed;
}

/** The account with its `ou`, when the tree placed it. */
function placed(account: OrgAccount, placements: Map<string, AccountPlacement> | undefined): OrgAccount {
  const ou = placements?.get(account.id);
  return ou ? { ...account, ou } : account;
}

/**
 * The primary contact, the root e-mail and its latest update, each only when the account's policy
 * asks for it; unread without a reader. The real-time path reads the same (src/audit/event.ts).
 */
export async function readExtras(surface: SurfaceReader | undefined, target: ReadTarget, account: OrgAccount, policy: Policy): Promise<ExtraReads> {
  if (!surface) return {};
  const [primaryContact, rootEmail, rootEmailUpdate] = await Promise.all([
    policy.primaryContact ? surface.readPrimaryContact(target) : undefined,
    policy.rootEmail ? surface.readRootEmail(target, account.email) : undefined,
    policy.rootEmail?.updateStatus && surface.readRootEmailUpdate ? surface.readRootEmailUpdate(target) : undefined,
  ]);
  return { ...(primaryContact ? { primaryContact } : {}), ...(rootEmail ? { rootEmail } : {}), ...(rootEmailUpdate ? { rootEmailUpdate } : {}) };
}

import type { ContactsAdapter, CallStats } from '../aws/contacts.ts';
import { awsErrorCode, awsErrorMessage } from '../aws/errors.ts';
import { AccountSelectionError, SetupError } from '../errors.ts';
import type { IdentityAdapter } from '../aws/identity.ts';
import { listAllAccounts, type OrganizationsAdapter } from '../aws/organizations.ts';
import type { AccountResult, ExtraReads, OrgAccount, PrimaryContactRead, Report, RootEmailRead, RootEmailUpdateRead } from '../model.ts';
import type { ReadTarget } from '../aws/contacts.ts';
import type { AccountPlacement } from '../aws/organizationTree.ts';
import { effectivePolicy, hasOuOverrides } from '../policy/overrides.ts';
import type { Policy } from '../policy/types.ts';
import { buildReport } from '../report/build.ts';
import { newRunId } from '../report/runId.ts';
import { applyOrganizationRules, evaluateAccount, isInactive, skippedAccount } from '../rules/evaluate.ts';
import { utcDay } from '../time.ts';

/** Re-exported for the modules and tests that import them from the sweep. */
export { AccountSelectionError, SetupError };

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

/** Reads one account's place ({@link import('../aws/organizationTree.ts').ParentChainAdapter}). */
export interface ParentReader {
  placementOf(accountId: string): Promise<AccountPlacement>;
}

/** Reads the primary contact and the root e-mail ({@link import('../aws/primaryContact.ts').AccountSurfaceAdapter}). */
export interface SurfaceReader {
  readPrimaryContact(target: ReadTarget): Promise<PrimaryContactRead>;
  readRootEmail(target: ReadTarget, listedEmail?: string): Promise<RootEmailRead>;
  /** Only the sweep asks (with `rootEmail.updateStatus`); a reader without it leaves the notes out. */
  readRootEmailUpdate?(target: ReadTarget): Promise<RootEmailUpdateRead>;
}

/** Reads where each account sits ({@link import('../aws/organizationTree.ts').OrganizationTreeAdapter}). */
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
async function readPlacements(tree: TreeReader, policy: Policy, callerAccountId: string): Promise<Map<string, AccountPlacement> | undefined> {
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

/** Keeps the accounts named by `--accounts`; an ID that is not in the organization is an error, not a silent skip. */
export function selectAccounts(accounts: OrgAccount[], accountIds: readonly string[] | undefined): OrgAccount[] {
  if (!accountIds || accountIds.length === 0) return accounts;
  const wanted = new Set(accountIds);
  const known = new Set(accounts.map((a) => a.id));
  const unknown = [...wanted].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AccountSelectionError(`--accounts: not in the organization: ${unknown.join(', ')}`);
  return accounts.filter((a) => wanted.has(a.id));
}

export interface CheckOptions {
  /** Accounts read at once; the pacer, not this, keeps the rate under the quota. */
  concurrency?: number;
  /** Reads the primary contact and root e-mail where the account's policy has those sections. */
  surface?: SurfaceReader;
  onProgress?: (done: number, total: number) => void;
  /**
   * Where each account sits, when the tree is read while the contacts are (runSweep): awaited
   * before an account is evaluated. Only for a policy without OU-keyed overrides, whose reads do
   * not depend on an account's place.
   */
  placements?: Promise<Map<string, AccountPlacement> | undefined>;
}

/**
 * Reads and evaluates each account: every account in gives exactly one result out, in the same
 * order. Inactive accounts (suspended, pending closure, closed …) are skipped without a read.
 */
export async function checkAccounts(
  contacts: ContactsAdapter,
  view: Pick<OrganizationView, 'callerAccountId' | 'managementAccountId'>,
  accounts: readonly OrgAccount[],
  policy: Policy,
  today: string,
  options: CheckOptions = {},
): Promise<AccountResult[]> {
  // Each account's result but for its place in the tree, which may still be on its way
  // (options.placements): reads never wait for the tree, only the evaluation at the end does.
  const outcomes = new Array<(placedAccount: OrgAccount) => AccountResult>(accounts.length);
  const concurrency = Math.max(1, options.concurrency ?? 16);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++;
      const account = accounts[index]!;
      if (isInactive(account)) {
        outcomes[index] = skippedAccount;
      } else {
        const target = { accountId: account.id, callerAccountId: view.callerAccountId, managementAccountId: view.managementAccountId };
        // The account's own expectations (OU and account overrides) decide what is read.
        const effective = effectivePolicy(policy, account);
        const [reads, extras] = await Promise.all([
          contacts.readAll(target, effective.requiredContactTypes),
          readExtras(options.surface, target, account, effective),
        ]);
        outcomes[index] = (placedAccount) => evaluateAccount(placedAccount, reads, policy, today, extras);
      }
      options.onProgress?.(++done, accounts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  const placements = await options.placements;
  return accounts.map((account, index) => outcomes[index]!(placed(account, placements)));
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

export interface SweepOptions extends CheckOptions {
  accountIds?: readonly string[];
  now?: () => Date;
  /** Six hex characters for the run ID. */
  randomSuffix?: () => string;
}

export interface SweepOutcome {
  report: Report;
  stats: CallStats | undefined;
}

const randomHex = (): string => Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');

/** The whole sweep in one process (CLI, demo): discover, read every account, build the §5 report. */
export async function runSweep(adapters: SweepAdapters, policy: Policy, options: SweepOptions = {}): Promise<SweepOutcome> {
  const now = options.now ?? (() => new Date());
  const started = now();
  // Without OU-keyed overrides no read depends on where an account sits, so the tree (one
  // Organizations call per 20 accounts at 5/s: 100 s for 10,000) is read while the contacts are.
  const { tree, ...untreed } = adapters;
  const treeAlongside = tree && !options.accountIds && !hasOuOverrides(policy) ? tree : undefined;
  const view = await discoverOrganization(treeAlongside ? untreed : adapters, policy, options.accountIds);
  const accounts = selectAccounts(view.accounts, options.accountIds);
  const placements = treeAlongside ? readPlacements(treeAlongside, policy, view.callerAccountId) : undefined;
  const checked = await checkAccounts(adapters.contacts, view, accounts, policy, utcDay(started), {
    ...options,
    ...(adapters.surface ? { surface: adapters.surface } : {}),
    ...(placements ? { placements } : {}),
  });
  const results = applyOrganizationRules(checked, policy, utcDay(started));
  const report = buildReport(
    {
      runId: newRunId(started, (options.randomSuffix ?? randomHex)()),
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      organizationId: view.organizationId,
      managementAccountId: view.managementAccountId,
      callerAccountId: view.callerAccountId,
      policy,
    },
    results,
  );
  return { report, stats: adapters.contacts.stats };
}

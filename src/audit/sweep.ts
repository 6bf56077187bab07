import type { ContactsAdapter, CallStats } from '../aws/contacts.ts';
import { awsErrorCode, awsErrorMessage } from '../aws/errors.ts';
import type { IdentityAdapter } from '../aws/identity.ts';
import type { OrganizationsAdapter } from '../aws/organizations.ts';
import type { AccountResult, OrgAccount, Report } from '../model.ts';
import type { Policy } from '../policy/types.ts';
import { buildReport } from '../report/build.ts';
import { newRunId } from '../report/runId.ts';
import { evaluateAccount, isInactive, skippedAccount } from '../rules/evaluate.ts';

/** The sweep cannot run with these credentials; the message names the missing set-up. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** The `--accounts` list names accounts that are not in the organization. */
export class AccountSelectionError extends Error {
  override readonly name = 'AccountSelectionError';
}

export interface SweepAdapters {
  identity: IdentityAdapter;
  organizations: OrganizationsAdapter;
  contacts: ContactsAdapter;
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
 */
export async function discoverOrganization(adapters: SweepAdapters, policy: Policy): Promise<OrganizationView> {
  const caller = await adapters.identity.whoAmI();
  let organization;
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
    accounts = await adapters.organizations.listAccounts();
  } catch (error) {
    if (awsErrorCode(error) === 'AccessDeniedException') {
      throw new SetupError(
        `Account ${caller.accountId} may not list the accounts of ${organization.id} (${awsErrorMessage(error)}). ` +
          (isManagement ? 'Allow the caller organizations:ListAccounts. ' : 'It is neither the management account nor a delegated administrator. ') +
          SETUP_HELP,
        { cause: error },
      );
    }
    throw error;
  }

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
  onProgress?: (done: number, total: number) => void;
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
  const results = new Array<AccountResult>(accounts.length);
  const concurrency = Math.max(1, options.concurrency ?? 16);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++;
      const account = accounts[index]!;
      if (isInactive(account)) {
        results[index] = skippedAccount(account);
      } else {
        const reads = await contacts.readAll(
          { accountId: account.id, callerAccountId: view.callerAccountId, managementAccountId: view.managementAccountId },
          policy.requiredContactTypes,
        );
        results[index] = evaluateAccount(account, reads, policy, today);
      }
      options.onProgress?.(++done, accounts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  return results;
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

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

const randomHex = (): string => Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');

/** The whole sweep in one process (CLI, demo): discover, read every account, build the §5 report. */
export async function runSweep(adapters: SweepAdapters, policy: Policy, options: SweepOptions = {}): Promise<SweepOutcome> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const view = await discoverOrganization(adapters, policy);
  const accounts = selectAccounts(view.accounts, options.accountIds);
  const results = await checkAccounts(adapters.contacts, view, accounts, policy, utcDay(started), options);
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

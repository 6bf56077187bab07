/**
 * The one interface every cloud implements (STYLE.md, "One interface, many providers"): the sweep
 * (src/audit/sweep.ts) composes a provider, the rules and the report, and never knows which cloud
 * it reads. A second cloud is a second implementation of this interface, as Powertools'
 * `SSMProvider` is one of `BaseProvider` and Cloud Custodian's GCP provider one of `c7n/provider.py`.
 *
 * Each implementation lives in its own folder (src/providers/aws/, src/providers/alibaba/), is the only
 * place that imports its cloud's SDK, and declares the quotas it paces under and the permissions
 * (IAM or RAM actions) its caller needs.
 */
import type { CallStats } from '../calls/caller.ts';
import type { QuotaShare } from '../calls/pacer.ts';
import type { ContactSurface, OrgAccount } from '../model.ts';
import type { AppliedPolicy, Policy } from '../policy/types.ts';

type Cloud = 'aws' | 'alibaba';

/** Where each member sits, by member ID: its parent and the IDs from the root down. */
export type Placements = Map<string, NonNullable<OrgAccount['ou']>>;

/** What a sweep knows before it reads any contact: who calls, which organization, which members. */
export interface Discovery<M extends OrgAccount = OrgAccount> {
  organizationId: string;
  managementAccountId: string;
  callerAccountId: string;
  /** The members to read: every one, or those `--accounts` named, each with its place when known. */
  accounts: M[];
  /**
   * Members' places still on their way (read while the contacts are, when no read depends on
   * them): awaited before the members are judged, never before they are read.
   */
  placements?: Promise<Placements | undefined>;
}

/** Who calls and in which organization: what a provider needs to read one member. */
export type Caller = Pick<Discovery, 'callerAccountId' | 'managementAccountId'>;

/**
 * What an error of the cloud means for the audit. Absence is data, failure is not: `not-found` is
 * the one kind a provider may turn into "missing"; every other kind leaves the subject UNKNOWN
 * (CHECK_FAILED with `code`), and `throttled` and `retryable` are worth another try first.
 */
type ErrorKind = 'throttled' | 'retryable' | 'access-denied' | 'not-found' | 'failed';

export interface ClassifiedError {
  kind: ErrorKind;
  /** The cloud's error code (AccessDeniedException, Throttling.User, …) or the network's (ECONNRESET). */
  code: string;
  message: string;
}

/** A quota the provider paces under: per calling account, per operation (or per API). */
export interface ProviderQuota extends QuotaShare {
  operation: string;
}

/** One cloud: discover the members, read one member's contact surface, classify the cloud's errors. */
export interface Provider<M extends OrgAccount = OrgAccount> {
  readonly cloud: Cloud;
  /** The IAM actions (AWS) or RAM actions (Alibaba Cloud) a caller of this provider must be allowed. */
  readonly permissions: readonly string[];
  /** The quotas its reads are paced under, as documented by the cloud (or this product's ceiling where it documents none). */
  readonly quotas: readonly ProviderQuota[];
  /** The calls of its contact reads: attempts, retries, throttling, reads that failed for good. */
  readonly stats: CallStats | undefined;
  /** What {@link stats} count, for "N … calls" on stderr: `GetAlternateContact`, `Resource Directory`. */
  readonly callsName: string;

  /**
   * Who calls, the organization, and its members (all, or those of `accountIds`), each with its
   * place in the hierarchy (id, name, state, OU path) where the policy or the report needs it.
   * @throws SetupError when these credentials cannot audit the organization at all (rather than
   *   report every member UNKNOWN); AccountSelectionError for an ID the organization does not have.
   */
  discover(policy: Policy, accountIds?: readonly string[]): Promise<Discovery<M>>;

  /**
   * One member's contact surface, each read that failed kept as a failure with the cloud's error
   * code; undefined when the member is not checked (not active, or leaving the directory).
   */
  read(member: M, caller: Caller, policy: Policy): Promise<ContactSurface | undefined>;

  /** What an error of this cloud (or of the network on the way) means: see {@link ErrorKind}. */
  classify(error: unknown): ClassifiedError;

  /** The policy as this cloud's rules apply it, for the report (its required kinds, its domains) and the policy hash. */
  appliedPolicy(policy: Policy): AppliedPolicy;
}

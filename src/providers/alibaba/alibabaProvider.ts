/**
 * The Alibaba Cloud provider (docs/alibaba.md): a Resource Directory's members are the report's
 * accounts, and the message contacts bound to a member, a folder above it or the directory its
 * contact surface. The report, its formats, where it is kept and the alerts are the AWS sweep's.
 */
import { soleReaderPacer } from '../../calls/pacer.ts';
import type { CallStats, RetryOptions } from '../../calls/caller.ts';
import { newCallStats } from '../../calls/caller.ts';
import type { AlibabaSettings } from '../../config.ts';
import { AccountSelectionError, InvariantError, SetupError } from '../../errors.ts';
import type { ContactSurface, CoveringContact, MemberReads, MessageContact, OrgAccount, RdMember, ReadResult } from '../../model.ts';
import { alibabaPolicy } from '../../policy/alibaba.ts';
import type { AppliedPolicy, Policy } from '../../policy/types.ts';
import { isMemberSkipped, memberState } from '../../rules/messageContacts.ts';
import type { ClassifiedError, Discovery, Provider, ProviderQuota } from '../provider.ts';
import { createAlibabaClients, type AlibabaClients } from './client.ts';
import { ResourceDirectoryAdapter, type ResourceDirectory } from './directory.ts';
import { alibabaErrorCode, alibabaErrorMessage, isAlibabaRetryable, isAlibabaThrottling } from './alibabaErrors.ts';

/**
 * Resource Directory calls per second and at once. Alibaba documents its API flow control per
 * API and account in the console's quota centre, not as one number; this is the product's ceiling
 * for all of a sweep's Resource Directory reads together (`--rate` takes its share, the burst scales with it).
 */
const RESOURCE_DIRECTORY_QUOTA: ProviderQuota = { operation: 'ResourceDirectory', ratePerSecond: 10, burst: 15 };

const SETUP_HELP =
  'Run the sweep with an AccessKey of a RAM user or role of the Resource Directory management account (or of a delegated ' +
  'administrator) allowed resourcemanager:GetResourceDirectory, ListAccounts, GetAccount, ListAncestors and ListMessageContacts ' +
  '(docs/alibaba.md).';

/** Credentials Alibaba refused outright. */
const CREDENTIAL_CODES = ['InvalidAccessKeyId.NotFound', 'InvalidAccessKeyId.Inactive', 'SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidSecurityToken.Expired'];

/** The directory is not there, or these credentials may not read it. */
const isDenied = (code: string): boolean =>
  code.startsWith('NoPermission') || code.startsWith('Forbidden') || code.startsWith('NotAuthorized') || code === 'EntityNotExists.ResourceDirectory' || code === 'ResourceDirectoryNotInUse';

/** What an Alibaba Cloud error means for the audit ({@link import('../provider.ts').ErrorKind}). */
function classifyAlibabaError(error: unknown): ClassifiedError {
  const code = alibabaErrorCode(error);
  const message = alibabaErrorMessage(error);
  if (isAlibabaThrottling(error)) return { kind: 'throttled', code, message };
  if (isDenied(code) || CREDENTIAL_CODES.includes(code)) return { kind: 'access-denied', code, message };
  if (code.startsWith('EntityNotExists')) return { kind: 'not-found', code, message };
  return { kind: isAlibabaRetryable(error) ? 'retryable' : 'failed', code, message };
}

/** One set-up read: refused credentials or a refused read stop the sweep with what to do, anything else as it came. */
async function setupStep<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = alibabaErrorCode(error);
    if (CREDENTIAL_CODES.includes(code)) {
      throw new SetupError(`Alibaba Cloud refused the credentials (${code}: ${alibabaErrorMessage(error)}). Check ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.`, { cause: error });
    }
    if (isDenied(code)) throw new SetupError(`${what} was refused (${code}: ${alibabaErrorMessage(error)}). ${SETUP_HELP}`, { cause: error });
    throw error;
  }
}

/**
 * `--accounts` for Alibaba: member IDs (digits) separated by commas.
 * @throws AccountSelectionError for anything else.
 */
export function parseMemberIds(raw: string): string[] {
  const ids = raw.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 0 || ids.some((id) => !/^\d{1,32}$/.test(id))) {
    throw new AccountSelectionError(`--accounts: expected Alibaba Cloud account IDs (digits) separated by commas, got "${raw}"`);
  }
  return ids;
}

/** The members `ids` names, each in the directory; every member without `ids`. */
export function selectMembers(members: RdMember[], ids: readonly string[] | undefined): RdMember[] {
  if (ids === undefined) return members;
  const known = new Set(members.map((m) => m.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AccountSelectionError(`--accounts: not in the resource directory: ${unknown.join(', ')}`);
  const wanted = new Set(ids);
  return members.filter((m) => wanted.has(m.id));
}

/** A member as the sweep sees it: the report's account, with what ListAccounts said of it. */
export type AlibabaMember = OrgAccount & { member: RdMember };

/** Reads the members; folder and directory contacts are read once and shared by the members below them. */
class MemberReader {
  private readonly bound = new Map<string, Promise<ReadResult<MessageContact[]>>>();
  private readonly ancestors = new Map<string, Promise<ReadResult<string[]>>>();

  constructor(
    private readonly adapter: ResourceDirectoryAdapter,
    private readonly rd: ResourceDirectory,
    private readonly requireSecureMobilePhone: boolean,
  ) {}

  /** Contacts bound to one ID; shared IDs (folders, the directory) are read once per sweep. */
  contactsAt(id: string, shared: boolean): Promise<ReadResult<MessageContact[]>> {
    if (!shared) return this.adapter.listMessageContacts(id);
    let read = this.bound.get(id);
    if (read === undefined) {
      read = this.adapter.listMessageContacts(id);
      this.bound.set(id, read);
    }
    return read;
  }

  private ancestorsOf(folderId: string): Promise<ReadResult<string[]>> {
    let read = this.ancestors.get(folderId);
    if (read === undefined) {
      read = this.adapter.listAncestors(folderId);
      this.ancestors.set(folderId, read);
    }
    return read;
  }

  /** The IDs from the directory down to the member: ResourceDirectoryPath, else GetAccount's, else the folder's ancestors. */
  private async pathOf(member: RdMember, account: MemberReads['account']): Promise<ReadResult<string[]>> {
    const withDirectory = (path: string[]): string[] => (path[0] === this.rd.id ? path : [this.rd.id, ...path]);
    if (member.path) return { ok: true, value: withDirectory(member.path) };
    if (account?.ok && account.value.path) return { ok: true, value: withDirectory(account.value.path) };
    const folderId = member.folderId ?? (account?.ok ? account.value.folderId : undefined);
    if (folderId === undefined) return { ok: true, value: [this.rd.id, member.id] };
    if (folderId === this.rd.rootFolderId) return { ok: true, value: [this.rd.id, folderId, member.id] };
    const above = await this.ancestorsOf(folderId);
    if (!above.ok) return above;
    return { ok: true, value: withDirectory([...above.value.filter((id) => id !== folderId), folderId, member.id]) };
  }

  /** The member's path and reads: GetAccount only where the secure-phone check or a missing path needs it. */
  async read(member: RdMember): Promise<{ path: string[]; reads: MemberReads }> {
    const needAccount = (this.requireSecureMobilePhone && member.type === 'ResourceAccount') || member.path === undefined;
    const account = needAccount ? await this.adapter.getAccount(member.id) : undefined;
    const path = await this.pathOf(member, account);
    const reads: MemberReads = { contacts: path.ok ? await this.covering(member, path.value) : path, ...(account ? { account } : {}) };
    return { path: path.ok ? path.value : [], reads };
  }

  /** Every contact bound along the path, once, with the nearest ID it is bound at; a failure if any read failed. */
  private async covering(member: RdMember, path: string[]): Promise<ReadResult<CoveringContact[]>> {
    const reads = await Promise.all(path.map((id) => this.contactsAt(id, id !== member.id)));
    const failed = reads.find((read): read is Extract<typeof read, { ok: false }> => !read.ok);
    if (failed) return failed;
    const byId = new Map<string, CoveringContact>();
    reads.forEach((read, index) => {
      if (!read.ok) return;
      for (const contact of read.value) {
        const depths = contact.members.map((id) => path.indexOf(id)).filter((depth) => depth >= 0);
        const depth = Math.max(index, ...depths);
        const seen = byId.get(contact.contactId);
        if (seen === undefined || path.indexOf(seen.boundAt) < depth) byId.set(contact.contactId, { contact, boundAt: path[depth]! });
      }
    });
    return { ok: true, value: [...byId.values()] };
  }
}

export interface AlibabaProviderOptions {
  /** Resource Directory calls per second; the burst scales with it ({@link RESOURCE_DIRECTORY_QUOTA}). */
  ratePerSecond: number;
  retry?: RetryOptions;
}

/** The Alibaba Cloud provider over the RPC clients of one directory's management (or delegated administrator) account. */
export class AlibabaProvider implements Provider<AlibabaMember> {
  readonly cloud = 'alibaba';
  readonly permissions = ResourceDirectoryAdapter.ramActions;
  readonly quotas: readonly ProviderQuota[] = [RESOURCE_DIRECTORY_QUOTA];
  readonly callsName = 'Resource Directory';
  readonly stats: CallStats = newCallStats();
  private readonly adapter: ResourceDirectoryAdapter;
  /** Set by {@link discover}: the directory it found, and its shared reads. */
  private reader: MemberReader | undefined;

  constructor(clients: AlibabaClients, options: AlibabaProviderOptions) {
    const pacer = soleReaderPacer(RESOURCE_DIRECTORY_QUOTA, options.ratePerSecond / RESOURCE_DIRECTORY_QUOTA.ratePerSecond);
    this.adapter = new ResourceDirectoryAdapter(clients, { pacer, stats: this.stats, ...(options.retry ? { retry: options.retry } : {}) });
  }

  async discover(policy: Policy, accountIds?: readonly string[]): Promise<Discovery<AlibabaMember>> {
    const callerAccountId = await setupStep('STS GetCallerIdentity', () => this.adapter.callerAccountId());
    const rd = await setupStep('GetResourceDirectory', () => this.adapter.getResourceDirectory());
    const members = selectMembers(await setupStep('ListAccounts', () => this.adapter.listAccounts()), accountIds);
    this.reader = new MemberReader(this.adapter, rd, alibabaPolicy(policy).requireSecureMobilePhone);
    // One read the sweep needs anyway tells whether ListMessageContacts is allowed at all: if not,
    // stop with the missing permission rather than report every member UNKNOWN.
    const probe = await this.reader.contactsAt(rd.id, true);
    if (!probe.ok && isDenied(probe.errorCode)) {
      throw new SetupError(`ListMessageContacts was refused (${probe.errorCode}: ${probe.message}). ${SETUP_HELP}`);
    }
    return {
      organizationId: rd.id,
      managementAccountId: rd.masterAccountId,
      callerAccountId,
      accounts: members.map((member) => ({ id: member.id, name: member.displayName, state: memberState(member), member })),
    };
  }

  async read(account: AlibabaMember): Promise<ContactSurface | undefined> {
    if (!this.reader) throw new InvariantError('AlibabaProvider.read before discover');
    if (isMemberSkipped(account.member)) return undefined;
    return { kind: 'messageContacts', member: account.member, ...(await this.reader.read(account.member)) };
  }

  classify(error: unknown): ClassifiedError {
    return classifyAlibabaError(error);
  }

  appliedPolicy(policy: Policy): AppliedPolicy {
    const applied = alibabaPolicy(policy);
    // Message types stand in the report's contact-type list (§5 is shared by both clouds).
    return { ...policy, companyDomains: applied.companyDomains, requiredContactTypes: applied.requiredMessageTypes };
  }
}

/**
 * The provider of a sweep from the command line (src/audit/job.ts), its clients made from
 * `settings` (src/config.ts) unless given. AWS is only where the reports and alerts go.
 * @throws AlibabaCredentialsError (a ConfigError), when the provider is made, for a missing access key.
 */
export function alibabaProviderSource(settings: AlibabaSettings, options: AlibabaProviderOptions & { clients?: AlibabaClients }) {
  return { onAws: false, create: () => new AlibabaProvider(options.clients ?? createAlibabaClients(settings), options) } as const;
}

/**
 * Reads a Resource Directory (ResourceDirectoryMaster 2022-04-19): the directory, its members (all
 * pages), a member's account details, a folder's ancestors and the message contacts bound to a
 * directory, folder or member (all pages). Calls are paced and retried; a read that still fails
 * comes back as a failure value with Alibaba's error code, never as "nothing there".
 */
import { UnexpectedResponseError } from '../../errors.ts';
import type { MessageContact, RdAccountDetails, RdMember, ReadResult } from '../../model.ts';
import { pacedCaller, type AwsCall, type CallStats, type ErrorClassification, type RetryOptions } from '../../calls/caller.ts';
import type { Pacer } from '../../calls/pacer.ts';
import { RepeatedPageGuard } from '../../calls/paging.ts';
import type { AlibabaClients, RpcClient } from './client.ts';
import { alibabaErrorCode, alibabaErrorMessage, alibabaHttpStatus, isAlibabaRetryable, isAlibabaThrottling } from './alibabaErrors.ts';

/** GetResourceDirectory. */
export interface ResourceDirectory {
  id: string;
  rootFolderId: string;
  masterAccountId: string;
}

const ALIBABA_DEFAULT_RETRY: RetryOptions = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };

const ALIBABA_ERRORS: ErrorClassification = { isThrottling: isAlibabaThrottling, isRetryable: isAlibabaRetryable, httpStatus: alibabaHttpStatus };

/** The most entries a ListAccounts / ListMessageContacts page may hold (documented range 1–100). */
const PAGE_SIZE = 100;
/** A directory that pages on beyond this is answering nonsense; stop rather than loop. */
const MAX_PAGES = 10_000;

type Json = Record<string, unknown>;

const record = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const optionalText = (value: unknown): string | undefined => (text(value) === '' ? undefined : text(value));
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(text).filter((s) => s !== '') : []);

/** RPC lists come as `{ Account: [...] }` (XML heritage) or as a bare array; both are read. */
function list(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value;
  const inner = record(value)[key];
  return Array.isArray(inner) ? inner : [];
}

function pathOf(raw: unknown): string[] | undefined {
  const path = text(raw)
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return path.length > 0 ? path : undefined;
}

function toMember(raw: unknown): RdMember {
  const a = record(raw);
  const deletionStatus = optionalText(a.DeletionStatus);
  const folderId = optionalText(a.FolderId);
  const path = pathOf(a.ResourceDirectoryPath);
  return {
    id: text(a.AccountId),
    displayName: text(a.DisplayName) || text(a.AccountName),
    type: text(a.Type),
    status: text(a.Status),
    ...(deletionStatus ? { deletionStatus } : {}),
    ...(folderId ? { folderId } : {}),
    ...(path ? { path } : {}),
  };
}

function toContact(raw: unknown): MessageContact {
  const c = record(raw);
  return {
    contactId: text(c.ContactId),
    name: text(c.Name),
    title: text(c.Title),
    emailAddress: text(c.EmailAddress),
    phoneNumber: text(c.PhoneNumber),
    messageTypes: strings(Array.isArray(c.MessageTypes) ? c.MessageTypes : list(c.MessageTypes, 'MessageType')),
    members: strings(Array.isArray(c.Members) ? c.Members : list(c.Members, 'Member')),
    status: text(c.Status),
  };
}

/**
 * The reply must carry `key`: an endpoint that is not Alibaba's (or a proxy's error page in JSON)
 * would otherwise read as an empty directory, every member compliant.
 */
function requireKey(reply: Json, key: string, action: string): Json {
  if (!(key in reply)) {
    throw new UnexpectedResponseError(`${action} answered without ${key}: is the endpoint an Alibaba Cloud Resource Directory API?`, { code: 'InvalidResponse' });
  }
  return reply;
}

/** The Resource Directory adapter; the RAM actions it needs are {@link ResourceDirectoryAdapter.ramActions}. */
export class ResourceDirectoryAdapter {
  /** What the caller's RAM policy must allow (docs/alibaba.md); STS GetCallerIdentity needs none. */
  static readonly ramActions: readonly string[] = [
    'resourcemanager:GetResourceDirectory',
    'resourcemanager:ListAccounts',
    'resourcemanager:GetAccount',
    'resourcemanager:ListAncestors',
    'resourcemanager:ListMessageContacts',
  ];

  private readonly rd: RpcClient;
  private readonly sts: RpcClient;
  private readonly caller: AwsCall;

  constructor(
    clients: AlibabaClients,
    private readonly options: { pacer?: Pacer; retry?: RetryOptions; stats?: CallStats } = {},
  ) {
    this.rd = clients.resourceDirectory;
    this.sts = clients.sts;
    this.caller = pacedCaller(ALIBABA_ERRORS, { pacer: options.pacer, retry: options.retry ?? ALIBABA_DEFAULT_RETRY, stats: options.stats });
  }

  get stats(): CallStats | undefined {
    return this.options.stats;
  }

  /** One call, paced, retried on throttling, 5xx and dropped connections with exponential backoff and full jitter. */
  private async call(client: RpcClient, action: string, params: Record<string, string | number> = {}): Promise<Json> {
    return this.caller(async () => requireKey(record(await client.request(action, params)), 'RequestId', action));
  }

  private async read<T>(work: () => Promise<T>): Promise<ReadResult<T>> {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      if (this.options.stats) this.options.stats.failed++;
      return { ok: false, errorCode: alibabaErrorCode(error), message: alibabaErrorMessage(error) };
    }
  }

  /** STS GetCallerIdentity: the account the credentials belong to. @throws what Alibaba answered. */
  async callerAccountId(): Promise<string> {
    const reply = requireKey(await this.call(this.sts, 'GetCallerIdentity'), 'AccountId', 'GetCallerIdentity');
    return text(reply.AccountId);
  }

  /** GetResourceDirectory. @throws what Alibaba answered (EntityNotExists.ResourceDirectory, NoPermission …). */
  async getResourceDirectory(): Promise<ResourceDirectory> {
    const rd = record(requireKey(await this.call(this.rd, 'GetResourceDirectory'), 'ResourceDirectory', 'GetResourceDirectory').ResourceDirectory);
    if (text(rd.ResourceDirectoryId) === '') requireKey(rd, 'ResourceDirectoryId', 'GetResourceDirectory');
    return { id: text(rd.ResourceDirectoryId), rootFolderId: text(rd.RootFolderId), masterAccountId: text(rd.MasterAccountId) };
  }

  /** ListAccounts, every page (PageNumber/PageSize until TotalCount). @throws what Alibaba answered. */
  async listAccounts(): Promise<RdMember[]> {
    return this.allPages('ListAccounts', {}, (reply) => list(reply.Accounts, 'Account').map(toMember));
  }

  /** GetAccount of one member. */
  getAccount(accountId: string): Promise<ReadResult<RdAccountDetails>> {
    return this.read(async () => {
      const a = record(requireKey(await this.call(this.rd, 'GetAccount', { AccountId: accountId }), 'Account', 'GetAccount').Account);
      const emailStatus = optionalText(a.EmailStatus);
      const folderId = optionalText(a.FolderId);
      const path = pathOf(a.ResourceDirectoryPath);
      const secure = a.HasSecureMobilePhone;
      const hasSecureMobilePhone = typeof secure === 'boolean' ? secure : secure === 'true' ? true : secure === 'false' ? false : undefined;
      return {
        ...(hasSecureMobilePhone !== undefined ? { hasSecureMobilePhone } : {}),
        ...(emailStatus ? { emailStatus } : {}),
        ...(folderId ? { folderId } : {}),
        ...(path ? { path } : {}),
      };
    });
  }

  /** ListAncestors of a folder: the folder IDs above it, root first as Alibaba lists them. */
  listAncestors(folderId: string): Promise<ReadResult<string[]>> {
    return this.read(async () => {
      const reply = await this.call(this.rd, 'ListAncestors', { ChildId: folderId });
      return list(reply.Folders, 'Folder').map((f) => text(record(f).FolderId)).filter((id) => id !== '');
    });
  }

  /** ListMessageContacts bound to one directory, folder or member ID, every page. */
  listMessageContacts(member: string): Promise<ReadResult<MessageContact[]>> {
    return this.read(() => this.allPages('ListMessageContacts', { Member: member }, (reply) => list(reply.Contacts, 'Contact').map(toContact)));
  }

  private async allPages<T>(action: string, params: Record<string, string>, items: (reply: Json) => T[]): Promise<T[]> {
    const all: T[] = [];
    // Pages are asked for by number; a directory that answers a later number with a page already
    // listed (the same page forever) would otherwise be listed until MAX_PAGES.
    const guard = new RepeatedPageGuard(action);
    for (let page = 1; page <= MAX_PAGES; page++) {
      const reply = await this.call(this.rd, action, { ...params, PageNumber: page, PageSize: PAGE_SIZE });
      const got = items(reply);
      guard.check(got.map((item) => JSON.stringify(item)));
      all.push(...got);
      const total = Number(reply.TotalCount);
      // Stop on the last page: TotalCount reached, or a short (or empty) page when TotalCount is absent.
      if (Number.isFinite(total) ? all.length >= total || got.length === 0 : got.length < PAGE_SIZE) return all;
    }
    throw new UnexpectedResponseError(`${action}: more than ${MAX_PAGES} pages`);
  }
}

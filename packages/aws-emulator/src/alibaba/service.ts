/**
 * The Alibaba Cloud RPC protocol of the emulator: ResourceDirectoryMaster 2022-04-19 (GetResourceDirectory,
 * ListAccounts, GetAccount, ListAncestors, ListMessageContacts) and STS 2015-04-01 (GetCallerIdentity).
 *
 * Parameters come from the query string and a form-encoded body; replies are JSON with a RequestId;
 * errors have Alibaba's shape {RequestId, HostId, Code, Message, Recommend}. The signature
 * (HMAC-SHA1, version 1.0, in the parameters; or V3, ACS3-HMAC-SHA256 in the Authorization header,
 * as Alibaba's current SDKs sign by default) is checked for shape (method, version, nonce,
 * timestamp within 15 minutes, digest length, body hash) and, for an access key listed in the
 * fixture with its secret, recomputed and compared; any other key is accepted with any secret.
 * The caller is that listed key's account, else a key of digits is that account, else the
 * management account.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { decodeToken, encodeToken, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { AlibabaContact, AlibabaFixture, AlibabaFolder, AlibabaMember } from './fixture.ts';

const RD_VERSION = '2022-04-19';
const STS_VERSION = '2015-04-01';
const HOST = 'resourcedirectory.aliyuncs.com';
const CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The operations each API version answers; anything else is InvalidAction.NotFound. */
const ACTIONS: Record<string, readonly string[]> = {
  [RD_VERSION]: ['GetResourceDirectory', 'ListAccounts', 'GetAccount', 'ListAncestors', 'ListMessageContacts'],
  [STS_VERSION]: ['GetCallerIdentity'],
};

/** HTTP status of an Alibaba error code, as Alibaba answers them. */
function statusOf(code: string): number {
  if (code.startsWith('EntityNotExists') || code === 'InvalidAction.NotFound' || code.startsWith('InvalidAccessKeyId')) return 404;
  if (code.startsWith('NoPermission') || code.startsWith('Forbidden')) return 403;
  if (code === 'InternalError') return 500;
  if (code.startsWith('ServiceUnavailable')) return 503;
  return 400;
}

/** Percent-encoding of the signature (RFC 3986: also ! ' ( ) *). */
function popEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature version 1.0 of `params` (without Signature) for `method`, with `secret`. */
export function popSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${popEncode(key)}=${popEncode(params[key]!)}`)
    .join('&');
  const stringToSign = `${method.toUpperCase()}&${popEncode('/')}&${popEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** Signature V3 ("V3 request structure and signature"): the algorithm named in the Authorization header. */
const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** Hex SHA-256, as V3 hashes the payload and the canonical request. */
function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The V3 signature of a request: HMAC-SHA256 (hex) with the secret over
 * `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request, which is the method, the path,
 * the sorted percent-encoded query, each signed header as `name:value\n`, the signed header
 * names joined by `;`, and the hex SHA-256 of the body, one per line.
 */
function v3Signature(req: { method: string; path: string; query: URLSearchParams; headers: Record<string, string>; signedHeaders: string[]; body: Buffer | string }, secret: string): string {
  const query = [...req.query]
    .map(([k, v]) => [popEncode(k), popEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = [...req.signedHeaders].map((h) => h.toLowerCase()).sort();
  const canonicalHeaders = names.map((h) => `${h}:${(req.headers[h] ?? '').trim()}\n`).join('');
  const canonical = [req.method.toUpperCase(), req.path || '/', query, canonicalHeaders, names.join(';'), sha256Hex(req.body)].join('\n');
  return createHmac('sha256', secret).update(`${V3_ALGORITHM}\n${sha256Hex(canonical)}`).digest('hex');
}

/** A request time (V1 `Timestamp`, V3 `x-acs-date`) in the format `shape`, within 15 minutes of now. */
function checkStamp(ctx: RequestContext, stamp: string, shape: RegExp): void {
  if (!shape.test(stamp) || Number.isNaN(Date.parse(stamp))) {
    throw new RpcError('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted (YYYY-MM-DDThh:mm:ssZ, UTC).');
  }
  if (Math.abs(Date.parse(stamp) - ctx.now.getTime()) > CLOCK_SKEW_MS) throw new RpcError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
}

class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AlibabaRpcService implements ServiceHandler {
  private readonly fixture: AlibabaFixture;

  constructor(fixture: AlibabaFixture) {
    this.fixture = structuredClone(fixture);
  }

  /** Query and form body together; the body wins, as it carries the signed parameters of a POST. */
  private params(ctx: RequestContext): Record<string, string> {
    const params: Record<string, string> = {};
    // V3 carries the action and version in headers (x-acs-action, x-acs-version).
    const action = ctx.headers['x-acs-action'];
    const version = ctx.headers['x-acs-version'];
    if (typeof action === 'string') params.Action = action;
    if (typeof version === 'string') params.Version = version;
    for (const [key, value] of ctx.url.searchParams) params[key] = value;
    const type = String(ctx.headers['content-type'] ?? '');
    if (ctx.body.length > 0 && (type === '' || type.includes('x-www-form-urlencoded'))) {
      for (const [key, value] of new URLSearchParams(ctx.body.toString('utf8'))) params[key] = value;
    }
    return params;
  }

  operation(ctx: RequestContext): string {
    const action = this.params(ctx).Action;
    return action ? `alibaba:${action}` : 'alibaba:Unknown';
  }

  private reply(ctx: RequestContext, body: Record<string, unknown>): Reply {
    return { status: 200, headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': ctx.requestId }, body: JSON.stringify({ RequestId: ctx.requestId, ...body }) };
  }

  private error(ctx: RequestContext, code: string, message: string): Reply {
    return {
      status: statusOf(code),
      headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': ctx.requestId },
      body: JSON.stringify({
        RequestId: ctx.requestId,
        HostId: HOST,
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=ResourceDirectoryMaster`,
      }),
    };
  }

  internalError(ctx: RequestContext): Reply {
    return this.error(ctx, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
  }

  throttle(ctx: RequestContext): Reply {
    return this.error(ctx, 'Throttling.User', 'Request was denied due to user flow control.');
  }

  handle(ctx: RequestContext): Reply {
    try {
      const params = this.params(ctx);
      const caller = this.authenticate(ctx, params);
      return this.reply(ctx, this.dispatch(params, caller));
    } catch (error) {
      if (error instanceof RpcError) return this.error(ctx, error.code, error.message);
      throw error;
    }
  }

  /** The common parameters and the signature; returns the caller's account ID. */
  private authenticate(ctx: RequestContext, params: Record<string, string>): string {
    const authorization = ctx.headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith(`${V3_ALGORITHM} `)) return this.authenticateV3(ctx, params, authorization);
    for (const name of ['Action', 'Version', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Signature']) {
      if (!params[name]) throw new RpcError(name === 'Signature' ? 'IncompleteSignature' : 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
    }
    const version = params.Version!;
    if (!ACTIONS[version]) throw new RpcError('InvalidVersion', `Specified parameter Version is not valid: ${version}.`);
    if (params.Format !== undefined && params.Format.toUpperCase() !== 'JSON') throw new RpcError('InvalidParameter.Format', 'The emulator answers Format=JSON only.');
    if (params.SignatureMethod !== 'HMAC-SHA1') throw new RpcError('InvalidParameter.SignatureMethod', `Specified signature method is not supported: ${params.SignatureMethod}.`);
    if (params.SignatureVersion !== '1.0') throw new RpcError('InvalidParameter.SignatureVersion', `Specified signature version is not supported: ${params.SignatureVersion}.`);
    checkStamp(ctx, params.Timestamp!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const signature = Buffer.from(params.Signature!, 'base64');
    if (signature.length !== 20 || signature.toString('base64') !== params.Signature) {
      throw new RpcError('IncompleteSignature', 'The request signature does not conform to Aliyun standards (base64 of an HMAC-SHA1).');
    }
    const key = this.fixture.accessKeys.find((k) => k.id === params.AccessKeyId);
    if (key) {
      const expected = Buffer.from(popSignature(ctx.method, params, key.secret), 'base64');
      if (!timingSafeEqual(expected, signature)) {
        throw new RpcError('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      }
      return key.accountId;
    }
    return this.unlistedCaller(params.AccessKeyId!);
  }

  /** The caller of a key the fixture does not list: a key of digits is that account, any other the management account. */
  private unlistedCaller(accessKeyId: string): string {
    return /^\d{10,20}$/.test(accessKeyId) ? accessKeyId : this.fixture.resourceDirectory.masterAccountId;
  }

  /** Signature V3: the common headers, the body hash, the signed header list and the signature. */
  private authenticateV3(ctx: RequestContext, params: Record<string, string>, authorization: string): string {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(ctx.headers)) if (typeof value === 'string') headers[name.toLowerCase()] = value;
    for (const name of ['x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'host']) {
      if (!headers[name]) throw new RpcError('MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
    }
    if (!ACTIONS[params.Version!]) throw new RpcError('InvalidVersion', `Specified parameter Version is not valid: ${params.Version}.`);
    const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization.trim());
    if (!m) throw new RpcError('IncompleteSignature', 'The Authorization header does not conform to Aliyun standards (ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=<64 hex>).');
    const [, accessKeyId, signedList, signature] = m as unknown as [string, string, string, string];
    const signed = signedList.split(';');
    // Host and every x-acs-* header present must be signed (V3, "Request headers"); content-type may be.
    const unsigned = Object.keys(headers).filter((h) => (h === 'host' || h.startsWith('x-acs-')) && !signed.includes(h));
    if (unsigned.length > 0) throw new RpcError('IncompleteSignature', `The request signature does not cover the header(s): ${unsigned.join(', ')}.`);
    checkStamp(ctx, headers['x-acs-date']!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    if (headers['x-acs-content-sha256'] !== sha256Hex(ctx.body)) throw new RpcError('SignatureDoesNotMatch', 'The x-acs-content-sha256 header is not the SHA-256 of the request body.');
    const key = this.fixture.accessKeys.find((k) => k.id === accessKeyId);
    if (key) {
      const expected = v3Signature({ method: ctx.method, path: ctx.url.pathname, query: ctx.url.searchParams, headers, signedHeaders: signed, body: ctx.body }, key.secret);
      if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) {
        throw new RpcError('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      }
      return key.accountId;
    }
    return this.unlistedCaller(accessKeyId);
  }

  private dispatch(params: Record<string, string>, caller: string): Record<string, unknown> {
    const action = params.Action!;
    if (!ACTIONS[params.Version!]!.includes(action)) throw new RpcError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    const rd = this.fixture.resourceDirectory;
    if (action === 'GetCallerIdentity') {
      return { AccountId: caller, UserId: `2${caller.slice(1)}`, PrincipalId: `2${caller.slice(1)}`, IdentityType: 'RAMUser', Arn: `acs:ram::${caller}:user/contact-auditor` };
    }
    const member = this.fixture.accounts.find((a) => a.id === caller);
    if (action === 'GetResourceDirectory') {
      if (!member) throw new RpcError('EntityNotExists.ResourceDirectory', 'The resource directory for the account is not enabled.');
      return {
        ResourceDirectory: {
          ResourceDirectoryId: rd.id, RootFolderId: rd.rootFolderId, MasterAccountId: rd.masterAccountId,
          MasterAccountName: 'management', CreateTime: '2024-01-01T00:00:00.000Z', ControlPolicyStatus: 'Disabled', MemberDeletionStatus: 'Enabled',
        },
      };
    }
    if (caller !== rd.masterAccountId && !rd.delegatedAdminAccountIds.includes(caller)) {
      throw new RpcError('NoPermission', 'You are not authorized to perform this operation: the caller is neither the management account of the resource directory nor a delegated administrator.');
    }
    switch (action) {
      case 'ListAccounts': {
        // QueryKeyword: a fuzzy match on the member (display name, and here its ID and logon name too).
        const keyword = (params.QueryKeyword ?? '').toLowerCase();
        const all = this.fixture.accounts.filter((a) => keyword === '' || `${a.displayName}\n${a.id}\n${a.displayName}@${rd.id}.aliyunid.com`.toLowerCase().includes(keyword));
        const accounts = (items: AlibabaMember[]) => ({ Accounts: { Account: items.map((a) => this.describe(a, false)) } });
        // MaxResults/NextToken paging when the caller asks for it, PageNumber/PageSize otherwise.
        if (params.MaxResults !== undefined || params.NextToken !== undefined) {
          const page = this.tokenPage(params, `ListAccounts/${keyword}`, all.length);
          return { TotalCount: all.length, MaxResults: page.max, ...accounts(all.slice(page.offset, page.offset + page.max)), ...(page.next ? { NextToken: page.next } : {}) };
        }
        const page = this.page(params, 10);
        return { TotalCount: all.length, PageNumber: page.number, PageSize: page.size, ...accounts(page.slice(all)) };
      }
      case 'GetAccount': {
        const id = this.required(params, 'AccountId');
        if (!/^\d{10,20}$/.test(id)) throw new RpcError('InvalidParameter.AccountId', `The specified AccountId is invalid: ${id}.`);
        const account = this.fixture.accounts.find((a) => a.id === id);
        if (!account) throw new RpcError('EntityNotExists.Account', `The specified account does not exist: ${id}.`);
        this.fail(account.failures, action);
        return { Account: this.describe(account, true) };
      }
      case 'ListAncestors': {
        const id = this.required(params, 'ChildId');
        const folder = this.fixture.folders.find((f) => f.id === id);
        if (!folder && id !== rd.rootFolderId) throw new RpcError('EntityNotExists.Folder', `The specified folder does not exist: ${id}.`);
        if (folder) this.fail(folder.failures, action);
        const chain = folder ? this.ancestors(folder.parentId) : [];
        return { Folders: { Folder: chain.map((f) => ({ FolderId: f, FolderName: this.folderName(f), CreateTime: '2024-01-01T00:00:00.000Z' })) } };
      }
      case 'ListMessageContacts': {
        const page = this.page(params, 10);
        let contacts: AlibabaContact[] = this.fixture.contacts;
        const target = params.Member;
        if (target !== undefined && target !== '') {
          const account = this.fixture.accounts.find((a) => a.id === target);
          const folder = this.fixture.folders.find((f) => f.id === target);
          if (!account && !folder && target !== rd.id && target !== rd.rootFolderId) {
            throw new RpcError('EntityNotExists.Member', `The specified member does not exist: ${target}.`);
          }
          this.fail((account ?? folder)?.failures ?? {}, action);
          // Contacts bound to exactly this target; what is bound above it is the caller's to ask for.
          contacts = contacts.filter((c) => c.members.includes(target));
        }
        if (params.ContactId) {
          if (!this.fixture.contacts.some((c) => c.id === params.ContactId)) throw new RpcError('EntityNotExists.Contact', 'This Contact does not exist.');
          contacts = contacts.filter((c) => c.id === params.ContactId);
        }
        return {
          TotalCount: contacts.length,
          PageNumber: page.number,
          PageSize: page.size,
          Contacts: page.slice(contacts).map((c) => ({
            ContactId: c.id, Name: c.name, EmailAddress: c.emailAddress, PhoneNumber: c.phoneNumber, Title: c.title,
            MessageTypes: c.messageTypes, Members: c.members, Status: c.status,
            CreateDate: '2024-01-01 00:00:00', AssociatedDate: '2024-01-01 00:00:00',
          })),
        };
      }
      default:
        throw new RpcError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    }
  }

  private required(params: Record<string, string>, name: string): string {
    const value = params[name];
    // The API references name the parameter in the code: MissingParameter.AccountId, MissingParameter.ChildId.
    if (!value) throw new RpcError(`MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
    return value;
  }

  /** A failure the fixture planted for this operation on this target. */
  private fail(failures: Record<string, string>, action: string): void {
    const code = failures[action];
    if (code) throw new RpcError(code, `${action} failed as the fixture says (${code}).`);
  }

  private page(params: Record<string, string>, fallback: number): { number: number; size: number; slice: <T>(all: T[]) => T[] } {
    const number = params.PageNumber === undefined ? 1 : Number(params.PageNumber);
    const size = params.PageSize === undefined ? fallback : Number(params.PageSize);
    if (!Number.isInteger(number) || number < 1) throw new RpcError('InvalidParameter.PageNumber', 'The specified PageNumber is invalid: a whole number from 1.');
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new RpcError('InvalidParameter.PageSize', 'The specified PageSize is invalid: a whole number from 1 to 100.');
    return { number, size, slice: (all) => all.slice((number - 1) * size, number * size) };
  }

  /** MaxResults (1–100, default 10) and an opaque NextToken of this listing. */
  private tokenPage(params: Record<string, string>, kind: string, total: number): { offset: number; max: number; next?: string } {
    const max = params.MaxResults === undefined ? 10 : Number(params.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw new RpcError('InvalidParameter.MaxResults', 'The specified MaxResults is invalid: a whole number from 1 to 100.');
    let offset = 0;
    if (params.NextToken !== undefined && params.NextToken !== '') {
      const v = decodeToken(kind, params.NextToken);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > total) throw new RpcError('InvalidParameter.NextToken', 'The specified NextToken is invalid.');
      offset = v;
    }
    return { offset, max, ...(offset + max < total ? { next: encodeToken(kind, offset + max) } : {}) };
  }

  /** Folder IDs from the root down to `folderId` (inclusive). */
  private ancestors(folderId: string): string[] {
    const chain: string[] = [];
    for (let id: string | undefined = folderId; id !== undefined; ) {
      chain.unshift(id);
      if (id === this.fixture.resourceDirectory.rootFolderId) break;
      id = this.fixture.folders.find((f: AlibabaFolder) => f.id === id)?.parentId;
    }
    return chain;
  }

  private folderName(id: string): string {
    return id === this.fixture.resourceDirectory.rootFolderId ? 'root' : (this.fixture.folders.find((f) => f.id === id)?.name ?? id);
  }

  private describe(a: AlibabaMember, details: boolean): Record<string, unknown> {
    const rd = this.fixture.resourceDirectory;
    return {
      AccountId: a.id,
      AccountName: `${a.displayName}@${rd.id}.aliyunid.com`,
      DisplayName: a.displayName,
      Type: a.type,
      Status: a.status,
      FolderId: a.folderId,
      ResourceDirectoryId: rd.id,
      ResourceDirectoryPath: [rd.id, ...this.ancestors(a.folderId), a.id].join('/'),
      JoinMethod: a.type === 'ResourceAccount' ? 'created' : 'invited',
      JoinTime: '2024-01-01T00:00:00.000Z',
      ModifyTime: '2024-01-01T00:00:00.000Z',
      ...(a.deletionStatus ? { DeletionStatus: a.deletionStatus } : {}),
      ...(details ? { EmailStatus: a.emailStatus, ...(a.hasSecureMobilePhone === null ? {} : { HasSecureMobilePhone: a.hasSecureMobilePhone }) } : {}),
    };
  }
}

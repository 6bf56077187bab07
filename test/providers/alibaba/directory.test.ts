import { describe, expect, it } from 'vitest';
import type { AlibabaClients, RpcClient } from '../../../src/providers/alibaba/client.ts';
import { ResourceDirectoryAdapter } from '../../../src/providers/alibaba/directory.ts';
import { newCallStats, type CallStats } from '../../../src/providers/aws/awsCaller.ts';
import { alibabaErrorCode, alibabaErrorMessage, isAlibabaRetryable, isAlibabaThrottling } from '../../../src/providers/alibaba/alibabaErrors.ts';

/** An error as @alicloud/pop-core throws it for an Alibaba error body. */
function popError(code: string, status: number, message = `${code} happened`): Error {
  const error = new Error(`${message}, URL: http://x/?Signature=secret`) as Error & Record<string, unknown>;
  error.name = `${code}Error`;
  error.code = code;
  error.data = { RequestId: 'r-1', HostId: 'resourcedirectory.aliyuncs.com', Code: code, Message: message, Recommend: 'https://…' };
  error.entry = { response: { statusCode: status } };
  return error;
}

type Call = { action: string; params: Record<string, string | number | boolean> };

/** A scripted RPC client: each call gets the next answer (a value, with a RequestId added unless `raw`, or an error to throw). */
function scripted(answers: Array<unknown | Error>, raw = false): RpcClient & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async request(action, params) {
      calls.push({ action, params });
      const next = answers.shift();
      if (next instanceof Error) throw next;
      if (next === undefined) throw new Error(`unexpected call ${action}`);
      return raw ? next : { RequestId: `req-${calls.length}`, ...(next as object) };
    },
  };
}

const noWait = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };
const adapterFor = (rd: RpcClient, stats?: CallStats) =>
  new ResourceDirectoryAdapter({ resourceDirectory: rd, sts: scripted([]) } as AlibabaClients, { retry: noWait, ...(stats ? { stats } : {}) });

describe('ResourceDirectoryAdapter', () => {
  it('ListAccounts: every page, 100 at a time, until TotalCount', async () => {
    // Prepare
    const page = (ids: string[]) => ({ TotalCount: 3, Accounts: { Account: ids.map((id) => ({ AccountId: id, DisplayName: `m${id}`, Type: 'ResourceAccount', Status: 'CreateSuccess', FolderId: 'fd-1', ResourceDirectoryPath: `rd-1/r-1/fd-1/${id}` })) } });
    const rd = scripted([page(['1', '2']), page(['3'])]);
    // Act
    const members = await adapterFor(rd).listAccounts();
    // Assess
    expect(members.map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(members[0]).toEqual({ id: '1', displayName: 'm1', type: 'ResourceAccount', status: 'CreateSuccess', folderId: 'fd-1', path: ['rd-1', 'r-1', 'fd-1', '1'] });
    expect(rd.calls.map((c) => [c.action, c.params.PageNumber, c.params.PageSize])).toEqual([
      ['ListAccounts', 1, 100],
      ['ListAccounts', 2, 100],
    ]);
  });

  it('ListMessageContacts: contacts of one target with their message types, members and status', async () => {
    const rd = scripted([
      { TotalCount: 1, Contacts: [{ ContactId: 'c-1', Name: 'tom', EmailAddress: 'a@example.com', PhoneNumber: '86-13900001234', Title: 'CTO', MessageTypes: ['SecurityMessage'], Members: ['fd-1'], Status: 'Verifying' }] },
    ]);
    const read = await adapterFor(rd).listMessageContacts('fd-1');
    expect(read).toEqual({
      ok: true,
      value: [{ contactId: 'c-1', name: 'tom', title: 'CTO', emailAddress: 'a@example.com', phoneNumber: '86-13900001234', messageTypes: ['SecurityMessage'], members: ['fd-1'], status: 'Verifying' }],
    });
    expect(rd.calls[0]!.params).toEqual({ Member: 'fd-1', PageNumber: 1, PageSize: 100 });
  });

  it('retries Throttling.User and dropped connections, then reads', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const rd = scripted([popError('Throttling.User', 400), reset, { Account: { AccountId: '1', HasSecureMobilePhone: false, EmailStatus: 'WAIT_MODIFY' } }]);
    const stats = newCallStats();
    const read = await adapterFor(rd, stats).getAccount('1');
    expect(read).toEqual({ ok: true, value: { hasSecureMobilePhone: false, emailStatus: 'WAIT_MODIFY' } });
    expect(stats).toEqual({ calls: 3, retries: 2, throttled: 1, failed: 0 });
  });

  it('an answer on purpose (NoPermission) is not retried; a read that keeps failing is a failure with the code, never empty', async () => {
    const denied = scripted([popError('NoPermission', 403, 'You are not authorized')]);
    expect(await adapterFor(denied).listMessageContacts('1')).toEqual({ ok: false, errorCode: 'NoPermission', message: 'You are not authorized' });
    expect(denied.calls).toHaveLength(1);
    const throttled = scripted([1, 2, 3, 4].map(() => popError('Throttling.User', 400)));
    const stats = newCallStats();
    expect(await adapterFor(throttled, stats).getAccount('1')).toMatchObject({ ok: false, errorCode: 'Throttling.User' });
    expect(stats).toEqual({ calls: 4, retries: 3, throttled: 4, failed: 1 });
  });

  it('a reply that is not Alibaba\'s (no RequestId) is a failed read, never an empty list', async () => {
    const notAlibaba = scripted([1, 2, 3, 4].map(() => ({ message: 'Service alibaba is not emulated.' })), true);
    expect(await adapterFor(notAlibaba).listMessageContacts('fd-1')).toMatchObject({ ok: false, errorCode: 'InvalidResponse' });
    await expect(adapterFor(scripted([1, 2, 3, 4].map(() => ({})), true)).listAccounts()).rejects.toMatchObject({ code: 'InvalidResponse' });
  });

  it('declares the RAM actions it uses', () => {
    expect(ResourceDirectoryAdapter.ramActions).toEqual([
      'resourcemanager:GetResourceDirectory',
      'resourcemanager:ListAccounts',
      'resourcemanager:GetAccount',
      'resourcemanager:ListAncestors',
      'resourcemanager:ListMessageContacts',
    ]);
  });
});

describe('Alibaba error classification', () => {
  it('takes the code from the error body and drops the signed URL from the message', () => {
    const error = popError('EntityNotExists.Account', 404, 'The specified account does not exist');
    expect(alibabaErrorCode(error)).toBe('EntityNotExists.Account');
    expect(alibabaErrorMessage(new Error('boom, URL: http://x/?Signature=abc'))).toBe('boom');
    expect(isAlibabaRetryable(error)).toBe(false);
  });

  it('retries throttling, server faults and network errors only', () => {
    expect(isAlibabaThrottling(popError('Throttling.Api', 400))).toBe(true);
    expect(isAlibabaRetryable(popError('InternalError', 500))).toBe(true);
    expect(isAlibabaRetryable(popError('ServiceUnavailable', 503))).toBe(true);
    expect(isAlibabaRetryable(popError('InvalidParameter', 400))).toBe(false);
    expect(isAlibabaRetryable(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))).toBe(true);
    expect(alibabaErrorCode(new SyntaxError('Unexpected end of JSON input'))).toBe('InvalidResponse');
  });
});

import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaFixture, type Emulator, emulatorCommand, FixtureError, generateAlibabaDirectory, generateOrganization, parseAlibabaFixture, popSignature, startEmulator } from '@contact-auditor/aws-emulator';
import { capturedIo } from '../../../packages/aws-emulator/test/helpers.ts';

let emulator: Emulator;
let directory: AlibabaFixture;

beforeAll(async () => {
  directory = generateAlibabaDirectory({ members: 25, seed: 7 });
  directory.accessKeys.push({ id: 'LTAIknown', secret: 's3cret', accountId: directory.resourceDirectory.masterAccountId });
  emulator = await startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), alibaba: directory });
});

afterAll(async () => {
  await emulator?.close();
});

const client = (accessKeyId = 'AKanything', accessKeySecret = 'whatever') =>
  new RPCClient({ endpoint: emulator.url, apiVersion: '2022-04-19', accessKeyId, accessKeySecret });

/** A signed RPC call made by hand, so a test can spoil one parameter. */
async function raw(params: Record<string, string>, secret = 'x'): Promise<{ status: number; body: Record<string, unknown> }> {
  const all: Record<string, string> = {
    Format: 'JSON', Version: '2022-04-19', AccessKeyId: 'AKanything', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: String(Math.random()), Timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), ...params,
  };
  if (!('Signature' in params)) all.Signature = popSignature('POST', all, secret);
  const response = await fetch(`${emulator.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(all).toString() });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Alibaba Cloud RPC emulator', () => {
  it('pages ListAccounts with PageNumber/PageSize/TotalCount and gives each member its ResourceDirectoryPath', async () => {
    const first = await client().request<Record<string, any>>('ListAccounts', { PageNumber: 1, PageSize: 10 }, { method: 'POST', formatParams: false });
    const third = await client().request<Record<string, any>>('ListAccounts', { PageNumber: 3, PageSize: 10 }, { method: 'POST', formatParams: false });
    expect(first.TotalCount).toBe(25);
    expect(first.Accounts.Account).toHaveLength(10);
    expect(third.Accounts.Account).toHaveLength(5);
    expect(typeof first.RequestId).toBe('string');
    const rd = directory.resourceDirectory;
    expect(first.Accounts.Account[0].ResourceDirectoryPath).toBe(`${rd.id}/${rd.rootFolderId}/${rd.masterAccountId}`);
  });

  it('answers errors in Alibaba\'s shape with its codes and statuses', async () => {
    const missing = await raw({ Action: 'GetAccount' });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(missing.body.Code).toBe('MissingParameter.AccountId');
    expect((await raw({ Action: 'GetAccount', AccountId: '1999999999999999' })).body.Code).toBe('EntityNotExists.Account');
    expect((await raw({ Action: 'GetAccount', AccountId: '1999999999999999' })).status).toBe(404);
    expect((await raw({ Action: 'DeleteAccount' })).body.Code).toBe('InvalidAction.NotFound');
    expect((await raw({ Action: 'ListAccounts', PageSize: '101' })).body.Code).toBe('InvalidParameter.PageSize');
    const member = directory.accounts[3]!.id;
    const denied = await raw({ Action: 'ListAccounts', AccessKeyId: member });
    expect([denied.status, denied.body.Code]).toEqual([403, 'NoPermission']);
  });

  it('checks the signature\'s shape, and its value for a key it knows the secret of', async () => {
    expect((await raw({ Action: 'ListAccounts', Signature: 'not-base64-of-20-bytes' })).body.Code).toBe('IncompleteSignature');
    expect((await raw({ Action: 'ListAccounts', SignatureMethod: 'HMAC-SHA256' })).body.Code).toBe('InvalidParameter.SignatureMethod');
    expect((await raw({ Action: 'ListAccounts', Timestamp: '2020-01-01T00:00:00Z' })).body.Code).toBe('InvalidTimeStamp.Expired');
    expect((await raw({ Action: 'ListAccounts', AccessKeyId: 'LTAIknown' }, 'wrong')).body.Code).toBe('SignatureDoesNotMatch');
    expect((await raw({ Action: 'ListAccounts', AccessKeyId: 'LTAIknown' }, 's3cret')).status).toBe(200);
    await expect(client('LTAIknown', 'wrong').request('ListAccounts', {}, { method: 'POST' })).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('answers STS GetCallerIdentity with the caller of the key', async () => {
    const sts = new RPCClient({ endpoint: emulator.url, apiVersion: '2015-04-01', accessKeyId: '1000000000000042', accessKeySecret: 'x' });
    expect(await sts.request('GetCallerIdentity', {}, { method: 'POST' })).toMatchObject({ AccountId: '1000000000000042' });
  });

  it('throttles with Throttling.User when told to, and counts it', async () => {
    emulator.injectFault({ operation: 'alibaba:GetResourceDirectory', count: 1, kind: 'throttle' });
    await expect(client().request('GetResourceDirectory', {}, { method: 'POST' })).rejects.toMatchObject({ code: 'Throttling.User' });
    expect(emulator.state().throttledCounts['alibaba:GetResourceDirectory']).toBe(1);
  });

  it('the generator plants every kind of finding and is reproducible', () => {
    const big = generateAlibabaDirectory({ members: 300, seed: 2 });
    expect(generateAlibabaDirectory({ members: 300, seed: 2 })).toEqual(big);
    expect(big.accounts).toHaveLength(300);
    expect(big.contacts.some((c) => c.status === 'Verifying')).toBe(true);
    expect(big.accounts.some((a) => a.hasSecureMobilePhone === false)).toBe(true);
    expect(big.accounts.some((a) => a.deletionStatus === 'Deleting')).toBe(true);
    expect(parseAlibabaFixture(JSON.parse(JSON.stringify(big)))).toEqual(big);
  });

  it('refuses a fixture naming what is not there', () => {
    const rd = { id: 'rd-1', rootFolderId: 'r-1', masterAccountId: '1000000000000001' };
    expect(() => parseAlibabaFixture({ resourceDirectory: rd, accounts: [{ id: '1000000000000002', folderId: 'fd-nope' }] })).toThrow(/accounts\[0\]\.folderId/);
    expect(() => parseAlibabaFixture({ resourceDirectory: rd, contacts: [{ id: 'c-1', members: ['fd-nope'] }] })).toThrow(FixtureError);
    expect(() => parseAlibabaFixture({ resourceDirectory: rd, accounts: [{ id: 1000000000000002 }] })).toThrow(/in quotes/);
  });
});

describe('contact-audit emulator with an Alibaba directory', () => {

  it('--alibaba-fixture serves the directory and prints the ALIBABA_CLOUD_* lines; Ctrl+C stops it', async () => {
    const { out, io: streams } = capturedIo();
    const stop = new AbortController();
    const file = new URL('./directory.json', import.meta.url).pathname;
    const run = emulatorCommand(['--alibaba-fixture', file], streams, stop.signal);
    await expect.poll(() => out.stdout, { timeout: 5000 }).toContain('export ALIBABA_CLOUD_ENDPOINT=');
    const url = /export ALIBABA_CLOUD_ENDPOINT=(\S+)/.exec(out.stdout)?.[1] as string;
    expect(out.stdout).toContain('export ALIBABA_CLOUD_ACCESS_KEY_ID=1000000000000001');
    const rd = new RPCClient({ endpoint: url, apiVersion: '2022-04-19', accessKeyId: 'k', accessKeySecret: 's' });
    expect(await rd.request('ListAccounts', { PageSize: 100 }, { method: 'POST' })).toMatchObject({ TotalCount: 12 });
    stop.abort();
    expect(await run).toBe(0);
  });

  it.each([
    [['--alibaba-generate', '1'], '--alibaba-generate'],
    [['--alibaba-fixture', '/nonexistent.json'], '--alibaba-fixture'],
    [['--alibaba-fixture', 'a.json', '--alibaba-generate', '5'], '--alibaba-fixture'],
  ])('%j is a usage error (exit 2) naming the flag', async (argv, flag) => {
    const { out, io: streams } = capturedIo();
    expect(await emulatorCommand(argv, streams)).toBe(2);
    expect(out.stderr).toContain(flag);
  });
});

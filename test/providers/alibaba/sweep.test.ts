import { describe, expect, it } from 'vitest';
import type { AlibabaClients, RpcClient } from '../../../src/providers/alibaba/client.ts';
import { AccountSelectionError, SetupError, runSweep } from '../../../src/audit/sweep.ts';
import { AlibabaProvider, parseMemberIds, selectMembers } from '../../../src/providers/alibaba/alibabaProvider.ts';
import { policyFromDomains } from '../../../src/policy/load.ts';
import { alibabaSettingsFromEnv, ConfigError } from '../../../src/config.ts';
import { createAlibabaClients } from '../../../src/providers/alibaba/client.ts';

const RD = 'rd-1';
const ROOT = 'r-1';

/** A directory served by action name; `denied` maps `Action:target` to an Alibaba error code. */
function directory(opts: { paths: boolean; denied?: Record<string, string> }): { clients: AlibabaClients; calls: string[] } {
  const calls: string[] = [];
  const fail = (code: string) => Object.assign(new Error(code), { code, data: { Code: code, Message: `${code} here` }, entry: { response: { statusCode: 403 } } });
  const members = [
    { AccountId: '1000000000000001', DisplayName: 'management', Type: 'CloudAccount', Status: 'CreateSuccess', FolderId: ROOT, ResourceDirectoryPath: `${RD}/${ROOT}/1000000000000001` },
    { AccountId: '1000000000000002', DisplayName: 'deep-a', Type: 'ResourceAccount', Status: 'CreateSuccess', FolderId: 'fd-child', ResourceDirectoryPath: `${RD}/${ROOT}/fd-parent/fd-child/1000000000000002` },
    { AccountId: '1000000000000003', DisplayName: 'deep-b', Type: 'ResourceAccount', Status: 'CreateSuccess', FolderId: 'fd-child', ResourceDirectoryPath: `${RD}/${ROOT}/fd-parent/fd-child/1000000000000003` },
  ].map((m) => (opts.paths ? m : { ...m, ResourceDirectoryPath: undefined }));
  const contacts: Record<string, unknown[]> = {
    [RD]: [{ ContactId: 'c-sec', EmailAddress: 'sec@example.com', PhoneNumber: '86-13900000001', MessageTypes: ['SecurityMessage'], Members: [RD], Status: 'Active' }],
    'fd-parent': [{ ContactId: 'c-ops', EmailAddress: 'ops@example.com', PhoneNumber: '86-13900000002', MessageTypes: ['AccountExpenses', 'FaultMessage'], Members: ['fd-parent'], Status: 'Active' }],
  };
  const rd: RpcClient = {
    async request(action, params) {
      const target = String(params.Member ?? params.AccountId ?? params.ChildId ?? '');
      calls.push(`${action}:${target}`);
      const code = opts.denied?.[`${action}:${target}`];
      if (code) throw fail(code);
      const reply = (body: object) => ({ RequestId: 'r', ...body });
      switch (action) {
        case 'GetResourceDirectory':
          return reply({ ResourceDirectory: { ResourceDirectoryId: RD, RootFolderId: ROOT, MasterAccountId: '1000000000000001' } });
        case 'ListAccounts':
          return reply({ TotalCount: members.length, Accounts: { Account: members } });
        case 'GetAccount':
          return reply({ Account: { AccountId: target, HasSecureMobilePhone: true } });
        case 'ListAncestors':
          return reply({ Folders: { Folder: target === 'fd-child' ? [{ FolderId: ROOT }, { FolderId: 'fd-parent' }] : [{ FolderId: ROOT }] } });
        case 'ListMessageContacts':
          return reply({ TotalCount: (contacts[target] ?? []).length, Contacts: contacts[target] ?? [] });
        default:
          throw new Error(`unexpected ${action}`);
      }
    },
  };
  const sts: RpcClient = { request: async () => ({ RequestId: 'r', AccountId: '1000000000000001' }) };
  return { clients: { resourceDirectory: rd, sts }, calls };
}

/** One sweep of the directory through the one sweep, as `--cloud alibaba` runs it. */
const sweep = (clients: AlibabaClients) =>
  runSweep(new AlibabaProvider(clients, { ratePerSecond: 1000, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} } }), policyFromDomains(['example.com']), {
    concurrency: 4,
  });

describe('runSweep of an Alibaba Cloud Resource Directory', () => {
  it('contacts of a folder two levels up cover the members below; each shared folder is read once', async () => {
    const { clients, calls } = directory({ paths: true });
    const { report } = await sweep(clients);
    expect(report.accounts.map((a) => [a.accountId, a.status])).toEqual([
      ['1000000000000001', 'NON_COMPLIANT'], // the root folder has no billing or fault contact
      ['1000000000000002', 'COMPLIANT'],
      ['1000000000000003', 'COMPLIANT'],
    ]);
    expect(calls.filter((c) => c === 'ListMessageContacts:fd-parent')).toHaveLength(1);
    expect(calls.filter((c) => c === `ListMessageContacts:${RD}`)).toHaveLength(1);
    expect(calls.some((c) => c.startsWith('ListAncestors'))).toBe(false);
  });

  it('without ResourceDirectoryPath, the folder chain comes from ListAncestors (once per folder)', async () => {
    const { clients, calls } = directory({ paths: false });
    const { report } = await sweep(clients);
    expect(report.accounts.map((a) => a.status)).toEqual(['NON_COMPLIANT', 'COMPLIANT', 'COMPLIANT']);
    expect(calls.filter((c) => c === 'ListAncestors:fd-child')).toHaveLength(1);
  });

  it('a folder whose contacts cannot be read makes the members below it UNKNOWN, not missing', async () => {
    const { clients } = directory({ paths: true, denied: { 'ListMessageContacts:fd-parent': 'Forbidden.RAM' } });
    const { report } = await sweep(clients);
    const deep = report.accounts.find((a) => a.accountId === '1000000000000002')!;
    expect(deep.status).toBe('UNKNOWN');
    expect(deep.findings.map((f) => [f.code, f.errorCode])).toEqual([
      ['CHECK_FAILED', 'Forbidden.RAM'],
      ['CHECK_FAILED', 'Forbidden.RAM'],
      ['CHECK_FAILED', 'Forbidden.RAM'],
    ]);
  });

  it('stops with a SetupError when ListMessageContacts or ListAccounts is refused outright', async () => {
    await expect(sweep(directory({ paths: true, denied: { [`ListMessageContacts:${RD}`]: 'NoPermission' } }).clients)).rejects.toThrow(SetupError);
    await expect(sweep(directory({ paths: true, denied: { 'ListAccounts:': 'NoPermission' } }).clients)).rejects.toThrow(/ListAccounts was refused/);
  });

  it('--accounts: member IDs only, each in the directory', () => {
    const members = [{ id: '1000000000000002', displayName: 'a', type: 'ResourceAccount', status: 'CreateSuccess' }];
    expect(selectMembers(members, parseMemberIds('1000000000000002'))).toEqual(members);
    expect(() => parseMemberIds('fd-1')).toThrow(AccountSelectionError);
    expect(() => selectMembers(members, parseMemberIds('1000000000000009'))).toThrow(/not in the resource directory/);
  });
});

describe('Alibaba settings from the environment', () => {
  it('credentials and endpoints: per-API variable, then ALIBABA_CLOUD_ENDPOINT (URL or host), then the public endpoints', () => {
    expect(alibabaSettingsFromEnv({})).toEqual({ resourceDirectoryEndpoint: 'https://resourcedirectory.aliyuncs.com', stsEndpoint: 'https://sts.aliyuncs.com' });
    expect(
      alibabaSettingsFromEnv({
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's',
        ALIBABA_CLOUD_ENDPOINT: 'http://127.0.0.1:4566/',
        ALIBABA_CLOUD_ENDPOINT_STS: 'sts-vpc.cn-hangzhou.aliyuncs.com',
      }),
    ).toEqual({ accessKeyId: 'LTAI', accessKeySecret: 's', resourceDirectoryEndpoint: 'http://127.0.0.1:4566', stsEndpoint: 'https://sts-vpc.cn-hangzhou.aliyuncs.com' });
    expect(() => alibabaSettingsFromEnv({ ALIBABA_CLOUD_ENDPOINT: 'http://exa mple' })).toThrow(ConfigError);
  });

  it('missing credentials are a configuration error (exit 2), not a run failure', () => {
    expect(() => createAlibabaClients(alibabaSettingsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI' }))).toThrow(ConfigError);
  });
});

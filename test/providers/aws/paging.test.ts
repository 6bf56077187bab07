/**
 * A listing that serves a page or a page token again stops at once with an error naming the
 * operation, rather than listing until a page bound (ten thousand Alibaba pages, about 1,000 s at
 * `--rate 50`) or forever (an AWS NextToken has no bound). The services here are small stubs: the
 * emulators answer correctly and are not changed to misbehave.
 */
import { type ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, ListRootsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { AlibabaClients, RpcClient } from '../../../src/providers/alibaba/client.ts';
import { ResourceDirectoryAdapter } from '../../../src/providers/alibaba/directory.ts';
import { runSweep } from '../../../src/audit/sweep.ts';
import { AlibabaProvider } from '../../../src/providers/alibaba/alibabaProvider.ts';
import { OrganizationsAdapter, listAllAccounts } from '../../../src/providers/aws/organizations.ts';
import { OrganizationTreeAdapter } from '../../../src/providers/aws/organizationTree.ts';
import { Pacer } from '../../../src/calls/pacer.ts';
import { RepeatedPageGuard } from '../../../src/calls/paging.ts';
import { policyFromDomains } from '../../../src/policy/load.ts';

const NO_RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
const member = (n: number) => ({ AccountId: String(1000000000000000 + n), DisplayName: `m${n}`, Type: 'ResourceAccount', Status: 'CreateSuccess' });

/** Resource Directory whose ListAccounts answers `page(n)` for page n; counts the calls. */
function directory(page: (n: number) => object): { clients: AlibabaClients; listCalls: () => number } {
  let calls = 0;
  const rd: RpcClient = {
    async request(action, params) {
      if (action === 'GetResourceDirectory') return { RequestId: 'r', ResourceDirectory: { ResourceDirectoryId: 'rd-1', RootFolderId: 'r-1', MasterAccountId: '1000000000000001' } };
      if (action !== 'ListAccounts') throw new Error(`unexpected ${action}`);
      calls++;
      return { RequestId: 'r', ...page(Number(params.PageNumber)) };
    },
  };
  const sts: RpcClient = { request: async () => ({ RequestId: 'r', AccountId: '1000000000000001' }) };
  return { clients: { resourceDirectory: rd, sts }, listCalls: () => calls };
}

/** Organizations answering each command with `answer`; counts the calls. */
function organizations(answer: (command: unknown, call: number) => object): { client: OrganizationsClient; calls: () => number } {
  let calls = 0;
  const client = { send: async (command: unknown) => answer(command, ++calls) } as unknown as OrganizationsClient;
  return { client, calls: () => calls };
}

const account = (n: number) => ({ Id: String(100000000000 + n), Arn: `arn:aws:organizations::1:account/o-1/${100000000000 + n}`, Name: `a${n}`, Email: `a${n}@example.com`, State: 'ACTIVE' });

describe('Alibaba ListAccounts', () => {
  const full = Array.from({ length: 100 }, (_, i) => member(i + 1));

  it('serving page 1 for every page number stops on page 2, naming ListAccounts', async () => {
    const { clients, listCalls } = directory(() => ({ TotalCount: 1_000_000, Accounts: { Account: full } }));
    const adapter = new ResourceDirectoryAdapter(clients, { retry: NO_RETRY });
    await expect(adapter.listAccounts()).rejects.toThrow(/^ListAccounts served the items of an earlier page again on page 2: the listing would never end/);
    expect(listCalls()).toBe(2);
  });

  it('two pages served in turn stop on page 3', async () => {
    const second = Array.from({ length: 100 }, (_, i) => member(i + 101));
    const { clients, listCalls } = directory((n) => ({ TotalCount: 1_000_000, Accounts: { Account: n % 2 === 1 ? full : second } }));
    await expect(new ResourceDirectoryAdapter(clients, { retry: NO_RETRY }).listAccounts()).rejects.toThrow(/on page 3/);
    expect(listCalls()).toBe(3);
  });

  it('the sweep stops with that error before reading any member', async () => {
    const { clients } = directory(() => ({ TotalCount: 1_000_000, Accounts: { Account: full } }));
    const sweep = runSweep(new AlibabaProvider(clients, { ratePerSecond: 1000, retry: NO_RETRY }), policyFromDomains(['example.com']), { concurrency: 4 });
    await expect(sweep).rejects.toThrow(/ListAccounts served the items of an earlier page again on page 2/);
  });

  it('pages that move on are read to the end', async () => {
    const { clients } = directory((n) => ({ TotalCount: 250, Accounts: { Account: Array.from({ length: n < 3 ? 100 : 50 }, (_, i) => member((n - 1) * 100 + i + 1)) } }));
    expect(await new ResourceDirectoryAdapter(clients, { retry: NO_RETRY }).listAccounts()).toHaveLength(250);
  });
});

describe('AWS Organizations listings', () => {
  it('ListAccounts answering with the same NextToken again stops on page 2, naming it', async () => {
    const { client, calls } = organizations((_, call) => ({ Accounts: [account(call)], NextToken: 'same-token' }));
    await expect(listAllAccounts(new OrganizationsAdapter(client, { retry: NO_RETRY }))).rejects.toThrow(
      /^Organizations ListAccounts served the page token of an earlier page \("same-token"\) again on page 2/,
    );
    expect(calls()).toBe(2);
  });

  it('ListAccounts serving the same accounts under ever new tokens stops on page 2', async () => {
    const { client, calls } = organizations((_, call) => ({ Accounts: [account(1), account(2)], NextToken: `token-${call}` }));
    await expect(listAllAccounts(new OrganizationsAdapter(client, { retry: NO_RETRY }))).rejects.toThrow(/the items of an earlier page again on page 2/);
    expect(calls()).toBe(2);
  });

  it('an empty page with a new token goes on, as AWS may send one', async () => {
    const { client } = organizations((command) => {
      const token = (command as ListAccountsCommand).input.NextToken;
      return token === undefined ? { Accounts: [], NextToken: 't1' } : token === 't1' ? { Accounts: [account(1)], NextToken: 't2' } : { Accounts: [account(2)] };
    });
    expect((await listAllAccounts(new OrganizationsAdapter(client, { retry: NO_RETRY }))).map((a) => a.id)).toEqual(['100000000001', '100000000002']);
  });

  it('the OU tree stops when ListAccountsForParent repeats its NextToken', async () => {
    const { client, calls } = organizations((command) => {
      if (command instanceof ListRootsCommand) return { Roots: [{ Id: 'r-ab12', Name: 'Root' }] };
      if (command instanceof ListAccountsForParentCommand) return { Accounts: [account(1)], NextToken: 'again' };
      if (command instanceof ListOrganizationalUnitsForParentCommand) return { OrganizationalUnits: [] };
      throw new Error('unexpected command');
    });
    const tree = new OrganizationTreeAdapter(client, { pacer: new Pacer(1000, 1000), retry: NO_RETRY });
    await expect(tree.placements()).rejects.toThrow(/^Organizations ListAccountsForParent r-ab12 served the page token of an earlier page \("again"\) again on page 2/);
    expect(calls()).toBe(3);
  });
});

describe('RepeatedPageGuard', () => {
  it('lets distinct pages and tokens through, and an empty page again', () => {
    const guard = new RepeatedPageGuard('X');
    guard.check(['a', 'b'], 't1');
    guard.check([], 't2');
    guard.check([], 't3');
    expect(() => guard.check(['b', 'c'], 't4')).not.toThrow();
    expect(() => guard.check(['a'], 't5')).toThrow(/^X served the items of an earlier page again on page 5/);
  });
});

describe('contact-audit sweep --cloud alibaba against a directory that serves page 1 forever', () => {
  it('exit 4 at once, naming ListAccounts and what came again', async () => {
    // A small HTTP stand-in for the Resource Directory and STS endpoints (Alibaba RPC: Action in the query or form body).
    const full = Array.from({ length: 100 }, (_, i) => member(i + 1));
    let listCalls = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const params = new URLSearchParams(`${new URL(req.url ?? '/', 'http://stub').search.slice(1)}&${body}`);
        const action = params.get('Action');
        if (action === 'ListAccounts') listCalls++;
        const reply =
          action === 'GetCallerIdentity'
            ? { AccountId: '1000000000000001' }
            : action === 'GetResourceDirectory'
              ? { ResourceDirectory: { ResourceDirectoryId: 'rd-1', RootFolderId: 'r-1', MasterAccountId: '1000000000000001' } }
              : { TotalCount: 1_000_000, Accounts: { Account: full } };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: 'stub', ...reply }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let stderr = '';
    try {
      const code = await main(['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--rate', '50'], {
        stdout: () => {},
        stderr: (text) => {
          stderr += text;
        },
        env: { ALIBABA_CLOUD_ENDPOINT: `http://127.0.0.1:${port}`, ALIBABA_CLOUD_ACCESS_KEY_ID: 'AKstub', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'stub' },
        stderrIsTTY: false,
        stdoutIsTTY: false,
      });
      expect(code, stderr).toBe(4);
      expect(stderr).toMatch(/ListAccounts served the items of an earlier page again on page 2: the listing would never end/);
      expect(listCalls).toBe(2);
    } finally {
      server.close();
    }
  });
});

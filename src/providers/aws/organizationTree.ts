/**
 * Where each account sits in the organization (AWS Organizations): the roots, the OUs under them
 * and the accounts under each, read from the top down with ListRoots,
 * ListOrganizationalUnitsForParent and ListAccountsForParent, every page, paced and retried.
 * One walk of the tree costs about two calls per OU instead of one ListParents chain per account.
 */
import {
  DescribeOrganizationalUnitCommand,
  ListAccountsForParentCommand,
  ListParentsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { OuPlacement } from '../../model.ts';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';
import { Pacer } from '../../calls/pacer.ts';
import { UnexpectedResponseError } from '../../errors.ts';
import { RepeatedPageGuard } from '../../calls/paging.ts';

/** An account's parent, with the IDs of the root and OUs from the root down to it (for inherited overrides). */
export type AccountPlacement = OuPlacement & { ids: string[] };

/**
 * Organizations documents no per-operation rate, only that it throttles; a few calls a second
 * stays well clear of it and a walk of a few hundred OUs still takes under a minute.
 */
const TREE_RATE = { ratePerSecond: 5, burst: 5 } as const;

/** Joins OU names into the report's path: "Root / Workloads / Prod". */
const PATH_SEPARATOR = ' / ';

interface Node {
  id: string;
  name: string;
  path: string;
  ids: string[];
}

export class OrganizationTreeAdapter {
  static readonly iamActions: readonly string[] = [
    'organizations:ListRoots',
    'organizations:ListOrganizationalUnitsForParent',
    'organizations:ListAccountsForParent',
  ];

  private readonly call: AwsCall;

  constructor(
    private readonly client: OrganizationsClient = new OrganizationsClient(clientOptions()),
    options: { pacer?: Pacer; retry?: RetryOptions } = {},
  ) {
    this.call = awsCaller({ pacer: options.pacer ?? new Pacer(TREE_RATE.ratePerSecond, TREE_RATE.burst), retry: options.retry });
  }

  /** Every account's parent. Throws when the tree cannot be read (the caller decides what that means). */
  async placements(): Promise<Map<string, AccountPlacement>> {
    const out = new Map<string, AccountPlacement>();
    const queue: Node[] = [];
    await this.pages(
      'Organizations ListRoots',
      (token) => this.call(() => this.client.send(new ListRootsCommand({ ...(token ? { NextToken: token } : {}) }))),
      (page) => {
        for (const root of page.Roots ?? []) {
          if (!root.Id) continue;
          const name = root.Name ?? 'Root';
          queue.push({ id: root.Id, name, path: name, ids: [root.Id] });
        }
        return page.NextToken;
      },
    );
    while (queue.length > 0) {
      const node = queue.shift()!;
      await this.pages(
        `Organizations ListAccountsForParent ${node.id}`,
        (token) =>
          this.call(() => this.client.send(new ListAccountsForParentCommand({ ParentId: node.id, ...(token ? { NextToken: token } : {}) }))),
        (page) => {
          for (const account of page.Accounts ?? []) {
            if (account.Id) out.set(account.Id, { id: node.id, name: node.name, path: node.path, ids: node.ids });
          }
          return page.NextToken;
        },
      );
      await this.pages(
        `Organizations ListOrganizationalUnitsForParent ${node.id}`,
        (token) =>
          this.call(() =>
            this.client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: node.id, ...(token ? { NextToken: token } : {}) })),
          ),
        (page) => {
          for (const ou of page.OrganizationalUnits ?? []) {
            if (!ou.Id) continue;
            const name = ou.Name ?? ou.Id;
            queue.push({ id: ou.Id, name, path: `${node.path}${PATH_SEPARATOR}${name}`, ids: [...node.ids, ou.Id] });
          }
          return page.NextToken;
        },
      );
    }
    return out;
  }

  private async pages<P>(operation: string, fetch: (token: string | undefined) => Promise<P>, take: (page: P) => string | undefined): Promise<void> {
    const guard = new RepeatedPageGuard(operation);
    let token: string | undefined;
    do {
      token = take(await fetch(token));
      guard.check([], token);
    } while (token);
  }
}

/**
 * One account's place in the tree, walked upwards (ListParents, then DescribeOrganizationalUnit
 * for each OU's name, ListRoots for the root's): for the real-time path, which checks one account
 * and should not walk the whole organization.
 */
export class ParentChainAdapter {
  static readonly iamActions: readonly string[] = [
    'organizations:ListParents',
    'organizations:DescribeOrganizationalUnit',
    'organizations:ListRoots',
  ];

  private readonly call: AwsCall;

  constructor(
    private readonly client: OrganizationsClient = new OrganizationsClient(clientOptions()),
    options: { pacer?: Pacer; retry?: RetryOptions } = {},
  ) {
    this.call = awsCaller({ pacer: options.pacer ?? new Pacer(TREE_RATE.ratePerSecond, TREE_RATE.burst), retry: options.retry });
  }

  /** The account's parent with the names and IDs from the root down; throws when Organizations cannot answer. */
  async placementOf(accountId: string): Promise<AccountPlacement> {
    const chain: { id: string; name: string }[] = [];
    let child = accountId;
    // An organization is at most five OUs deep; the bound only guards against a malformed answer.
    for (let depth = 0; depth < 10; depth++) {
      const out = await this.call(() => this.client.send(new ListParentsCommand({ ChildId: child })));
      const parent = out.Parents?.[0];
      if (!parent?.Id) throw new UnexpectedResponseError(`Organizations answered ListParents ${child} without a parent`);
      if (parent.Type === 'ROOT' || parent.Id.startsWith('r-')) {
        chain.unshift({ id: parent.Id, name: await this.rootName(parent.Id) });
        break;
      }
      const ou = await this.call(() => this.client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: parent.Id })));
      chain.unshift({ id: parent.Id, name: ou.OrganizationalUnit?.Name ?? parent.Id });
      child = parent.Id;
    }
    const parent = chain[chain.length - 1]!;
    return { id: parent.id, name: parent.name, path: chain.map((n) => n.name).join(PATH_SEPARATOR), ids: chain.map((n) => n.id) };
  }

  private async rootName(rootId: string): Promise<string> {
    const out = await this.call(() => this.client.send(new ListRootsCommand({})));
    return out.Roots?.find((root) => root.Id === rootId)?.Name ?? 'Root';
  }
}

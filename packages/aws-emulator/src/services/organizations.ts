/**
 * AWS Organizations (awsJson1_1, X-Amz-Target AWSOrganizationsV20161128.<Op>): DescribeOrganization,
 * ListAccounts (real pagination), DescribeAccount, CreateAccount (./createAccount.ts) and MoveAccount
 * (./moveAccount.ts). Client errors are HTTP 400 with `__type`, as Organizations answers them.
 */
import type { FixtureAccount } from '../fixture.ts';
import { decodeToken, encodeToken, header, jsonObjectBody, jsonRpcError, jsonRpcReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';
import { checkInput, organizationsReason, ORGANIZATIONS_INPUT } from '../modelInput.ts';
import { createAccount } from './createAccount.ts';
import { moveAccount } from './moveAccount.ts';

const TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const OPERATIONS = ['DescribeOrganization', 'ListAccounts', 'DescribeAccount', 'CreateAccount', 'MoveAccount'];
/** The OU tree: every one needs the management account or a delegated administrator, like ListAccounts. */
const TREE_OPERATIONS = ['ListRoots', 'ListOrganizationalUnitsForParent', 'ListAccountsForParent', 'ListParents', 'DescribeOrganizationalUnit'];
const NO_PERMISSION = "You don't have permissions to access this resource.";

/**
 * One page of `items` under `key`, with a NextToken while more remain. MaxResults (1–20, shape
 * MaxResults) is checked in front by `invalidOrganizationsInput`; a token of another listing
 * (`kind`) or past the end is INVALID_NEXT_TOKEN (shape InvalidInputExceptionReason).
 */
export function paginate<T>(ctx: RequestContext, kind: string, key: string, items: T[], input: Record<string, unknown>): Reply {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 20;
  let offset = 0;
  if (input.NextToken !== undefined && input.NextToken !== null) {
    const v = typeof input.NextToken === 'string' ? decodeToken(kind, input.NextToken) : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > items.length) {
      return jsonRpcError(ctx, 'InvalidInputException', 'The specified pagination token is not valid.', 400, { Reason: 'INVALID_NEXT_TOKEN' });
    }
    offset = v;
  }
  const next = offset + max < items.length ? encodeToken(kind, offset + max) : undefined;
  return jsonRpcReply(ctx, { [key]: items.slice(offset, offset + max), ...(next ? { NextToken: next } : {}) });
}

/** InvalidInputException for an input the model refuses (pattern, bounds, enum, required), else undefined. */
export function invalidOrganizationsInput(ctx: RequestContext, op: string): Reply | undefined {
  const rules = ORGANIZATIONS_INPUT[op];
  const input = jsonObjectBody(ctx);
  if (!rules || !input) return undefined;
  const bad = checkInput(rules, input);
  if (!bad) return undefined;
  return jsonRpcError(ctx, 'InvalidInputException', `You provided a value that does not match the required pattern or range: ${bad.message}`, 400, {
    Reason: organizationsReason(bad),
  });
}

export class OrganizationsService implements ServiceHandler {
  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    const target = header(ctx.headers, 'x-amz-target') ?? '';
    return target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) || 'Unknown' : 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return jsonRpcError(ctx, 'ServiceException', 'AWS Organizations can\'t complete your request because of an internal service error. Try again later.', 500);
  }

  throttle(ctx: RequestContext): Reply {
    return jsonRpcError(ctx, 'TooManyRequestsException', 'AWS Organizations can\'t complete your request because it was throttled. Try again later.', 400, {
      Type: 'AWSOrganizations',
    });
  }

  handle(ctx: RequestContext, op: string): Reply {
    if (TREE_OPERATIONS.includes(op)) return this.handleTree(ctx, op);
    if (!OPERATIONS.includes(op)) {
      return jsonRpcError(ctx, 'UnknownOperationException', `The operation ${op} is not supported by this emulator.`);
    }
    const input = jsonObjectBody(ctx);
    if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
    const org = this.store.organization;
    const caller = ctx.callerAccountId;
    if (!this.store.isOrgAccount(caller)) {
      return jsonRpcError(ctx, 'AWSOrganizationsNotInUseException', "Your account is not a member of an organization.");
    }
    const mayList = caller === org.managementAccountId || caller === org.delegatedAdminAccountId;
    switch (op) {
      case 'DescribeOrganization': {
        const mgmt = this.store.accounts.get(org.managementAccountId);
        return jsonRpcReply(ctx, {
          Organization: {
            Id: org.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
            FeatureSet: 'ALL',
            MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
            MasterAccountId: org.managementAccountId,
            MasterAccountEmail: mgmt?.email ?? '',
            AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
          },
        });
      }
      case 'CreateAccount':
        return createAccount(ctx, this.store);
      case 'MoveAccount':
        return moveAccount(ctx, this.store);
      case 'ListAccounts':
        if (!mayList) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
        return paginate(ctx, `ListAccounts/${org.id}`, 'Accounts', [...this.store.accounts.values()].map((a) => this.describe(a)), input);
      default: {
        if (!mayList) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
        const account = this.store.accounts.get(input.AccountId as string);
        if (!account) return jsonRpcError(ctx, 'AccountNotFoundException', "You specified an account that doesn't exist.");
        return jsonRpcReply(ctx, { Account: this.describe(account) });
      }
    }
  }

  /** ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent (paginated), ListParents, DescribeOrganizationalUnit. */
  private handleTree(ctx: RequestContext, op: string): Reply {
    const input = jsonObjectBody(ctx);
    if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
    const org = this.store.organization;
    const caller = ctx.callerAccountId;
    if (!this.store.isOrgAccount(caller)) {
      return jsonRpcError(ctx, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    }
    if (caller !== org.managementAccountId && caller !== org.delegatedAdminAccountId) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
    const roots = this.store.roots;
    const ous = this.store.organizationalUnits;
    const arn = (kind: string, id: string) => `arn:aws:organizations::${org.managementAccountId}:${kind}/${org.id}/${id}`;
    const describeOu = (o: { id: string; name: string }) => ({ Id: o.id, Arn: arn('ou', o.id), Name: o.name });
    const isParent = (id: unknown): id is string => typeof id === 'string' && (roots.some((r) => r.id === id) || ous.some((o) => o.id === id));
    const page = <T>(kind: string, items: T[]): Reply => paginate(ctx, `${op}/${org.id}/${String(input.ParentId)}`, kind, items, input);
    switch (op) {
      case 'ListRoots':
        return page('Roots', roots.map((r) => ({ Id: r.id, Arn: arn('root', r.id), Name: r.name, PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] })));
      case 'ListOrganizationalUnitsForParent':
        if (!isParent(input.ParentId)) return jsonRpcError(ctx, 'ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
        return page('OrganizationalUnits', ous.filter((o) => o.parentId === input.ParentId).map(describeOu));
      case 'ListAccountsForParent':
        if (!isParent(input.ParentId)) return jsonRpcError(ctx, 'ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
        return page('Accounts', [...this.store.accounts.values()].filter((a) => this.store.parentOf(a) === input.ParentId).map((a) => this.describe(a)));
      case 'ListParents': {
        const child = input.ChildId;
        const account = typeof child === 'string' ? this.store.accounts.get(child) : undefined;
        const ou = typeof child === 'string' ? ous.find((o) => o.id === child) : undefined;
        if (!account && !ou) return jsonRpcError(ctx, 'ChildNotFoundException', 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.');
        const parentId = account ? this.store.parentOf(account) : ou!.parentId;
        // Paged like every listing of the model (MaxResults, NextToken), though a child has one parent.
        return paginate(ctx, `ListParents/${org.id}/${child as string}`, 'Parents', [{ Id: parentId, Type: parentId.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }], input);
      }
      default: {
        const found = ous.find((o) => o.id === input.OrganizationalUnitId);
        if (!found) return jsonRpcError(ctx, 'OrganizationalUnitNotFoundException', 'We can\'t find an OU with the OrganizationalUnitId that you specified.');
        return jsonRpcReply(ctx, { OrganizationalUnit: describeOu(found) });
      }
    }
  }

  private describe(a: FixtureAccount): Record<string, unknown> {
    const org = this.store.organization;
    // Status was retired on 2026-09-09 (SPEC §4); only a fixture with `legacyStatus: true` still gets it.
    // It knew no CLOSED or PENDING_ACTIVATION.
    const status = a.state === 'CLOSED' ? 'SUSPENDED' : a.state === 'PENDING_ACTIVATION' ? 'ACTIVE' : a.state;
    // Model shape Path: `o-…/r-…/ou-…/…/<account id>/`, from the organization's real root down
    // through every OU above the account.
    const chain: string[] = [];
    for (let at: string | undefined = this.store.parentOf(a); at !== undefined; at = this.store.organizationalUnits.find((o) => o.id === at)?.parentId) {
      chain.unshift(at);
      if (chain.length > this.store.organizationalUnits.length) break;
    }
    const seed = Number(a.id.slice(-6));
    return {
      Id: a.id,
      Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
      Email: a.email,
      Name: a.name,
      ...(this.store.legacyStatus ? { Status: status } : {}),
      State: a.state,
      Paths: [`${org.id}/${chain.join('/')}/${a.id}/`],
      JoinedMethod: a.id === org.managementAccountId || seed % 3 !== 0 ? 'CREATED' : 'INVITED',
      // Deterministic join dates between 2018 and 2024, as epoch seconds (awsJson default).
      JoinedTimestamp: 1_514_764_800 + (seed % 2_190) * 86_400 + (seed % 86_400),
    };
  }
}

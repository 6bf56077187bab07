/**
 * The organization-administration reads `contact-audit doctor` makes (awsJson1_1, like the rest of
 * Organizations): ListAWSServiceAccessForOrganization, ListDelegatedAdministrators,
 * ListPolicies, DescribePolicy and ListTargetsForPolicy. They wrap the Organizations service, so
 * every other operation goes on to it unchanged.
 *
 * As in AWS, these answer only the management account (an Organizations delegated administrator
 * could also call them; the emulator has none), everyone else gets AccessDeniedException.
 */
import type { FixtureAdmin, FixturePolicy } from '../fixtureAdmin.ts';
import { decodeToken, encodeToken, jsonObjectBody, jsonRpcError, jsonRpcReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';

export const ORGANIZATIONS_ADMIN_OPERATIONS = [
  'ListAWSServiceAccessForOrganization',
  'ListDelegatedAdministrators',
  'ListPolicies',
  'DescribePolicy',
  'ListTargetsForPolicy',
];
const NO_PERMISSION = "You don't have permissions to access this resource.";
const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2'];
/** A fixed, plausible date for the emulator's administrative events (epoch seconds). */
const ENABLED_AT = 1_672_531_200;


/** Organizations with the administration reads added in front of `inner`. */
export function withOrganizationsAdmin(inner: ServiceHandler, store: Store, admin: FixtureAdmin | undefined): ServiceHandler {
  const policies: FixturePolicy[] = admin?.policies ?? [];
  const page = <T,>(ctx: RequestContext, kind: string, all: T[], input: Record<string, unknown>): { items: T[]; next?: string } | Reply => {
    const max = input.MaxResults ?? 20;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 20) {
      return jsonRpcError(ctx, 'InvalidInputException', 'MaxResults must be between 1 and 20.', 400, { Reason: 'MAX_VALUE_EXCEEDED' });
    }
    let offset = 0;
    if (input.NextToken !== undefined && input.NextToken !== null) {
      const v = typeof input.NextToken === 'string' ? decodeToken(kind, input.NextToken) : undefined;
      if (typeof v !== 'number' || v < 0 || v > all.length) return jsonRpcError(ctx, 'InvalidInputException', 'The specified pagination token is not valid.', 400, { Reason: 'INVALID_PAGINATION_TOKEN' });
      offset = v;
    }
    const items = all.slice(offset, offset + max);
    return offset + max < all.length ? { items, next: encodeToken(kind, offset + max) } : { items };
  };
  const isPage = <T,>(v: { items: T[]; next?: string } | Reply): v is { items: T[]; next?: string } => 'items' in v;

  const handle = (ctx: RequestContext, op: string): Reply => {
    const input = jsonObjectBody(ctx);
    if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
    const org = store.organization;
    if (!store.isOrgAccount(ctx.callerAccountId)) return jsonRpcError(ctx, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    if (ctx.callerAccountId !== org.managementAccountId) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
    switch (op) {
      case 'ListAWSServiceAccessForOrganization':
        return jsonRpcReply(ctx, {
          EnabledServicePrincipals: org.trustedAccess ? [{ ServicePrincipal: 'account.amazonaws.com', DateEnabled: ENABLED_AT }] : [],
        });
      case 'ListDelegatedAdministrators': {
        const principal = input.ServicePrincipal;
        const admins = org.delegatedAdminAccountId && (principal === undefined || principal === 'account.amazonaws.com') ? [store.accounts.get(org.delegatedAdminAccountId)!] : [];
        return jsonRpcReply(ctx, {
          DelegatedAdministrators: admins.map((a) => ({
            Id: a.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
            Email: a.email,
            Name: a.name,
            Status: 'ACTIVE',
            State: 'ACTIVE',
            JoinedMethod: 'CREATED',
            JoinedTimestamp: ENABLED_AT,
            DelegationEnabledDate: ENABLED_AT,
          })),
        });
      }
      case 'ListPolicies': {
        if (typeof input.Filter !== 'string' || !POLICY_TYPES.includes(input.Filter)) {
          return jsonRpcError(ctx, 'InvalidInputException', 'You provided a value that does not match the required pattern: Filter.', 400, { Reason: 'INVALID_ENUM' });
        }
        const p = page(ctx, `ListPolicies/${input.Filter}`, policies.filter((x) => x.type === input.Filter), input);
        if (!isPage(p)) return p;
        return jsonRpcReply(ctx, { Policies: p.items.map((x) => summary(org, x)), ...(p.next ? { NextToken: p.next } : {}) });
      }
      case 'DescribePolicy': {
        const policy = policies.find((x) => x.id === input.PolicyId);
        if (!policy) return jsonRpcError(ctx, 'PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
        return jsonRpcReply(ctx, { Policy: { PolicySummary: summary(org, policy), Content: policy.content } });
      }
      default: {
        const policy = policies.find((x) => x.id === input.PolicyId);
        if (!policy) return jsonRpcError(ctx, 'PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
        const p = page(ctx, `ListTargetsForPolicy/${policy.id}`, policy.targets, input);
        if (!isPage(p)) return p;
        return jsonRpcReply(ctx, {
          Targets: p.items.map((id) => ({
            TargetId: id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:${id.startsWith('r-') ? 'root' : id.startsWith('ou-') ? 'ou' : 'account'}/${org.id}/${id}`,
            Name: id.startsWith('r-') ? 'Root' : (store.accounts.get(id)?.name ?? id),
            Type: id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT',
          })),
          ...(p.next ? { NextToken: p.next } : {}),
        });
      }
    }
  };

  return {
    operation: (ctx) => inner.operation(ctx),
    internalError: (ctx) => inner.internalError(ctx),
    throttle: (ctx) => inner.throttle(ctx),
    handle: (ctx, op) => (ORGANIZATIONS_ADMIN_OPERATIONS.includes(op) ? handle(ctx, op) : inner.handle(ctx, op)),
  };
}

function summary(org: Store['organization'], p: FixturePolicy): Record<string, unknown> {
  return {
    Id: p.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/${p.type.toLowerCase()}/${p.id}`,
    Name: p.name,
    Description: p.description,
    Type: p.type,
    AwsManaged: false,
  };
}

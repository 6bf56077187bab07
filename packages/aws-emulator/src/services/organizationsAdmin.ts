/**
 * The organization-administration reads `contact-audit doctor` makes (awsJson1_1, like the rest of
 * Organizations): ListAWSServiceAccessForOrganization, ListDelegatedAdministrators,
 * ListPolicies, DescribePolicy and ListTargetsForPolicy. They wrap the Organizations service, so
 * every other operation goes on to it unchanged.
 *
 * Who may call them follows the API reference: the management account, and for the two service
 * reads (ListAWSServiceAccessForOrganization, ListDelegatedAdministrators) also a member account
 * that is a delegated administrator for an AWS service. The policy reads need a resource-based
 * delegation policy (guide, "Delegated administrator for AWS Organizations"), which the emulator
 * does not model, so they answer the management account only; everyone else gets AccessDeniedException.
 * Every Organizations input is checked against the model's constraints first (modelInput.ts).
 */
import type { FixtureAdmin, FixturePolicy } from '../fixtureAdmin.ts';
import { jsonObjectBody, jsonRpcError, jsonRpcReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';
import { invalidOrganizationsInput, paginate } from './organizations.ts';

const ORGANIZATIONS_ADMIN_OPERATIONS = [
  'ListAWSServiceAccessForOrganization',
  'ListDelegatedAdministrators',
  'ListPolicies',
  'DescribePolicy',
  'ListTargetsForPolicy',
];
const NO_PERMISSION = "You don't have permissions to access this resource.";
/** Operations a delegated administrator for an AWS service may call too (API reference of each). */
const DELEGATED_ADMIN_OPERATIONS = ['ListAWSServiceAccessForOrganization', 'ListDelegatedAdministrators'];
/** A fixed, plausible date for the emulator's administrative events (epoch seconds). */
const ENABLED_AT = 1_672_531_200;

/** Organizations with the administration reads added in front of `inner`. */
export function withOrganizationsAdmin(inner: ServiceHandler, store: Store, admin: FixtureAdmin | undefined): ServiceHandler {
  const policies: FixturePolicy[] = admin?.policies ?? [];
  const handle = (ctx: RequestContext, op: string): Reply => {
    const input = jsonObjectBody(ctx);
    if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
    const org = store.organization;
    if (!store.isOrgAccount(ctx.callerAccountId)) return jsonRpcError(ctx, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    const delegated = ctx.callerAccountId === org.delegatedAdminAccountId && DELEGATED_ADMIN_OPERATIONS.includes(op);
    if (ctx.callerAccountId !== org.managementAccountId && !delegated) return jsonRpcError(ctx, 'AccessDeniedException', NO_PERMISSION);
    switch (op) {
      case 'ListAWSServiceAccessForOrganization':
        return paginate(ctx, `${op}/${org.id}`, 'EnabledServicePrincipals', org.trustedAccess ? [{ ServicePrincipal: 'account.amazonaws.com', DateEnabled: ENABLED_AT }] : [], input);
      case 'ListDelegatedAdministrators': {
        const principal = input.ServicePrincipal;
        const admins = org.delegatedAdminAccountId && (principal === undefined || principal === 'account.amazonaws.com') ? [store.accounts.get(org.delegatedAdminAccountId)!] : [];
        return paginate(ctx, `${op}/${org.id}/${String(principal)}`, 'DelegatedAdministrators',
          admins.map((a) => ({
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
          input,
        );
      }
      case 'ListPolicies':
        return paginate(ctx, `ListPolicies/${org.id}/${String(input.Filter)}`, 'Policies', policies.filter((x) => x.type === input.Filter).map((x) => summary(org, x)), input);
      case 'DescribePolicy': {
        const policy = policies.find((x) => x.id === input.PolicyId);
        if (!policy) return jsonRpcError(ctx, 'PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
        return jsonRpcReply(ctx, { Policy: { PolicySummary: summary(org, policy), Content: policy.content } });
      }
      default: {
        const policy = policies.find((x) => x.id === input.PolicyId);
        if (!policy) return jsonRpcError(ctx, 'PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
        return paginate(
          ctx,
          `ListTargetsForPolicy/${policy.id}`,
          'Targets',
          policy.targets.map((id) => ({
            TargetId: id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:${id.startsWith('r-') ? 'root' : id.startsWith('ou-') ? 'ou' : 'account'}/${org.id}/${id}`,
            Name: id.startsWith('r-') ? 'Root' : (store.accounts.get(id)?.name ?? id),
            Type: id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT',
          })),
          input,
        );
      }
    }
  };

  return {
    operation: (ctx) => inner.operation(ctx),
    internalError: (ctx) => inner.internalError(ctx),
    throttle: (ctx) => inner.throttle(ctx),
    handle: (ctx, op) => invalidOrganizationsInput(ctx, op) ?? (ORGANIZATIONS_ADMIN_OPERATIONS.includes(op) ? handle(ctx, op) : inner.handle(ctx, op)),
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

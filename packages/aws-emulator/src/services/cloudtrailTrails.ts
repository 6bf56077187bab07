/**
 * CloudTrail DescribeTrails over the fixture's trails (awsJson1_1), in front of the CloudTrail
 * service, which answers everything else. As in AWS, the management account sees its trails and
 * a member account sees an organization trail as a shadow trail (with includeShadowTrails, the default).
 */
import type { FixtureAdmin } from '../fixtureAdmin.ts';
import { jsonObjectBody, jsonRpcError, jsonRpcReply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';

export function withCloudTrailTrails(inner: ServiceHandler, store: Store, admin: FixtureAdmin | undefined): ServiceHandler {
  const handle = (ctx: RequestContext) => {
    const input = jsonObjectBody(ctx);
    if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
    const shadows = input.includeShadowTrails !== false;
    const mgmt = store.organization.managementAccountId;
    const trails = (admin?.trails ?? []).filter((t) => {
      const owner = t.ownerAccountId ?? mgmt;
      if (owner === ctx.callerAccountId) return true;
      return shadows && t.isOrganizationTrail && store.isOrgAccount(ctx.callerAccountId) && owner === mgmt;
    });
    return jsonRpcReply(ctx, {
      trailList: trails.map((t) => {
        const owner = t.ownerAccountId ?? mgmt;
        return {
          Name: t.name,
          S3BucketName: t.s3BucketName,
          IncludeGlobalServiceEvents: true,
          IsMultiRegionTrail: t.isMultiRegionTrail,
          HomeRegion: t.homeRegion,
          TrailARN: `arn:aws:cloudtrail:${t.homeRegion}:${owner}:trail/${t.name}`,
          LogFileValidationEnabled: true,
          HasCustomEventSelectors: false,
          HasInsightSelectors: false,
          IsOrganizationTrail: t.isOrganizationTrail,
        };
      }),
    });
  };
  return {
    operation: (ctx) => inner.operation(ctx),
    internalError: (ctx) => inner.internalError(ctx),
    throttle: (ctx) => inner.throttle(ctx),
    handle: (ctx, op) => (op === 'DescribeTrails' ? handle(ctx) : inner.handle(ctx, op)),
  };
}

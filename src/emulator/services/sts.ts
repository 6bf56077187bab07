/** AWS STS GetCallerIdentity (awsQuery: form POST, XML reply), the only STS call the product makes. */
import { queryError, queryReply, xmlEscape, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function formParams(ctx: RequestContext): URLSearchParams {
  // awsQuery is a form POST; a GET carries the same parameters in the query string.
  return ctx.method === 'GET' ? ctx.url.searchParams : new URLSearchParams(ctx.body.toString('utf8'));
}

export class StsService implements ServiceHandler {
  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    return formParams(ctx).get('Action') || 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return queryError(ctx, XMLNS, 'InternalFailure', 'An internal error occurred.', 500);
  }

  throttle(ctx: RequestContext): Reply {
    return queryError(ctx, XMLNS, 'Throttling', 'Rate exceeded', 400);
  }

  handle(ctx: RequestContext, op: string): Reply {
    if (op !== 'GetCallerIdentity') {
      return queryError(ctx, XMLNS, op === 'Unknown' ? 'MissingAction' : 'InvalidAction', `Could not find operation ${op}`, 400);
    }
    const id = this.store.identity(ctx);
    return queryReply(
      ctx,
      XMLNS,
      'GetCallerIdentity',
      `<Arn>${xmlEscape(id.arn)}</Arn><UserId>${xmlEscape(id.principalId)}</UserId><Account>${ctx.callerAccountId}</Account>`,
    );
  }
}

/** AWS STS GetCallerIdentity (awsQuery: form POST, XML reply), the only STS call the product makes. */
import { queryError, queryReply, xmlEscape, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function formParams(ctx: RequestContext): URLSearchParams {
  // awsQuery is a form POST; a GET carries the same parameters in the query string.
  return ctx.method === 'GET' ? ctx.url.searchParams : new URLSearchParams(ctx.body.toString('utf8'));
}

/**
 * What every awsQuery service (STS, SNS, CloudFormation) shares: the operation is the form's
 * `Action`; faults answer in the service's namespace with its code for an internal error.
 */
export abstract class QueryService implements ServiceHandler {
  constructor(
    private readonly xmlns: string,
    private readonly internalErrorCode: string,
  ) {}

  operation(ctx: RequestContext): string {
    return formParams(ctx).get('Action') || 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return queryError(ctx, this.xmlns, this.internalErrorCode, 'An internal error occurred.', 500);
  }

  throttle(ctx: RequestContext): Reply {
    return queryError(ctx, this.xmlns, 'Throttling', 'Rate exceeded', 400);
  }

  abstract handle(ctx: RequestContext, operation: string): Reply | Promise<Reply>;
}

export class StsService extends QueryService {
  constructor(private readonly store: Store) {
    super(XMLNS, 'InternalFailure');
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

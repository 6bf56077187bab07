/**
 * AWS Lambda (restJson1), the reads of a deploy: GetAccountSettings and GetFunctionConcurrency (the
 * deploy check, serverless/plugins/check-deploy-params.cjs) and GetFunction (osls, to tell whether
 * anything changed since the last deploy). The account's concurrency quota is the fixture's
 * `lambdaConcurrency`; the functions and their reserved concurrency are those the emulated
 * CloudFormation stacks hold. Paths, shapes and error codes: the botocore model of lambda 2015-03-31.
 */
import type { Reply, RequestContext, ServiceHandler } from '../protocol.ts';
import type { Store } from '../store.ts';
import { deployedFunctions } from './cloudformation.ts';

const ACCOUNT_SETTINGS = /^\/2016-08-19\/account-settings\/?$/;
const FUNCTION_CONCURRENCY = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/;
const GET_FUNCTION = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
/** Lambda quotas: 75 GB of code storage, 250 MB unzipped, 50 MB zipped for a direct upload (Lambda developer guide, "Lambda quotas"). */
const TOTAL_CODE_SIZE = 80_530_636_800;
const CODE_SIZE_UNZIPPED = 262_144_000;
const CODE_SIZE_ZIPPED = 52_428_800;

function reply(ctx: RequestContext, status: number, body: unknown, errorType?: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId, ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
    body: JSON.stringify(body),
  };
}

export class LambdaService implements ServiceHandler {
  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    if (ctx.method === 'GET' && ACCOUNT_SETTINGS.test(ctx.url.pathname)) return 'GetAccountSettings';
    if (ctx.method === 'GET' && FUNCTION_CONCURRENCY.test(ctx.url.pathname)) return 'GetFunctionConcurrency';
    if (ctx.method === 'GET' && GET_FUNCTION.test(ctx.url.pathname)) return 'GetFunction';
    return 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return reply(ctx, 500, { Type: 'Service', Message: 'An internal error occurred.' }, 'ServiceException');
  }

  throttle(ctx: RequestContext): Reply {
    return reply(ctx, 429, { Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' }, 'TooManyRequestsException');
  }

  handle(ctx: RequestContext, op: string): Reply {
    const functions = deployedFunctions(this.store);
    if (op === 'GetAccountSettings') {
      const reserved = [...functions.values()].reduce((sum, f) => sum + (f.reserved ?? 0), 0);
      return reply(ctx, 200, {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE,
          CodeSizeUnzipped: CODE_SIZE_UNZIPPED,
          CodeSizeZipped: CODE_SIZE_ZIPPED,
          ConcurrentExecutions: this.store.lambdaConcurrency,
          UnreservedConcurrentExecutions: this.store.lambdaConcurrency - reserved,
        },
        AccountUsage: { TotalCodeSize: 0, FunctionCount: functions.size },
      });
    }
    if (op === 'GetFunctionConcurrency' || op === 'GetFunction') {
      const path = (op === 'GetFunction' ? GET_FUNCTION : FUNCTION_CONCURRENCY).exec(ctx.url.pathname) as RegExpExecArray;
      // A name, a partial ARN (ACCOUNT:function:NAME) or a full ARN.
      const name = decodeURIComponent(path[1] as string).replace(/^(arn:aws[a-z-]*:lambda:[^:]+:)?(\d{12}:)?function:/, '');
      const arn = `arn:aws:lambda:${ctx.region}:${ctx.callerAccountId}:function:${name}`;
      const found = functions.get(name);
      if (!found) return reply(ctx, 404, { Type: 'User', Message: `Function not found: ${arn}` }, 'ResourceNotFoundException');
      if (op === 'GetFunctionConcurrency') return reply(ctx, 200, found.reserved === undefined ? {} : { ReservedConcurrentExecutions: found.reserved });
      return reply(ctx, 200, {
        // LastModified: ISO 8601 with a +0000 offset, as Lambda writes it.
        Configuration: { FunctionName: name, FunctionArn: arn, LastModified: found.lastModified.toISOString().replace('Z', '+0000'), State: 'Active' },
        ...(found.reserved === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: found.reserved } }),
      });
    }
    return reply(ctx, 400, { Type: 'User', Message: `${ctx.method} ${ctx.url.pathname} is not implemented by this emulator.` }, 'InvalidRequestContentException');
  }
}

/**
 * Stands in for IAM in the emulator: a fixture's `iamDenies` names, per caller account, the actions
 * its credentials lack, and those calls answer AccessDeniedException as AWS does, with the
 * action in the message ("… is not authorized to perform: organizations:ListAccounts …").
 * Used to test what `contact-audit doctor` says about missing permissions.
 */
import { jsonRpcError, queryError, restJsonError, s3Error, type ServiceHandler } from './protocol.ts';
import type { Store } from './store.ts';

/** The IAM prefix of each emulated service that can deny (STS GetCallerIdentity needs no permission). */
const IAM_PREFIX: Record<string, string> = { organizations: 'organizations', account: 'account', cloudtrail: 'cloudtrail', s3: 's3', sns: 'sns', lambda: 'lambda' };

export function withIamDenies(service: string, inner: ServiceHandler, store: Store, denies: Record<string, string[]> | undefined): ServiceHandler {
  const prefix = IAM_PREFIX[service];
  if (!denies || !prefix) return inner;
  return {
    operation: (ctx) => inner.operation(ctx),
    internalError: (ctx) => inner.internalError(ctx),
    throttle: (ctx) => inner.throttle(ctx),
    handle: (ctx, op) => {
      const action = `${prefix}:${op}`;
      if (!(denies[ctx.callerAccountId] ?? []).includes(action)) return inner.handle(ctx, op);
      const message = `User: ${store.identity(ctx).arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
      // Each protocol's own form of the refusal: S3's AccessDenied, SNS's AuthorizationError (the SNS model's error for it).
      if (service === 's3') return s3Error(ctx, 'AccessDenied', 403, 'Access Denied');
      if (service === 'sns') return queryError(ctx, 'http://sns.amazonaws.com/doc/2010-03-31/', 'AuthorizationError', message, 403);
      return service === 'account' || service === 'lambda' ? restJsonError(ctx, 'AccessDeniedException', 403, message) : jsonRpcError(ctx, 'AccessDeniedException', message);
    },
  };
}

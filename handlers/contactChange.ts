/**
 * Lambda: one EventBridge event about an alternate-contact change (SPEC.md §7) → at most one SNS
 * alert (§8) and one `changes/` record (§9). Wiring only: the runtime is made at init (a bad
 * configuration fails the cold start) and the middleware put on in contactChangeRuntime.ts; the use case
 * is src/audit/event.ts.
 */
import type { Context } from 'aws-lambda';
import { contactChangeInvocation, runtimeFromEnv, withContactChangeMiddleware, type ContactChangeSummary } from './contactChangeRuntime.ts';
import type { ContactEventParse } from '../src/contracts/contactEvent.ts';
import { logger } from '../src/powertools.ts';

/** The adapters this function uses; test/stack/iam.test.ts holds its role to their `iamActions`. */
export { adapters } from './contactChangeRuntime.ts';

const runtime = runtimeFromEnv(process.env, logger);

/** The plain function: one parsed event (the parser middleware's result), one printable summary. */
export function contactChange(parsed: ContactEventParse, context: Context): Promise<ContactChangeSummary> {
  return contactChangeInvocation(parsed, context, runtime, logger);
}

export const handler = withContactChangeMiddleware(contactChange, logger);

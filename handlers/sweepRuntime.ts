/**
 * What the sweep's Lambda handlers share: the typed config (read once, at init) and the parsing of
 * a step's input; the logger and metrics are src/powertools.ts, shared with every handler. Clients
 * are created by each handler, so each bundle carries only the SDK clients it uses.
 */
import * as z from 'zod/mini';
import { ConfigError, configFromEnv, type EnvConfig } from '../src/config.ts';

export const config: EnvConfig = configFromEnv(process.env);

/** The stack's report bucket; a deployed sweep without one is misconfigured. */
export function reportBucket(): string {
  if (!config.reportBucket) throw new ConfigError('CONTACT_AUDIT_REPORT_BUCKET is not set');
  return config.reportBucket;
}

/** The state machine handed a step an input it does not understand; retrying does not help. */
export class SweepEventError extends Error {
  override readonly name = 'SweepEventError';
}

/** Parses a step's input at the boundary. */
export function parseStepInput<T extends z.ZodMiniType>(schema: T, event: unknown, step: string): z.infer<T> {
  const result = z.safeParse(schema, event);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
    throw new SweepEventError(`${step}: unexpected input (${problems.join('; ')})`, { cause: result.error });
  }
  return result.data;
}

/**
 * What the sweep's Lambda handlers share: the typed config, read once at init. The logger and
 * metrics are src/powertools.ts, shared with every handler; step inputs are parsed with the
 * schemas of src/contracts/sweepWork.ts. Clients are created by each handler, so each bundle carries
 * only the SDK clients it uses.
 */
import { ConfigError, configFromEnv, type EnvConfig } from '../src/config.ts';

export const config: EnvConfig = configFromEnv(process.env);

/** The stack's report bucket; a deployed sweep without one is misconfigured. */
export function reportBucket(): string {
  if (!config.reportBucket) throw new ConfigError('CONTACT_AUDIT_REPORT_BUCKET is not set');
  return config.reportBucket;
}

/**
 * The settings that come from the environment. One `zod/mini` schema, {@link environment}, names
 * every variable the code reads and validates them together at start-up; each reader below shapes
 * its settings from the validated variables. A bad value is a {@link ConfigError} naming the
 * variable (exit code 2 on the command line, a failed cold start in Lambda).
 */
import * as z from 'zod/mini';
import type { ClientSettings } from './providers/aws/clients.ts';
import { PARTITION_QUOTAS, type Partition } from './providers/aws/quotas.ts';
import { ConfigError } from './errors.ts';

/** Settings that come from the environment, read once at start-up (no `process.env` elsewhere). */
export interface EnvConfig {
  clients: ClientSettings;
  /** CONTACT_AUDIT_TOPIC_ARN: where alerts go when no --topic-arn is given. */
  topicArn?: string;
  /** CONTACT_AUDIT_REPORT_BUCKET / _PREFIX: the report bucket of the deployed stack. */
  reportBucket?: string;
  reportPrefix: string;
  /** CONTACT_AUDIT_POLICY: the policy as JSON or YAML text (deployed functions). */
  policyText?: string;
  /**
   * CONTACT_AUDIT_GET_RATE: GetAlternateContact calls per second this process may make (quota: 10/s).
   * This and every other rate and burst are multiplied by CONTACT_AUDIT_QUOTA_SCALE (default 1), to
   * run against the emulator started with the same `--quota-scale`.
   */
  getRatePerSecond: number;
  /** CONTACT_AUDIT_QUOTA_SCALE: the factor of every quota (1 against AWS), so the CLI can hold --rate to the quota it paces against. */
  quotaScale: number;
  /** CONTACT_AUDIT_CONCURRENCY: accounts read at once. */
  concurrency: number;
  /** CONTACT_AUDIT_POLICY_KEY: key of the policy object (JSON) in the report bucket (deployed stack). */
  policyKey: string;
  /** CONTACT_AUDIT_COMPANY_DOMAINS: comma-separated domains; the policy when there is no policy object or text. */
  companyDomains?: string[];
  /**
   * CONTACT_AUDIT_BATCH_SIZE: the largest batch of the deployed sweep's Distributed Map. Unset: no
   * cap beyond what {@link batchTimeLimitSeconds} allows (the size is derived from the organization).
   */
  batchSize: number;
  /** CONTACT_AUDIT_GET_BURST: calls this process may make at once; unset: the quota's proportion of the rate. */
  getBurst?: number;
  /**
   * CONTACT_AUDIT_PARTITION: the deployed stack's partition (`${AWS::Partition}` in the template):
   * its functions pace at their shares of that partition's quotas (quotas.ts `deployedShares`).
   * Unset (the command line, which asks STS): each batch paces at {@link getRatePerSecond}.
   */
  partition?: Partition;
  /** CONTACT_AUDIT_SWEEP_PARALLEL: batches the Distributed Map runs at once (its MaxConcurrency). */
  sweepParallelBatches: number;
  /** CONTACT_AUDIT_BATCH_TIME_LIMIT: seconds a batch may take (the batch function's time-out). */
  batchTimeLimitSeconds: number;
}

/** How to reach Alibaba Cloud: the standard ALIBABA_CLOUD_* variables. Credentials are checked when used. */
export interface AlibabaSettings {
  /** ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials). */
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  /** ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER, else ALIBABA_CLOUD_ENDPOINT (the emulator), else the public endpoint. */
  resourceDirectoryEndpoint: string;
  /** ALIBABA_CLOUD_ENDPOINT_STS, else ALIBABA_CLOUD_ENDPOINT, else the public endpoint. */
  stsEndpoint: string;
}

/** Re-exported: handlers and tests import it from here. */
export { ConfigError };

type Env = Record<string, string | undefined>;

/**
 * Records a problem with a variable. The message continues the name of the variable, which is
 * the issue's path (see {@link readEnv}): `': expected …'`, `' is not set …'`.
 */
function problem(ctx: z.core.ParsePayload, message: string, path?: string[]): void {
  ctx.issues.push({ code: 'custom', message, input: ctx.value, ...(path ? { path } : {}) });
}

/** A variable's value, trimmed; unset or blank: undefined. */
const text = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => value?.trim() || undefined),
);

/** A number above 0; unset or blank: `fallback`. */
function positive<F extends number | undefined>(fallback: F) {
  return z.pipe(
    text,
    z.transform((raw: string | undefined, ctx): number | F => {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (Number.isFinite(value) && value > 0) return value;
      problem(ctx, `: expected a number above 0, got "${raw}"`);
      return z.NEVER;
    }),
  );
}

/**
 * Every variable the code reads. Variables of one entry point only (the real-time function's
 * idempotency table) are checked by that entry point's reader, so the command line does not
 * require them.
 */
const environment = z.object({
  AWS_REGION: text,
  AWS_DEFAULT_REGION: text,
  AWS_ENDPOINT_URL_S3: text,
  AWS_ENDPOINT_URL: text,
  CONTACT_AUDIT_S3_PATH_STYLE: z.optional(z.string()),
  CONTACT_AUDIT_TOPIC_ARN: text,
  CONTACT_AUDIT_REPORT_BUCKET: text,
  CONTACT_AUDIT_REPORT_PREFIX: text,
  CONTACT_AUDIT_POLICY: text,
  CONTACT_AUDIT_POLICY_KEY: text,
  CONTACT_AUDIT_COMPANY_DOMAINS: z.pipe(
    z.optional(z.string()),
    z.transform((list = '') => list.split(/[,\s]+/).filter((domain) => domain !== '')),
  ),
  // Multiplies every rate and burst, to pace against the emulator started with the same
  // --quota-scale (tests, benchmarks). Never set it against AWS.
  CONTACT_AUDIT_QUOTA_SCALE: positive(1),
  CONTACT_AUDIT_GET_RATE: positive(10),
  CONTACT_AUDIT_CONCURRENCY: positive(16),
  CONTACT_AUDIT_BATCH_SIZE: positive(Number.POSITIVE_INFINITY),
  CONTACT_AUDIT_GET_BURST: positive(undefined),
  CONTACT_AUDIT_PARTITION: text,
  CONTACT_AUDIT_SWEEP_PARALLEL: positive(1),
  CONTACT_AUDIT_BATCH_TIME_LIMIT: positive(900),
  CONTACT_AUDIT_IDEMPOTENCY_TABLE: text,
  CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: text,
  ALIBABA_CLOUD_ACCESS_KEY_ID: text,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: text,
  ALIBABA_CLOUD_SECURITY_TOKEN: text,
  ALIBABA_CLOUD_ENDPOINT: text,
  ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER: text,
  ALIBABA_CLOUD_ENDPOINT_STS: text,
});

type Variables = z.output<typeof environment>;

/**
 * Validates the environment with {@link environment}, then shapes it with `settings`.
 * @throws ConfigError naming each variable that cannot be used.
 */
function readEnv<T>(env: Env, settings: (variables: Variables, ctx: z.core.ParsePayload) => T): T {
  const result = z.safeParse(z.pipe(environment, z.transform(settings)), env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}${issue.message}`);
  throw new ConfigError(problems.join('; '), { cause: result.error });
}

/** The settings every entry point shares (the command line, the sweep's functions, the real-time function). */
export function configFromEnv(env: Env): EnvConfig {
  return readEnv(env, (vars, ctx) => {
    const endpointS3 = vars.AWS_ENDPOINT_URL_S3 ?? vars.AWS_ENDPOINT_URL;
    const region = vars.AWS_REGION ?? vars.AWS_DEFAULT_REGION;
    const scale = vars.CONTACT_AUDIT_QUOTA_SCALE;
    const { CONTACT_AUDIT_TOPIC_ARN: topicArn, CONTACT_AUDIT_REPORT_BUCKET: reportBucket, CONTACT_AUDIT_POLICY: policyText } = vars;
    const { CONTACT_AUDIT_COMPANY_DOMAINS: companyDomains, CONTACT_AUDIT_GET_BURST: getBurst } = vars;
    const partition = vars.CONTACT_AUDIT_PARTITION as Partition | undefined;
    if (partition && !PARTITION_QUOTAS[partition]) problem(ctx, `: expected one of ${Object.keys(PARTITION_QUOTAS).join(', ')}, got "${partition}"`, ['CONTACT_AUDIT_PARTITION']);
    return {
      clients: {
        ...(region ? { region } : {}),
        // An S3-compatible endpoint (the emulator, MinIO …) wants path-style addressing.
        forcePathStyle: endpointS3 !== undefined || vars.CONTACT_AUDIT_S3_PATH_STYLE === 'true',
      },
      ...(topicArn ? { topicArn } : {}),
      ...(reportBucket ? { reportBucket } : {}),
      reportPrefix: vars.CONTACT_AUDIT_REPORT_PREFIX ?? '',
      ...(policyText ? { policyText } : {}),
      getRatePerSecond: vars.CONTACT_AUDIT_GET_RATE * scale,
      quotaScale: scale,
      concurrency: Math.floor(vars.CONTACT_AUDIT_CONCURRENCY),
      policyKey: vars.CONTACT_AUDIT_POLICY_KEY ?? 'config/policy.json',
      ...(companyDomains.length > 0 ? { companyDomains } : {}),
      batchSize: Math.floor(vars.CONTACT_AUDIT_BATCH_SIZE),
      ...(getBurst !== undefined ? { getBurst: getBurst * scale } : {}),
      ...(partition ? { partition } : {}),
      sweepParallelBatches: Math.floor(vars.CONTACT_AUDIT_SWEEP_PARALLEL),
      batchTimeLimitSeconds: vars.CONTACT_AUDIT_BATCH_TIME_LIMIT,
    };
  });
}

/**
 * The Alibaba Cloud settings (`sweep --cloud alibaba`, docs/alibaba.md); the public endpoints are
 * those of the Resource Directory and STS APIs. Read apart from {@link configFromEnv}, so the AWS
 * functions' bundles do not carry them.
 */
export function alibabaSettingsFromEnv(env: Env): AlibabaSettings {
  return readEnv(env, alibabaSettings);
}

function alibabaSettings(vars: Variables, ctx: z.core.ParsePayload): AlibabaSettings {
  const endpoint = (name: 'ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER' | 'ALIBABA_CLOUD_ENDPOINT_STS', fallback: string) => {
    const raw = vars[name] ?? vars.ALIBABA_CLOUD_ENDPOINT ?? fallback;
    // ALIBABA_CLOUD_ENDPOINT may be a bare host name, as Alibaba's own tools take it.
    const url = /^https?:\/\//.test(raw) ? raw : `https://${raw}`;
    if (!URL.canParse(url)) problem(ctx, ` / ALIBABA_CLOUD_ENDPOINT: "${raw}" is not a URL or host name`, [name]);
    return url.replace(/\/+$/, '');
  };
  const { ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret, ALIBABA_CLOUD_SECURITY_TOKEN: securityToken } = vars;
  return {
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(accessKeySecret ? { accessKeySecret } : {}),
    ...(securityToken ? { securityToken } : {}),
    resourceDirectoryEndpoint: endpoint('ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER', 'https://resourcedirectory.aliyuncs.com'),
    stsEndpoint: endpoint('ALIBABA_CLOUD_ENDPOINT_STS', 'https://sts.aliyuncs.com'),
  };
}

/** Settings of the deployed real-time function beyond {@link EnvConfig}. */
export interface RealtimeSettings {
  /** CONTACT_AUDIT_IDEMPOTENCY_TABLE: the DynamoDB table of seen event IDs. */
  idempotencyTable: string;
  /** CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: how long an event ID is remembered (default 7 days, beyond EventBridge's 24-hour retry window). */
  idempotencyTtlSeconds: number;
}

/** The real-time function's own settings: it cannot start without its idempotency table. */
export function realtimeSettingsFromEnv(env: Env): RealtimeSettings {
  return readEnv(env, (vars, ctx) => {
    const table = vars.CONTACT_AUDIT_IDEMPOTENCY_TABLE;
    const rawTtl = vars.CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS;
    const ttl = rawTtl === undefined ? 7 * 24 * 3600 : Number(rawTtl);
    if (!Number.isInteger(ttl) || ttl < 3600) {
      problem(ctx, `: expected whole seconds, at least 3600, got "${rawTtl}"`, ['CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS']);
    }
    if (table === undefined) {
      problem(ctx, ' is not set: the real-time function needs its idempotency table', ['CONTACT_AUDIT_IDEMPOTENCY_TABLE']);
      return z.NEVER;
    }
    return { idempotencyTable: table, idempotencyTtlSeconds: ttl };
  });
}

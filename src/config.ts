import type { ClientSettings } from './aws/clients.ts';
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
   * CONTACT_AUDIT_SWEEP_GET_RATE / _BURST: the deployed sweep's share of the GetAlternateContact
   * quota, all its concurrent batches together; each batch paces at 1/{@link sweepParallelBatches}
   * of it. Unset: each batch paces at {@link getRatePerSecond}.
   */
  sweepGetRate?: number;
  sweepGetBurst?: number;
  /** CONTACT_AUDIT_SWEEP_PARALLEL: batches the Distributed Map runs at once (its MaxConcurrency). */
  sweepParallelBatches: number;
  /** CONTACT_AUDIT_BATCH_TIME_LIMIT: seconds a batch may take (the batch function's time-out). */
  batchTimeLimitSeconds: number;
  /** Alibaba Cloud credentials and endpoints (`sweep --cloud alibaba`, docs/alibaba.md). */
  alibaba: AlibabaSettings;
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

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name}: expected a number above 0, got "${raw}"`);
  return value;
}

function optionalPositive<K extends string>(env: Env, name: string, key: K, scale = 1): Partial<Record<K, number>> {
  return nonEmpty(env[name]) === undefined ? {} : ({ [key]: positiveNumber(env, name, 1) * scale } as Partial<Record<K, number>>);
}

export function configFromEnv(env: Env): EnvConfig {
  const endpointS3 = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const topicArn = nonEmpty(env.CONTACT_AUDIT_TOPIC_ARN);
  const reportBucket = nonEmpty(env.CONTACT_AUDIT_REPORT_BUCKET);
  // CONTACT_AUDIT_QUOTA_SCALE: multiplies every rate and burst below, to pace against the emulator
  // started with the same --quota-scale (tests, benchmarks). Never set it against AWS.
  const quotaScale = positiveNumber(env, 'CONTACT_AUDIT_QUOTA_SCALE', 1);
  const policyText = nonEmpty(env.CONTACT_AUDIT_POLICY);
  const companyDomains = (env.CONTACT_AUDIT_COMPANY_DOMAINS ?? '')
    .split(/[,\s]+/)
    .map((domain) => domain.trim())
    .filter((domain) => domain !== '');
  return {
    clients: {
      ...(region ? { region } : {}),
      // An S3-compatible endpoint (the emulator, MinIO …) wants path-style addressing.
      forcePathStyle: endpointS3 !== undefined || env.CONTACT_AUDIT_S3_PATH_STYLE === 'true',
    },
    ...(topicArn ? { topicArn } : {}),
    ...(reportBucket ? { reportBucket } : {}),
    reportPrefix: nonEmpty(env.CONTACT_AUDIT_REPORT_PREFIX) ?? '',
    ...(policyText ? { policyText } : {}),
    getRatePerSecond: positiveNumber(env, 'CONTACT_AUDIT_GET_RATE', 10) * quotaScale,
    concurrency: Math.floor(positiveNumber(env, 'CONTACT_AUDIT_CONCURRENCY', 16)),
    policyKey: nonEmpty(env.CONTACT_AUDIT_POLICY_KEY) ?? 'config/policy.json',
    ...(companyDomains.length > 0 ? { companyDomains } : {}),
    batchSize: Math.floor(positiveNumber(env, 'CONTACT_AUDIT_BATCH_SIZE', Number.POSITIVE_INFINITY)),
    ...optionalPositive(env, 'CONTACT_AUDIT_GET_BURST', 'getBurst', quotaScale),
    ...optionalPositive(env, 'CONTACT_AUDIT_SWEEP_GET_RATE', 'sweepGetRate', quotaScale),
    ...optionalPositive(env, 'CONTACT_AUDIT_SWEEP_GET_BURST', 'sweepGetBurst', quotaScale),
    sweepParallelBatches: Math.floor(positiveNumber(env, 'CONTACT_AUDIT_SWEEP_PARALLEL', 1)),
    batchTimeLimitSeconds: positiveNumber(env, 'CONTACT_AUDIT_BATCH_TIME_LIMIT', 900),
    alibaba: alibabaSettingsFromEnv(env),
  };
}

function alibabaEndpoint(env: Env, name: string, fallback: string): string {
  const raw = nonEmpty(env[name]) ?? nonEmpty(env.ALIBABA_CLOUD_ENDPOINT) ?? fallback;
  // ALIBABA_CLOUD_ENDPOINT may be a bare host name, as Alibaba's own tools take it.
  const url = /^https?:\/\//.test(raw) ? raw : `https://${raw}`;
  try {
    new URL(url);
  } catch (error) {
    throw new ConfigError(`${name} / ALIBABA_CLOUD_ENDPOINT: "${raw}" is not a URL or host name`, { cause: error });
  }
  return url.replace(/\/+$/, '');
}

/** The Alibaba Cloud settings; the public endpoints are those of the Resource Directory and STS APIs. */
export function alibabaSettingsFromEnv(env: Env): AlibabaSettings {
  const accessKeyId = nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_ID);
  const accessKeySecret = nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  const securityToken = nonEmpty(env.ALIBABA_CLOUD_SECURITY_TOKEN);
  return {
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(accessKeySecret ? { accessKeySecret } : {}),
    ...(securityToken ? { securityToken } : {}),
    resourceDirectoryEndpoint: alibabaEndpoint(env, 'ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER', 'https://resourcedirectory.aliyuncs.com'),
    stsEndpoint: alibabaEndpoint(env, 'ALIBABA_CLOUD_ENDPOINT_STS', 'https://sts.aliyuncs.com'),
  };
}

/** Settings of the deployed real-time function beyond {@link EnvConfig}. */
export interface RealtimeSettings {
  /** CONTACT_AUDIT_IDEMPOTENCY_TABLE: the DynamoDB table of seen event IDs. */
  idempotencyTable: string;
  /** CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: how long an event ID is remembered (default 7 days, beyond EventBridge's 24-hour retry window). */
  idempotencyTtlSeconds: number;
}

export function realtimeSettingsFromEnv(env: Record<string, string | undefined>): RealtimeSettings {
  const table = env.CONTACT_AUDIT_IDEMPOTENCY_TABLE?.trim();
  if (!table) throw new ConfigError('CONTACT_AUDIT_IDEMPOTENCY_TABLE is not set: the real-time function needs its idempotency table');
  const rawTtl = env.CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS?.trim();
  const ttl = rawTtl ? Number(rawTtl) : 7 * 24 * 3600;
  if (!Number.isInteger(ttl) || ttl < 3600) {
    throw new ConfigError(`CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: expected whole seconds, at least 3600, got "${rawTtl}"`);
  }
  return { idempotencyTable: table, idempotencyTtlSeconds: ttl };
}

/** The settings read from the environment (src/config.ts): defaults, scaling, and errors naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, alibabaSettingsFromEnv, configFromEnv, realtimeSettingsFromEnv } from '../src/config.ts';

describe('configFromEnv', () => {
  it('fills every default from an empty environment', () => {
    expect(configFromEnv({})).toStrictEqual({
      clients: { forcePathStyle: false },
      reportPrefix: '',
      getRatePerSecond: 10,
      concurrency: 16,
      policyKey: 'config/policy.json',
      batchSize: Number.POSITIVE_INFINITY,
      quotaScale: 1,
      sweepParallelBatches: 1,
      batchTimeLimitSeconds: 900,
    });
  });

  it('reads every variable, trimmed, with rates and bursts multiplied by CONTACT_AUDIT_QUOTA_SCALE', () => {
    const config = configFromEnv({
      AWS_DEFAULT_REGION: ' eu-west-1 ',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      CONTACT_AUDIT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts',
      CONTACT_AUDIT_REPORT_BUCKET: 'reports',
      CONTACT_AUDIT_REPORT_PREFIX: 'audit/',
      CONTACT_AUDIT_POLICY: '{"companyDomains":["example.com"]}',
      CONTACT_AUDIT_POLICY_KEY: 'policy.json',
      CONTACT_AUDIT_COMPANY_DOMAINS: ' example.com, example.org\texample.net,',
      CONTACT_AUDIT_QUOTA_SCALE: '20',
      CONTACT_AUDIT_GET_RATE: '5',
      CONTACT_AUDIT_GET_BURST: '2',
      CONTACT_AUDIT_PARTITION: ' aws-cn ',
      CONTACT_AUDIT_CONCURRENCY: '3.9',
      CONTACT_AUDIT_BATCH_SIZE: '250.5',
      CONTACT_AUDIT_SWEEP_PARALLEL: '4.2',
      CONTACT_AUDIT_BATCH_TIME_LIMIT: '600.5',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's',
      ALIBABA_CLOUD_SECURITY_TOKEN: 't',
      ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER: 'rd.example:8080/',
    });

    expect(config).toStrictEqual({
      clients: { region: 'eu-west-1', forcePathStyle: true },
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts',
      reportBucket: 'reports',
      reportPrefix: 'audit/',
      policyText: '{"companyDomains":["example.com"]}',
      getRatePerSecond: 100,
      concurrency: 3,
      policyKey: 'policy.json',
      companyDomains: ['example.com', 'example.org', 'example.net'],
      batchSize: 250,
      getBurst: 40,
      partition: 'aws-cn',
      quotaScale: 20,
      sweepParallelBatches: 4,
      batchTimeLimitSeconds: 600.5,
    });
  });

  it('takes AWS_REGION before AWS_DEFAULT_REGION, blank values as unset, and path-style S3 on request', () => {
    const config = configFromEnv({ AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1', CONTACT_AUDIT_S3_PATH_STYLE: 'true', CONTACT_AUDIT_GET_RATE: '  ', CONTACT_AUDIT_TOPIC_ARN: ' ' });

    expect(config.clients).toStrictEqual({ region: 'us-east-1', forcePathStyle: true });
    expect(config.getRatePerSecond).toBe(10);
    expect(config).not.toHaveProperty('topicArn');
  });

  it.each([
    ['CONTACT_AUDIT_QUOTA_SCALE', '0'],
    ['CONTACT_AUDIT_GET_RATE', 'ten'],
    ['CONTACT_AUDIT_CONCURRENCY', '-1'],
    ['CONTACT_AUDIT_BATCH_SIZE', 'Infinity'],
    ['CONTACT_AUDIT_GET_BURST', '0'],
    ['CONTACT_AUDIT_SWEEP_PARALLEL', 'NaN'],
    ['CONTACT_AUDIT_BATCH_TIME_LIMIT', ' 0 '],
  ])('rejects %s=%j with a ConfigError naming it', (name, value) => {
    const read = () => configFromEnv({ [name]: value });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`${name}: expected a number above 0, got "${value.trim()}"`);
  });

  it('names every variable that cannot be used at once', () => {
    expect(() => configFromEnv({ CONTACT_AUDIT_GET_RATE: '0', CONTACT_AUDIT_BATCH_TIME_LIMIT: 'soon' })).toThrow(
      'CONTACT_AUDIT_GET_RATE: expected a number above 0, got "0"; CONTACT_AUDIT_BATCH_TIME_LIMIT: expected a number above 0, got "soon"',
    );
  });

  it('rejects an Alibaba endpoint that is not a URL or host name, naming both variables', () => {
    const read = () => alibabaSettingsFromEnv({ ALIBABA_CLOUD_ENDPOINT: 'http://exa mple' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow('ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER / ALIBABA_CLOUD_ENDPOINT: "http://exa mple" is not a URL or host name');
  });
});

describe('realtimeSettingsFromEnv', () => {
  it('reads the idempotency table and remembers events for 7 days unless told otherwise', () => {
    expect(realtimeSettingsFromEnv({ CONTACT_AUDIT_IDEMPOTENCY_TABLE: ' events ' })).toStrictEqual({ idempotencyTable: 'events', idempotencyTtlSeconds: 604_800 });
    expect(realtimeSettingsFromEnv({ CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'events', CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: ' 3600 ' }).idempotencyTtlSeconds).toBe(3600);
    expect(realtimeSettingsFromEnv({ CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'events', CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: ' ' }).idempotencyTtlSeconds).toBe(604_800);
  });

  it('fails without the table', () => {
    const read = () => realtimeSettingsFromEnv({ CONTACT_AUDIT_IDEMPOTENCY_TABLE: '  ' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow('CONTACT_AUDIT_IDEMPOTENCY_TABLE is not set: the real-time function needs its idempotency table');
  });

  it.each(['3599', '3600.5', 'week'])('rejects a time to live of %j', (value) => {
    const read = () => realtimeSettingsFromEnv({ CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'events', CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: value });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`CONTACT_AUDIT_IDEMPOTENCY_TTL_SECONDS: expected whole seconds, at least 3600, got "${value}"`);
  });
});

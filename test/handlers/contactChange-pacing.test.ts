/**
 * The real-time function's shares of the quotas: the pacers its runtime builds from the
 * environment serverless/realtime.yml gives it (CONTACT_AUDIT_PARTITION from ${AWS::Partition},
 * CONTACT_AUDIT_SWEEP_PARALLEL), which processContactChange hands to every read.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { runtimeFromEnv } from '../../handlers/contactChangeRuntime.ts';

const ENV = {
  AWS_REGION: 'us-east-1',
  CONTACT_AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:222222222222:alerts',
  CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'events',
  CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com',
  CONTACT_AUDIT_SWEEP_PARALLEL: '2',
};
const logger = new Logger({ logLevel: 'SILENT' });
const rateAndBurst = (pacer: { ratePerSecond: number; burst: number } | undefined) => [pacer?.ratePerSecond, pacer?.burst];

describe('real-time pacing', () => {
  it('paces every read at its share of the aws quotas: 0.2/s burst 3 alternate contacts, burst 1 primary contact and root e-mail, Organizations 1/s burst 2', () => {
    const { pacers } = runtimeFromEnv({ ...ENV, CONTACT_AUDIT_PARTITION: 'aws' }, logger);
    expect(rateAndBurst(pacers?.alternateContact)).toEqual([0.2, 3]);
    expect(rateAndBurst(pacers?.contactInformation)).toEqual([0.2, 1]);
    expect(rateAndBurst(pacers?.primaryEmail)[1]).toBe(1);
    expect(pacers?.primaryEmail.ratePerSecond).toBeCloseTo(0.06, 9);
    expect(rateAndBurst(pacers?.organizations)).toEqual([1, 2]);
  });

  it('takes the China Regions quotas in aws-cn (GetAlternateContact 3/s burst 5: one call at once)', () => {
    const { pacers } = runtimeFromEnv({ ...ENV, CONTACT_AUDIT_PARTITION: 'aws-cn' }, logger);
    expect(pacers?.alternateContact.burst).toBe(1);
    expect(pacers?.alternateContact.ratePerSecond).toBeCloseTo(0.06, 9);
  });

  it("lets one event's three reads through at once, then holds the fourth", async () => {
    const pacer = runtimeFromEnv({ ...ENV, CONTACT_AUDIT_PARTITION: 'aws' }, logger).pacers!.alternateContact;
    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    let fourth = false;
    void pacer.acquire().then(() => (fourth = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(fourth).toBe(false);
  });

  it('refuses to start without a partition, and in GovCloud, naming what is missing', () => {
    expect(() => runtimeFromEnv(ENV, logger)).toThrow(/CONTACT_AUDIT_PARTITION is not set/);
    expect(() => runtimeFromEnv({ ...ENV, CONTACT_AUDIT_PARTITION: 'aws-us-gov' }, logger)).toThrow(
      /GetAlternateContact \(AWS Account Management\) is not available in the aws-us-gov partition/,
    );
    expect(() => runtimeFromEnv({ ...ENV, CONTACT_AUDIT_PARTITION: 'aws-eu' }, logger)).toThrow(/CONTACT_AUDIT_PARTITION: expected one of aws, aws-cn, aws-us-gov, got "aws-eu"/);
  });

  it('keeps each re-read as evidence in the bucket and prefix it keeps the change records in', () => {
    const runtime = runtimeFromEnv({ ...ENV, CONTACT_AUDIT_PARTITION: 'aws', CONTACT_AUDIT_REPORT_BUCKET: 'reports', CONTACT_AUDIT_REPORT_PREFIX: 'audit' }, logger);
    expect(runtime.evidence?.prefix).toBe('audit');
    expect(runtime.evidence?.storage).toBe(runtime.changes?.storage);
  });
});

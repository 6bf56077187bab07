/**
 * The real-time function's share of the GetAlternateContact quota: the pacer its runtime builds
 * from the environment serverless/realtime.yml gives it (processContactChange hands it to the reads).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { runtimeFromEnv } from '../../src/audit/contactChange.ts';

const ENV = {
  AWS_REGION: 'us-east-1',
  CONTACT_AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:222222222222:alerts',
  CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'events',
  CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com',
};

describe('real-time pacing', () => {
  it('paces at CONTACT_AUDIT_GET_RATE with CONTACT_AUDIT_GET_BURST (the deployed 0.25/s, burst 3)', () => {
    const runtime = runtimeFromEnv({ ...ENV, CONTACT_AUDIT_GET_RATE: '0.25', CONTACT_AUDIT_GET_BURST: '3' }, new Logger({ logLevel: 'SILENT' }));
    expect(runtime.pacer?.ratePerSecond).toBe(0.25);
    expect(runtime.pacer?.burst).toBe(3);
  });

  it("lets one event's three reads through at once, then holds the fourth for 1 / rate", async () => {
    const runtime = runtimeFromEnv({ ...ENV, CONTACT_AUDIT_GET_RATE: '0.25', CONTACT_AUDIT_GET_BURST: '3' }, new Logger({ logLevel: 'SILENT' }));
    const pacer = runtime.pacer!;
    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    let fourth = false;
    void pacer.acquire().then(() => (fourth = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(fourth).toBe(false);
  });

  it('keeps the quota-proportioned burst when only a rate is given (the `contact-audit event` default is the full quota)', () => {
    const runtime = runtimeFromEnv({ ...ENV }, new Logger({ logLevel: 'SILENT' }));
    expect(runtime.pacer?.ratePerSecond).toBe(10);
    expect(runtime.pacer?.burst).toBe(15);
  });
});

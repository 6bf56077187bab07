/**
 * Real-time change alerts, measured: N contact changes made with the SDK against an in-process
 * emulator (organizations context, as the management account), each CloudTrail record wrapped as
 * an EventBridge event and handled by the handler's plain function as one warm invocation.
 *
 * callsPerEvent = AWS calls the emulator answered while handling ÷ N (every operation counted:
 * 3 GetAlternateContact + 1 Publish is the floor; DescribeAccount once per invocation, PutObject
 * for the changes/ record; STS and DescribeOrganization once per container). The DynamoDB
 * idempotency calls of the deployed function (PutItem + UpdateItem per event) are not in the
 * emulator and not counted; the policy is given, not read from S3 (the deployed function reads it
 * at most every 5 minutes). Latency: each invocation after the first, wall clock, p50/p95.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { processContactChange, type ContactChangeRuntime } from '../handlers/contactChangeRuntime.ts';
import { createClients } from '../src/providers/aws/clients.ts';
import { IdentityAdapter } from '../src/providers/aws/identity.ts';
import { ObjectStore } from '../src/providers/aws/objects.ts';
import { OrganizationsAdapter } from '../src/providers/aws/organizations.ts';
import { parseContactEvent } from '../src/contracts/contactEvent.ts';
import { cachedAuditorContext, memoryDedupe, silentLog } from '../src/audit/event.ts';
import { type CloudTrailRecord, type Fixture, startEmulator } from '@contact-auditor/aws-emulator';
import { policyFromDomains } from '../src/policy/load.ts';

const MANAGEMENT = '111111111111';

export interface RealtimeFigures {
  callsPerEvent: number;
  warmLatencyMs: { p50: number; p95: number };
  /** Calls per event by operation, for the reader of the figure. */
  callsByOperation: Record<string, number>;
  events: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function measureRealtime(events = 50): Promise<RealtimeFigures> {
  const contact = (local: string) => ({ name: local, title: local, emailAddress: `${local}@example.com`, phoneNumber: '+1 206 555 0100' });
  const members = Array.from({ length: events }, (_, i) => String(300000000000 + i));
  const fixture: Fixture = {
    organization: { id: 'o-bench00000', managementAccountId: MANAGEMENT, trustedAccess: true },
    accounts: [
      { id: MANAGEMENT, name: 'management', email: 'm@example.com', state: 'ACTIVE', contacts: {} },
      ...members.map((id, i) => ({
        id,
        name: `member-${i}`,
        email: `aws+${i}@example.com`,
        state: 'ACTIVE' as const,
        contacts: { BILLING: contact('billing'), OPERATIONS: contact('ops'), SECURITY: contact('sec') },
      })),
    ],
  };
  // Quotas scaled so the setup's Puts and the handler's reads are never throttled: calls, not waits.
  const emu = await startEmulator({ fixture, port: 0, quotaScale: 100 });
  emu.createTopic(`arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`);
  emu.createBucket('reports');
  try {
    const credentials = { accessKeyId: MANAGEMENT, secretAccessKey: 'x' };
    const admin = new AccountClient({ region: 'us-east-1', endpoint: emu.url, credentials, maxAttempts: 1 });
    const records: CloudTrailRecord[] = [];
    for (const accountId of members) {
      await admin.send(
        new PutAlternateContactCommand({ AccountId: accountId, AlternateContactType: 'SECURITY', Name: 'SOC', Title: 'SOC', EmailAddress: 'soc@example.com', PhoneNumber: '+1 206 555 0199' }),
      );
      records.push(emu.state().cloudtrailEvents.at(-1)!);
    }

    const clients = createClients({ endpoint: emu.url, credentials, forcePathStyle: true });
    const runtime: ContactChangeRuntime = {
      policy: policyFromDomains(['example.com']),
      topicArn: `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`,
      clients,
      changes: { storage: new ObjectStore('reports', clients.s3), prefix: '' },
      context: cachedAuditorContext(new IdentityAdapter(clients.sts), new OrganizationsAdapter(clients.organizations)),
      dedupe: memoryDedupe(),
      log: silentLog,
    };

    const before = { ...emu.state().requestCounts };
    const latencies: number[] = [];
    for (const [i, record] of records.entries()) {
      const event = { version: '0', id: `bench-${i}`, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.account', account: MANAGEMENT, time: record.eventTime, region: 'us-east-1', resources: [], detail: record };
      const start = performance.now();
      // Timed with the schema: the deployed function parses every event too.
      const outcome = await processContactChange(parseContactEvent(event), runtime);
      const ms = performance.now() - start;
      if (outcome.kind !== 'changed') throw new Error(`event ${i} was ${outcome.kind}, not handled`);
      if (i > 0) latencies.push(ms);
    }
    const after = emu.state().requestCounts;
    const byOperation: Record<string, number> = {};
    let total = 0;
    for (const [op, count] of Object.entries(after)) {
      const delta = count - (before[op] ?? 0);
      if (delta > 0) {
        byOperation[op] = round(delta / events);
        total += delta;
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      callsPerEvent: round(total / events),
      warmLatencyMs: { p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1) },
      callsByOperation: byOperation,
      events,
    };
  } finally {
    await emu.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureRealtime()));
}

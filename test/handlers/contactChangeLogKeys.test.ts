/**
 * The real-time function's log lines: the use case's fields at the top level of each JSON line
 * (not nested under `data`), and the event's `accountId` on every line of its invocation, gone
 * before the next invocation.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeHandler, powertoolsLog, type ContactChangeRuntime } from '../../handlers/contactChangeRuntime.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { lambdaContext, savedEvent } from './lambda.ts';

const event = savedEvent;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Captures what the logger writes; the returned function gives every JSON line so far, parsed. */
function captureLines(): () => Record<string, unknown>[] {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
  vi.spyOn(console, 'info').mockImplementation((...args) => void written.push(args.map(String).join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...args) => void written.push(args.map(String).join(' ')));
  return () =>
    written
      .join('\n')
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('contactChange log lines', () => {
  it('carry the use case fields at the top level and the accountId of their own invocation only', async () => {
    vi.stubEnv('POWERTOOLS_DEV', '');
    const logged = captureLines();
    const logger = new Logger({ serviceName: 'contact-auditor-test', logLevel: 'INFO' });
    const runtime: ContactChangeRuntime = {
      policy: policyFromDomains(['example.com']),
      topicArn: 'arn:aws:sns:us-east-1:111111111111:alerts',
      // Unreachable on purpose: a duplicate and an ignored event make no AWS call.
      clients: createClients({ endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } }),
      context: async () => ({ callerAccountId: '111111111111', managementAccountId: '111111111111', organizationId: 'o-abc123defg' }),
      // Every event is a duplicate here: the use case logs one line and returns.
      dedupe: { once: async () => ({ duplicate: true }) },
      log: powertoolsLog(logger),
    };
    const handler = makeHandler(() => runtime, logger);
    const change = event('guide-example-2-put-alternate-contact');
    const parsed = parseContactEvent(change);
    if (parsed.kind === 'ignored') throw new Error('the fixture must be a change');

    await handler(change, lambdaContext());
    await handler(event('guide-example-1-get-alternate-contact'), lambdaContext());

    const lines = logged();
    const duplicate = lines.find((l) => l.message === 'Duplicate event: already handled, no second alert');
    expect(duplicate).toMatchObject({ eventId: parsed.eventId, accountId: parsed.accountId });
    expect(duplicate).not.toHaveProperty('data');
    const ignored = lines.find((l) => l.message === 'Event ignored');
    expect(ignored).toMatchObject({ reason: expect.any(String) });
    expect(ignored).not.toHaveProperty('accountId');
    expect(ignored).not.toHaveProperty('data');
  });
});

/**
 * A malformed event through the middy-wrapped handler (SPEC.md §7): Powertools' parser middleware
 * hands the function a failed parse, and the event is logged and ignored with a reason that names
 * the field; the invocation resolves, so it never holds up the events after it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { makeHandler, type ContactChangeRuntime } from '../../handlers/contactChangeRuntime.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { lambdaContext, savedEvent } from './lambda.ts';

function setup() {
  const info = vi.fn();
  // Every event that gets this far is a duplicate: no AWS call, one log line.
  const once = vi.fn(async () => ({ duplicate: true as const }));
  const runtime: ContactChangeRuntime = {
    policy: policyFromDomains(['example.com']),
    topicArn: 'arn:aws:sns:us-east-1:111111111111:alerts',
    // Unreachable on purpose: an ignored event makes no AWS call.
    clients: createClients({ endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } }),
    context: async () => ({ callerAccountId: '111111111111', managementAccountId: '111111111111', organizationId: 'o-abc123defg' }),
    dedupe: { once },
    log: { info, warn: vi.fn(), error: vi.fn() },
  };
  const handler = makeHandler(() => runtime, new Logger({ serviceName: 'contact-auditor-test', logLevel: 'SILENT' }));
  return { handler, info, once };
}

describe('contactChange handler, malformed events', () => {
  it('ignores a malformed event with the reason, logged under its event ID, and resolves', async () => {
    // Prepare: a contact change whose requestParameters is a list.
    const { handler, info, once } = setup();
    const event = savedEvent('guide-example-2-put-alternate-contact');
    event.detail.requestParameters = [1];

    // Act
    const outcome = await handler(event, lambdaContext());

    // Assess
    const ignored = { kind: 'ignored', eventId: event.detail.eventID, reason: 'detail.requestParameters is a list, not an object' };
    expect(outcome).toEqual(ignored);
    expect(info).toHaveBeenCalledWith('Event ignored', { reason: ignored.reason, eventId: ignored.eventId });
    expect(once).not.toHaveBeenCalled();
  });

  it('reads only own properties: an event inherited from a prototype is not an event', async () => {
    const { handler } = setup();
    const inherited = Object.create(savedEvent('guide-example-2-put-alternate-contact'));
    expect(await handler(inherited, lambdaContext())).toEqual({ kind: 'ignored', reason: 'source is missing, not "aws.account"' });
  });

  it('handles the next event as usual after a malformed one', async () => {
    const { handler, once } = setup();
    const good = savedEvent('guide-example-2-put-alternate-contact');
    await handler({ ...good, detail: 'x' }, lambdaContext());
    expect(await handler(good, lambdaContext())).toEqual({ kind: 'duplicate', eventId: good.detail.eventID });
    expect(once).toHaveBeenCalledTimes(1);
  });
});

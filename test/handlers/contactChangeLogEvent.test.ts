/**
 * The real-time function never logs the incoming event: it carries contact names and e-mail
 * addresses (personal data), and POWERTOOLS_LOGGER_LOG_EVENT=true must not change that.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeHandler, type ContactChangeRuntime } from '../../handlers/contactChangeRuntime.ts';
import { createClients } from '../../src/providers/aws/clients.ts';
import { memoryDedupe, silentLog } from '../../src/audit/event.ts';
import { policyFromDomains } from '../../src/policy/load.ts';
import { lambdaContext, savedEvent } from './lambda.ts';

const event = savedEvent;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('contactChange handler logging', () => {
  it('does not log the event even with POWERTOOLS_LOGGER_LOG_EVENT=true', async () => {
    // Prepare: the variable is read when the Logger is made, as at a cold start.
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write);
    vi.spyOn(console, 'info').mockImplementation((...args) => void written.push(args.map(String).join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...args) => void written.push(args.map(String).join(' ')));
    const logger = new Logger({ serviceName: 'contact-auditor-test', logLevel: 'INFO' });
    const runtime: ContactChangeRuntime = {
      policy: policyFromDomains(['example.com']),
      topicArn: 'arn:aws:sns:us-east-1:111111111111:alerts',
      clients: createClients({ endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } }),
      context: async () => ({ callerAccountId: '111111111111', managementAccountId: '111111111111', organizationId: 'o-abc123defg' }),
      dedupe: memoryDedupe(),
      log: silentLog,
    };
    const input = event('guide-example-2-put-alternate-contact');
    input.detail.requestParameters.alternateContactType = 'SECURITY';
    input.detail.responseElements = { secret: 'leak-marker@example.com' };
    // An event the handler ignores without any AWS call: only the logging is under test.
    input.detail.eventName = 'SomethingElse';

    // Act
    await makeHandler(() => runtime, logger)(input, lambdaContext());

    // Assess: the capture works (the logger does write), yet the event is not in it.
    logger.info('probe-line');
    const logged = written.join('');
    expect(logged).not.toContain('leak-marker@example.com');
    expect(logged).not.toContain('Lambda invocation event');
    expect(logged).toContain('probe-line');
  });

  it('acknowledges a read-only GetAlternateContact record as ignored, naming why', async () => {
    const runtime: ContactChangeRuntime = {
      policy: policyFromDomains(['example.com']),
      topicArn: 'arn:aws:sns:us-east-1:111111111111:alerts',
      // Unreachable on purpose: an ignored event makes no AWS call.
      clients: createClients({ endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } }),
      context: async () => ({ callerAccountId: '111111111111', managementAccountId: '111111111111', organizationId: 'o-abc123defg' }),
      dedupe: memoryDedupe(),
      log: silentLog,
    };
    const logger = new Logger({ serviceName: 'contact-auditor-test', logLevel: 'SILENT' });
    const outcome = await makeHandler(() => runtime, logger)(event('guide-example-1-get-alternate-contact'), lambdaContext());
    expect(outcome).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/read-only/) });
  });
});

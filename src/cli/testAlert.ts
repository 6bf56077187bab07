/** `contact-audit test-alert --topic-arn ARN` (SPEC.md §8). */
import { parseArgs } from 'node:util';
import { testAlert } from '../alerts/index.ts';
import { requireCredentials } from '../providers/aws/credentials.ts';
import { AlertPublisher } from '../providers/aws/alerts.ts';
import { createClients } from '../providers/aws/clients.ts';
import { awsErrorCode, awsErrorMessage } from '../providers/aws/awsErrors.ts';
import { safeText } from '../textHygiene.ts';
import { configFromEnv } from '../config.ts';
import type { EventCommandOptions } from './eventCommand.ts';
import { AWS_CLI_OPTIONS, EXIT, UsageError, awsClientSettings, topicArnOption, type CliIo } from './options.ts';

/** The options of `test-alert` (node:util parseArgs). */
export const TEST_ALERT_OPTIONS = { 'topic-arn': { type: 'string' }, ...AWS_CLI_OPTIONS } as const;

/** `contact-audit test-alert --topic-arn ARN`: publishes a TEST alert (§8) and prints the MessageId. */
export async function testAlertCommand(args: string[], io: CliIo, options: Pick<EventCommandOptions, 'clients' | 'now'> = {}): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: TEST_ALERT_OPTIONS });
  if (positionals.length > 0) throw new UsageError(`test-alert: unexpected argument "${positionals[0]}"`);
  const env = configFromEnv(io.env);
  const topicArn = topicArnOption(values['topic-arn'] ?? env.topicArn);
  if (!topicArn) throw new UsageError('test-alert: --topic-arn ARN is required (or set CONTACT_AUDIT_TOPIC_ARN)');
  const clients = options.clients ?? createClients(await awsClientSettings(values, env));
  // No credentials is a set-up error (exit 2), as for sweep and event, not an unpublished alert (exit 4).
  if (!options.clients) await requireCredentials(clients.sns);
  const alert = testAlert({ topicArn, time: (options.now ?? (() => new Date()))().toISOString() });
  try {
    const messageId = await new AlertPublisher(clients.sns).publish(topicArn, alert);
    io.stdout(`${messageId}\n`);
    return EXIT.OK;
  } catch (error) {
    io.stderr(`contact-audit: the test alert could not be published to ${topicArn}: ${awsErrorCode(error)}: ${safeText(awsErrorMessage(error), 500)}\n`);
    return EXIT.FAILED;
  }
}

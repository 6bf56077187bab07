/** Step 3 of the scheduled sweep: the report (§5), its keys in S3 (§9) and the sweep alerts (§8). */
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { finishSweep } from '../src/audit/stateMachine.ts';
import { FinalizeInput, parseStepInput, type FinishOutput } from '../src/contracts/sweepWork.ts';
import { AlertPublisher } from '../src/providers/aws/alerts.ts';
import { clientOptions, s3ClientOptions } from '../src/providers/aws/clients.ts';
import { PublishingObjectStore } from '../src/providers/aws/objects.ts';
import { lambdaLogging, logger, metrics } from '../src/powertools.ts';
import { config, reportBucket } from './sweepRuntime.ts';

/** The adapters this function uses; test/stack/iam.test.ts holds its role to their `iamActions`. */
export const adapters = [PublishingObjectStore, AlertPublisher] as const;

const storage = new PublishingObjectStore(reportBucket(), new S3Client(s3ClientOptions(config.clients)));
const publisher = new AlertPublisher(new SNSClient(clientOptions(config.clients)));

export async function sweepFinalize(event: unknown): Promise<FinishOutput> {
  const input = parseStepInput(FinalizeInput, event, 'sweepFinalize');
  logger.appendKeys({ runId: input.runId });
  if (input.mapError) logger.error('Batches failed beyond the tolerated share; their accounts are reported UNKNOWN', { mapError: input.mapError });
  const { topicArn } = config;
  const out = await finishSweep(
    { storage, prefix: config.reportPrefix, ...(topicArn ? { alerts: { publish: (alert) => publisher.publish(topicArn, alert) } } : {}) },
    input,
  );
  const { summary } = out;
  const checked = summary.accounts - summary.skipped;
  metrics.addMetric('AccountsChecked', MetricUnit.Count, checked);
  metrics.addMetric('NonCompliant', MetricUnit.Count, summary.nonCompliant);
  metrics.addMetric('Unknown', MetricUnit.Count, summary.unknown);
  metrics.addMetric('ComplianceRatio', MetricUnit.NoUnit, checked === 0 ? 1 : (summary.compliant + summary.exempt) / checked);
  metrics.addMetric('AccountsWithoutResult', MetricUnit.Count, out.missingAccounts);
  metrics.addMetric('AlertsFailed', MetricUnit.Count, out.alertsFailed);
  if (out.newAccounts?.error) logger.error('The new accounts could not be recorded or checked; the report is kept', { error: out.newAccounts.error });
  metrics.addMetric('NewAccountsNotCompliant', MetricUnit.Count, out.newAccounts?.alerted ?? 0);
  if (out.missingAccounts > 0) logger.warn('Accounts without a batch result are reported UNKNOWN', { missingBatches: out.missingBatches, unusableResults: out.unusableResults });
  logger.info('Sweep finalized', { ...out });
  return out;
}

export const handler = middy(sweepFinalize).use(lambdaLogging(logger)).use(logMetrics(metrics));

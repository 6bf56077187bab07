/** Step 2 of the scheduled sweep, one Distributed Map iteration: check one batch of accounts, paced. */
import { AccountClient } from '@aws-sdk/client-account';
import { S3Client } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { batchPacers } from '../src/audit/batches.ts';
import { checkBatch } from '../src/audit/stateMachine.ts';
import { BatchInput, parseStepInput, type BatchOutput } from '../src/contracts/sweepWork.ts';
import { clientOptions, s3ClientOptions } from '../src/providers/aws/clients.ts';
import { ContactsAdapter, newCallStats } from '../src/providers/aws/contacts.ts';
import { ObjectStore } from '../src/providers/aws/objects.ts';
import { AccountSurfaceAdapter } from '../src/providers/aws/primaryContact.ts';
import { lambdaLogging, logger, metrics } from '../src/powertools.ts';
import { config, reportBucket } from './sweepRuntime.ts';

/** The adapters this function uses; test/stack/iam.test.ts holds its role to their `iamActions`. */
export const adapters = [ContactsAdapter, AccountSurfaceAdapter, ObjectStore] as const;

const account = new AccountClient(clientOptions(config.clients));
const storage = new ObjectStore(reportBucket(), new S3Client(s3ClientOptions(config.clients)));
// Module scope: a warm instance keeps its token buckets between batches.
const pacers = batchPacers(config);
const surface = new AccountSurfaceAdapter(account, { pacers: pacers.surface });

export async function sweepBatch(event: unknown): Promise<BatchOutput> {
  const input = parseStepInput(BatchInput, event, 'sweepBatch');
  logger.appendKeys({ runId: input.runId, batch: input.batch.batch });
  const contacts = new ContactsAdapter(account, { pacer: pacers.alternateContact, stats: newCallStats() });
  const out = await checkBatch({ contacts, surface, storage, prefix: config.reportPrefix, concurrency: config.concurrency }, input);
  logger.info('Batch checked', { ...out });
  metrics.addMetric('ContactReads', MetricUnit.Count, out.stats?.calls ?? 0);
  metrics.addMetric('ContactReadsThrottled', MetricUnit.Count, out.stats?.throttled ?? 0);
  metrics.addMetric('ContactReadsFailed', MetricUnit.Count, out.stats?.failed ?? 0);
  return out;
}

export const handler = middy(sweepBatch).use(lambdaLogging(logger)).use(logMetrics(metrics));

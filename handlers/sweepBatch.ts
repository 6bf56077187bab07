/** Step 2 of the scheduled sweep, one Distributed Map iteration: check one batch of accounts, paced. */
import { AccountClient } from '@aws-sdk/client-account';
import { S3Client } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { batchShare, checkBatch, type BatchOutput } from '../src/audit/stateMachine.ts';
import { clientOptions, s3ClientOptions } from '../src/aws/clients.ts';
import { ContactsAdapter, newCallStats } from '../src/aws/contacts.ts';
import { ObjectStore } from '../src/aws/objects.ts';
import { Pacer, READ_QUOTAS, pacerForQuota } from '../src/aws/pacer.ts';
import { AccountSurfaceAdapter } from '../src/aws/primaryContact.ts';
import { lambdaLogging, logger, metrics } from '../src/powertools.ts';
import { config, parseStepInput, reportBucket } from './sweepRuntime.ts';

/** The adapters this function uses; test/stack/iam.test.ts holds its role to their `iamActions`. */
export const adapters = [ContactsAdapter, AccountSurfaceAdapter, ObjectStore] as const;

const account = new AccountClient(clientOptions(config.clients));
const storage = new ObjectStore(reportBucket(), new S3Client(s3ClientOptions(config.clients)));
/**
 * This batch's part of the sweep's share of the calling account's one GetAlternateContact quota:
 * serverless.yml gives the sweep CONTACT_AUDIT_SWEEP_GET_RATE / _BURST for all its concurrent
 * batches (CONTACT_AUDIT_SWEEP_PARALLEL, the Map's MaxConcurrency) and each paces at its even part,
 * so the batches and the real-time function together stay within 10/s, burst 15
 * (docs/operations.md). Module scope: a warm instance keeps its bucket between batches instead of
 * starting each with a fresh burst.
 */
const share = batchShare(config);
const pacer = new Pacer(share.ratePerSecond, share.burst);
// The primary contact and root e-mail have quotas of their own; a batch takes the same share of each.
const quotaShare = share.ratePerSecond / READ_QUOTAS.GetAlternateContact.ratePerSecond;
const surface = new AccountSurfaceAdapter(account, {
  pacers: {
    contactInformation: pacerForQuota(READ_QUOTAS.GetContactInformation, quotaShare),
    primaryEmail: pacerForQuota(READ_QUOTAS.GetPrimaryEmail, quotaShare),
  },
});

/** One item of the Map as its ItemSelector shapes it (serverless.yml, state `CheckBatches`). */
export const BatchInput = z.object({
  runId: z.string(),
  manifestKey: z.string(),
  batch: z.object({
    batch: z.number().check(z.int(), z.nonnegative()),
    accounts: z.array(
      z.object({
        id: z.string().check(z.regex(/^\d{12}$/)),
        name: z.string(),
        state: z.string(),
        // Issue 11: the account's OU and, for the management account only, its listed e-mail.
        ou: z.optional(z.object({ id: z.string(), name: z.string(), path: z.string(), ids: z.array(z.string()) })),
        email: z.optional(z.string()),
      }),
    ),
  }),
});

export async function sweepBatch(event: unknown): Promise<BatchOutput> {
  const input = parseStepInput(BatchInput, event, 'sweepBatch');
  logger.appendKeys({ runId: input.runId, batch: input.batch.batch });
  const contacts = new ContactsAdapter(account, { pacer, stats: newCallStats() });
  const out = await checkBatch({ contacts, surface, storage, prefix: config.reportPrefix, concurrency: config.concurrency }, input);
  logger.info('Batch checked', { ...out });
  metrics.addMetric('ContactReads', MetricUnit.Count, out.stats?.calls ?? 0);
  metrics.addMetric('ContactReadsThrottled', MetricUnit.Count, out.stats?.throttled ?? 0);
  metrics.addMetric('ContactReadsFailed', MetricUnit.Count, out.stats?.failed ?? 0);
  return out;
}

export const handler = middy(sweepBatch).use(lambdaLogging(logger)).use(logMetrics(metrics));

/** Step 1 of the scheduled sweep: list the organization's accounts into S3 as batches. */
import { AccountClient } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { deployedBatchSizing } from '../src/audit/batches.ts';
import { loadDeployedPolicy } from '../src/policy/deployed.ts';
import { startSweep } from '../src/audit/stateMachine.ts';
import { ListInput, parseStepInput, type StartOutput } from '../src/contracts/sweepWork.ts';
import { clientOptions, s3ClientOptions } from '../src/providers/aws/clients.ts';
import { ContactsAdapter } from '../src/providers/aws/contacts.ts';
import { IdentityAdapter } from '../src/providers/aws/identity.ts';
import { ObjectStore } from '../src/providers/aws/objects.ts';
import { OrganizationsAdapter } from '../src/providers/aws/organizations.ts';
import { OrganizationTreeAdapter } from '../src/providers/aws/organizationTree.ts';
import { Pacer } from '../src/calls/pacer.ts';
import { deployedShares } from '../src/providers/aws/quotas.ts';
import { lambdaLogging, logger, metrics } from '../src/powertools.ts';
import { config, reportBucket } from './sweepRuntime.ts';

/** The adapters this function uses; test/stack/iam.test.ts holds its role to their `iamActions`. */
export const adapters = [IdentityAdapter, OrganizationsAdapter, OrganizationTreeAdapter, ContactsAdapter, ObjectStore] as const;

const identity = new IdentityAdapter(new STSClient(clientOptions(config.clients)));
const organizationsClient = new OrganizationsClient(clientOptions(config.clients));
// The list step's shares (quotas.ts `deployedShares`): all its Organizations reads through one pacer,
// and the one set-up probe read of an alternate contact through another.
const shares = config.partition ? deployedShares(config.partition, config.sweepParallelBatches, config.quotaScale).list : undefined;
const organizationsPacer = shares ? Pacer.forShare(shares.Organizations) : undefined;
const organizations = new OrganizationsAdapter(organizationsClient, { pacer: organizationsPacer });
// Each account's OU, for OU-keyed overrides and the report's `ou`.
const tree = new OrganizationTreeAdapter(organizationsClient, organizationsPacer ? { pacer: organizationsPacer } : {});
const contacts = new ContactsAdapter(new AccountClient(clientOptions(config.clients)), { pacer: shares ? Pacer.forShare(shares.GetAlternateContact) : undefined });
const storage = new ObjectStore(reportBucket(), new S3Client(s3ClientOptions(config.clients)));

export async function sweepList(event: unknown): Promise<StartOutput> {
  const input = parseStepInput(ListInput, event ?? {}, 'sweepList');
  const out = await startSweep(
    {
      adapters: { identity, organizations, contacts, tree },
      storage,
      prefix: config.reportPrefix,
      // Read at every run, so a new policy object applies without a deployment.
      loadPolicy: () => loadDeployedPolicy(storage, config),
      batchSize: deployedBatchSizing(config),
    },
    {
      startedAt: input.executionStartTime ? new Date(input.executionStartTime) : new Date(),
      ...(input.executionName ? { executionName: input.executionName } : {}),
      ...(input.execution?.mode ? { mode: input.execution.mode } : {}),
    },
  );
  const { toRead, dueError, ...state } = out;
  logger.appendKeys({ runId: out.runId });
  if (dueError) logger.error('The new accounts due their check could not be read; they are checked by a later run', { error: dueError });
  logger.info('Sweep listed', { mode: input.execution?.mode ?? 'full', accounts: out.accounts, toRead, batches: out.batches, itemsKey: out.itemsKey });
  metrics.addMetric('AccountsListed', MetricUnit.Count, out.accounts);
  metrics.addMetric('AccountsToRead', MetricUnit.Count, toRead);
  // The state every later step receives: keys, not data.
  return state;
}

export const handler = middy(sweepList).use(lambdaLogging(logger)).use(logMetrics(metrics));

/**
 * The read quotas of the calling account in each AWS partition, and how the deployed stack shares
 * them between its functions (docs/operations.md, "How the budget is shared"; partition facts in
 * docs/deployment.md, "Partitions").
 */
import { ConfigError } from '../errors.ts';

/** How many calls per second, and at once, a reader may make. */
export interface QuotaShare {
  ratePerSecond: number;
  burst: number;
}

/** The partitions the product knows; an ARN's second field. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** The quota-limited reads the functions make, one bucket each. */
export type ReadOperation = 'GetAlternateContact' | 'GetContactInformation' | 'GetPrimaryEmail' | 'Organizations';

/**
 * Per calling account, per operation. Account Management: its quotas page, for the aws partition
 * (docs.aws.amazon.com/accounts/latest/reference/quotas.html) and the China Regions
 * (docs.amazonaws.cn/en_us/accounts/latest/reference/quotas.html). Organizations publishes no
 * per-operation rate: 5/s burst 5 is this product's own ceiling for all its Organizations reads
 * together (each function's reads go through one pacer). GovCloud has no Account Management
 * endpoint (the SDKs' endpoint data list `account` in aws and aws-cn only).
 */
export const PARTITION_QUOTAS: Record<Partition, Partial<Record<ReadOperation, QuotaShare>>> = {
  aws: {
    GetAlternateContact: { ratePerSecond: 10, burst: 15 },
    GetContactInformation: { ratePerSecond: 10, burst: 15 },
    GetPrimaryEmail: { ratePerSecond: 3, burst: 3 },
    Organizations: { ratePerSecond: 5, burst: 5 },
  },
  'aws-cn': {
    GetAlternateContact: { ratePerSecond: 3, burst: 5 },
    GetContactInformation: { ratePerSecond: 3, burst: 5 },
    GetPrimaryEmail: { ratePerSecond: 3, burst: 3 },
    Organizations: { ratePerSecond: 5, burst: 5 },
  },
  'aws-us-gov': { Organizations: { ratePerSecond: 5, burst: 5 } },
};

/** The partition of an ARN (`arn:aws-cn:sts::…` → aws-cn); a ConfigError for one the product does not know. */
export function partitionOfArn(arn: string): Partition {
  const partition = arn.split(':')[1] ?? '';
  if (!(PARTITIONS as readonly string[]).includes(partition)) {
    throw new ConfigError(`unknown AWS partition "${partition}" in ${arn}: the product knows ${PARTITIONS.join(', ')}`);
  }
  return partition as Partition;
}

/** One operation's quota in a partition; refuses, naming both, where the partition does not have it. */
export function quotaOf(partition: Partition, operation: ReadOperation): QuotaShare {
  const quota = PARTITION_QUOTAS[partition][operation];
  if (!quota) {
    throw new ConfigError(
      `${operation} (AWS Account Management) is not available in the ${partition} partition: contacts of GovCloud accounts are kept by their linked standard accounts; audit those from the aws partition (docs/deployment.md, "Partitions")`,
    );
  }
  return quota;
}

/** What each reader of the deployed stack may spend, per operation. */
export interface DeployedShares {
  /** One sweep batch (there are `parallel` at once). */
  batch: Record<Exclude<ReadOperation, 'Organizations'>, QuotaShare>;
  /** The real-time function (reserved concurrency 1). */
  realtime: Record<ReadOperation, QuotaShare>;
  /** The sweep's list step: the set-up probe read and the Organizations reads. */
  list: Pick<Record<ReadOperation, QuotaShare>, 'GetAlternateContact' | 'Organizations'>;
}

/** Calls the real-time function wants at once: one event re-reads the three alternate contacts together. */
const REALTIME_BURST: Record<ReadOperation, number> = { GetAlternateContact: 3, GetContactInformation: 1, GetPrimaryEmail: 1, Organizations: 2 };
/**
 * Shares of each rate: the sweep 97.5% (it must read at ≥ 0.95 of the quota, and a paced reader
 * gets a little less than its nominal rate), the real-time function 2%, the list step's one probe
 * read per execution 0.5% (docs/operations.md, "How the budget is shared").
 */
const REALTIME_RATE = 0.02;
const LIST_RATE = 0.005;
const SWEEP_RATE = 1 - REALTIME_RATE - LIST_RATE;

/**
 * The deployed stack's split of every quota of `partition`: `parallel` sweep batches, one real-time
 * container, one list step. Bursts are whole calls, never rounded up: every reader needs at least 1,
 * so a quota whose burst cannot give each reader one refuses with the numbers. A quarter of each
 * burst (rounded down) is kept spare for requests a slow network bunches; the rates sum to the quota.
 * `scale` multiplies everything (CONTACT_AUDIT_QUOTA_SCALE, against the emulator only).
 */
export function deployedShares(partition: Partition, parallel: number, scale = 1): DeployedShares {
  if (!Number.isInteger(parallel) || parallel < 1) throw new ConfigError(`the sweep's parallel batches must be a whole number ≥ 1, got ${parallel}`);
  const split = (operation: ReadOperation, listReads: boolean) => {
    const quota = quotaOf(partition, operation);
    const spare = Math.floor(quota.burst / 4);
    const list = listReads ? 1 : 0;
    // The real-time reader gets what it wants, as far as the sweep keeps one call per batch.
    const realtime = Math.min(REALTIME_BURST[operation], quota.burst - spare - list - parallel);
    const batch = Math.floor((quota.burst - spare - list - realtime) / parallel);
    if (realtime < 1 || batch < 1) {
      throw new ConfigError(
        `${operation} in ${partition}: a burst of ${quota.burst} cannot give each of ${parallel} sweep batches, the real-time function${listReads ? ' and the list step' : ''} one call at once; lower sweepMaxConcurrency`,
      );
    }
    const share = (rate: number, burst: number): QuotaShare => ({ ratePerSecond: quota.ratePerSecond * rate * scale, burst: Math.floor(burst * scale) });
    return { batch: share(SWEEP_RATE / parallel, batch), realtime: share(REALTIME_RATE, realtime), list: share(LIST_RATE, list) };
  };
  const alternate = split('GetAlternateContact', true);
  const information = split('GetContactInformation', false);
  const primary = split('GetPrimaryEmail', false);
  const organizations = quotaOf(partition, 'Organizations');
  // Organizations: the list step (accounts and OU tree) and the real-time function (one account's
  // name and OU); the batches make no Organizations call.
  const orgRealtime = REALTIME_BURST.Organizations;
  const orgRate = (rate: number, burst: number): QuotaShare => ({
    ratePerSecond: organizations.ratePerSecond * rate * scale,
    burst: Math.floor(burst * scale),
  });
  return {
    batch: { GetAlternateContact: alternate.batch, GetContactInformation: information.batch, GetPrimaryEmail: primary.batch },
    realtime: {
      GetAlternateContact: alternate.realtime,
      GetContactInformation: information.realtime,
      GetPrimaryEmail: primary.realtime,
      Organizations: orgRate(0.2, orgRealtime),
    },
    list: { GetAlternateContact: alternate.list, Organizations: orgRate(0.8, organizations.burst - orgRealtime) },
  };
}

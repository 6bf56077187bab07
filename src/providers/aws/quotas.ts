/**
 * The read quotas of the calling account in each AWS partition, and how the deployed stack shares
 * them between its functions (docs/operations.md, "How the budget is shared"; partition facts in
 * docs/deployment.md, "Partitions").
 */
import type { QuotaShare } from '../../calls/pacer.ts';
import { ConfigError } from '../../errors.ts';

/** The partitions the product knows; an ARN's second field. */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
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
const quota = (ratePerSecond: number, burst: number): QuotaShare => ({ ratePerSecond, burst });
const ORGANIZATIONS = quota(5, 5);
const PRIMARY_EMAIL = quota(3, 3);
export const PARTITION_QUOTAS: Record<Partition, Partial<Record<ReadOperation, QuotaShare>>> = {
  aws: { GetAlternateContact: quota(10, 15), GetContactInformation: quota(10, 15), GetPrimaryEmail: PRIMARY_EMAIL, Organizations: ORGANIZATIONS },
  'aws-cn': { GetAlternateContact: quota(3, 5), GetContactInformation: quota(3, 5), GetPrimaryEmail: PRIMARY_EMAIL, Organizations: ORGANIZATIONS },
  'aws-us-gov': { Organizations: ORGANIZATIONS },
};

/**
 * The one write the product makes, and only in `contact-audit remediate --apply … --confirm`:
 * PutAlternateContact, 5 per second, burst 8 per calling account (reference guide, "Quotas").
 */
export const PUT_ALTERNATE_CONTACT_QUOTA = quota(5, 8);

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
  const found = PARTITION_QUOTAS[partition][operation];
  // GovCloud accounts' contacts are kept by their linked standard accounts (docs/deployment.md).
  if (!found) throw new ConfigError(`${operation} (AWS Account Management) is not available in the ${partition} partition: audit the linked standard accounts from aws`);
  return found;
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
  const scaled = (of: QuotaShare, rate: number, burst: number): QuotaShare => ({ ratePerSecond: of.ratePerSecond * rate * scale, burst: Math.floor(burst * scale) });
  // `wanted`: the calls the real-time function wants at once (an event re-reads the three alternate
  // contacts together); it gets them as far as the sweep keeps one call per batch.
  const split = (operation: ReadOperation, list: number, wanted: number) => {
    const of = quotaOf(partition, operation);
    const left = of.burst - Math.floor(of.burst / 4) - list;
    const realtime = Math.min(wanted, left - parallel);
    const batch = Math.floor((left - realtime) / parallel);
    if (realtime < 1 || batch < 1) throw new ConfigError(`${operation} in ${partition}: a burst of ${of.burst} cannot give ${parallel} sweep batches and the real-time function one call each; lower sweepMaxConcurrency`);
    return { batch: scaled(of, SWEEP_RATE / parallel, batch), realtime: scaled(of, REALTIME_RATE, realtime), list: scaled(of, LIST_RATE, list) };
  };
  const alternate = split('GetAlternateContact', 1, 3);
  const information = split('GetContactInformation', 0, 1);
  const primary = split('GetPrimaryEmail', 0, 1);
  // Organizations: the list step (accounts and OU tree) and the real-time function (one account's
  // name and OU); the batches make no Organizations call.
  const organizations = quotaOf(partition, 'Organizations');
  const orgRealtime = 2;
  return {
    batch: { GetAlternateContact: alternate.batch, GetContactInformation: information.batch, GetPrimaryEmail: primary.batch },
    realtime: {
      GetAlternateContact: alternate.realtime,
      GetContactInformation: information.realtime,
      GetPrimaryEmail: primary.realtime,
      Organizations: scaled(organizations, 0.2, orgRealtime),
    },
    list: { GetAlternateContact: alternate.list, Organizations: scaled(organizations, 0.8, organizations.burst - orgRealtime) },
  };
}

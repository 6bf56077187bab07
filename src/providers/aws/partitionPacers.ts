/**
 * The command line's pacers: the quotas of the caller's partition (the partition of its STS
 * GetCallerIdentity ARN), where the process is the only reader of each (docs/operations.md).
 */
import { type Pacer, soleReaderPacer } from '../../calls/pacer.ts';
import { PARTITION_QUOTAS, partitionOfArn, quotaOf, type Partition } from './quotas.ts';

/** One pacer per quota the command line reads. */
export interface CliPacers {
  partition: Partition;
  alternateContact: Pacer;
  contactInformation: Pacer;
  primaryEmail: Pacer;
  organizations: Pacer;
}

/**
 * Pacers for the caller's partition. `getRatePerSecond` (`--rate`, CONTACT_AUDIT_GET_RATE) is given
 * against the aws partition's GetAlternateContact quota (10/s): it is the share of every quota of
 * the caller's partition that the process takes (10 → all of each, 5 → half).
 * @throws ConfigError naming Account Management and the partition where it does not exist.
 */
export async function callerPartitionPacers(identity: { whoAmI(): Promise<{ arn: string }> }, getRatePerSecond: number): Promise<CliPacers> {
  const partition = partitionOfArn((await identity.whoAmI()).arn);
  const fraction = getRatePerSecond / PARTITION_QUOTAS.aws.GetAlternateContact!.ratePerSecond;
  return {
    partition,
    alternateContact: soleReaderPacer(quotaOf(partition, 'GetAlternateContact'), fraction),
    contactInformation: soleReaderPacer(quotaOf(partition, 'GetContactInformation'), fraction),
    primaryEmail: soleReaderPacer(quotaOf(partition, 'GetPrimaryEmail'), fraction),
    organizations: soleReaderPacer(quotaOf(partition, 'Organizations'), Math.max(1, fraction)),
  };
}

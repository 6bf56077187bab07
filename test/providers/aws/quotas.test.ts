/** The quotas of each partition, the deployed stack's shares of them, and the command line's pacers. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { botocoreDataDir, botocoreModel } from '../../fixtures/botocoreModels.ts';
import { soleReaderPacer } from '../../../src/calls/pacer.ts';
import { callerPartitionPacers } from '../../../src/providers/aws/partitionPacers.ts';
import type { QuotaShare } from '../../../src/calls/pacer.ts';
import { PARTITION_QUOTAS, deployedShares, partitionOfArn, quotaOf, type ReadOperation } from '../../../src/providers/aws/quotas.ts';
import { AccountSurfaceAdapter } from '../../../src/providers/aws/primaryContact.ts';
import { OrganizationTreeAdapter, ParentChainAdapter } from '../../../src/providers/aws/organizationTree.ts';
import { ALL_ADAPTER_ACTIONS, FORBIDDEN_ACTIONS } from '../../../src/providers/aws/iam.ts';

describe('per-operation quotas of each partition', () => {
  it('are the documented ones: aws 10/15, 10/15, 3/3; China Regions 3/5, 3/5, 3/3 (the two quotas pages)', () => {
    expect(PARTITION_QUOTAS.aws).toMatchObject({
      GetAlternateContact: { ratePerSecond: 10, burst: 15 },
      GetContactInformation: { ratePerSecond: 10, burst: 15 },
      GetPrimaryEmail: { ratePerSecond: 3, burst: 3 },
    });
    expect(PARTITION_QUOTAS['aws-cn']).toMatchObject({
      GetAlternateContact: { ratePerSecond: 3, burst: 5 },
      GetContactInformation: { ratePerSecond: 3, burst: 5 },
      GetPrimaryEmail: { ratePerSecond: 3, burst: 3 },
    });
  });

  it('refuse Account Management in GovCloud, naming the operation and the partition', () => {
    expect(() => quotaOf('aws-us-gov', 'GetAlternateContact')).toThrow(/GetAlternateContact \(AWS Account Management\) is not available in the aws-us-gov partition/);
    expect(quotaOf('aws-us-gov', 'Organizations')).toEqual({ ratePerSecond: 5, burst: 5 });
  });

  it("match the AWS CLI's endpoint data: Account Management in aws and aws-cn, not in aws-us-gov; Organizations in all three", (ctx) => {
    const data = botocoreDataDir();
    if (data === undefined || !existsSync(join(data, 'endpoints.json'))) return ctx.skip();
    const endpoints = JSON.parse(readFileSync(join(data, 'endpoints.json'), 'utf8')) as { partitions: { partition: string; services: Record<string, unknown> }[] };
    const has = (partition: string, service: string) => Boolean(endpoints.partitions.find((p) => p.partition === partition)?.services[service]);
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov'] as const) {
      expect(has(partition, 'account'), partition).toBe(PARTITION_QUOTAS[partition].GetAlternateContact !== undefined);
      expect(has(partition, 'organizations'), partition).toBe(true);
    }
    // Every Account Management operation with a quota here is one the API model has.
    const model = botocoreModel('account');
    for (const operation of ['GetAlternateContact', 'GetContactInformation', 'GetPrimaryEmail']) expect(Object.keys(model?.operations ?? {})).toContain(operation);
  });

  it('take the partition from an ARN, and refuse one they do not know', () => {
    expect(partitionOfArn('arn:aws-cn:sts::123456789012:assumed-role/auditor/x')).toBe('aws-cn');
    expect(partitionOfArn('arn:aws-us-gov:iam::123456789012:user/u')).toBe('aws-us-gov');
    expect(partitionOfArn('arn:aws:iam::123456789012:root')).toBe('aws');
    expect(() => partitionOfArn('arn:aws-iso:iam::123456789012:root')).toThrow(/unknown AWS partition "aws-iso"/);
  });
});

describe('the deployed shares', () => {
  const sum = (shares: QuotaShare[]) => ({
    ratePerSecond: shares.reduce((t, s) => t + s.ratePerSecond, 0),
    burst: shares.reduce((t, s) => t + s.burst, 0),
  });
  const readers = (partition: 'aws' | 'aws-cn', parallel: number, operation: ReadOperation) => {
    const shares = deployedShares(partition, parallel);
    const batch = operation === 'Organizations' ? [] : Array.from({ length: parallel }, () => shares.batch[operation]);
    const list = operation === 'GetAlternateContact' || operation === 'Organizations' ? [shares.list[operation]] : [];
    return [...batch, shares.realtime[operation], ...list];
  };

  for (const partition of ['aws', 'aws-cn'] as const) {
    for (const operation of ['GetAlternateContact', 'GetContactInformation', 'GetPrimaryEmail', 'Organizations'] as const) {
      it(`${partition} ${operation}: every reader whole calls, ≥ 1 at once, together within the quota`, () => {
        const all = readers(partition, 2, operation);
        for (const share of all) {
          expect(Number.isInteger(share.burst)).toBe(true);
          expect(share.burst).toBeGreaterThanOrEqual(1);
        }
        const total = sum(all);
        const quota = quotaOf(partition, operation);
        expect(total.ratePerSecond).toBeLessThanOrEqual(quota.ratePerSecond + 1e-9);
        expect(total.burst).toBeLessThanOrEqual(quota.burst);
      });
    }
  }

  it('give the sweep ≥ 0.95 of every Account Management rate, and the real-time function its three re-reads at once (aws)', () => {
    const shares = deployedShares('aws', 2);
    expect(shares.batch.GetAlternateContact).toEqual({ ratePerSecond: 4.875, burst: 4 });
    expect(shares.realtime.GetAlternateContact).toEqual({ ratePerSecond: 0.2, burst: 3 });
    expect(2 * shares.batch.GetPrimaryEmail.ratePerSecond).toBeGreaterThanOrEqual(0.95 * 3);
  });

  it('refuse a Map width whose batches cannot each have one GetPrimaryEmail call at once (burst 3)', () => {
    expect(() => deployedShares('aws', 4)).toThrow(/GetPrimaryEmail in aws: a burst of 3 cannot give 4 sweep batches and the real-time function one call each; lower sweepMaxConcurrency/);
    expect(() => deployedShares('aws-us-gov', 2)).toThrow(/not available in the aws-us-gov partition/);
  });

  it('scale every rate and burst against the emulator', () => {
    expect(deployedShares('aws', 2, 10).batch.GetPrimaryEmail).toEqual({ ratePerSecond: 14.625, burst: 10 });
  });
});

describe('the command line', () => {
  const caller = (arn: string) => ({ whoAmI: async () => ({ arn }) });

  it("paces at the quotas of the caller's partition", async () => {
    const cn = await callerPartitionPacers(caller('arn:aws-cn:sts::123456789012:assumed-role/auditor/x'), 10);
    expect([cn.partition, cn.alternateContact.ratePerSecond, cn.alternateContact.burst]).toEqual(['aws-cn', 3, 5]);
    const half = await callerPartitionPacers(caller('arn:aws:sts::123456789012:assumed-role/auditor/x'), 5);
    expect([half.alternateContact.ratePerSecond, half.alternateContact.burst, half.primaryEmail.burst]).toEqual([5, 7, 1]);
  });

  it('refuses in GovCloud, naming Account Management', async () => {
    await expect(callerPartitionPacers(caller('arn:aws-us-gov:sts::123456789012:assumed-role/auditor/x'), 10)).rejects.toThrow(
      /GetAlternateContact \(AWS Account Management\) is not available in the aws-us-gov partition/,
    );
  });

  it('a sole reader keeps at least one call at once, never more than its proportion above it', () => {
    expect(soleReaderPacer({ ratePerSecond: 3, burst: 3 }, 0.1).burst).toBe(1);
    expect(soleReaderPacer({ ratePerSecond: 10, burst: 15 }, 0.5).burst).toBe(7);
  });
});

describe('IAM actions of the issue-11 adapters', () => {
  it('are declared, read-only, and in the registry', () => {
    expect(AccountSurfaceAdapter.iamActions).toEqual(['account:GetContactInformation', 'account:GetPrimaryEmail', 'account:GetPrimaryEmailUpdateStatus']);
    expect(OrganizationTreeAdapter.iamActions).toEqual([
      'organizations:ListRoots',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListAccountsForParent',
    ]);
    expect(ParentChainAdapter.iamActions).toContain('organizations:ListParents');
    for (const action of [...AccountSurfaceAdapter.iamActions, ...OrganizationTreeAdapter.iamActions, ...ParentChainAdapter.iamActions]) {
      expect(ALL_ADAPTER_ACTIONS).toContain(action);
      expect(FORBIDDEN_ACTIONS).not.toContain(action);
    }
    expect(FORBIDDEN_ACTIONS).toEqual(expect.arrayContaining(['account:PutContactInformation', 'account:StartPrimaryEmailUpdate', 'account:AcceptPrimaryEmailUpdate']));
    // They text a person: the auditor never verifies a phone itself.
    expect(FORBIDDEN_ACTIONS).toEqual(expect.arrayContaining(['account:SendPhoneNumberVerification', 'account:VerifyPhoneNumber']));
  });
});

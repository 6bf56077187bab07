/** Issue 11: one pacer per operation, each under its own documented quota. */
import { describe, expect, it } from 'vitest';
import { READ_QUOTAS, pacerForQuota } from '../../src/aws/pacer.ts';
import { AccountSurfaceAdapter } from '../../src/aws/primaryContact.ts';
import { OrganizationTreeAdapter, ParentChainAdapter } from '../../src/aws/organizationTree.ts';
import { ALL_ADAPTER_ACTIONS, FORBIDDEN_ACTIONS } from '../../src/aws/iam.ts';

describe('per-operation quotas', () => {
  it('are the documented ones (AWS Account Management "Quotas")', () => {
    expect(READ_QUOTAS.GetAlternateContact).toEqual({ ratePerSecond: 10, burst: 15 });
    expect(READ_QUOTAS.GetContactInformation).toEqual({ ratePerSecond: 10, burst: 15 });
    expect(READ_QUOTAS.GetPrimaryEmail).toEqual({ ratePerSecond: 3, burst: 3 });
  });

  it('give each operation a bucket of its own, scaled by the share asked for', () => {
    const primaryEmail = pacerForQuota(READ_QUOTAS.GetPrimaryEmail);
    expect([primaryEmail.ratePerSecond, primaryEmail.burst]).toEqual([3, 3]);
    const half = pacerForQuota(READ_QUOTAS.GetContactInformation, 0.5);
    expect([half.ratePerSecond, half.burst]).toEqual([5, 7]);
    expect(pacerForQuota(READ_QUOTAS.GetPrimaryEmail, 0.1).burst).toBe(1);
  });
});

describe('IAM actions of the issue-11 adapters', () => {
  it('are declared, read-only, and in the registry', () => {
    expect(AccountSurfaceAdapter.iamActions).toEqual(['account:GetContactInformation', 'account:GetPrimaryEmail']);
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
  });
});

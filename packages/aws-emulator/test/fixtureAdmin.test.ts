import { describe, expect, it } from 'vitest';
import { FixtureError, parseFixture } from '../src/fixture.ts';
import { smallOrg } from '../../../test/fixtures/organizations.ts';

const withAdmin = (extra: Record<string, unknown>, org: Record<string, unknown> = {}) => {
  const f = structuredClone(smallOrg()) as unknown as Record<string, any>;
  Object.assign(f.organization, org);
  return { ...f, ...extra };
};

describe('fixture administration fields', () => {
  it('are optional: a fixture without them has no admin part', () => {
    expect(parseFixture(smallOrg()).admin).toBeUndefined();
  });

  it('reads policies (document as object or text), trails, the root and IAM denies', () => {
    const f = parseFixture(
      withAdmin(
        {
          policies: [{ id: 'p-1', name: 'lock', content: { Version: '2012-10-17', Statement: [] }, targets: ['r-ab12'] }],
          trails: [{ name: 'org', isOrganizationTrail: true }],
          iamDenies: { '222222222222': ['organizations:ListAccounts'] },
        },
        { rootId: 'r-ab12' },
      ),
    );
    expect(f.admin).toEqual({
      rootId: 'r-ab12',
      policies: [{ id: 'p-1', name: 'lock', type: 'SERVICE_CONTROL_POLICY', description: '', content: '{"Version":"2012-10-17","Statement":[]}', targets: ['r-ab12'] }],
      trails: [{ name: 'org', isOrganizationTrail: true, isMultiRegionTrail: true, homeRegion: 'us-east-1', s3BucketName: 'cloudtrail-logs' }],
      iamDenies: { '222222222222': ['organizations:ListAccounts'] },
    });
  });

  it('names the bad field', () => {
    expect(() => parseFixture(withAdmin({ policies: [{ id: 'p-1', name: 'x', content: 3 }] }))).toThrow(new FixtureError('policies[0].content: expected a policy document (object or JSON text)'));
    expect(() => parseFixture(withAdmin({ iamDenies: { abc: [] } }))).toThrow(/iamDenies.abc: expected a 12-digit account ID/);
    expect(() => parseFixture(withAdmin({}, { rootId: 'root' }))).toThrow(/organization.rootId/);
  });
});

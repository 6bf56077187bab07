import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { packaged } from './packaged.ts';

const { deployProblems } = createRequire(import.meta.url)('../../serverless/plugins/check-deploy-params.cjs') as {
  deployProblems: (template: unknown) => string[];
};

function withOrgWide(template: Record<string, any>, orgId: string, targets: string) {
  const copy = structuredClone(template);
  copy.Resources.CentralEventBusPolicy.Properties.Statement.Condition.StringEquals['aws:PrincipalOrgID'] = orgId;
  copy.Resources.MemberForwarderStackSet.Properties.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds = { 'Fn::Split': [',', targets] };
  return copy;
}

describe('deploy-time parameter check', () => {
  it('refuses the default template, naming both parameters, since org-wide events are on by default', async () => {
    const { template } = await packaged();
    const problems = deployProblems(template);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^organizationId: /);
    expect(problems[1]).toMatch(/^forwarderTargets: /);
  });

  it('accepts an organization ID and a root or OUs', async () => {
    const { template } = await packaged();
    expect(deployProblems(withOrgWide(template, 'o-aa111bb222', 'r-ab12'))).toEqual([]);
    expect(deployProblems(withOrgWide(template, 'o-aa111bb222', 'ou-ab12-11111111,ou-ab12-22222222'))).toEqual([]);
  });

  it('names a malformed organization ID or target', async () => {
    const { template } = await packaged();
    expect(deployProblems(withOrgWide(template, 'aa111bb222', 'r-ab12'))).toEqual([expect.stringMatching(/^organizationId: .*"aa111bb222"/)]);
    expect(deployProblems(withOrgWide(template, 'o-aa111bb222', 'r-ab12,123456789012'))).toEqual([expect.stringMatching(/^forwarderTargets: /)]);
  });

  it('has nothing to check when org-wide events are off', () => {
    expect(deployProblems({ Resources: { SomeBucket: { Type: 'AWS::S3::Bucket' } } })).toEqual([]);
  });
});

/**
 * The real-time part of the packaged stack (serverless/realtime.yml): rules on the default and
 * central bus, the organization-only bus policy, the member StackSet and its template, the
 * idempotency table, the DLQ and retries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_EVENT_NAMES } from '../../src/model.ts';
import { packaged, ROOT, type Template } from '../stack/packaged.ts';

let template: Template;
const forwarderText = readFileSync(join(ROOT, 'serverless/member-forwarder.yml'), 'utf8');

/** CloudFormation short-form tags as plain objects, enough to read the forwarder template. */
const cfnTags = ['Ref', 'GetAtt', 'Sub', 'If', 'Equals', 'Not', 'Split', 'Join'].map((name) => ({
  tag: `!${name}`,
  resolve: (value: unknown) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }),
}));
const forwarder = parse(forwarderText, { customTags: cfnTags }) as { Resources: Record<string, any>; Parameters: Record<string, any> };

beforeAll(async () => {
  template = (await packaged()).template;
}, 240_000);

const resource = (id: string) => {
  const r = template.Resources[id];
  if (!r) throw new Error(`no resource ${id}`);
  return r as { Type: string; Condition?: string; Properties: Record<string, any> };
};

const PATTERN = {
  source: ['aws.account'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['account.amazonaws.com'], eventName: [...CONTACT_EVENT_NAMES] },
};

describe('real-time stack', () => {
  it('routes the same pattern from the default bus and the central bus to the handler, with retries and a DLQ', () => {
    for (const id of ['ContactChangeDefaultBusRule', 'ContactChangeCentralBusRule']) {
      const rule = resource(id);
      expect(rule.Properties.EventPattern, id).toEqual(PATTERN);
      expect(rule.Properties.Targets, id).toEqual([
        {
          Id: 'contact-change-handler',
          Arn: { 'Fn::GetAtt': ['ContactChangeLambdaFunction', 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ContactChangeEventsDlq', 'Arn'] } },
        },
      ]);
    }
    expect(resource('ContactChangeDefaultBusRule').Properties.EventBusName).toBe('default');
    expect(resource('ContactChangeCentralBusRule').Properties.EventBusName).toEqual({ Ref: 'CentralEventBus' });
    expect(resource('ContactChangeDefaultBusPermission').Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['ContactChangeDefaultBusRule', 'Arn'] } });
    expect(resource('ContactChangeCentralBusPermission').Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['ContactChangeCentralBusRule', 'Arn'] } });
    expect(resource('ContactChangeEventsDlq').Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('admits only the organization on the central bus', () => {
    const policy = resource('CentralEventBusPolicy').Properties;
    expect(policy.Statement).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': expect.any(String) } } });
  });

  it('puts the org-wide parts under the orgWideEvents condition, on by default', () => {
    expect(template.Conditions?.OrgWideEvents).toEqual({ 'Fn::Equals': ['true', 'true'] });
    for (const id of ['CentralEventBus', 'CentralEventBusPolicy', 'ContactChangeCentralBusRule', 'ContactChangeCentralBusPermission', 'MemberForwarderStackSet']) {
      expect(resource(id).Condition, id).toBe('OrgWideEvents');
    }
    for (const id of ['ContactChangeDefaultBusRule', 'ContactChangeIdempotencyTable', 'ContactChangeRole']) expect(resource(id).Condition, id).toBeUndefined();
  });

  it('deploys the forwarder to every member through a service-managed StackSet in us-east-1', () => {
    const set = resource('MemberForwarderStackSet').Properties;
    expect(set).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'CentralEventBusArn', ParameterValue: { 'Fn::GetAtt': ['CentralEventBus', 'Arn'] } }],
    });
    expect(set.StackInstancesGroup).toEqual([
      expect.objectContaining({ Regions: ['us-east-1'], DeploymentTargets: expect.objectContaining({ OrganizationalUnitIds: expect.anything() }) }),
    ]);
    // One text, two uses: the StackSet and the manual deploy in the management account.
    expect(set.TemplateBody).toBe(forwarderText);
  });

  it('forwards the same pattern with a role that may only put events on the central bus', () => {
    const rule = forwarder.Resources.ForwardContactChanges;
    expect(rule.Properties.EventPattern).toEqual(PATTERN);
    expect(rule.Properties.EventBusName).toBe('default');
    expect(rule.Properties.Targets).toEqual([{ Id: 'contact-auditor-bus', Arn: { Ref: 'CentralEventBusArn' }, RoleArn: { 'Fn::GetAtt': 'ForwarderRole.Arn' } }]);
    const role = forwarder.Resources.ForwarderRole.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    expect(role.Policies.flatMap((p: any) => p.PolicyDocument.Statement)).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'CentralEventBusArn' } }]);
    expect(new RegExp(forwarder.Parameters.CentralEventBusArn.AllowedPattern).test('arn:aws:events:us-east-1:222222222222:event-bus/contact-auditor-prod-contact-changes')).toBe(true);
    expect(new RegExp(forwarder.Parameters.CentralEventBusArn.AllowedPattern).test('arn:aws:events:eu-west-1:222222222222:event-bus/x')).toBe(false);
  });

  it('keeps event IDs in an encrypted, on-demand table with TTL and point-in-time recovery', () => {
    expect(resource('ContactChangeIdempotencyTable').Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('gives the function its table, topic and policy source, and a failure destination', () => {
    const fn = resource('ContactChangeLambdaFunction').Properties;
    expect(fn.Environment.Variables).toMatchObject({
      CONTACT_AUDIT_TOPIC_ARN: { Ref: 'AlertsTopic' },
      CONTACT_AUDIT_IDEMPOTENCY_TABLE: { Ref: 'ContactChangeIdempotencyTable' },
      CONTACT_AUDIT_REPORT_BUCKET: { Ref: 'ReportBucket' },
      CONTACT_AUDIT_POLICY_KEY: expect.any(String),
    });
    expect(resource('ContactChangeLambdaEvConf').Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] } } },
    });
  });

  it('writes the change records under changes/ and the evidence under state/accounts/, nothing else', () => {
    const statements = resource('ContactChangeRole').Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const put = statements.filter((s: any) => [s.Action].flat().includes('s3:PutObject'));
    expect(put.map((s: any) => s.Resource)).toEqual([{ 'Fn::Sub': `${'$'}{ReportBucket.Arn}/changes/*` }, { 'Fn::Sub': `${'$'}{ReportBucket.Arn}/state/accounts/*` }]);
  });
});

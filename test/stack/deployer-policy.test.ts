/**
 * docs/deployer-policy.json, the IAM permissions of whoever runs `osls deploy` (docs/deployment.md,
 * "Who may deploy"), held to the packaged template: every resource type the stack creates has the
 * actions CloudFormation makes on the deployer's behalf to create it, and a type added to the stack
 * without them fails here. Every action is an operation of its service's botocore model, or one of
 * the few IAM action names that differ from the API's (the deploy's own calls: test/deploy/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { iamMatch } from '../../src/audit/scpLock.ts';
import { botocoreModel } from '../fixtures/botocoreModels.ts';
import { packaged, ROOT, type Template } from './packaged.ts';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
const policy = JSON.parse(readFileSync(join(ROOT, 'docs/deployer-policy.json'), 'utf8')) as { Version: string; Statement: Statement[] };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const allowed = policy.Statement.flatMap((s) => list(s.Action));
const allows = (action: string) => allowed.some((a) => iamMatch(a, action));

/** What CloudFormation calls, with the deployer's credentials, to create each resource type of the stack. */
const CREATE_ACTIONS: Record<string, string[]> = {
  'AWS::CloudFormation::StackSet': ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances', 'cloudformation:DescribeStackSetOperation', 'organizations:ListDelegatedAdministrators'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms'],
  'AWS::DynamoDB::Table': ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTimeToLive', 'dynamodb:DescribeTimeToLive'],
  'AWS::Events::EventBus': ['events:CreateEventBus', 'events:DescribeEventBus'],
  'AWS::Events::EventBusPolicy': ['events:PutPermission', 'events:DescribeEventBus'],
  'AWS::Events::Rule': ['events:PutRule', 'events:PutTargets', 'events:DescribeRule'],
  'AWS::IAM::Role': ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:GetRole'],
  'AWS::KMS::Alias': ['kms:CreateAlias', 'kms:ListAliases'],
  'AWS::KMS::Key': ['kms:CreateKey', 'kms:EnableKeyRotation', 'kms:DescribeKey', 'kms:PutKeyPolicy'],
  'AWS::Lambda::EventInvokeConfig': ['lambda:PutFunctionEventInvokeConfig'],
  'AWS::Lambda::Function': ['lambda:CreateFunction', 'lambda:GetFunction', 'lambda:PutFunctionConcurrency', 'iam:PassRole', 's3:GetObject'],
  'AWS::Lambda::Permission': ['lambda:AddPermission'],
  'AWS::Logs::LogGroup': ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DescribeLogGroups'],
  'AWS::S3::Bucket': ['s3:CreateBucket', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration', 's3:PutBucketTagging'],
  'AWS::S3::BucketPolicy': ['s3:PutBucketPolicy', 's3:GetBucketPolicy'],
  'AWS::SNS::Subscription': ['sns:Subscribe', 'sns:GetSubscriptionAttributes'],
  'AWS::SNS::Topic': ['sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:GetTopicAttributes', 'sns:TagResource'],
  'AWS::SNS::TopicPolicy': ['sns:SetTopicAttributes'],
  'AWS::SQS::Queue': ['sqs:CreateQueue', 'sqs:GetQueueAttributes', 'sqs:TagQueue'],
  'AWS::SQS::QueuePolicy': ['sqs:SetQueueAttributes'],
  'AWS::Scheduler::Schedule': ['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'iam:PassRole'],
  'AWS::StepFunctions::StateMachine': ['states:CreateStateMachine', 'states:DescribeStateMachine', 'states:TagResource', 'iam:PassRole'],
};

/** IAM action prefix → botocore service folder. */
const MODEL: Record<string, string> = { states: 'stepfunctions', cloudwatch: 'cloudwatch', logs: 'logs' };
/**
 * IAM actions whose names are not an API operation's (Service Authorization Reference): S3's bucket
 * configuration actions and ListBucket (which ListObjectsV2 and HeadBucket need), Lambda's ListTags,
 * and iam:PassRole (a permission only: handing a role to a service).
 */
const IAM_ONLY = new Set([
  'iam:PassRole',
  's3:ListBucket',
  's3:GetLifecycleConfiguration',
  's3:PutLifecycleConfiguration',
  's3:GetEncryptionConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock',
  's3:GetBucketPublicAccessBlock',
  'lambda:ListTags',
]);

let template: Template;
beforeAll(async () => {
  ({ template } = await packaged());
}, 400_000);

describe('docs/deployer-policy.json', () => {
  it('is an identity policy of Allow statements, each naming its actions and resources', () => {
    expect(policy.Version).toBe('2012-10-17');
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const s of policy.Statement) {
      expect(s.Effect, s.Sid).toBe('Allow');
      expect(list(s.Action).length, s.Sid).toBeGreaterThan(0);
      // No whole-service wildcard: each action is named.
      for (const a of list(s.Action)) expect(a, s.Sid).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      expect(list(s.Resource).length, s.Sid).toBeGreaterThan(0);
    }
  });

  it('covers every resource type of the packaged template', () => {
    const types = [...new Set(Object.values(template.Resources).map((r) => r.Type))].sort();
    expect(types.filter((t) => !(t in CREATE_ACTIONS)), 'resource types without deployer actions in this test').toEqual([]);
    const missing = types.flatMap((t) => (CREATE_ACTIONS[t] ?? []).filter((a) => !allows(a)).map((a) => `${t}: ${a}`));
    expect(missing).toEqual([]);
  });

  it('scopes resources to the stack\'s names (contact-auditor-…) wherever the service allows resource-level permissions', () => {
    const star = policy.Statement.filter((s) => list(s.Resource).includes('*')).flatMap((s) => list(s.Action));
    // These have no resource-level permission (Service Authorization Reference).
    expect(star.sort()).toEqual(
      [
        'cloudformation:ValidateTemplate',
        'kms:CreateKey',
        'kms:ListAliases',
        'lambda:GetAccountSettings',
        'logs:DescribeLogGroups',
        'logs:ListTagsForResource',
        'organizations:DescribeOrganization',
        'organizations:ListAWSServiceAccessForOrganization',
        'organizations:ListDelegatedAdministrators',
        'organizations:ListRoots',
      ].sort(),
    );
  });

  it.skipIf(!botocoreModel('s3'))('names only actions that exist: API operations of the botocore models, or IAM-only names (skipped without the AWS CLI)', () => {
    const unknown = allowed.filter((action) => {
      if (IAM_ONLY.has(action)) return false;
      const [prefix, name] = action.split(':') as [string, string];
      const model = botocoreModel(MODEL[prefix] ?? prefix);
      return !model || !(name in model.operations);
    });
    expect(unknown).toEqual([]);
  });
});

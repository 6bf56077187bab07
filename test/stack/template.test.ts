/**
 * The packaged CloudFormation template (`osls package`, offline): schedule, state machine with a
 * Distributed Map, pacing arithmetic, encryption, public-access blocks, TLS-only policies, KMS on
 * the topic, runtime, log retention, failure destinations and alarms.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { intrinsic, LOG_DELIVERY, packaged, resourcesOfType, stateMachineDefinition, type Packaged, type Template } from './packaged.ts';

/** CloudFormation's partition placeholder, as the packaged definition carries it. */
const PSEUDO_PARTITION = '$' + '{AWS::Partition}';

/** Lambda's hard limit. */
const LAMBDA_MAX_TIMEOUT = 900;

let stack: Packaged;
let template: Template;
let definition: any;

beforeAll(async () => {
  stack = await packaged();
  template = stack.template;
  definition = stateMachineDefinition(template);
}, 240_000);

const resource = (id: string) => {
  const r = template.Resources[id];
  if (!r) throw new Error(`no resource ${id} in the template`);
  return r;
};
const functions = () => resourcesOfType(template, 'AWS::Lambda::Function');
const sweepFunction = (name: 'sweepList' | 'sweepBatch' | 'sweepFinalize') => resource(`${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`);
const env = (name: 'sweepList' | 'sweepBatch' | 'sweepFinalize') => sweepFunction(name).Properties!.Environment.Variables as Record<string, unknown>;
const map = () => definition.States.CheckBatches;
const batchTask = () => map().ItemProcessor.States.CheckBatch;

describe('functions', () => {
  it('run nodejs22.x on arm64, with active tracing', () => {
    expect(functions().length).toBeGreaterThanOrEqual(3);
    for (const [id, fn] of functions()) {
      expect(fn.Properties?.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties?.Architectures, id).toEqual(['arm64']);
      expect(fn.Properties?.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
  });

  it('keep their logs for the retention parameter', () => {
    for (const [id] of functions()) {
      const group = resource(id.replace(/LambdaFunction$/, 'LogGroup'));
      expect(group.Type).toBe('AWS::Logs::LogGroup');
      expect(group.Properties?.RetentionInDays).toBe(90);
    }
  });

  it('send failed asynchronous invocations to the SQS queue', () => {
    for (const [id] of functions()) {
      const config = resource(id.replace(/LambdaFunction$/, 'LambdaEvConf'));
      expect(config.Properties?.DestinationConfig?.OnFailure?.Destination, id).toEqual({ 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] });
    }
    expect(resource('FailedInvocationsQueue').Properties?.SqsManagedSseEnabled).toBe(true);
  });

  it('get the report bucket, the policy source and the topic from the environment', () => {
    for (const name of ['sweepList', 'sweepBatch', 'sweepFinalize'] as const) {
      expect(env(name).CONTACT_AUDIT_REPORT_BUCKET).toEqual({ Ref: 'ReportBucket' });
    }
    expect(env('sweepList')).toMatchObject({ CONTACT_AUDIT_POLICY_KEY: 'config/policy.json', CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com,example.org' });
    expect(env('sweepFinalize').CONTACT_AUDIT_TOPIC_ARN).toEqual({ Ref: 'AlertsTopic' });
  });

  it('stay small (zipped bundles under 1 MB)', () => {
    for (const name of ['sweepList', 'sweepBatch', 'sweepFinalize']) {
      expect(stack.artifacts[name], name).toBeGreaterThan(10_000);
      expect(stack.artifacts[name], name).toBeLessThan(1_000_000);
    }
  });
});

describe('schedule', () => {
  const schedules = () => Object.fromEntries(resourcesOfType(template, 'AWS::Scheduler::Schedule') as [string, any][]);

  it('starts an incremental sweep Monday to Saturday and a full one on Sundays, through EventBridge Scheduler with retries and a DLQ', () => {
    const { SweepSchedule: incremental, FullSweepSchedule: full } = schedules();
    expect(incremental.Properties.ScheduleExpression).toBe('cron(0 6 ? * MON-SAT *)');
    expect(JSON.parse(incremental.Properties.Target.Input)).toEqual({ mode: 'incremental' });
    expect(full.Properties.ScheduleExpression).toBe('cron(0 6 ? * SUN *)');
    expect(JSON.parse(full.Properties.Target.Input)).toEqual({ mode: 'full' });
    for (const schedule of [incremental, full]) {
      expect(schedule.Properties.State).toBe('ENABLED');
      expect(schedule.Properties.Target.Arn).toEqual({ Ref: 'SweepStateMachine' });
      expect(schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(schedule.Properties.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] });
    }
  });

  it('hands the execution input (the schedule\'s mode) to the list step', () => {
    expect(definition.States.ListAccounts.Parameters.Payload['execution.$']).toBe('$');
  });
});

describe('state machine', () => {
  it('lists, maps the batches with a Distributed Map reading the items from S3, then finalizes', () => {
    expect(resource('SweepStateMachine').Type).toBe('AWS::StepFunctions::StateMachine');
    expect(definition.StartAt).toBe('ListAccounts');
    expect(definition.States.ListAccounts.Next).toBe('CheckBatches');
    expect(map().Type).toBe('Map');
    expect(map().ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map().ItemReader.Resource).toBe(`arn:${PSEUDO_PARTITION}:states:::s3:getObject`);
    expect(map().ItemReader.ReaderConfig.InputType).toBe('JSON');
    expect(intrinsic(template, map().ItemReader.Parameters.Bucket)).toEqual({ Ref: 'ReportBucket' });
    expect(map().ItemReader.Parameters['Key.$']).toBe('$.itemsKey');
    expect(map().Next).toBe('Finalize');
    expect(intrinsic(template, definition.States.Finalize.Parameters.FunctionName)).toEqual({ 'Fn::GetAtt': ['SweepFinalizeLambdaFunction', 'Arn'] });
    expect(intrinsic(template, batchTask().Parameters.FunctionName)).toEqual({ 'Fn::GetAtt': ['SweepBatchLambdaFunction', 'Arn'] });
  });

  it('tolerates some failed batches and still finalizes when the Map fails, then ends failed', () => {
    expect(map().ToleratedFailurePercentage).toBeGreaterThan(0);
    expect(map().ToleratedFailurePercentage).toBeLessThan(100);
    expect(map().Catch).toContainEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'Finalize' });
    expect(map().ResultPath).toBeNull();
    const choices = definition.States.Complete.Choices;
    expect(choices).toContainEqual({ Variable: '$.mapError', IsPresent: true, Next: 'SweepIncomplete' });
    expect(choices).toContainEqual({ Variable: '$.result.missingAccounts', NumericGreaterThan: 0, Next: 'SweepIncomplete' });
    expect(definition.States.SweepIncomplete.Type).toBe('Fail');
  });

  it('retries failed and throttled batches with backoff, but not misconfigurations', () => {
    for (const task of [definition.States.ListAccounts, batchTask(), definition.States.Finalize]) {
      const retry = task.Retry as { ErrorEquals: string[]; MaxAttempts?: number; BackoffRate?: number }[];
      const failed = retry.find((r) => r.ErrorEquals.includes('States.TaskFailed'));
      expect(failed?.MaxAttempts).toBeGreaterThanOrEqual(2);
      expect(failed?.BackoffRate).toBeGreaterThan(1);
      const throttled = retry.find((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException'));
      expect(throttled?.BackoffRate).toBeGreaterThan(1);
      // First match wins: the non-retryable errors come before States.TaskFailed.
      expect(retry[0]).toMatchObject({ ErrorEquals: expect.arrayContaining(['SetupError', 'PolicyError']), MaxAttempts: 0 });
    }
  });

  it('feeds each batch the input its handler parses', async () => {
    const { BatchInput } = await import('../../src/contracts/sweepWork.ts');
    expect(Object.keys(map().ItemSelector).map((k) => k.replace(/\.\$$/, '')).sort()).toEqual(Object.keys(BatchInput.def.shape).sort());
    expect(map().ItemSelector['batch.$']).toBe('$$.Map.Item.Value');
    // The list step's output is what finalize parses (the Map's ResultPath is null).
    expect(definition.States.Finalize.Parameters['Payload.$']).toBe('$');
  });

  it('gives the list step the input its schema names, and finalize the list output and the Map error its schema names', async () => {
    const { FinalizeInput, ListInput, StartOutput } = await import('../../src/contracts/sweepWork.ts');
    const payload = definition.States.ListAccounts.Parameters.Payload as Record<string, string>;
    expect(Object.keys(payload).map((k) => k.replace(/\.\$$/, '')).sort()).toEqual(Object.keys(ListInput.def.shape).sort());
    expect(map().ResultPath).toBeNull();
    const [caught] = map().Catch as { ResultPath: string }[];
    const fromList = Object.keys(FinalizeInput.def.shape).filter((k) => `$.${k}` !== caught!.ResultPath);
    expect(fromList.length).toBe(Object.keys(FinalizeInput.def.shape).length - 1);
    expect(Object.keys(StartOutput.def.shape)).toEqual(expect.arrayContaining(fromList));
  });

  it("shares every read quota of the partition: batches × reserved concurrency + real-time + list step ≤ each quota, rate and burst", async () => {
    const { configFromEnv } = await import('../../src/config.ts');
    const { batchPacers } = await import('../../src/audit/batches.ts');
    const { deployedShares, quotaOf } = await import('../../src/providers/aws/quotas.ts');
    const fnEnv = (id: string) => Object.fromEntries(Object.entries(resource(id).Properties!.Environment.Variables as Record<string, unknown>));
    const reserved = (id: string) => (resource(id).Properties!.ReservedConcurrentExecutions as { 'Fn::If': [string, number, unknown] })['Fn::If'][1];
    // Every function is told the stack's partition by CloudFormation.
    for (const id of ['SweepListLambdaFunction', 'SweepBatchLambdaFunction', 'ContactChangeLambdaFunction']) {
      expect(fnEnv(id).CONTACT_AUDIT_PARTITION, id).toEqual({ Ref: 'AWS::Partition' });
    }
    const batches = Number(reserved('SweepBatchLambdaFunction'));
    expect(batches).toBe(map().MaxConcurrency);
    expect(reserved('ContactChangeLambdaFunction')).toBe(1);
    for (const partition of ['aws', 'aws-cn'] as const) {
      // What each function parses from its environment, with ${AWS::Partition} resolved.
      const config = (id: string) => {
        const vars = Object.fromEntries(Object.entries(fnEnv(id)).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
        return configFromEnv({ ...vars, CONTACT_AUDIT_PARTITION: partition });
      };
      const list = config('SweepListLambdaFunction');
      const batch = config('SweepBatchLambdaFunction');
      const realtime = config('ContactChangeLambdaFunction');
      expect([list.sweepParallelBatches, batch.sweepParallelBatches, realtime.sweepParallelBatches]).toEqual([batches, batches, batches]);
      const shares = deployedShares(partition, batches);
      // The batch handler's pacers are these shares.
      const pacers = batchPacers(batch);
      expect([pacers.alternateContact.ratePerSecond, pacers.alternateContact.burst]).toEqual([shares.batch.GetAlternateContact.ratePerSecond, shares.batch.GetAlternateContact.burst]);
      for (const operation of ['GetAlternateContact', 'GetContactInformation', 'GetPrimaryEmail', 'Organizations'] as const) {
        const readers = [
          ...(operation === 'Organizations' ? [] : Array.from({ length: batches }, () => shares.batch[operation])),
          shares.realtime[operation],
          ...(operation === 'GetAlternateContact' || operation === 'Organizations' ? [shares.list[operation]] : []),
        ];
        const quota = quotaOf(partition, operation);
        const rate = readers.reduce((t, r) => t + r.ratePerSecond, 0);
        const burst = readers.reduce((t, r) => t + r.burst, 0);
        expect(rate, `${partition} ${operation} rate`).toBeLessThanOrEqual(quota.ratePerSecond + 1e-9);
        expect(burst, `${partition} ${operation} burst`).toBeLessThanOrEqual(quota.burst);
        for (const r of readers) expect(Number.isInteger(r.burst) && r.burst >= 1, `${partition} ${operation}`).toBe(true);
      }
      // The sweep reads at ≥ 0.95 of each Account Management rate; one event's three re-reads fit the real-time burst (aws).
      expect(batches * shares.batch.GetAlternateContact.ratePerSecond).toBeGreaterThanOrEqual(0.95 * quotaOf(partition, 'GetAlternateContact').ratePerSecond);
      if (partition === 'aws') expect(shares.realtime.GetAlternateContact.burst).toBe(3);
    }
    // GovCloud has no Account Management: the functions refuse at start-up, naming it.
    expect(() => deployedShares('aws-us-gov', batches)).toThrow(/AWS Account Management\) is not available in the aws-us-gov partition/);
  });

  it('caps the readers by reserved concurrency when reserveConcurrency is on: the Map width for batches, one real-time container', () => {
    const reserved = (id: string) => resource(id).Properties?.ReservedConcurrentExecutions;
    expect(reserved('SweepBatchLambdaFunction')).toEqual({ 'Fn::If': ['ReserveConcurrency', map().MaxConcurrency, { Ref: 'AWS::NoValue' }] });
    expect(reserved('ContactChangeLambdaFunction')).toEqual({ 'Fn::If': ['ReserveConcurrency', 1, { Ref: 'AWS::NoValue' }] });
    expect(template.Conditions?.ReserveConcurrency).toEqual({ 'Fn::Equals': ['true', 'true'] });
  });

  it('derives the batch size from the organization and the batch time-out, and fits 10,000 accounts in the execution limit', async () => {
    const { batchSizeFor, batchShare } = await import('../../src/audit/batches.ts');
    const { configFromEnv } = await import('../../src/config.ts');
    const timeout = sweepFunction('sweepBatch').Properties?.Timeout as number;
    expect(timeout).toBeLessThanOrEqual(LAMBDA_MAX_TIMEOUT);
    expect(batchTask().TimeoutSeconds).toBeGreaterThan(timeout);
    const listEnv = Object.fromEntries(Object.entries(env('sweepList')).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    // ${AWS::Partition} resolved: the share of each batch is the partition's (src/providers/aws/quotas.ts).
    const config = configFromEnv({ ...listEnv, CONTACT_AUDIT_PARTITION: 'aws' });
    expect(config.batchTimeLimitSeconds).toBe(timeout);
    expect(config.sweepParallelBatches).toBe(map().MaxConcurrency);
    const share = batchShare(config);
    for (const accounts of [100, 1_000, 10_000, 50_000]) {
      const size = batchSizeFor(accounts, { parallel: config.sweepParallelBatches, batchRatePerSecond: share.ratePerSecond, timeLimitSeconds: timeout, readsPerAccount: 3 });
      // A batch reads within half its time-out, and the batches are a whole multiple of the Map's width.
      expect((size * 3) / share.ratePerSecond, `${accounts}`).toBeLessThanOrEqual(timeout / 2);
      const batches = Math.ceil(accounts / size);
      expect(batches % config.sweepParallelBatches, `${accounts}`).toBe(0);
    }
    const sweepSeconds = (10_000 * 3) / (share.ratePerSecond * config.sweepParallelBatches);
    expect(sweepSeconds * 2).toBeLessThanOrEqual(definition.TimeoutSeconds);
  });

  it('runs under its own role, tracing on', () => {
    expect(resource('SweepStateMachine').Properties?.RoleArn).toEqual({ 'Fn::GetAtt': ['SweepStateMachineRole', 'Arn'] });
    expect(resource('SweepStateMachine').Properties?.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('logs failed states at ERROR, without execution data, to its own log group, with the log-delivery actions on its role', () => {
    expect(resource('SweepStateMachine').Properties?.LoggingConfiguration).toEqual({
      Level: 'ERROR',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['SweepStateMachineLogGroup', 'Arn'] } } }],
    });
    const group = resource('SweepStateMachineLogGroup');
    expect(group.Properties?.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\//);
    expect(group.Properties?.RetentionInDays).toBe(90);
    const statements = resource('SweepStateMachineRole').Properties!.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const actions = statements.filter((st: any) => st.Effect === 'Allow').flatMap((st: any) => [st.Action].flat());
    for (const action of LOG_DELIVERY) expect(actions, action).toContain(action);
  });
});

describe('report bucket', () => {
  it('is deleted when its own creation rolls back (a fixed name would fail every retry), retained otherwise', () => {
    expect(resource('ReportBucket').DeletionPolicy).toBe('RetainExceptOnCreate');
    expect((resource('ReportBucket') as { UpdateReplacePolicy?: string }).UpdateReplacePolicy).toBe('Retain');
  });

  it('is encrypted, versioned, blocks all public access and expires by the retention parameters', () => {
    const bucket = resource('ReportBucket').Properties!;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toMatch(/^(AES256|aws:kms)$/);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules = bucket.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number; Status: string }[];
    for (const prefix of ['runs/', 'findings/', 'changes/']) expect(rules).toContainEqual(expect.objectContaining({ Prefix: prefix, ExpirationInDays: 400, Status: 'Enabled' }));
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'work/', ExpirationInDays: 7 }));
    // latest/ and the policy object never expire.
    expect(rules.some((r) => r.Prefix === 'latest/' || r.Prefix === 'config/')).toBe(false);
  });

  it('denies every request not made over TLS', () => {
    const policy = resource('ReportBucketPolicy').Properties!;
    expect(policy.Bucket).toEqual({ Ref: 'ReportBucket' });
    expect(policy.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('alerts topic', () => {
  it('is encrypted with the stack customer managed key, rotated, usable by CloudWatch and SNS', () => {
    expect(resource('AlertsTopic').Properties?.KmsMasterKeyId).toEqual({ Ref: 'AlertsKey' });
    const key = resource('AlertsKey').Properties!;
    expect(key.EnableKeyRotation).toBe(true);
    const services = (key.KeyPolicy.Statement as any[]).filter((s) => s.Principal?.Service).map((s) => s.Principal.Service);
    expect(services).toEqual(expect.arrayContaining(['cloudwatch.amazonaws.com', 'sns.amazonaws.com']));
  });

  it('has a topic policy: CloudWatch alarms may publish, nothing over plain HTTP', () => {
    const statements = resource('AlertsTopicPolicy').Properties!.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('subscribes the alert e-mail only when one is given', () => {
    const subscription = resource('AlertEmailSubscription');
    expect(subscription.Condition).toBe('HasAlertEmail');
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'secops@example.com', TopicArn: { Ref: 'AlertsTopic' } });
    expect(template.Conditions?.HasAlertEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['secops@example.com', ''] }] });
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);

  it('fire on a failed or timed-out sweep execution', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const alarm = alarms().find((a) => a.Namespace === 'AWS/States' && a.MetricName === metric);
      expect(alarm, metric).toBeDefined();
      expect(alarm?.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: { Ref: 'SweepStateMachine' } }]);
      expect(alarm?.AlarmActions).toEqual([{ Ref: 'AlertsTopic' }]);
    }
  });

  it('fire on errors of every function and on failed invocations in the queue', () => {
    for (const [id] of functions()) {
      const alarm = alarms().find((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors' && a.Dimensions?.[0]?.Value?.Ref === id);
      expect(alarm, id).toBeDefined();
      expect(alarm?.AlarmActions).toEqual([{ Ref: 'AlertsTopic' }]);
    }
    expect(alarms().find((a) => a.Namespace === 'AWS/SQS')?.AlarmActions).toEqual([{ Ref: 'AlertsTopic' }]);
  });
});

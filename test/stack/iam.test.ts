/**
 * Least privilege, checked on the packaged template (STYLE.md §8, §9): every function has its own
 * role, and that role allows exactly the `iamActions` of the adapters its handler module exports
 * as `adapters` — nothing missing, nothing extra — plus the plumbing named here: its own log
 * group, X-Ray, the failure queue, and the topic's KMS key for a function that publishes.
 * No wildcard action is allowed anywhere; nothing may change an alternate contact.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, FORBIDDEN_ACTIONS, type DeclaresIamActions } from '../../src/providers/aws/iam.ts';
import { LOG_DELIVERY, packaged, resourcesOfType, ROOT, type Packaged, type Template } from './packaged.ts';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
  Sid?: string;
}

const asList = <T,>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Plumbing every function may have, whatever its adapters: action → the resource it must be scoped to. */
const plumbing = (functionLogicalId: string): Record<string, unknown[]> => ({
  'logs:CreateLogStream': [{ 'Fn::GetAtt': [functionLogicalId.replace(/LambdaFunction$/, 'LogGroup'), 'Arn'] }],
  'logs:PutLogEvents': [{ 'Fn::GetAtt': [functionLogicalId.replace(/LambdaFunction$/, 'LogGroup'), 'Arn'] }],
  // X-Ray has no resource-level permissions.
  'xray:PutTraceSegments': ['*'],
  'xray:PutTelemetryRecords': ['*'],
  'sqs:SendMessage': [{ 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] }],
});
/** A function that publishes to the KMS-encrypted topic needs the key, and only that key. */
const TOPIC_KEY = { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: { 'Fn::GetAtt': ['AlertsKey', 'Arn'] } };
/** Actions that AWS does not scope to a resource (the service authorization reference): `*` is the only choice. */
const UNSCOPABLE = new Set(['organizations:ListAccounts', 'organizations:DescribeOrganization', 'sts:GetCallerIdentity', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'organizations:ListRoots']);

let stack: Packaged;
let template: Template;
const adaptersByFunction = new Map<string, readonly DeclaresIamActions[]>();
const savedEnv = { ...process.env };

beforeAll(async () => {
  stack = await packaged();
  template = stack.template;
  // Importing a handler module runs its init: give it the configuration a deployed one has.
  Object.assign(process.env, {
    CONTACT_AUDIT_REPORT_BUCKET: 'stack-test-reports',
    CONTACT_AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:stack-test',
    CONTACT_AUDIT_PARTITION: 'aws',
    CONTACT_AUDIT_IDEMPOTENCY_TABLE: 'stack-test-idempotency',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIASTACKTEST',
    AWS_SECRET_ACCESS_KEY: 'x',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  for (const [name, fn] of Object.entries(stack.functions)) {
    const file = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`;
    const module = (await import(pathToFileURL(join(ROOT, file)).href)) as { adapters?: readonly DeclaresIamActions[] };
    if (!Array.isArray(module.adapters)) throw new Error(`${file} must export the adapters its function uses as \`adapters\``);
    adaptersByFunction.set(name, module.adapters);
  }
}, 240_000);

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** The Allow/Deny statements of a role: its inline policies and any AWS::IAM::Policy attached to it. */
function roleStatements(roleId: string): Statement[] {
  const role = template.Resources[roleId];
  const inline = asList(role?.Properties?.Policies).flatMap((p: any) => asList<Statement>(p.PolicyDocument.Statement));
  const attached = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => asList(p.Properties?.Roles).some((r: any) => r?.Ref === roleId))
    .flatMap(([, p]) => asList<Statement>(p.Properties!.PolicyDocument.Statement));
  return [...inline, ...attached];
}

/** action → every resource an Allow statement grants it on. */
function grants(statements: Statement[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const s of statements.filter((st) => st.Effect === 'Allow')) {
    for (const action of asList(s.Action)) out.set(action, [...(out.get(action) ?? []), ...asList(s.Resource)]);
  }
  return out;
}

const functionEntries = () =>
  Object.entries(stack.functions).map(([name]) => {
    const logicalId = `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`;
    const role = template.Resources[logicalId]?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
    return { name, logicalId, roleId: role?.['Fn::GetAtt']?.[0] ?? '' };
  });

describe('function roles', () => {
  it('are one per function, defined in this template, assumable by Lambda only, without managed policies', () => {
    const entries = functionEntries();
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(new Set(entries.map((e) => e.roleId)).size).toBe(entries.length);
    for (const { name, roleId } of entries) {
      const role = template.Resources[roleId];
      expect(role?.Type, name).toBe('AWS::IAM::Role');
      expect(role?.Properties?.AssumeRolePolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      expect(role?.Properties?.ManagedPolicyArns, name).toBeUndefined();
    }
    // No function falls back to the framework's shared role.
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it("allow exactly the declared actions of the function's adapters, plus the named plumbing", () => {
    for (const { name, logicalId, roleId } of functionEntries()) {
      const declared = actionsOf(adaptersByFunction.get(name) ?? []);
      const granted = grants(roleStatements(roleId));
      const allowedPlumbing = plumbing(logicalId);
      const publishes = declared.includes('sns:Publish');
      const adapterActions = [...granted.keys()]
        .filter((a) => !(a in allowedPlumbing) && !(publishes && TOPIC_KEY.actions.includes(a)))
        .sort();
      expect(adapterActions, `${name}: granted vs. declared by its adapters`).toEqual(declared);
      for (const [action, resources] of granted) {
        if (action in allowedPlumbing) expect(resources, `${name} ${action}`).toEqual(allowedPlumbing[action]);
        if (TOPIC_KEY.actions.includes(action)) {
          expect(publishes, `${name} ${action} without sns:Publish`).toBe(true);
          expect(resources, `${name} ${action}`).toEqual([TOPIC_KEY.resource]);
        }
      }
    }
  });

  it('scope every action to resources, except where AWS offers no resource-level permission', () => {
    for (const { name, roleId } of functionEntries()) {
      for (const [action, resources] of grants(roleStatements(roleId))) {
        expect(resources.length, `${name} ${action}`).toBeGreaterThan(0);
        if (!UNSCOPABLE.has(action)) expect(resources, `${name} ${action}`).not.toContain('*');
      }
    }
  });

  it('give the sweep steps what their adapters declare (spot check)', () => {
    const byName = new Map(functionEntries().map((e) => [e.name, [...grants(roleStatements(e.roleId)).keys()]]));
    expect(byName.get('sweepList')).toEqual(expect.arrayContaining(['organizations:ListAccounts', 'account:GetAlternateContact', 's3:PutObject']));
    expect(byName.get('sweepBatch')).toEqual(expect.arrayContaining(['account:GetAlternateContact', 's3:GetObject', 's3:PutObject']));
    expect(byName.get('sweepBatch')).not.toContain('sns:Publish');
    expect(byName.get('sweepFinalize')).toEqual(expect.arrayContaining(['sns:Publish', 'kms:GenerateDataKey', 'kms:Decrypt']));
    expect(byName.get('sweepFinalize')).not.toContain('account:GetAlternateContact');
    // The OU tree is read when listing; the primary contact and root e-mail per batch and per change.
    expect(byName.get('sweepList')).toEqual(expect.arrayContaining(['organizations:ListRoots', 'organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent']));
    expect(byName.get('sweepBatch')).toEqual(expect.arrayContaining(['account:GetContactInformation', 'account:GetPrimaryEmail', 'account:GetPrimaryEmailUpdateStatus']));
    expect(byName.get('contactChange')).toEqual(
      expect.arrayContaining(['account:GetContactInformation', 'account:GetPrimaryEmail', 'account:GetPrimaryEmailUpdateStatus', 'organizations:ListParents']),
    );
  });
});

describe('every IAM statement of the stack', () => {
  const allStatements = (): { where: string; statement: Statement }[] => {
    const out: { where: string; statement: Statement }[] = [];
    for (const [id, r] of Object.entries(template.Resources)) {
      const docs =
        r.Type === 'AWS::IAM::Role'
          ? asList(r.Properties?.Policies).map((p: any) => p.PolicyDocument)
          : r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy'
            ? [r.Properties?.PolicyDocument]
            : r.Type === 'AWS::KMS::Key'
              ? [r.Properties?.KeyPolicy]
              : r.Type.endsWith('Policy')
                ? [r.Properties?.PolicyDocument]
                : [];
      for (const doc of docs) for (const statement of asList<Statement>(doc?.Statement)) out.push({ where: id, statement });
    }
    return out;
  };

  it('has no wildcard action in an Allow (the one exception: the default KMS key policy statement for the account)', () => {
    for (const { where, statement } of allStatements()) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asList(statement.Action)) {
        if (where === 'AlertsKey' && statement.Sid === 'EnableIamPolicies') continue;
        // kms:GenerateDataKey* in the key policy for service principals is the documented grant for SNS and CloudWatch.
        if (where === 'AlertsKey' && action === 'kms:GenerateDataKey*') continue;
        expect(action, `${where}: ${action}`).not.toContain('*');
      }
    }
  });

  it('never allows changing an alternate contact', () => {
    for (const { where, statement } of allStatements()) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asList(statement.Action)) {
        expect(FORBIDDEN_ACTIONS, where).not.toContain(action);
        expect(action, where).not.toMatch(/^account:\*|^account:(Put|Delete)/);
      }
    }
  });

  it('lets the state machine invoke only the three sweep functions and start only its own batch executions', () => {
    const granted = grants(roleStatements('SweepStateMachineRole'));
    expect(granted.get('lambda:InvokeFunction')).toEqual([
      { 'Fn::GetAtt': ['SweepListLambdaFunction', 'Arn'] },
      { 'Fn::GetAtt': ['SweepBatchLambdaFunction', 'Arn'] },
      { 'Fn::GetAtt': ['SweepFinalizeLambdaFunction', 'Arn'] },
    ]);
    expect(JSON.stringify(granted.get('states:StartExecution'))).toContain(':stateMachine:contact-auditor-test-sweep');
    expect(JSON.stringify(granted.get('s3:GetObject'))).toContain('/work/*');
    expect([...granted.keys()].sort()).toEqual(
      [
        'lambda:InvokeFunction',
        's3:GetObject',
        'states:DescribeExecution',
        'states:StartExecution',
        'states:StopExecution',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        // Log delivery for the state machine's ERROR logging (no resource-level permissions).
        ...LOG_DELIVERY,
      ].sort(),
    );
    for (const action of LOG_DELIVERY) expect(granted.get(action), action).toEqual(['*']);
  });

  it('lets only the batch step and the real-time function write the evidence, and only finalize the listing and the new accounts (docs/continuous.md, "The deployed stack")', () => {
    const roles = resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id);
    const writers = (suffix: string) => roles.filter((role) => JSON.stringify(grants(roleStatements(role)).get('s3:PutObject') ?? []).includes(suffix)).sort();
    const readers = (suffix: string) => roles.filter((role) => JSON.stringify(grants(roleStatements(role)).get('s3:GetObject') ?? []).includes(suffix)).sort();
    expect(writers('/state/accounts/*')).toEqual(['ContactChangeRole', 'SweepBatchRole']);
    expect(writers('/state/organization.json')).toEqual(['SweepFinalizeRole']);
    expect(writers('/new-accounts/pending.json')).toEqual(['SweepFinalizeRole']);
    expect(readers('/state/accounts/*')).toEqual(['ContactChangeRole', 'SweepBatchRole', 'SweepFinalizeRole', 'SweepListRole']);
    // No role may write the whole bucket, which would reach the evidence too.
    for (const role of roles) expect(JSON.stringify(grants(roleStatements(role)).get('s3:PutObject') ?? []), role).not.toContain('.Arn}/*"');
  });

  it('lets the schedules start only the sweep', () => {
    const granted = grants(roleStatements('SweepScheduleRole'));
    expect(granted.get('states:StartExecution')).toEqual([{ Ref: 'SweepStateMachine' }]);
    expect([...granted.keys()].sort()).toEqual(['sqs:SendMessage', 'states:StartExecution']);
  });
});

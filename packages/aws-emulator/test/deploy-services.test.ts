/**
 * The CloudFormation and Lambda answers `osls deploy` reads (services/cloudformation.ts,
 * services/lambda.ts), held to AWS's own botocore models: every element or field the emulator
 * writes is a member of the operation's output shape, every error code is one the model (or the
 * awsQuery protocol: ValidationError) names. In-process; the real osls run is test/deploy/.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.ts';
import { botocoreModel, type BotocoreModel } from '../../../test/fixtures/botocoreModels.ts';
import { smallOrg } from '../../../test/fixtures/organizations.ts';
import { config, failure } from './helpers.ts';

const cfnModel = botocoreModel('cloudformation');
const lambdaModel = botocoreModel('lambda');
const AUTH = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

/** A small XML reader for the emulator's own answers (elements and text, no attributes besides xmlns). */
function parseXml(text: string): XmlNode {
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack = [root];
  for (const m of text.matchAll(/<(\/?)([A-Za-z0-9_]+)[^>]*?(\/?)>|([^<]+)/g)) {
    const top = stack.at(-1) as XmlNode;
    if (m[4] !== undefined) top.text += m[4].replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string);
    else if (m[1]) stack.pop();
    else {
      const node: XmlNode = { name: m[2] as string, children: [], text: '' };
      top.children.push(node);
      if (!m[3]) stack.push(node);
    }
  }
  return root.children[0] as XmlNode;
}

/** Problems of an XML element against a botocore shape (awsQuery: lists as <member>). */
function xmlProblems(model: BotocoreModel, shapeName: string, node: XmlNode, path: string): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: no shape ${shapeName}`];
  if (shape.type === 'structure') {
    return node.children.flatMap((child) => {
      const member = shape.members?.[child.name];
      return member ? xmlProblems(model, member.shape, child, `${path}.${child.name}`) : [`${path}: ${child.name} is not a member of ${shapeName}`];
    });
  }
  if (shape.type === 'list') {
    return node.children.flatMap((child, i) => (child.name === 'member' ? xmlProblems(model, (shape.member as { shape: string }).shape, child, `${path}[${i}]`) : [`${path}: <${child.name}> in a list`]));
  }
  if (node.children.length > 0) return [`${path}: ${shapeName} is a ${shape.type}, got elements`];
  if (shape.enum && !shape.enum.includes(node.text)) return [`${path}: "${node.text}" is not one of ${shapeName}`];
  if (shape.type === 'timestamp' && Number.isNaN(Date.parse(node.text))) return [`${path}: "${node.text}" is no timestamp`];
  return [];
}

/** Problems of a JSON value against a botocore shape (restJson1). */
function jsonProblems(model: BotocoreModel, shapeName: string, value: unknown, path: string): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: no shape ${shapeName}`];
  if (shape.type === 'structure') {
    if (typeof value !== 'object' || value === null) return [`${path}: expected an object`];
    return Object.entries(value).flatMap(([k, v]) => {
      const member = shape.members?.[k];
      return member ? jsonProblems(model, member.shape, v, `${path}.${k}`) : [`${path}: ${k} is not a member of ${shapeName}`];
    });
  }
  if (['integer', 'long'].includes(shape.type)) return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
  if (shape.type === 'string') return typeof value === 'string' && (!shape.enum || shape.enum.includes(value)) ? [] : [`${path}: expected a ${shapeName}`];
  return [];
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ fixture: { ...smallOrg(), lambdaConcurrency: 200 } });
});
afterAll(() => emu?.close());

/** One awsQuery call, unsigned but scoped to cloudformation: the reply's Result element and the error code, if any. */
async function cfn(action: string, params: Record<string, string> = {}): Promise<{ status: number; result?: XmlNode; code?: string }> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-15', ...params });
  const res = await fetch(emu.url, { method: 'POST', headers: { authorization: AUTH('cloudformation'), 'content-type': 'application/x-www-form-urlencoded' }, body });
  const doc = parseXml(await res.text());
  if (doc.name === 'ErrorResponse') return { status: res.status, code: doc.children[0]?.children.find((c) => c.name === 'Code')?.text };
  expect(doc.name).toBe(`${action}Response`);
  return { status: res.status, result: doc.children.find((c) => c.name === `${action}Result`) };
}

const TEMPLATE = JSON.stringify({
  Resources: {
    DeploymentBucket: { Type: 'AWS::S3::Bucket' },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'app-prod-fn', ReservedConcurrentExecutions: 3 } },
  },
  Outputs: { Bucket: { Value: { Ref: 'DeploymentBucket' } } },
});

describe.skipIf(!cfnModel || !lambdaModel)('CloudFormation and Lambda as the botocore models describe them (skipped without the AWS CLI)', () => {
  const model = cfnModel as BotocoreModel;
  const check = (op: string, result: XmlNode | undefined) => {
    const output = model.operations[op]?.output?.shape;
    expect(output, `${op} in the model`).toBeDefined();
    expect(xmlProblems(model, output as string, result as XmlNode, op)).toEqual([]);
  };

  it('a stack created by change set: every answer is of its output shape', async () => {
    const missing = await cfn('DescribeStacks', { StackName: 'app-prod' });
    // osls reads a ValidationError "… does not exist" as a stack not yet created.
    expect([missing.status, missing.code]).toEqual([400, 'ValidationError']);

    const created = await cfn('CreateChangeSet', { StackName: 'app-prod', ChangeSetName: 'app-prod-change-set', ChangeSetType: 'CREATE', TemplateBody: TEMPLATE });
    check('CreateChangeSet', created.result);
    const described = await cfn('DescribeChangeSet', { StackName: 'app-prod', ChangeSetName: 'app-prod-change-set' });
    check('DescribeChangeSet', described.result);
    expect(described.result?.children.find((c) => c.name === 'Status')?.text).toBe('CREATE_COMPLETE');
    check('ExecuteChangeSet', (await cfn('ExecuteChangeSet', { StackName: 'app-prod', ChangeSetName: 'app-prod-change-set' })).result);

    for (const [op, params] of [
      ['DescribeStacks', { StackName: 'app-prod' }],
      ['DescribeStackEvents', { StackName: 'app-prod' }],
      ['DescribeStackResource', { StackName: 'app-prod', LogicalResourceId: 'DeploymentBucket' }],
      ['DescribeStackResources', { StackName: 'app-prod' }],
      ['ListStackResources', { StackName: 'app-prod' }],
      ['GetTemplate', { StackName: 'app-prod' }],
      ['ValidateTemplate', { TemplateBody: TEMPLATE }],
      ['DeleteChangeSet', { StackName: 'app-prod', ChangeSetName: 'none' }],
    ] as const) {
      const answer = await cfn(op, params);
      expect(answer.code, op).toBeUndefined();
      check(op, answer.result);
    }
    const state = emu.state();
    expect(state.cloudFormationStacks[0]?.stackStatus).toBe('CREATE_COMPLETE');
    // The bucket is created in the emulator's S3, so osls can upload to it.
    const bucket = state.cloudFormationStacks[0]?.resources.find((r) => r.logicalId === 'DeploymentBucket')?.physicalId;
    expect(state.s3Buckets).toContain(bucket);
  });

  it('an unchanged template is a FAILED change set with the reason osls reads as "no changes"', async () => {
    await cfn('CreateChangeSet', { StackName: 'app-prod', ChangeSetName: 'same', ChangeSetType: 'UPDATE', TemplateBody: TEMPLATE });
    const described = await cfn('DescribeChangeSet', { StackName: 'app-prod', ChangeSetName: 'same' });
    expect(described.result?.children.find((c) => c.name === 'Status')?.text).toBe('FAILED');
    expect(described.result?.children.find((c) => c.name === 'StatusReason')?.text).toContain("The submitted information didn't contain changes.");
    const update = await cfn('UpdateStack', { StackName: 'app-prod', TemplateBody: TEMPLATE });
    expect(update.code).toBe('ValidationError');
  });

  it('refuses what CloudFormation refuses, with codes of the model', async () => {
    const codes = (op: string) => (model.operations[op]?.errors ?? []).map((e) => model.shapes[e.shape]?.error?.code ?? e.shape);
    const again = await cfn('CreateChangeSet', { StackName: 'app-prod', ChangeSetName: 'twice', ChangeSetType: 'CREATE', TemplateBody: TEMPLATE });
    expect(codes('CreateChangeSet')).toContain(again.code);
    const iam = JSON.stringify({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: {} } } });
    const noCapability = await cfn('CreateStack', { StackName: 'iam-stack', TemplateBody: iam });
    expect(codes('CreateStack')).toContain(noCapability.code);
    expect((await cfn('CreateStack', { StackName: 'iam-stack', TemplateBody: iam, 'Capabilities.member.1': 'CAPABILITY_IAM' })).code).toBeUndefined();
    expect((await cfn('DescribeChangeSet', { StackName: 'app-prod', ChangeSetName: 'nope' })).code).toBe(model.shapes.ChangeSetNotFoundException?.error?.code);
    expect((await cfn('ValidateTemplate', { TemplateBody: '{"Resources": {}}' })).code).toBe('ValidationError');
    expect((await cfn('ValidateTemplate', { TemplateURL: 'https://s3.amazonaws.com/no-bucket/template.json' })).code).toBe('ValidationError');
  });

  it('Lambda: the account quota less what the stacks reserve, each function\'s reservation, 404 for a function not deployed', async () => {
    const lambda = new LambdaClient(config(emu, 'AKIAIOSFODNN7EXAMPLE'));
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 200, UnreservedConcurrentExecutions: 197 });
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'app-prod-fn' }))).ReservedConcurrentExecutions).toBe(3);
    const missing = await failure(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'not-deployed' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(lambdaModel?.shapes.ResourceNotFoundException?.error?.httpStatusCode);

    // The raw JSON, field by field, against the model's output shapes (the SDK would drop unknown fields).
    for (const [op, path] of [
      ['GetAccountSettings', '/2016-08-19/account-settings'],
      ['GetFunctionConcurrency', '/2019-09-30/functions/app-prod-fn/concurrency'],
      ['GetFunction', '/2015-03-31/functions/app-prod-fn'],
    ] as const) {
      expect((lambdaModel?.operations[op] as { http?: unknown } | undefined)?.http).toMatchObject({ method: 'GET', requestUri: path.replace('app-prod-fn', '{FunctionName}') });
      const res = await fetch(`${emu.url}${path}`, { headers: { authorization: AUTH('lambda') } });
      expect(res.status, op).toBe(200);
      expect(jsonProblems(lambdaModel as BotocoreModel, lambdaModel?.operations[op]?.output?.shape as string, await res.json(), op)).toEqual([]);
    }
  });
});

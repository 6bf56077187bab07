/**
 * AWS CloudFormation (awsQuery: form POST, XML reply), as far as `osls deploy` goes: stacks are
 * created and updated directly or through change sets, every template handed over is recorded
 * (GET /_emulator/state, `cloudFormationTemplates`), and each operation completes at once.
 * Resources are recorded, not provisioned, except S3 buckets (the deployment bucket osls uploads
 * the artifacts to) and Lambda functions' names and reserved concurrency (services/lambda.ts).
 * Shapes and error codes: the botocore model of cloudformation 2010-05-15.
 */
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { queryError, queryReply, xmlEscape, type Reply, type RequestContext } from '../protocol.ts';
import { checkInput, CLOUDFORMATION_INPUT, cloudFormationMessage } from '../modelInput.ts';
import type { ChangeSet, Stack, StackResource, Store } from '../store.ts';
import { formParams, QueryService } from './sts.ts';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** CreateStack: "must start with an alphabetic character … cannot be longer than 128 characters." */
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
/** Templates passed in the request body: 51,200 bytes (CloudFormation quotas); by TemplateURL: 1 MB. */
const MAX_BODY_TEMPLATE = 51_200;
const MAX_URL_TEMPLATE = 1_000_000;
const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

type Fields = Record<string, unknown>;

/**
 * The short forms of the intrinsic functions in a YAML template (CloudFormation user guide,
 * "Intrinsic function reference"): `!Ref X` is `{ Ref: X }`, `!GetAtt A.B` is
 * `{ "Fn::GetAtt": ["A", "B"] }`, every other `!Name v` is `{ "Fn::Name": v }`.
 */
const CFN_YAML_TAGS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Split', 'Select', 'FindInMap', 'Base64', 'Cidr', 'GetAZs', 'ImportValue'].flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  // A scalar comes as a string, a sequence or mapping as the yaml package's node (its toJSON is the plain value).
  const resolve = (value: unknown) => {
    const plain = typeof value === 'object' && value !== null && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
    return { [key]: name === 'GetAtt' && typeof plain === 'string' ? plain.split(/\.(.*)/s).slice(0, 2) : plain };
  };
  return [{ tag: `!${name}`, resolve }, { tag: `!${name}`, collection: 'seq' as const, resolve }, { tag: `!${name}`, collection: 'map' as const, resolve }];
});

/** awsQuery XML of a value: structures as elements, lists as `<member>`, timestamps in ISO 8601. */
function xml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

/** `Prefix.member.N` (or `Prefix.member.N.Field`) parameters of an awsQuery list. */
function memberList(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${prefix}.member.${i}`); i++) out.push(params.get(`${prefix}.member.${i}`) as string);
  return out;
}

function tagList(params: URLSearchParams): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  for (let i = 1; params.has(`Tags.member.${i}.Key`); i++) out.push({ Key: params.get(`Tags.member.${i}.Key`) as string, Value: params.get(`Tags.member.${i}.Value`) ?? '' });
  return out;
}

class CfnError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A literal, or an intrinsic the emulator can resolve (Fn::If on a condition of literals); else undefined. */
function resolve(template: Fields, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const choice = (value as Fields)['Fn::If'];
  if (Array.isArray(choice) && typeof choice[0] === 'string') {
    const holds = conditionHolds(template, choice[0]);
    if (holds === undefined) return undefined;
    const picked = holds ? choice[1] : choice[2];
    return typeof picked === 'object' && picked !== null && 'Ref' in picked && (picked as Fields).Ref === 'AWS::NoValue' ? undefined : resolve(template, picked);
  }
  return undefined;
}

function conditionHolds(template: Fields, name: string): boolean | undefined {
  const conditions = (template.Conditions ?? {}) as Fields;
  const evaluate = (c: unknown): boolean | undefined => {
    if (typeof c !== 'object' || c === null) return undefined;
    const o = c as Fields;
    if (Array.isArray(o['Fn::Equals'])) {
      const [a, b] = (o['Fn::Equals'] as unknown[]).map((v) => resolve(template, v));
      return a === undefined || b === undefined ? undefined : String(a) === String(b);
    }
    if (Array.isArray(o['Fn::Not'])) {
      const inner = evaluate((o['Fn::Not'] as unknown[])[0]);
      return inner === undefined ? undefined : !inner;
    }
    if (typeof o.Condition === 'string') return conditionHolds(template, o.Condition);
    return undefined;
  };
  return evaluate(conditions[name]);
}

function resourcesOf(template: Fields): Record<string, { Type: string; Properties?: Fields }> {
  const resources = template.Resources;
  return typeof resources === 'object' && resources !== null ? (resources as Record<string, { Type: string; Properties?: Fields }>) : {};
}

export class CloudFormationService extends QueryService {
  constructor(private readonly store: Store) {
    super(XMLNS, 'InternalFailure');
  }

  handle(ctx: RequestContext, op: string): Reply {
    const params = formParams(ctx);
    try {
      this.checkInput(op, params);
      const result = this.dispatch(ctx, op, params);
      return queryReply(ctx, XMLNS, op, xml(result));
    } catch (e) {
      if (e instanceof CfnError) return queryError(ctx, XMLNS, e.code, e.message, 400);
      throw e;
    }
  }

  /**
   * The model's constraints on the scalar members (modelInput.ts), then the paging token: every
   * answer here is one page, so a NextToken is never one this service gave.
   */
  private checkInput(op: string, params: URLSearchParams): void {
    const rules = CLOUDFORMATION_INPUT[op];
    if (!rules) return;
    const input: Record<string, unknown> = {};
    for (const [name, rule] of Object.entries(rules.members)) {
      const value = params.get(name);
      if (value !== null) input[name] = rule.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
    }
    const bad = checkInput(rules, input);
    if (bad) throw new CfnError('ValidationError', cloudFormationMessage(bad, input[bad.member]));
    if (input.NextToken !== undefined) throw new CfnError('ValidationError', 'Invalid NextToken: this listing has no further page');
  }

  private dispatch(ctx: RequestContext, op: string, params: URLSearchParams): Fields {
    switch (op) {
      case 'DescribeStacks':
        return this.describeStacks(params);
      case 'CreateStack':
        return this.createStack(ctx, params);
      case 'UpdateStack':
        return this.updateStack(ctx, params);
      case 'CreateChangeSet':
        return this.createChangeSet(ctx, params);
      case 'DescribeChangeSet':
        return this.describeChangeSet(params);
      case 'ExecuteChangeSet':
        return this.executeChangeSet(ctx, params);
      case 'DeleteChangeSet':
        return this.deleteChangeSet(params);
      case 'DescribeStackEvents': {
        const stack = this.stack(params.get('StackName'));
        return { StackEvents: stack.events.toReversed().map((e) => this.event(stack, e)) };
      }
      case 'DescribeStackResource':
        return { StackResourceDetail: this.resourceDetail(params) };
      case 'DescribeStackResources':
        return { StackResources: this.resourceList(params.get('StackName')) };
      case 'ListStackResources':
        return { StackResourceSummaries: this.resourceList(params.get('StackName')).map(({ StackName: _n, StackId: _i, Timestamp, ...r }) => ({ ...r, LastUpdatedTimestamp: Timestamp })) };
      case 'GetTemplate':
        return { TemplateBody: JSON.stringify(this.stack(params.get('StackName')).template), StagesAvailable: ['Original', 'Processed'] };
      case 'ValidateTemplate': {
        const template = this.templateOf(params, 'ValidateTemplate');
        return { Parameters: [], Description: typeof template.Description === 'string' ? template.Description : undefined, Capabilities: this.capabilitiesNeeded(template) };
      }
      case 'DeleteStack': {
        // A stack that is not there is no error: CloudFormation answers DeleteStack of it with success.
        const name = params.get('StackName') ?? '';
        const stack = this.store.stacks.get(name) ?? [...this.store.stacks.values()].find((s) => s.id === name);
        if (stack) this.store.stacks.delete(stack.name);
        return {};
      }
      default:
        throw new CfnError(op === 'Unknown' ? 'MissingAction' : 'InvalidAction', `Could not find operation ${op}`);
    }
  }

  /** By name or stack ID; "does not exist" is the ValidationError osls reads as a missing stack. */
  private stack(nameOrId: string | null): Stack {
    if (!nameOrId) throw new CfnError('ValidationError', '1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
    const stack = this.store.stacks.get(nameOrId) ?? [...this.store.stacks.values()].find((s) => s.id === nameOrId);
    if (!stack) throw new CfnError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }

  private describeStacks(params: URLSearchParams): Fields {
    const name = params.get('StackName');
    const stacks = name ? [this.stack(name)] : [...this.store.stacks.values()];
    return {
      Stacks: stacks.map((s) => ({
        StackId: s.id,
        StackName: s.name,
        CreationTime: s.created,
        LastUpdatedTime: s.updated,
        StackStatus: s.status,
        Capabilities: s.capabilities.length > 0 ? s.capabilities : undefined,
        Outputs: this.outputs(s),
        Tags: s.tags,
        EnableTerminationProtection: false,
      })),
    };
  }

  /** Outputs whose values resolve here: a Ref to a resource (its physical ID) or a literal. */
  private outputs(stack: Stack): Fields[] {
    const outputs = (stack.template.Outputs ?? {}) as Record<string, { Value?: unknown; Description?: string; Export?: { Name?: unknown } }>;
    return Object.entries(outputs).flatMap(([key, o]) => {
      const value = this.outputValue(stack, o.Value);
      return value === undefined ? [] : [{ OutputKey: key, OutputValue: value, Description: o.Description }];
    });
  }

  /** An output's value: a string, `Ref` of a resource (its physical ID), or `Fn::GetAtt` of a role's Arn. */
  private outputValue(stack: Stack, value: unknown): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value !== 'object' || value === null) return undefined;
    const { Ref: ref, 'Fn::GetAtt': att } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
    if (typeof ref === 'string') return stack.resources.get(ref)?.physicalId;
    if (!Array.isArray(att) || att[1] !== 'Arn') return undefined;
    const resource = stack.resources.get(String(att[0]));
    if (resource?.type !== 'AWS::IAM::Role') return undefined;
    // The stack's ID is arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/…
    const [, partition, , , account] = stack.id.split(':');
    return `arn:${partition}:iam::${account}:role/${resource.physicalId}`;
  }

  /** The template of TemplateBody or TemplateURL (an object in the emulator's S3), recorded. */
  private templateOf(params: URLSearchParams, operation: string, extra: Partial<Record<'stackName' | 'changeSetName' | 'changeSetType', string>> = {}): Fields {
    const body = params.get('TemplateBody');
    const url = params.get('TemplateURL');
    if ((body === null) === (url === null)) throw new CfnError('ValidationError', 'Specify exactly one of TemplateBody or TemplateURL.');
    let text: string;
    if (body !== null) {
      if (Buffer.byteLength(body) > MAX_BODY_TEMPLATE) throw new CfnError('ValidationError', `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BODY_TEMPLATE}`);
      text = body;
    } else {
      const object = this.s3Object(url as string);
      if (object.length > MAX_URL_TEMPLATE) throw new CfnError('ValidationError', `Template may not exceed ${MAX_URL_TEMPLATE} bytes in size.`);
      text = object.toString('utf8');
    }
    let template: unknown;
    try {
      template = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { customTags: CFN_YAML_TAGS });
    } catch (e) {
      throw new CfnError('ValidationError', `Template format error: ${text.trimStart().startsWith('{') ? 'JSON' : 'YAML'} not well-formed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    }
    if (typeof template !== 'object' || template === null || Array.isArray(template)) throw new CfnError('ValidationError', 'Template format error: expected a JSON object');
    const resources = (template as Fields).Resources;
    if (typeof resources !== 'object' || resources === null || Object.keys(resources).length === 0) {
      throw new CfnError('ValidationError', 'Template format error: At least one Resources member must be defined.');
    }
    for (const [id, r] of Object.entries(resources as Fields)) {
      const type = (r as Fields | null)?.Type;
      if (typeof type !== 'string' || !/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9:]+$/.test(type)) {
        throw new CfnError('ValidationError', `Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
      }
    }
    this.store.templatesReceived.push({ operation, ...extra, ...(url !== null ? { templateURL: url } : {}), template: template as Fields });
    return template as Fields;
  }

  /** An S3 object by its URL: path style (`https://s3…/bucket/key`, the emulator's own) or virtual-hosted (`https://bucket.s3…/key`). */
  private s3Object(url: string): Buffer {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CfnError('ValidationError', 'TemplateURL must be a supported URL.');
    }
    const path = decodeURIComponent(parsed.pathname).replace(/^\//, '');
    const hosted = /^(.+)\.s3[.-]/.exec(parsed.hostname);
    const [bucket, key] = hosted ? [hosted[1] as string, path] : [path.slice(0, path.indexOf('/')), path.slice(path.indexOf('/') + 1)];
    const object = this.store.buckets.get(bucket)?.objects.get(key);
    if (!object) throw new CfnError('ValidationError', `S3 error: The specified key does not exist (TemplateURL ${url}).`);
    return object.body;
  }

  /** IAM resources need CAPABILITY_IAM; named IAM resources CAPABILITY_NAMED_IAM (CloudFormation user guide, "Acknowledging IAM resources"). */
  private capabilitiesNeeded(template: Fields): string[] {
    const iam = Object.values(resourcesOf(template)).filter((r) => r.Type.startsWith('AWS::IAM::'));
    if (iam.some((r) => r.Properties && ['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName'].some((k) => k in (r.Properties as Fields)))) return ['CAPABILITY_NAMED_IAM'];
    return iam.length > 0 ? ['CAPABILITY_IAM'] : [];
  }

  private checkCapabilities(template: Fields, given: string[]): void {
    const needed = this.capabilitiesNeeded(template);
    const ok = needed.length === 0 || given.includes('CAPABILITY_NAMED_IAM') || (needed[0] === 'CAPABILITY_IAM' && given.includes('CAPABILITY_IAM'));
    if (!ok) throw new CfnError('InsufficientCapabilitiesException', `Requires capabilities : [${needed.join(', ')}]`);
  }

  private newStack(ctx: RequestContext, name: string, params: URLSearchParams, status: string): Stack {
    if (!STACK_NAME.test(name)) {
      throw new CfnError('ValidationError', `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    }
    const stack: Stack = {
      id: `arn:aws:cloudformation:${ctx.region}:${ctx.callerAccountId}:stack/${name}/${randomUUID()}`,
      name,
      status,
      created: ctx.now,
      template: {},
      resources: new Map(),
      events: [],
      changeSets: new Map(),
      tags: tagList(params),
      capabilities: memberList(params, 'Capabilities'),
    };
    this.store.stacks.set(name, stack);
    return stack;
  }

  private createStack(ctx: RequestContext, params: URLSearchParams): Fields {
    const name = params.get('StackName') ?? '';
    if (this.store.stacks.has(name)) throw new CfnError('AlreadyExistsException', `Stack [${name}] already exists`);
    const template = this.templateOf(params, 'CreateStack', { stackName: name });
    this.checkCapabilities(template, memberList(params, 'Capabilities'));
    const stack = this.newStack(ctx, name, params, 'CREATE_IN_PROGRESS');
    this.apply(ctx, stack, template, 'CREATE');
    return { StackId: stack.id };
  }

  private updateStack(ctx: RequestContext, params: URLSearchParams): Fields {
    const stack = this.stack(params.get('StackName'));
    const template = this.templateOf(params, 'UpdateStack', { stackName: stack.name });
    this.checkCapabilities(template, memberList(params, 'Capabilities'));
    if (this.changes(stack, template).length === 0) throw new CfnError('ValidationError', 'No updates are to be performed.');
    this.apply(ctx, stack, template, 'UPDATE');
    return { StackId: stack.id };
  }

  private changes(stack: Stack, template: Fields): ChangeSet['changes'] {
    const next = resourcesOf(template);
    const before = resourcesOf(stack.template);
    const out: ChangeSet['changes'] = [];
    for (const [id, r] of Object.entries(next)) {
      if (!(id in before)) out.push({ action: 'Add', logicalId: id, type: r.Type });
      else if (JSON.stringify(before[id]) !== JSON.stringify(r)) out.push({ action: 'Modify', logicalId: id, type: r.Type });
    }
    for (const [id, r] of Object.entries(before)) if (!(id in next)) out.push({ action: 'Remove', logicalId: id, type: r.Type });
    return out;
  }

  private createChangeSet(ctx: RequestContext, params: URLSearchParams): Fields {
    const name = params.get('ChangeSetName') ?? '';
    const type = (params.get('ChangeSetType') ?? 'UPDATE') as ChangeSet['type'];
    if (type !== 'CREATE' && type !== 'UPDATE') throw new CfnError('ValidationError', `ChangeSetType: expected CREATE or UPDATE, got ${type}`);
    const stackName = params.get('StackName') ?? '';
    const existing = this.store.stacks.get(stackName);
    if (type === 'CREATE' && existing && existing.status !== 'REVIEW_IN_PROGRESS') throw new CfnError('AlreadyExistsException', `Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`);
    if (type === 'UPDATE' && (!existing || existing.status === 'REVIEW_IN_PROGRESS')) throw new CfnError('ValidationError', `Stack [${stackName}] does not exist`);
    const template = this.templateOf(params, 'CreateChangeSet', { stackName, changeSetName: name, changeSetType: type });
    this.checkCapabilities(template, memberList(params, 'Capabilities'));
    const stack = existing ?? this.newStack(ctx, stackName, params, 'REVIEW_IN_PROGRESS');
    if (stack.changeSets.has(name)) throw new CfnError('AlreadyExistsException', `ChangeSet ${name} already exists`);
    const changes = this.changes(stack, template);
    const changeSet: ChangeSet = {
      id: `arn:aws:cloudformation:${ctx.region}:${ctx.callerAccountId}:changeSet/${name}/${randomUUID()}`,
      name,
      type,
      template,
      changes,
      created: ctx.now,
      ...(changes.length === 0 ? { status: 'FAILED', statusReason: NO_CHANGES, executionStatus: 'UNAVAILABLE' } : { status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' }),
    };
    stack.changeSets.set(name, changeSet);
    return { Id: changeSet.id, StackId: stack.id };
  }

  private changeSet(params: URLSearchParams): { stack: Stack; changeSet: ChangeSet } {
    const ref = params.get('ChangeSetName') ?? '';
    const stacks = params.get('StackName') ? [this.stack(params.get('StackName'))] : [...this.store.stacks.values()];
    for (const stack of stacks) {
      const changeSet = stack.changeSets.get(ref) ?? [...stack.changeSets.values()].find((c) => c.id === ref);
      if (changeSet) return { stack, changeSet };
    }
    throw new CfnError('ChangeSetNotFound', `ChangeSet [${ref}] does not exist`);
  }

  private describeChangeSet(params: URLSearchParams): Fields {
    const { stack, changeSet } = this.changeSet(params);
    return {
      ChangeSetName: changeSet.name,
      ChangeSetId: changeSet.id,
      StackId: stack.id,
      StackName: stack.name,
      CreationTime: changeSet.created,
      ExecutionStatus: changeSet.executionStatus,
      Status: changeSet.status,
      StatusReason: changeSet.statusReason,
      Capabilities: stack.capabilities,
      Changes: changeSet.changes.map((c) => ({
        Type: 'Resource',
        ResourceChange: { Action: c.action, LogicalResourceId: c.logicalId, ResourceType: c.type, ...(c.action === 'Modify' ? { Replacement: 'False' } : {}) },
      })),
    };
  }

  private executeChangeSet(ctx: RequestContext, params: URLSearchParams): Fields {
    const { stack, changeSet } = this.changeSet(params);
    if (changeSet.executionStatus !== 'AVAILABLE') {
      throw new CfnError('InvalidChangeSetStatus', `ChangeSet [${changeSet.id}] cannot be executed in its current status of [${changeSet.status}]`);
    }
    changeSet.executionStatus = 'EXECUTE_COMPLETE';
    this.apply(ctx, stack, changeSet.template, changeSet.type);
    return {};
  }

  private deleteChangeSet(params: URLSearchParams): Fields {
    // Deleting a change set that is not there is no error (osls deletes its change set name before each update).
    const stackName = params.get('StackName');
    const stack = stackName ? this.store.stacks.get(stackName) : undefined;
    const ref = params.get('ChangeSetName') ?? '';
    if (stack) for (const [name, c] of stack.changeSets) if (name === ref || c.id === ref) stack.changeSets.delete(name);
    return {};
  }

  /** Applies a template at once: events as CloudFormation writes them, the stack's status *_COMPLETE. */
  private apply(ctx: RequestContext, stack: Stack, template: Fields, action: 'CREATE' | 'UPDATE'): void {
    const at = ctx.now;
    const stackEvent = (status: string) => stack.events.push({ eventId: randomUUID(), logicalId: stack.name, physicalId: stack.id, type: 'AWS::CloudFormation::Stack', status, timestamp: at });
    stackEvent(`${action}_IN_PROGRESS`);
    const next = resourcesOf(template);
    for (const [id, r] of Object.entries(next)) {
      const old = stack.resources.get(id);
      const properties = r.Properties ?? {};
      if (old && JSON.stringify(old.properties) === JSON.stringify(properties) && old.type === r.Type) continue;
      const resource: StackResource = { logicalId: id, type: r.Type, physicalId: old?.physicalId ?? this.provision(stack, id, r.Type, template, properties), properties, updated: at };
      stack.resources.set(id, resource);
      const verb = old ? 'UPDATE' : 'CREATE';
      for (const status of [`${verb}_IN_PROGRESS`, `${verb}_COMPLETE`]) stack.events.push({ eventId: randomUUID(), logicalId: id, physicalId: resource.physicalId, type: r.Type, status, timestamp: at });
    }
    for (const id of [...stack.resources.keys()]) if (!(id in next)) stack.resources.delete(id);
    stack.template = template;
    stack.status = `${action}_COMPLETE`;
    if (action === 'UPDATE') stack.updated = at;
    stackEvent(stack.status);
  }

  /** The physical ID of a new resource; an S3 bucket is created in the emulator's S3. */
  private provision(stack: Stack, id: string, type: string, template: Fields, properties: Fields): string {
    const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
    if (type === 'AWS::S3::Bucket') {
      const given = resolve(template, properties.BucketName);
      const base = `${stack.name}-${id}`.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 50);
      const name = typeof given === 'string' ? given : `${base}-${suffix}`;
      if (!this.store.createBucket(name)) throw new CfnError('ValidationError', `${name} already exists`);
      return name;
    }
    if (type === 'AWS::IAM::Role') {
      const given = resolve(template, properties.RoleName);
      return typeof given === 'string' ? given : `${stack.name}-${id}-${suffix}`.slice(0, 64);
    }
    if (type === 'AWS::Lambda::Function') {
      const given = resolve(template, properties.FunctionName);
      return typeof given === 'string' ? given : `${stack.name}-${id}-${suffix}`;
    }
    return `${stack.name}-${id}-${suffix}`;
  }

  private resourceList(stackName: string | null): Fields[] {
    const stack = this.stack(stackName);
    return [...stack.resources.values()].map((r) => ({
      StackName: stack.name,
      StackId: stack.id,
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      Timestamp: r.updated,
      ResourceStatus: stack.status.startsWith('UPDATE') ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
    }));
  }

  private resourceDetail(params: URLSearchParams): Fields {
    const stack = this.stack(params.get('StackName'));
    const id = params.get('LogicalResourceId') ?? '';
    const r = stack.resources.get(id);
    if (!r) throw new CfnError('ValidationError', `Resource ${id} does not exist for stack ${stack.name}`);
    return {
      StackName: stack.name,
      StackId: stack.id,
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      LastUpdatedTimestamp: r.updated,
      ResourceStatus: 'CREATE_COMPLETE',
    };
  }

  private event(stack: Stack, e: Stack['events'][number]): Fields {
    return {
      StackId: stack.id,
      EventId: e.eventId,
      StackName: stack.name,
      LogicalResourceId: e.logicalId,
      PhysicalResourceId: e.physicalId,
      ResourceType: e.type,
      Timestamp: e.timestamp,
      ResourceStatus: e.status,
    };
  }
}

/** The functions the stacks hold, by name: reserved concurrency and last change, for services/lambda.ts. */
export function deployedFunctions(store: Store): Map<string, { reserved?: number; lastModified: Date; stackName: string }> {
  const out = new Map<string, { reserved?: number; lastModified: Date; stackName: string }>();
  for (const stack of store.stacks.values()) {
    for (const r of stack.resources.values()) {
      if (r.type !== 'AWS::Lambda::Function') continue;
      const reserved = Number(resolve(stack.template, r.properties.ReservedConcurrentExecutions));
      out.set(r.physicalId, { ...(Number.isFinite(reserved) ? { reserved } : {}), lastModified: r.updated, stackName: stack.name });
    }
  }
  return out;
}

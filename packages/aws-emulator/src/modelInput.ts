/**
 * Input constraints of the botocore models, as the emulator enforces them before an operation runs:
 * required members, string length and pattern, integer range and enum values. The tables are
 * written out here (the emulator ships without botocore); packages/aws-emulator/test/models.test.ts reads
 * the botocore model of the AWS CLI and fails when a table and the model disagree.
 */

/** One input member: its model shape name and the constraints of that shape. */
interface MemberRule {
  shape: string;
  type: 'string' | 'integer';
  min?: number;
  max?: number;
  /** The model's pattern, matched against the whole value (the services validate with Java's `matches`). */
  pattern?: string;
  enum?: readonly string[];
}

export interface InputRules {
  required?: readonly string[];
  members: Record<string, MemberRule>;
}

/** What is wrong with one member, in the words of the model's constraint kinds. */
export interface InputViolation {
  member: string;
  kind: 'required' | 'type' | 'min' | 'max' | 'pattern' | 'enum';
  message: string;
}

const compiled = new Map<string, RegExp>();
function whole(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, re);
  }
  return re;
}

/** The first violation of `rules` in `input`, or undefined when the input is valid. */
export function checkInput(rules: InputRules, input: Record<string, unknown>): InputViolation | undefined {
  for (const name of rules.required ?? []) {
    if (input[name] === undefined || input[name] === null) return { member: name, kind: 'required', message: `${name} is required.` };
  }
  for (const [name, rule] of Object.entries(rules.members)) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (rule.type === 'integer') {
      if (typeof value !== 'number' || !Number.isInteger(value)) return { member: name, kind: 'type', message: `${name} must be an integer.` };
      if (rule.min !== undefined && value < rule.min) return { member: name, kind: 'min', message: `${name} must be at least ${rule.min}.` };
      if (rule.max !== undefined && value > rule.max) return { member: name, kind: 'max', message: `${name} must be at most ${rule.max}.` };
      continue;
    }
    if (typeof value !== 'string') return { member: name, kind: 'type', message: `${name} must be a string.` };
    if (rule.enum && !rule.enum.includes(value)) return { member: name, kind: 'enum', message: `${name} must be one of ${rule.enum.join(', ')}.` };
    const length = [...value].length;
    if (rule.min !== undefined && length < rule.min) return { member: name, kind: 'min', message: `${name} must be at least ${rule.min} characters.` };
    if (rule.max !== undefined && length > rule.max) return { member: name, kind: 'max', message: `${name} must be at most ${rule.max} characters.` };
    if (rule.pattern !== undefined && !whole(rule.pattern).test(value)) {
      return { member: name, kind: 'pattern', message: `${name} does not match the pattern ${rule.pattern}.` };
    }
  }
  return undefined;
}

// --- Organizations (botocore organizations/2016-11-28) ---------------------------------------------

const NEXT_TOKEN: MemberRule = { shape: 'NextToken', type: 'string', max: 100000, pattern: '[\\s\\S]*' };
const MAX_RESULTS: MemberRule = { shape: 'MaxResults', type: 'integer', min: 1, max: 20 };
const PAGED = { NextToken: NEXT_TOKEN, MaxResults: MAX_RESULTS };
const PARENT_ID: MemberRule = { shape: 'ParentId', type: 'string', max: 100, pattern: '^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$' };
const ACCOUNT_ID: MemberRule = { shape: 'AccountId', type: 'string', max: 12, pattern: '^\\d{12}$' };
const POLICY_ID: MemberRule = { shape: 'PolicyId', type: 'string', max: 130, pattern: '^p-[0-9a-zA-Z_]{8,128}$' };

/** Shape PolicyType: every policy type ListPolicies accepts as its Filter. */
const POLICY_TYPES = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'TAG_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
  'SECURITYHUB_POLICY',
  'INSPECTOR_POLICY',
  'UPGRADE_ROLLOUT_POLICY',
  'BEDROCK_POLICY',
  'S3_POLICY',
  'NETWORK_SECURITY_DIRECTOR_POLICY',
] as const;

export const ORGANIZATIONS_INPUT: Record<string, InputRules> = {
  DescribeOrganization: { members: {} },
  ListAccounts: { members: PAGED },
  DescribeAccount: { required: ['AccountId'], members: { AccountId: ACCOUNT_ID } },
  MoveAccount: { required: ['AccountId', 'SourceParentId', 'DestinationParentId'], members: { AccountId: ACCOUNT_ID, SourceParentId: PARENT_ID, DestinationParentId: PARENT_ID } },
  ListRoots: { members: PAGED },
  ListOrganizationalUnitsForParent: { required: ['ParentId'], members: { ParentId: PARENT_ID, ...PAGED } },
  ListAccountsForParent: { required: ['ParentId'], members: { ParentId: PARENT_ID, ...PAGED } },
  ListParents: {
    required: ['ChildId'],
    members: { ChildId: { shape: 'ChildId', type: 'string', max: 100, pattern: '^(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$' }, ...PAGED },
  },
  DescribeOrganizationalUnit: {
    required: ['OrganizationalUnitId'],
    members: { OrganizationalUnitId: { shape: 'OrganizationalUnitId', type: 'string', max: 68, pattern: '^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$' } },
  },
  ListAWSServiceAccessForOrganization: { members: PAGED },
  ListDelegatedAdministrators: { members: { ServicePrincipal: { shape: 'ServicePrincipal', type: 'string', min: 1, max: 128, pattern: '[\\w+=,.@-]*' }, ...PAGED } },
  ListPolicies: { required: ['Filter'], members: { Filter: { shape: 'PolicyType', type: 'string', enum: POLICY_TYPES }, ...PAGED } },
  DescribePolicy: { required: ['PolicyId'], members: { PolicyId: POLICY_ID } },
  ListTargetsForPolicy: { required: ['PolicyId'], members: { PolicyId: POLICY_ID, ...PAGED } },
};

/**
 * The InvalidInputException reason (shape InvalidInputExceptionReason) Organizations gives a violation.
 * A malformed ID is INVALID_PATTERN (a policy ID INVALID_SYNTAX_POLICY_ID), not a "not found".
 */
export function organizationsReason(v: InputViolation): string {
  switch (v.kind) {
    case 'required':
      return 'INPUT_REQUIRED';
    case 'enum':
      return v.member === 'Filter' ? 'INVALID_ENUM_POLICY_TYPE' : 'INVALID_ENUM';
    case 'min':
      return v.member === 'MaxResults' ? 'MIN_VALUE_EXCEEDED' : 'MIN_LENGTH_EXCEEDED';
    case 'max':
      return v.member === 'MaxResults' ? 'MAX_VALUE_EXCEEDED' : 'MAX_LENGTH_EXCEEDED';
    default:
      return v.member === 'PolicyId' ? 'INVALID_SYNTAX_POLICY_ID' : 'INVALID_PATTERN';
  }
}

// --- CloudFormation (botocore cloudformation/2010-05-15) -------------------------------------------
// The scalar (string and integer) members of the operations `osls deploy` makes; lists and
// structures (Parameters, Tags, Capabilities …) are read by the service itself.

const STACK_NAME: MemberRule = { shape: 'StackName', type: 'string' };
const STACK_NAME_OR_ID: MemberRule = { shape: 'StackNameOrId', type: 'string', min: 1, pattern: '([a-zA-Z][-a-zA-Z0-9]*)|(arn:\\b(aws|aws-us-gov|aws-cn)\\b:[-a-zA-Z0-9:/._+]*)' };
const CHANGE_SET_NAME_OR_ID: MemberRule = { shape: 'ChangeSetNameOrId', type: 'string', min: 1, max: 1600, pattern: '[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/]*' };
const CFN_NEXT_TOKEN: MemberRule = { shape: 'NextToken', type: 'string', min: 1, max: 1024 };
const TEMPLATE_BODY: MemberRule = { shape: 'TemplateBody', type: 'string', min: 1 };
const TEMPLATE_URL: MemberRule = { shape: 'TemplateURL', type: 'string', min: 1, max: 5120 };
const ROLE_ARN: MemberRule = { shape: 'RoleARN', type: 'string', min: 20, max: 2048 };
const CLIENT_REQUEST_TOKEN: MemberRule = { shape: 'ClientRequestToken', type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9][-a-zA-Z0-9]*' };
const STACK_POLICY_BODY: MemberRule = { shape: 'StackPolicyBody', type: 'string', min: 1, max: 16384 };
const STACK_POLICY_URL: MemberRule = { shape: 'StackPolicyURL', type: 'string', min: 1, max: 5120 };
const ON_FAILURE: MemberRule = { shape: 'OnFailure', type: 'string', enum: ['DO_NOTHING', 'ROLLBACK', 'DELETE'] };

export const CLOUDFORMATION_INPUT: Record<string, InputRules> = {
  DescribeStacks: { members: { StackName: STACK_NAME, NextToken: CFN_NEXT_TOKEN } },
  CreateStack: {
    required: ['StackName'],
    members: {
      StackName: STACK_NAME, TemplateBody: TEMPLATE_BODY, TemplateURL: TEMPLATE_URL, TimeoutInMinutes: { shape: 'TimeoutMinutes', type: 'integer', min: 1 },
      RoleARN: ROLE_ARN, OnFailure: ON_FAILURE, StackPolicyBody: STACK_POLICY_BODY, StackPolicyURL: STACK_POLICY_URL, ClientRequestToken: CLIENT_REQUEST_TOKEN,
    },
  },
  UpdateStack: {
    required: ['StackName'],
    members: {
      StackName: STACK_NAME, TemplateBody: TEMPLATE_BODY, TemplateURL: TEMPLATE_URL,
      StackPolicyDuringUpdateBody: { shape: 'StackPolicyDuringUpdateBody', type: 'string', min: 1, max: 16384 },
      StackPolicyDuringUpdateURL: { shape: 'StackPolicyDuringUpdateURL', type: 'string', min: 1, max: 5120 },
      RoleARN: ROLE_ARN, StackPolicyBody: STACK_POLICY_BODY, StackPolicyURL: STACK_POLICY_URL, ClientRequestToken: CLIENT_REQUEST_TOKEN,
    },
  },
  CreateChangeSet: {
    required: ['StackName', 'ChangeSetName'],
    members: {
      StackName: STACK_NAME_OR_ID, TemplateBody: TEMPLATE_BODY, TemplateURL: TEMPLATE_URL, RoleARN: ROLE_ARN,
      ChangeSetName: { shape: 'ChangeSetName', type: 'string', min: 1, max: 128, pattern: '[a-zA-Z][-a-zA-Z0-9]*' },
      ClientToken: { shape: 'ClientToken', type: 'string', min: 1, max: 128 },
      Description: { shape: 'Description', type: 'string', min: 1, max: 1024 },
      ChangeSetType: { shape: 'ChangeSetType', type: 'string', enum: ['CREATE', 'UPDATE', 'IMPORT'] },
      OnStackFailure: { shape: 'OnStackFailure', type: 'string', enum: ['DO_NOTHING', 'ROLLBACK', 'DELETE'] },
      DeploymentMode: { shape: 'DeploymentMode', type: 'string', enum: ['REVERT_DRIFT'] },
    },
  },
  DescribeChangeSet: { required: ['ChangeSetName'], members: { ChangeSetName: CHANGE_SET_NAME_OR_ID, StackName: STACK_NAME_OR_ID, NextToken: CFN_NEXT_TOKEN } },
  ExecuteChangeSet: { required: ['ChangeSetName'], members: { ChangeSetName: CHANGE_SET_NAME_OR_ID, StackName: STACK_NAME_OR_ID, ClientRequestToken: CLIENT_REQUEST_TOKEN } },
  DeleteChangeSet: { required: ['ChangeSetName'], members: { ChangeSetName: CHANGE_SET_NAME_OR_ID, StackName: STACK_NAME_OR_ID } },
  DescribeStackEvents: { required: ['StackName'], members: { StackName: STACK_NAME, NextToken: CFN_NEXT_TOKEN } },
  DescribeStackResource: { required: ['StackName', 'LogicalResourceId'], members: { StackName: STACK_NAME, LogicalResourceId: { shape: 'LogicalResourceId', type: 'string' } } },
  DescribeStackResources: {
    members: { StackName: STACK_NAME, LogicalResourceId: { shape: 'LogicalResourceId', type: 'string' }, PhysicalResourceId: { shape: 'PhysicalResourceId', type: 'string' } },
  },
  ListStackResources: { required: ['StackName'], members: { StackName: STACK_NAME, NextToken: CFN_NEXT_TOKEN } },
  GetTemplate: { members: { StackName: STACK_NAME, ChangeSetName: CHANGE_SET_NAME_OR_ID, TemplateStage: { shape: 'TemplateStage', type: 'string', enum: ['Original', 'Processed'] } } },
  ValidateTemplate: { members: { TemplateBody: TEMPLATE_BODY, TemplateURL: TEMPLATE_URL } },
  DeleteStack: {
    required: ['StackName'],
    members: { StackName: STACK_NAME, RoleARN: ROLE_ARN, ClientRequestToken: CLIENT_REQUEST_TOKEN, DeletionMode: { shape: 'DeletionMode', type: 'string', enum: ['STANDARD', 'FORCE_DELETE_STACK'] } },
  },
};

/**
 * CloudFormation's text for a violation (a ValidationError): "1 validation error detected: Value
 * 'x' at 'changeSetName' failed to satisfy constraint: …", the member in lower camel case.
 */
export function cloudFormationMessage(v: InputViolation, value: unknown): string {
  const at = `${v.member[0]!.toLowerCase()}${v.member.slice(1)}`;
  const shown = value === undefined || value === null ? 'null' : `'${String(value).slice(0, 200)}'`;
  const constraint = {
    required: 'Member must not be null',
    type: 'Member must be of the model type',
    min: 'Member must have length greater than or equal to the minimum',
    max: 'Member must have length less than or equal to the maximum',
    pattern: 'Member must satisfy regular expression pattern',
    enum: 'Member must satisfy enum value set',
  }[v.kind];
  return `1 validation error detected: Value ${shown} at '${at}' failed to satisfy constraint: ${constraint} (${v.message})`;
}

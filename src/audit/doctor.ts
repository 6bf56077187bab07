/**
 * `contact-audit doctor`: checks, from the account the sweep will run in, what the sweep and the
 * contact lock need, and prints each check PASS, WARN or FAIL with the AWS CLI command that fixes it:
 *
 * - trusted access for account.amazonaws.com (ListAWSServiceAccessForOrganization; only the
 *   management account may ask, so from the delegated admin it is inferred from a contact read);
 * - the Account Management delegated administrator (ListDelegatedAdministrators, same limits);
 * - the caller's permissions for each read a sweep makes (DescribeOrganization, ListAccounts,
 *   GetAlternateContact on another account): AccessDenied names the IAM action;
 * - an SCP that denies Put/DeleteAlternateContact to everyone but the pipeline role (scpLock.ts);
 * - an organization CloudTrail trail (DescribeTrails, IsOrganizationTrail).
 *
 * Each check is a named function over a {@link DoctorContext}; {@link DOCTOR_CHECKS} is the list, in
 * the order they run (the first three record what the later ones infer from). Each says whom it
 * matters to: `cli` checks are what any sweep needs, command line or deployed; `stack` checks only
 * the deployed stack's (the real-time path needs the organization trail, the CLI does not).
 */
import type { ContactsAdapter } from '../providers/aws/contacts.ts';
import { awsErrorCode, awsErrorMessage } from '../providers/aws/awsErrors.ts';
import type { CallerIdentity, IdentityAdapter } from '../providers/aws/identity.ts';
import type { OrganizationsAdapter, OrganizationInfo } from '../providers/aws/organizations.ts';
import type { OrganizationsAdminAdapter } from '../providers/aws/organizationsAdmin.ts';
import type { TrailsAdapter } from '../providers/aws/trails.ts';
import type { OrgAccount } from '../model.ts';
import { oneLine } from '../textHygiene.ts';
import { judgeScps, lockPolicyDocument, type PipelineRole } from './scpLock.ts';

const ACCOUNT_SERVICE_PRINCIPAL = 'account.amazonaws.com';

/** SKIP: the check matters only to the deployed stack and doctor ran `--for cli`. */
type CheckResult = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

/** Whom a check matters to: `cli`, every sweep (command line or deployed); `stack`, the deployed stack only. */
type CheckScope = 'cli' | 'stack';

interface DoctorCheck {
  /** Stable name: trusted-access, delegated-admin, permission:<action>, scp-lock, organization-trail. */
  id: string;
  scope: CheckScope;
  result: CheckResult;
  detail: string;
  /** AWS CLI command(s) that fix a FAIL or WARN, one per line. */
  fix?: string;
}

export interface DoctorReport {
  callerAccountId: string;
  callerArn: string;
  organizationId?: string;
  managementAccountId?: string;
  checks: DoctorCheck[];
}

export interface DoctorDeps {
  identity: Pick<IdentityAdapter, 'whoAmI'>;
  organizations: Pick<OrganizationsAdapter, 'describeOrganization' | 'describeAccount'>;
  admin: Pick<OrganizationsAdminAdapter, 'enabledServicePrincipals' | 'delegatedAdministrators' | 'rootIds' | 'serviceControlPolicies' | 'sampleAccounts'>;
  contacts: Pick<ContactsAdapter, 'read'>;
  trails: Pick<TrailsAdapter, 'describeTrails'>;
}

export interface DoctorOptions {
  /** The one role allowed to change alternate contacts; the SCP check requires its exemption. */
  pipelineRoleArn?: string;
  /** `cli`: only the checks a command-line sweep needs (the others are SKIP); `stack` (default): all. */
  for?: CheckScope;
}

const isAccessDenied = (error: unknown): boolean => /AccessDenied/.test(awsErrorCode(error));
const brief = (error: unknown): string => `${awsErrorCode(error)}: ${awsErrorMessage(error)}`;

/** How a denied contact read explains itself (the emulator and AWS word it alike). */
function deniedReason(message: string): 'trusted-access' | 'not-admin' | 'iam' | 'management' | 'other' {
  if (/trusted access/i.test(message)) return 'trusted-access';
  if (/not authorized to perform: account:GetAlternateContact/i.test(message)) return 'iam';
  if (/management account can only be managed/i.test(message)) return 'management';
  if (/organizations context|delegated admin/i.test(message)) return 'not-admin';
  return 'other';
}

const permissionFix = (action: string, arn: string) =>
  `aws iam put-role-policy --role-name ${roleName(arn)} --policy-name contact-auditor-read --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}'`;

/** The role name of an assumed-role (`…:assumed-role/NAME/session`) or role (`…:role/path/NAME`) ARN, else a placeholder. */
function roleName(arn: string): string {
  const assumed = /:assumed-role\/([^/]+)\//.exec(arn);
  const role = /:role\/(?:[^/]+\/)*([^/]+)$/.exec(arn);
  return assumed?.[1] ?? role?.[1] ?? 'YOUR_ROLE';
}

/** What a check sees: the adapters, the options, the caller, and what the earlier checks learned. */
export interface DoctorContext {
  deps: DoctorDeps;
  opts: DoctorOptions;
  me: CallerIdentity;
  /** Set by {@link describeOrganizationCheck}. */
  org?: OrganizationInfo;
  /** Set by {@link listAccountsCheck}: the first page of accounts. */
  sample: OrgAccount[];
  /** Set by {@link contactReadCheck}: what a contact read in organizations context showed. */
  probe: 'ok' | 'trusted-access' | 'not-admin' | 'unknown';
}

/** A check's verdict, before its id and scope are added. */
type Verdict = Omit<DoctorCheck, 'id' | 'scope'>;

/** One check: a stable id, whom it matters to, and the function that judges it (AWS answers become verdicts). */
export interface CheckDefinition {
  id: string;
  scope: CheckScope;
  run: (ctx: DoctorContext) => Promise<Verdict>;
}

const isManagement = (ctx: DoctorContext) => ctx.org !== undefined && ctx.org.managementAccountId === ctx.me.accountId;
const registerFix = (id: string) => `aws organizations register-delegated-administrator --account-id ${id} --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}`;
const enableFix = `aws organizations enable-aws-service-access --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}`;

/** The sweep's first read: DescribeOrganization (the organization and its management account). */
export async function describeOrganizationCheck(ctx: DoctorContext): Promise<Verdict> {
  try {
    const org = await ctx.deps.organizations.describeOrganization();
    ctx.org = org;
    return { result: 'PASS', detail: `organization ${org.id}, management account ${org.managementAccountId}` };
  } catch (error) {
    return {
      result: 'FAIL',
      detail: awsErrorCode(error) === 'AWSOrganizationsNotInUseException' ? 'this account is not in an organization' : `organizations:DescribeOrganization denied or failed (${brief(error)})`,
      ...(isAccessDenied(error) ? { fix: permissionFix('organizations:DescribeOrganization', ctx.me.arn) } : {}),
    };
  }
}

/** ListAccounts: only the management account and the delegated administrator may list. */
export async function listAccountsCheck(ctx: DoctorContext): Promise<Verdict> {
  try {
    ctx.sample = await ctx.deps.admin.sampleAccounts();
    return { result: 'PASS', detail: 'the accounts of the organization can be listed' };
  } catch (error) {
    const notAdmin = isAccessDenied(error) && !/not authorized to perform/i.test(awsErrorMessage(error));
    return {
      result: 'FAIL',
      detail: notAdmin
        ? `organizations:ListAccounts denied: this account is neither the management account nor a delegated administrator (${brief(error)})`
        : `organizations:ListAccounts denied or failed (${brief(error)})`,
      fix: notAdmin ? `${registerFix(ctx.me.accountId)}   # from the management account` : permissionFix('organizations:ListAccounts', ctx.me.arn),
    };
  }
}

/**
 * A contact read in organizations context on another account: proves the permission, and (from
 * the delegated admin, who may not ask Organizations) trusted access and the registration too.
 */
export async function contactReadCheck(ctx: DoctorContext): Promise<Verdict> {
  const { me, org } = ctx;
  const target = ctx.sample.find((a) => a.id !== me.accountId && a.id !== org?.managementAccountId && a.state === 'ACTIVE');
  if (!target || !org) return { result: 'WARN', detail: 'no other active member account to read a contact of: not checked' };
  const read = await ctx.deps.contacts.read({ accountId: target.id, callerAccountId: me.accountId, managementAccountId: org.managementAccountId }, 'SECURITY');
  if (read.kind !== 'failed') {
    ctx.probe = 'ok';
    return { result: 'PASS', detail: `read the SECURITY contact of ${target.id} in organizations context` };
  }
  const reason = read.errorCode === 'AccessDeniedException' ? deniedReason(read.message) : 'other';
  if (reason === 'trusted-access' || reason === 'not-admin') ctx.probe = reason;
  const fix =
    reason === 'trusted-access'
      ? `${enableFix}   # from the management account`
      : reason === 'not-admin'
        ? `${registerFix(me.accountId)}   # from the management account`
        : reason === 'iam' || reason === 'other'
          ? permissionFix('account:GetAlternateContact', me.arn)
          : undefined;
  return { result: 'FAIL', detail: `account:GetAlternateContact on ${target.id} failed: ${read.errorCode}: ${read.message}`, ...(fix ? { fix } : {}) };
}

/** Trusted access for account.amazonaws.com: asked from the management account, inferred elsewhere. */
export async function trustedAccessCheck(ctx: DoctorContext): Promise<Verdict> {
  if (isManagement(ctx)) {
    try {
      const enabled = await ctx.deps.admin.enabledServicePrincipals();
      return enabled.includes(ACCOUNT_SERVICE_PRINCIPAL)
        ? { result: 'PASS', detail: `${ACCOUNT_SERVICE_PRINCIPAL} has trusted access` }
        : { result: 'FAIL', detail: `${ACCOUNT_SERVICE_PRINCIPAL} does not have trusted access in the organization`, fix: enableFix };
    } catch (error) {
      const readable = ctx.probe === 'ok';
      return {
        result: readable ? 'PASS' : 'WARN',
        detail: `organizations:ListAWSServiceAccessForOrganization failed (${brief(error)})${readable ? '; contacts can be read in organizations context, so it is enabled' : ''}`,
        ...(readable ? {} : { fix: enableFix }),
      };
    }
  }
  if (ctx.probe === 'ok') return { result: 'PASS', detail: 'enabled (inferred: this account reads contacts in organizations context; only the management account may list trusted services)' };
  if (ctx.probe === 'trusted-access') {
    return { result: 'FAIL', detail: `${ACCOUNT_SERVICE_PRINCIPAL} does not have trusted access (AWS said so when reading a contact)`, fix: `${enableFix}   # from the management account` };
  }
  return { result: 'WARN', detail: 'cannot tell from this account: run `contact-audit doctor` from the management account', fix: 'aws organizations list-aws-service-access-for-organization   # from the management account' };
}

/** The Account Management delegated administrator: asked from the management account, inferred elsewhere. */
export async function delegatedAdminCheck(ctx: DoctorContext): Promise<Verdict> {
  const { me } = ctx;
  if (isManagement(ctx)) {
    try {
      const admins = await ctx.deps.admin.delegatedAdministrators(ACCOUNT_SERVICE_PRINCIPAL);
      return admins.length > 0
        ? { result: 'PASS', detail: `delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}: ${admins.join(', ')}` }
        : {
            result: 'FAIL',
            detail: `no delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}: the auditor should run from one (a security tooling account), not the management account`,
            fix: registerFix('SECURITY_TOOLING_ACCOUNT_ID'),
          };
    } catch (error) {
      return { result: 'WARN', detail: `organizations:ListDelegatedAdministrators failed (${brief(error)})`, fix: permissionFix('organizations:ListDelegatedAdministrators', me.arn) };
    }
  }
  if (ctx.probe === 'ok') return { result: 'PASS', detail: `this account (${me.accountId}) is the delegated administrator (inferred: it reads contacts in organizations context)` };
  if (ctx.probe === 'not-admin' || (ctx.org && ctx.sample.length === 0)) {
    return { result: 'FAIL', detail: `this account (${me.accountId}) is not the delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}`, fix: `${registerFix(me.accountId)}   # from the management account` };
  }
  return { result: 'WARN', detail: 'cannot tell from this account: run `contact-audit doctor` from the management account' };
}

/** Whether the pipeline role's account is in the organization (DescribeAccount); undefined when it cannot be asked. */
async function pipelineRoleOf(ctx: DoctorContext): Promise<PipelineRole | undefined> {
  const arn = ctx.opts.pipelineRoleArn;
  if (arn === undefined) return undefined;
  const account = arn.split(':')[4] ?? '';
  try {
    await ctx.deps.organizations.describeAccount(account);
    return { arn, inOrganization: true };
  } catch (error) {
    return awsErrorCode(error) === 'AccountNotFoundException' ? { arn, inOrganization: false } : { arn };
  }
}

/** An SCP that denies Put/DeleteAlternateContact to everyone but the pipeline role (scpLock.ts). */
export async function scpLockCheck(ctx: DoctorContext): Promise<Verdict> {
  const named = ctx.opts.pipelineRoleArn;
  try {
    const [policies, roots] = await Promise.all([ctx.deps.admin.serviceControlPolicies(), ctx.deps.admin.rootIds()]);
    const verdict = judgeScps(policies, roots, await pipelineRoleOf(ctx));
    const root = roots[0] ?? 'ROOT_ID';
    const role = named ?? 'arn:aws:iam::PIPELINE_ACCOUNT_ID:role/PIPELINE_ROLE_NAME';
    return {
      result: verdict.outcome,
      detail: `${verdict.detail}${named ? '' : ' (name the pipeline role with --pipeline-role ARN to check its exemption)'}; SCPs never restrict the management account`,
      ...(verdict.outcome === 'PASS'
        ? {}
        : {
            fix:
              `aws organizations create-policy --type SERVICE_CONTROL_POLICY --name contact-auditor-lock-alternate-contacts --description "Only the pipeline role changes alternate contacts" --content '${lockPolicyDocument(role)}'\n` +
              `aws organizations attach-policy --policy-id POLICY_ID_FROM_CREATE_POLICY --target-id ${root}`,
          }),
    };
  } catch (error) {
    return {
      result: 'WARN',
      detail: `the service control policies could not be read from this account (${brief(error)}): run \`contact-audit doctor${named ? ` --pipeline-role ${named}` : ''}\` from the management account`,
    };
  }
}

/** An organization trail, so every account's contact changes reach the real-time path (the deployed stack's). */
export async function organizationTrailCheck(ctx: DoctorContext): Promise<Verdict> {
  try {
    const trails = await ctx.deps.trails.describeTrails();
    const orgTrail = trails.find((t) => t.isOrganizationTrail);
    if (orgTrail) return { result: 'PASS', detail: `organization trail ${orgTrail.name} (${orgTrail.arn})` };
    return {
      result: 'FAIL',
      detail: `no organization trail${trails.length > 0 ? ` (trails seen: ${trails.map((t) => t.name).join(', ')})` : ''}: contact changes in member accounts are not recorded centrally, so the real-time alerts see none of them`,
      fix:
        'aws cloudtrail create-trail --name organization-trail --s3-bucket-name YOUR_TRAIL_BUCKET --is-organization-trail --is-multi-region-trail --region us-east-1   # from the management account\n' +
        'aws cloudtrail start-logging --name organization-trail --region us-east-1',
    };
  } catch (error) {
    return { result: 'WARN', detail: `cloudtrail:DescribeTrails failed (${brief(error)})`, ...(isAccessDenied(error) ? { fix: permissionFix('cloudtrail:DescribeTrails', ctx.me.arn) } : {}) };
  }
}

/** The checks, in the order they run (later ones read what earlier ones learned). */
export const DOCTOR_CHECKS: readonly CheckDefinition[] = [
  { id: 'permission:organizations:DescribeOrganization', scope: 'cli', run: describeOrganizationCheck },
  { id: 'permission:organizations:ListAccounts', scope: 'cli', run: listAccountsCheck },
  { id: 'permission:account:GetAlternateContact', scope: 'cli', run: contactReadCheck },
  { id: 'trusted-access', scope: 'cli', run: trustedAccessCheck },
  { id: 'delegated-admin', scope: 'cli', run: delegatedAdminCheck },
  { id: 'scp-lock', scope: 'cli', run: scpLockCheck },
  { id: 'organization-trail', scope: 'stack', run: organizationTrailCheck },
];

/**
 * Runs the checks in order; AWS answers become results, never exceptions (except a caller that
 * cannot be identified). With `for: 'cli'` a check that matters to the deployed stack only is SKIP.
 */
export async function runDoctor(deps: DoctorDeps, opts: DoctorOptions = {}, checks: readonly CheckDefinition[] = DOCTOR_CHECKS): Promise<DoctorReport> {
  const me = await deps.identity.whoAmI();
  const ctx: DoctorContext = { deps, opts, me, sample: [], probe: 'unknown' };
  const report: DoctorReport = { callerAccountId: me.accountId, callerArn: me.arn, checks: [] };
  for (const check of checks) {
    const verdict: Verdict =
      opts.for === 'cli' && check.scope === 'stack'
        ? { result: 'SKIP', detail: 'matters to the deployed stack only (run `contact-audit doctor` without --for cli to check it)' }
        : await check.run(ctx);
    report.checks.push({ id: check.id, scope: check.scope, ...verdict });
  }
  if (ctx.org) {
    report.organizationId = ctx.org.id;
    report.managementAccountId = ctx.org.managementAccountId;
  }
  return report;
}

/** 0 when nothing failed, 1 when a check failed (warnings do not fail). */
export function doctorExitCode(report: DoctorReport): 0 | 1 {
  return report.checks.some((c) => c.result === 'FAIL') ? 1 : 0;
}

const SCOPE_LABEL: Record<CheckScope, string> = { cli: 'CLI and stack', stack: 'deployed stack' };

/** The report as lines for a terminal: one line per check with whom it matters to, its fix indented below. */
export function renderDoctor(report: DoctorReport): string {
  const lines = [
    oneLine(
      `contact-audit doctor: caller ${report.callerAccountId} (${report.callerArn})` +
        (report.organizationId ? `, organization ${report.organizationId}, management account ${report.managementAccountId}` : ''),
    ),
    '',
  ];
  // Names, ARNs and messages come from AWS and from the policies (which anyone with
  // organizations:CreatePolicy names): made display-safe as the reports make them.
  for (const c of report.checks) {
    lines.push(oneLine(`${c.result.padEnd(4)}  ${c.id} [${SCOPE_LABEL[c.scope]}]: ${c.detail}`));
    if (c.fix) for (const line of c.fix.split('\n')) lines.push(oneLine(`      fix: ${line}`));
  }
  const count = (r: CheckResult) => report.checks.filter((c) => c.result === r).length;
  const skipped = count('SKIP') > 0 ? `, ${count('SKIP')} skipped (deployed stack only)` : '';
  lines.push('', `${count('PASS')} passed, ${count('WARN')} warnings, ${count('FAIL')} failed${skipped}`, '');
  return lines.join('\n');
}

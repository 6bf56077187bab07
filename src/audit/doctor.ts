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
 */
import type { ContactsAdapter } from '../aws/contacts.ts';
import { awsErrorCode, awsErrorMessage } from '../aws/errors.ts';
import type { IdentityAdapter } from '../aws/identity.ts';
import type { OrganizationsAdapter, OrganizationInfo } from '../aws/organizations.ts';
import type { OrganizationsAdminAdapter } from '../aws/organizationsAdmin.ts';
import type { TrailsAdapter } from '../aws/trails.ts';
import type { OrgAccount } from '../model.ts';
import { judgeScps, lockPolicyDocument } from './scpLock.ts';

export const ACCOUNT_SERVICE_PRINCIPAL = 'account.amazonaws.com';

export type CheckResult = 'PASS' | 'WARN' | 'FAIL';

export interface DoctorCheck {
  /** Stable name: trusted-access, delegated-admin, permission:<action>, scp-lock, organization-trail. */
  id: string;
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
  organizations: Pick<OrganizationsAdapter, 'describeOrganization'>;
  admin: Pick<OrganizationsAdminAdapter, 'enabledServicePrincipals' | 'delegatedAdministrators' | 'rootIds' | 'serviceControlPolicies' | 'sampleAccounts'>;
  contacts: Pick<ContactsAdapter, 'read'>;
  trails: Pick<TrailsAdapter, 'describeTrails'>;
}

export interface DoctorOptions {
  /** The one role allowed to change alternate contacts; the SCP check requires its exemption. */
  pipelineRoleArn?: string;
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

/** Runs every check; AWS answers become results, never exceptions (except a caller that cannot be identified). */
export async function runDoctor(deps: DoctorDeps, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const me = await deps.identity.whoAmI();
  const report: DoctorReport = { callerAccountId: me.accountId, callerArn: me.arn, checks: [] };
  const add = (c: DoctorCheck) => report.checks.push(c);

  // (c) the sweep's reads, in the order a sweep makes them.
  let org: OrganizationInfo | undefined;
  try {
    org = await deps.organizations.describeOrganization();
    report.organizationId = org.id;
    report.managementAccountId = org.managementAccountId;
    add({ id: 'permission:organizations:DescribeOrganization', result: 'PASS', detail: `organization ${org.id}, management account ${org.managementAccountId}` });
  } catch (error) {
    add({
      id: 'permission:organizations:DescribeOrganization',
      result: 'FAIL',
      detail: awsErrorCode(error) === 'AWSOrganizationsNotInUseException' ? 'this account is not in an organization' : `organizations:DescribeOrganization denied or failed (${brief(error)})`,
      ...(isAccessDenied(error) ? { fix: permissionFix('organizations:DescribeOrganization', me.arn) } : {}),
    });
  }
  const isManagement = org !== undefined && org.managementAccountId === me.accountId;

  let sample: OrgAccount[] = [];
  try {
    sample = await deps.admin.sampleAccounts();
    add({ id: 'permission:organizations:ListAccounts', result: 'PASS', detail: 'the accounts of the organization can be listed' });
  } catch (error) {
    const notAdmin = isAccessDenied(error) && !/not authorized to perform/i.test(awsErrorMessage(error));
    add({
      id: 'permission:organizations:ListAccounts',
      result: 'FAIL',
      detail: notAdmin
        ? `organizations:ListAccounts denied: this account is neither the management account nor a delegated administrator (${brief(error)})`
        : `organizations:ListAccounts denied or failed (${brief(error)})`,
      fix: notAdmin
        ? `aws organizations register-delegated-administrator --account-id ${me.accountId} --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}   # from the management account`
        : permissionFix('organizations:ListAccounts', me.arn),
    });
  }

  // A contact read in organizations context on another account: proves the permission, and (from the
  // delegated admin, who may not ask Organizations) trusted access and the registration too.
  const target = sample.find((a) => a.id !== me.accountId && a.id !== org?.managementAccountId && a.state === 'ACTIVE');
  let probe: 'ok' | 'trusted-access' | 'not-admin' | 'unknown' = 'unknown';
  if (!target || !org) {
    add({ id: 'permission:account:GetAlternateContact', result: 'WARN', detail: 'no other active member account to read a contact of: not checked' });
  } else {
    const read = await deps.contacts.read({ accountId: target.id, callerAccountId: me.accountId, managementAccountId: org.managementAccountId }, 'SECURITY');
    if (read.kind !== 'failed') {
      probe = 'ok';
      add({ id: 'permission:account:GetAlternateContact', result: 'PASS', detail: `read the SECURITY contact of ${target.id} in organizations context` });
    } else {
      const reason = read.errorCode === 'AccessDeniedException' ? deniedReason(read.message) : 'other';
      if (reason === 'trusted-access') probe = 'trusted-access';
      if (reason === 'not-admin') probe = 'not-admin';
      add({
        id: 'permission:account:GetAlternateContact',
        result: 'FAIL',
        detail: `account:GetAlternateContact on ${target.id} failed: ${read.errorCode}: ${read.message}`,
        ...(reason === 'iam' || reason === 'other' ? { fix: permissionFix('account:GetAlternateContact', me.arn) } : {}),
        ...(reason === 'trusted-access' ? { fix: `aws organizations enable-aws-service-access --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}   # from the management account` } : {}),
        ...(reason === 'not-admin'
          ? { fix: `aws organizations register-delegated-administrator --account-id ${me.accountId} --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}   # from the management account` }
          : {}),
      });
    }
  }

  // (a) trusted access.
  const enableFix = `aws organizations enable-aws-service-access --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}`;
  if (isManagement) {
    try {
      const enabled = await deps.admin.enabledServicePrincipals();
      add(
        enabled.includes(ACCOUNT_SERVICE_PRINCIPAL)
          ? { id: 'trusted-access', result: 'PASS', detail: `${ACCOUNT_SERVICE_PRINCIPAL} has trusted access` }
          : { id: 'trusted-access', result: 'FAIL', detail: `${ACCOUNT_SERVICE_PRINCIPAL} does not have trusted access in the organization`, fix: enableFix },
      );
    } catch (error) {
      add({ id: 'trusted-access', result: probe === 'ok' ? 'PASS' : 'WARN', detail: `organizations:ListAWSServiceAccessForOrganization failed (${brief(error)})${probe === 'ok' ? '; contacts can be read in organizations context, so it is enabled' : ''}`, ...(probe === 'ok' ? {} : { fix: enableFix }) });
    }
  } else if (probe === 'ok') {
    add({ id: 'trusted-access', result: 'PASS', detail: 'enabled (inferred: this account reads contacts in organizations context; only the management account may list trusted services)' });
  } else if (probe === 'trusted-access') {
    add({ id: 'trusted-access', result: 'FAIL', detail: `${ACCOUNT_SERVICE_PRINCIPAL} does not have trusted access (AWS said so when reading a contact)`, fix: `${enableFix}   # from the management account` });
  } else {
    add({ id: 'trusted-access', result: 'WARN', detail: 'cannot tell from this account: run `contact-audit doctor` from the management account', fix: `aws organizations list-aws-service-access-for-organization   # from the management account` });
  }

  // (b) the delegated administrator.
  const registerFix = (id: string) => `aws organizations register-delegated-administrator --account-id ${id} --service-principal ${ACCOUNT_SERVICE_PRINCIPAL}`;
  if (isManagement) {
    try {
      const admins = await deps.admin.delegatedAdministrators(ACCOUNT_SERVICE_PRINCIPAL);
      add(
        admins.length > 0
          ? { id: 'delegated-admin', result: 'PASS', detail: `delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}: ${admins.join(', ')}` }
          : {
              id: 'delegated-admin',
              result: 'FAIL',
              detail: `no delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}: the auditor should run from one (a security tooling account), not the management account`,
              fix: registerFix('SECURITY_TOOLING_ACCOUNT_ID'),
            },
      );
    } catch (error) {
      add({ id: 'delegated-admin', result: 'WARN', detail: `organizations:ListDelegatedAdministrators failed (${brief(error)})`, fix: permissionFix('organizations:ListDelegatedAdministrators', me.arn) });
    }
  } else if (probe === 'ok') {
    add({ id: 'delegated-admin', result: 'PASS', detail: `this account (${me.accountId}) is the delegated administrator (inferred: it reads contacts in organizations context)` });
  } else if (probe === 'not-admin' || (org && sample.length === 0)) {
    add({ id: 'delegated-admin', result: 'FAIL', detail: `this account (${me.accountId}) is not the delegated administrator for ${ACCOUNT_SERVICE_PRINCIPAL}`, fix: `${registerFix(me.accountId)}   # from the management account` });
  } else {
    add({ id: 'delegated-admin', result: 'WARN', detail: 'cannot tell from this account: run `contact-audit doctor` from the management account' });
  }

  // (d) the SCP lock.
  const role = opts.pipelineRoleArn ?? 'arn:aws:iam::*:role/PIPELINE_ROLE_NAME';
  try {
    const [policies, roots] = await Promise.all([deps.admin.serviceControlPolicies(), deps.admin.rootIds()]);
    const verdict = judgeScps(policies, roots, opts.pipelineRoleArn);
    const root = roots[0] ?? 'ROOT_ID';
    add({
      id: 'scp-lock',
      result: verdict.outcome,
      detail: `${verdict.detail}${opts.pipelineRoleArn ? '' : ' (name the pipeline role with --pipeline-role ARN to check its exemption)'}; SCPs never restrict the management account`,
      ...(verdict.outcome === 'PASS'
        ? {}
        : {
            fix:
              `aws organizations create-policy --type SERVICE_CONTROL_POLICY --name contact-auditor-lock-alternate-contacts --description "Only the pipeline role changes alternate contacts" --content '${lockPolicyDocument(role)}'\n` +
              `aws organizations attach-policy --policy-id POLICY_ID_FROM_CREATE_POLICY --target-id ${root}`,
          }),
    });
  } catch (error) {
    add({
      id: 'scp-lock',
      result: 'WARN',
      detail: `the service control policies could not be read from this account (${brief(error)}): run \`contact-audit doctor${opts.pipelineRoleArn ? ` --pipeline-role ${opts.pipelineRoleArn}` : ''}\` from the management account`,
    });
  }

  // (e) an organization trail, so every account's contact changes reach one place.
  try {
    const trails = await deps.trails.describeTrails();
    const orgTrail = trails.find((t) => t.isOrganizationTrail);
    add(
      orgTrail
        ? { id: 'organization-trail', result: 'PASS', detail: `organization trail ${orgTrail.name} (${orgTrail.arn})` }
        : {
            id: 'organization-trail',
            result: 'FAIL',
            detail: `no organization trail${trails.length > 0 ? ` (trails seen: ${trails.map((t) => t.name).join(', ')})` : ''}: contact changes in member accounts are not recorded centrally`,
            fix:
              'aws cloudtrail create-trail --name organization-trail --s3-bucket-name YOUR_TRAIL_BUCKET --is-organization-trail --is-multi-region-trail --region us-east-1   # from the management account\n' +
              'aws cloudtrail start-logging --name organization-trail --region us-east-1',
          },
    );
  } catch (error) {
    add({ id: 'organization-trail', result: 'WARN', detail: `cloudtrail:DescribeTrails failed (${brief(error)})`, ...(isAccessDenied(error) ? { fix: permissionFix('cloudtrail:DescribeTrails', me.arn) } : {}) });
  }
  return report;
}

/** 0 when nothing failed, 1 when a check failed (warnings do not fail). */
export function doctorExitCode(report: DoctorReport): 0 | 1 {
  return report.checks.some((c) => c.result === 'FAIL') ? 1 : 0;
}

/** The report as lines for a terminal: one line per check, its fix indented below. */
export function renderDoctor(report: DoctorReport): string {
  const lines = [
    `contact-audit doctor: caller ${report.callerAccountId} (${report.callerArn})` +
      (report.organizationId ? `, organization ${report.organizationId}, management account ${report.managementAccountId}` : ''),
    '',
  ];
  for (const c of report.checks) {
    lines.push(`${c.result.padEnd(4)}  ${c.id}: ${c.detail}`);
    if (c.fix) for (const line of c.fix.split('\n')) lines.push(`      fix: ${line}`);
  }
  const count = (r: CheckResult) => report.checks.filter((c) => c.result === r).length;
  lines.push('', `${count('PASS')} passed, ${count('WARN')} warnings, ${count('FAIL')} failed`, '');
  return lines.join('\n');
}

/**
 * `contact-audit doctor` against emulator set-ups that each lack one prerequisite: the check for
 * that prerequisite FAILs with its fix command, and the others are unaffected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor, doctorExitCode, renderDoctor, type DoctorReport } from '../../src/audit/doctor.ts';
import { DOCTOR_ADAPTERS } from '../../src/cli/doctorCommand.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { actionsOf } from '../../src/providers/aws/iam.ts';
import { IdentityAdapter } from '../../src/providers/aws/identity.ts';
import { OrganizationsAdapter } from '../../src/providers/aws/organizations.ts';
import { OrganizationsAdminAdapter } from '../../src/providers/aws/organizationsAdmin.ts';
import { TrailsAdapter } from '../../src/providers/aws/trails.ts';
import { type Emulator, parseFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { clients } from '../../packages/aws-emulator/test/helpers.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, smallOrg } from '../fixtures/organizations.ts';
import { runMain } from '../cli/inProcess.ts';
import { emulatorEnv, runCli } from '../e2e/cli.ts';

const ROOT = 'r-ab12';
const PIPELINE = 'arn:aws:iam::222222222222:role/contact-pipeline';
const RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

const lockScp = (over: Record<string, unknown> = {}, targets = [ROOT]) => ({
  id: 'p-lock1234',
  name: 'lock-alternate-contacts',
  type: 'SERVICE_CONTROL_POLICY',
  targets,
  content: {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Sid: 'Lock',
        Effect: 'Deny',
        Action: ['account:PutAlternateContact', 'account:DeleteAlternateContact'],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': PIPELINE } },
        ...over,
      },
    ],
  },
});

/** A complete set-up; `change` removes or alters one prerequisite. */
function setup(change: (f: Record<string, any>) => void = () => {}) {
  const f: Record<string, any> = structuredClone(smallOrg());
  f.organization.rootId = ROOT;
  f.policies = [lockScp()];
  f.trails = [{ name: 'org-trail', isOrganizationTrail: true, s3BucketName: 'trail-logs' }];
  change(f);
  return parseFixture(f);
}

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function doctor(fixture: ReturnType<typeof setup>, as: string, pipelineRoleArn: string | undefined = PIPELINE, mode?: 'cli' | 'stack'): Promise<DoctorReport> {
  emu = await startEmulator({ fixture });
  const c = clients(emu, as);
  return runDoctor(
    {
      identity: new IdentityAdapter(c.sts, RETRY),
      organizations: new OrganizationsAdapter(c.organizations, { retry: RETRY }),
      admin: new OrganizationsAdminAdapter(c.organizations, RETRY),
      contacts: new ContactsAdapter(c.account, { retry: RETRY }),
      trails: new TrailsAdapter(c.cloudtrail, RETRY),
    },
    { ...(pipelineRoleArn ? { pipelineRoleArn } : {}), ...(mode ? { for: mode } : {}) },
  );
}

const check = (r: DoctorReport, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${JSON.stringify(r.checks.map((x) => x.id))}`);
  return c;
};
const failed = (r: DoctorReport) => r.checks.filter((c) => c.result === 'FAIL').map((c) => c.id);

describe('doctor, run as the management account', () => {
  it('passes every check when everything is set up', async () => {
    // Act
    const r = await doctor(setup(), 'AKIAMANAGEMENT');

    // Assess
    expect(r.callerAccountId).toBe(MANAGEMENT);
    expect(r.checks.map((c) => `${c.result} ${c.id}`)).toEqual([
      'PASS permission:organizations:DescribeOrganization',
      'PASS permission:organizations:ListAccounts',
      'PASS permission:account:GetAlternateContact',
      'PASS trusted-access',
      'PASS delegated-admin',
      'PASS scp-lock',
      'PASS organization-trail',
    ]);
    expect(doctorExitCode(r)).toBe(0);
  });

  it('fails trusted access, with the enable command, when account.amazonaws.com is not trusted', async () => {
    const r = await doctor(setup((f) => (f.organization.trustedAccess = false)), 'AKIAMANAGEMENT');
    expect(failed(r)).toEqual(['permission:account:GetAlternateContact', 'trusted-access']);
    expect(check(r, 'trusted-access').fix).toBe('aws organizations enable-aws-service-access --service-principal account.amazonaws.com');
    expect(doctorExitCode(r)).toBe(1);
  });

  it('fails the delegated admin, with the register command, when none is registered', async () => {
    const r = await doctor(setup((f) => delete f.organization.delegatedAdminAccountId), 'AKIAMANAGEMENT');
    expect(failed(r)).toEqual(['delegated-admin']);
    expect(check(r, 'delegated-admin').fix).toMatch(/^aws organizations register-delegated-administrator --account-id \S+ --service-principal account.amazonaws.com$/);
  });

  it('names the IAM action a caller lacks', async () => {
    const r = await doctor(setup((f) => (f.iamDenies = { [MANAGEMENT]: ['organizations:ListAccounts'] })), 'AKIAMANAGEMENT');
    expect(failed(r)).toContain('permission:organizations:ListAccounts');
    const c = check(r, 'permission:organizations:ListAccounts');
    expect(c.detail).toContain('organizations:ListAccounts');
    expect(c.fix).toContain('"Action":"organizations:ListAccounts"');
    expect(c.fix).toMatch(/^aws iam put-role-policy --role-name ContactAuditorEmulator /);
  });

  it('names account:GetAlternateContact when the contact read is denied by IAM', async () => {
    const r = await doctor(setup((f) => (f.iamDenies = { [MANAGEMENT]: ['account:GetAlternateContact'] })), 'AKIAMANAGEMENT');
    expect(failed(r)).toEqual(['permission:account:GetAlternateContact']);
    expect(check(r, 'permission:account:GetAlternateContact').detail).toContain('not authorized to perform: account:GetAlternateContact');
    expect(check(r, 'permission:account:GetAlternateContact').fix).toContain('"Action":"account:GetAlternateContact"');
  });

  it('fails the SCP check, with create and attach commands for the root, when no SCP locks the contacts', async () => {
    const r = await doctor(setup((f) => (f.policies = [])), 'AKIAMANAGEMENT');
    expect(failed(r)).toEqual(['scp-lock']);
    const fix = check(r, 'scp-lock').fix!.split('\n');
    expect(fix[0]).toMatch(/^aws organizations create-policy --type SERVICE_CONTROL_POLICY .*--content '\{.*"Effect":"Deny".*"account:PutAlternateContact","account:DeleteAlternateContact".*"aws:PrincipalArn":"arn:aws:iam::222222222222:role\/contact-pipeline".*\}'$/);
    expect(fix[1]).toBe(`aws organizations attach-policy --policy-id POLICY_ID_FROM_CREATE_POLICY --target-id ${ROOT}`);
  });

  it('fails the SCP check when the lock also denies the pipeline role', async () => {
    const r = await doctor(setup((f) => (f.policies = [lockScp({ Condition: undefined })])), 'AKIAMANAGEMENT');
    expect(check(r, 'scp-lock')).toMatchObject({ result: 'FAIL', detail: expect.stringContaining('denies the pipeline role') });
  });

  it('fails the SCP check when account:AlternateContactTypes leaves types open', async () => {
    const only = { Condition: { ArnNotLike: { 'aws:PrincipalArn': PIPELINE }, 'ForAnyValue:StringEquals': { 'account:AlternateContactTypes': ['SECURITY'] } } };
    const r = await doctor(setup((f) => (f.policies = [lockScp(only)])), 'AKIAMANAGEMENT');
    expect(check(r, 'scp-lock')).toMatchObject({ result: 'FAIL', detail: expect.stringContaining('leaves BILLING, OPERATIONS open') });
  });

  it('warns when the lock is attached below the root only', async () => {
    const r = await doctor(setup((f) => (f.policies = [lockScp({}, ['ou-ab12-workload1'])])), 'AKIAMANAGEMENT');
    expect(check(r, 'scp-lock')).toMatchObject({ result: 'WARN', detail: expect.stringContaining('not the root') });
    expect(doctorExitCode(r)).toBe(0);
  });

  it('fails the trail check, with the create-trail command, when only a single-account trail exists', async () => {
    const r = await doctor(setup((f) => (f.trails = [{ name: 'local', isOrganizationTrail: false }])), 'AKIAMANAGEMENT');
    expect(failed(r)).toEqual(['organization-trail']);
    expect(check(r, 'organization-trail').detail).toContain('local');
    expect(check(r, 'organization-trail').fix).toMatch(/^aws cloudtrail create-trail --name organization-trail .*--is-organization-trail/);
  });
});

describe('doctor, run as the delegated admin or a member', () => {
  it('infers trusted access and the registration from a contact read, and sees the org trail', async () => {
    const r = await doctor(setup(), DELEGATED_ADMIN);
    expect(check(r, 'trusted-access')).toMatchObject({ result: 'PASS', detail: expect.stringContaining('inferred') });
    expect(check(r, 'delegated-admin').result).toBe('PASS');
    expect(check(r, 'organization-trail').result).toBe('PASS');
    // Only the management account may read SCPs: a warning, never a pass.
    expect(check(r, 'scp-lock').result).toBe('WARN');
    expect(doctorExitCode(r)).toBe(0);
  });

  it('fails trusted access from the delegated admin when it is off', async () => {
    const r = await doctor(setup((f) => (f.organization.trustedAccess = false)), DELEGATED_ADMIN);
    expect(check(r, 'trusted-access')).toMatchObject({ result: 'FAIL', fix: expect.stringContaining('enable-aws-service-access') });
  });

  it('fails the delegated admin when the caller is a plain member', async () => {
    const r = await doctor(setup(), MEMBER);
    expect(failed(r)).toEqual(expect.arrayContaining(['permission:organizations:ListAccounts', 'delegated-admin']));
    expect(check(r, 'delegated-admin').fix).toContain(`--account-id ${MEMBER}`);
    expect(renderDoctor(r)).toMatch(/^FAIL {2}delegated-admin \[CLI and stack\]: /m);
  });
});

describe('doctor adapters', () => {
  it('call only operations their declared IAM actions cover', async () => {
    // Prepare: a run that reaches every check.
    const r = await doctor(setup(), 'AKIAMANAGEMENT');
    expect(r.checks).toHaveLength(7);
    const declared = actionsOf(DOCTOR_ADAPTERS);

    // Act
    const called = Object.keys(emu!.state().requestCounts);

    // Assess: sts:GetCallerIdentity needs no permission.
    const service: Record<string, string> = { GetAlternateContact: 'account', DescribeTrails: 'cloudtrail', GetCallerIdentity: 'sts' };
    const actions = called.filter((op) => op !== 'GetCallerIdentity').map((op) => `${service[op] ?? 'organizations'}:${op}`);
    for (const action of actions) expect(declared, action).toContain(action);
    expect(actions).toEqual(expect.arrayContaining(['organizations:ListPolicies', 'organizations:DescribePolicy', 'organizations:ListTargetsForPolicy', 'cloudtrail:DescribeTrails']));
  });
});

describe('hostile SCPs, read through the emulator', () => {
  const HOSTILE_NAME = 'lock\u001b[2J\u001b]0;owned\u0007\u001b]52;c;ZXZpbA==\u0007';

  it('a long run of `*X` in Action and ArnNotLike is judged at once, and any-account exemptions FAIL', async () => {
    const star = '*X'.repeat(18);
    const r = await doctor(
      setup((f) => {
        f.policies = [lockScp({ Action: [`account:${star}`, 'account:*AlternateContact'], Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/contact-pipeline' } } })];
      }),
      'AKIAMANAGEMENT',
    );
    expect(check(r, 'scp-lock')).toMatchObject({ result: 'FAIL', detail: expect.stringContaining('any account') });
  });

  it('without --pipeline-role, an exemption of `*` is a FAIL, never a PASS', async () => {
    const r = await doctor(setup((f) => (f.policies = [lockScp({ Condition: { ArnNotLike: { 'aws:PrincipalArn': '*' } } })])), 'AKIAMANAGEMENT', undefined);
    expect(check(r, 'scp-lock').result).toBe('FAIL');
  });

  it('a pipeline role whose account is not in the organization is no accepted exemption', async () => {
    const outside = 'arn:aws:iam::999999999999:role/contact-pipeline';
    const r = await doctor(setup((f) => (f.policies = [lockScp({ Condition: { ArnNotLike: { 'aws:PrincipalArn': outside } } })])), 'AKIAMANAGEMENT', outside);
    expect(check(r, 'scp-lock')).toMatchObject({ result: 'WARN', detail: expect.stringContaining('not in the organization') });
  });

  it('the terminal rendering carries no escape sequence from an SCP name', async () => {
    const r = await doctor(setup((f) => (f.policies = [{ ...lockScp({}, ['ou-ab12-workload1']), name: HOSTILE_NAME }])), 'AKIAMANAGEMENT');
    const text = renderDoctor(r);
    expect(check(r, 'scp-lock').result).toBe('WARN');
    expect(text).toContain('SCP lock');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('doctor --for cli', () => {
  it('skips what only the deployed stack needs: no organization trail is no FAIL', async () => {
    const r = await doctor(setup((f) => (f.trails = [])), 'AKIAMANAGEMENT', PIPELINE, 'cli');
    expect(check(r, 'organization-trail')).toMatchObject({ result: 'SKIP', scope: 'stack' });
    expect(r.checks.filter((c) => c.id !== 'organization-trail').every((c) => c.scope === 'cli' && c.result === 'PASS')).toBe(true);
    expect(doctorExitCode(r)).toBe(0);
    expect(renderDoctor(r)).toMatch(/^SKIP {2}organization-trail \[deployed stack\]: /m);
    expect(renderDoctor(r)).toContain('6 passed, 0 warnings, 0 failed, 1 skipped (deployed stack only)');
  });

  it('still fails what the command line needs', async () => {
    const r = await doctor(setup((f) => (f.organization.trustedAccess = false)), 'AKIAMANAGEMENT', PIPELINE, 'cli');
    expect(failed(r)).toEqual(['permission:account:GetAlternateContact', 'trusted-access']);
  });
});

describe('contact-audit doctor (command line)', () => {
  it('exits 1 with a FAIL line, 0 with --for cli when only the stack\'s trail is missing, and 0 when all pass', async () => {
    emu = await startEmulator({ fixture: setup((f) => (f.trails = [])) });
    // As the user runs it, the real binary; the other runs in process (the checks are what they test).
    const bad = await runCli(['doctor', '--pipeline-role', PIPELINE], emulatorEnv(emu.url, 'AKIAMANAGEMENT'));
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL {2}organization-trail \[deployed stack\]: /m);
    const cliOnly = await runMain(['doctor', '--pipeline-role', PIPELINE, '--for', 'cli'], emulatorEnv(emu.url, 'AKIAMANAGEMENT'));
    expect(cliOnly.code, cliOnly.stderr).toBe(0);
    expect(cliOnly.stdout).toMatch(/^SKIP {2}organization-trail \[deployed stack\]: /m);
    await emu.close();
    emu = await startEmulator({ fixture: setup() });
    const good = await runMain(['doctor', '--pipeline-role', PIPELINE, '--format', 'json'], emulatorEnv(emu.url, 'AKIAMANAGEMENT'));
    expect(good.code, good.stderr).toBe(0);
    expect((JSON.parse(good.stdout) as DoctorReport).checks.every((c) => c.result === 'PASS')).toBe(true);
  }, 60_000);

  it('exits 2 for a pipeline role that is not one role ARN, and for an unknown --for', async () => {
    for (const args of [['--pipeline-role', 'not-an-arn'], ['--pipeline-role', 'arn:aws:iam::*:role/contact-pipeline'], ['--for', 'laptop']]) {
      const run = await runMain(['doctor', ...args], {});
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(args[0]);
    }
  });
});

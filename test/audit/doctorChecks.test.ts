/**
 * Each doctor check on its own, with hand-made adapters (in-process): what it answers for each
 * AWS answer, and what it records for the checks after it. test/audit/doctor.test.ts runs them
 * together against the emulator.
 */
import { describe, expect, it } from 'vitest';
import {
  DOCTOR_CHECKS,
  contactReadCheck,
  delegatedAdminCheck,
  describeOrganizationCheck,
  listAccountsCheck,
  organizationTrailCheck,
  runDoctor,
  scpLockCheck,
  trustedAccessCheck,
  type DoctorContext,
  type DoctorDeps,
} from '../../src/audit/doctor.ts';
import { lockPolicyDocument } from '../../src/audit/scpLock.ts';

const MANAGEMENT = '111111111111';
const ADMIN = '222222222222';
const MEMBER = '333333333333';
const ROLE = `arn:aws:iam::${ADMIN}:role/contact-pipeline`;
const ORG = { id: 'o-abc123defg', managementAccountId: MANAGEMENT };

/** An AWS-like error with the SDK's `name` as its code. */
function awsError(name: string, message = 'denied'): Error {
  return Object.assign(new Error(message), { name });
}
const reject = (error: Error) => async () => {
  throw error;
};

/** A set-up where everything is in place; `over` replaces single calls. */
function deps(over: { [K in keyof DoctorDeps]?: Partial<DoctorDeps[K]> } = {}): DoctorDeps {
  return {
    identity: { whoAmI: async () => ({ accountId: MANAGEMENT, arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/Auditor/s` }), ...over.identity },
    organizations: { describeOrganization: async () => ORG, describeAccount: async (id) => ({ id, name: 'x', state: 'ACTIVE' }), ...over.organizations },
    admin: {
      enabledServicePrincipals: async () => ['account.amazonaws.com'],
      delegatedAdministrators: async () => [ADMIN],
      rootIds: async () => ['r-ab12'],
      serviceControlPolicies: async () => [{ id: 'p-1', name: 'lock', content: lockPolicyDocument(ROLE), targets: [{ id: 'r-ab12', type: 'ROOT' }] }],
      sampleAccounts: async () => [
        { id: MANAGEMENT, name: 'management', state: 'ACTIVE' },
        { id: MEMBER, name: 'member', state: 'ACTIVE' },
      ],
      ...over.admin,
    },
    contacts: { read: async () => ({ kind: 'missing' }), ...over.contacts },
    trails: { describeTrails: async () => [{ name: 'org', arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org', isOrganizationTrail: true }], ...over.trails },
  } as DoctorDeps;
}

function context(d: DoctorDeps = deps(), learned: Partial<DoctorContext> = {}, as = MANAGEMENT): DoctorContext {
  return { deps: d, opts: { pipelineRoleArn: ROLE }, me: { accountId: as, arn: `arn:aws:sts::${as}:assumed-role/Auditor/s` }, sample: [], probe: 'unknown', ...learned };
}

describe('the list of checks', () => {
  it('is data: every check has a unique id and a scope; only the trail is the deployed stack\'s alone', () => {
    expect(new Set(DOCTOR_CHECKS.map((c) => c.id)).size).toBe(DOCTOR_CHECKS.length);
    expect(DOCTOR_CHECKS.filter((c) => c.scope === 'stack').map((c) => c.id)).toEqual(['organization-trail']);
  });

  it('runDoctor runs the list it is given, in order', async () => {
    const seen: string[] = [];
    const checks = ['b', 'a'].map((id) => ({
      id,
      scope: 'cli' as const,
      run: async () => {
        seen.push(id);
        return { result: 'PASS' as const, detail: id };
      },
    }));
    const r = await runDoctor(deps(), {}, checks);
    expect(seen).toEqual(['b', 'a']);
    expect(r.checks).toEqual([{ id: 'b', scope: 'cli', result: 'PASS', detail: 'b' }, { id: 'a', scope: 'cli', result: 'PASS', detail: 'a' }]);
  });
});

describe('describeOrganizationCheck', () => {
  it('records the organization', async () => {
    const ctx = context();
    expect((await describeOrganizationCheck(ctx)).result).toBe('PASS');
    expect(ctx.org).toEqual(ORG);
  });
  it('says when the account is in no organization, and gives the IAM fix for AccessDenied', async () => {
    expect((await describeOrganizationCheck(context(deps({ organizations: { describeOrganization: reject(awsError('AWSOrganizationsNotInUseException')) } })))).detail).toBe('this account is not in an organization');
    const denied = await describeOrganizationCheck(context(deps({ organizations: { describeOrganization: reject(awsError('AccessDeniedException', 'not authorized to perform: organizations:DescribeOrganization')) } })));
    expect(denied).toMatchObject({ result: 'FAIL', fix: expect.stringContaining('--role-name Auditor') });
  });
});

describe('listAccountsCheck', () => {
  it('records the sample', async () => {
    const ctx = context();
    expect((await listAccountsCheck(ctx)).result).toBe('PASS');
    expect(ctx.sample.map((a) => a.id)).toEqual([MANAGEMENT, MEMBER]);
  });
  it('tells a caller that is not an administrator from one that lacks the IAM action', async () => {
    const notAdmin = await listAccountsCheck(context(deps({ admin: { sampleAccounts: reject(awsError('AccessDeniedException', 'You don\'t have permissions to access this resource.')) } })));
    expect(notAdmin.fix).toContain('register-delegated-administrator');
    const iam = await listAccountsCheck(context(deps({ admin: { sampleAccounts: reject(awsError('AccessDeniedException', 'is not authorized to perform: organizations:ListAccounts')) } })));
    expect(iam.fix).toContain('"Action":"organizations:ListAccounts"');
  });
});

describe('contactReadCheck', () => {
  const learned = { org: ORG, sample: [{ id: MEMBER, name: 'm', state: 'ACTIVE' as const }] };
  it('reads another member account and records that it can', async () => {
    const ctx = context(deps(), learned);
    expect(await contactReadCheck(ctx)).toMatchObject({ result: 'PASS', detail: expect.stringContaining(MEMBER) });
    expect(ctx.probe).toBe('ok');
  });
  it('records a refusal for missing trusted access', async () => {
    const ctx = context(deps({ contacts: { read: async () => ({ kind: 'failed', errorCode: 'AccessDeniedException', message: 'trusted access is not enabled' }) } }), learned);
    expect(await contactReadCheck(ctx)).toMatchObject({ result: 'FAIL', fix: expect.stringContaining('enable-aws-service-access') });
    expect(ctx.probe).toBe('trusted-access');
  });
  it('warns when there is no other member to read', async () => {
    expect((await contactReadCheck(context(deps(), { org: ORG, sample: [] }))).result).toBe('WARN');
  });
});

describe('trustedAccessCheck', () => {
  it('asks Organizations from the management account', async () => {
    expect((await trustedAccessCheck(context(deps(), { org: ORG }))).result).toBe('PASS');
    expect((await trustedAccessCheck(context(deps({ admin: { enabledServicePrincipals: async () => [] } }), { org: ORG }))).result).toBe('FAIL');
  });
  it('infers from the contact read elsewhere, and warns when it cannot tell', async () => {
    expect((await trustedAccessCheck(context(deps(), { org: ORG, probe: 'ok' }, ADMIN))).detail).toContain('inferred');
    expect((await trustedAccessCheck(context(deps(), { org: ORG, probe: 'trusted-access' }, ADMIN))).result).toBe('FAIL');
    expect((await trustedAccessCheck(context(deps(), { org: ORG }, MEMBER))).result).toBe('WARN');
  });
});

describe('delegatedAdminCheck', () => {
  it('asks Organizations from the management account', async () => {
    expect((await delegatedAdminCheck(context(deps(), { org: ORG }))).detail).toContain(ADMIN);
    expect((await delegatedAdminCheck(context(deps({ admin: { delegatedAdministrators: async () => [] } }), { org: ORG }))).result).toBe('FAIL');
  });
  it('fails a member that is not the administrator, naming it in the fix', async () => {
    expect(await delegatedAdminCheck(context(deps(), { org: ORG, probe: 'not-admin' }, MEMBER))).toMatchObject({ result: 'FAIL', fix: expect.stringContaining(`--account-id ${MEMBER}`) });
  });
});

describe('scpLockCheck', () => {
  it('passes the lock the fix creates, with the pipeline role of an account in the organization', async () => {
    expect((await scpLockCheck(context())).result).toBe('PASS');
  });
  it('asks DescribeAccount whether the pipeline role\'s account is in the organization', async () => {
    const asked: string[] = [];
    const describeAccount = async (id: string) => {
      asked.push(id);
      throw awsError('AccountNotFoundException');
    };
    const outside = deps({ organizations: { describeAccount } });
    expect(await scpLockCheck(context(outside))).toMatchObject({ result: 'WARN', detail: expect.stringContaining('not in the organization') });
    expect(asked).toEqual([ADMIN]);
  });
  it('warns, with the management account to run from, when the SCPs cannot be read', async () => {
    const d = deps({ admin: { serviceControlPolicies: reject(awsError('AccessDeniedException')) } });
    expect(await scpLockCheck(context(d))).toMatchObject({ result: 'WARN', detail: expect.stringContaining('from the management account') });
  });
});

describe('organizationTrailCheck', () => {
  it('passes an organization trail and fails without one, naming the real-time path', async () => {
    expect((await organizationTrailCheck(context())).result).toBe('PASS');
    const none = await organizationTrailCheck(context(deps({ trails: { describeTrails: async () => [] } })));
    expect(none).toMatchObject({ result: 'FAIL', detail: expect.stringContaining('real-time') });
  });
});

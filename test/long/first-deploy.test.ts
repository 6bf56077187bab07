/**
 * What a first real deployment meets, each held by the packaged template: queues that refuse plain
 * HTTP for every action, a member StackSet whose failures in single accounts do not roll the stack
 * back, reads variant to the organization when its ID is given, and reserved concurrency that an
 * account with a Lambda concurrency quota of 10 or 50 cannot take, refused at deploy time with a
 * message that names the way out. (Bucket deletion policy and state machine logging:
 * template.test.ts; docs/deployment.md: deployment-docs.test.ts.)
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { packaged, resourcesOfType, type Template } from '../stack/packaged.ts';

const plugin = createRequire(import.meta.url)('../../serverless/plugins/check-deploy-params.cjs') as {
  reservedConcurrency: (template: unknown) => { id: string; functionName: string; units: number }[];
  concurrencyProblems: (
    reservations: { id: string; functionName: string; units: number }[],
    settings: { AccountLimit: { ConcurrentExecutions: number; UnreservedConcurrentExecutions: number } },
    current?: Record<string, number>,
  ) => string[];
};

const ORG = 'o-aa111bb222';
/** The deployment parameters the variant is packaged with (one extra packaging for all). */
const VARIANT = [`organizationId=${ORG}`, 'forwarderTargets=r-ab12', 'reserveConcurrency=false', 'stackSetCallAs=DELEGATED_ADMIN'];
let template: Template;
let variant: Template;

beforeAll(async () => {
  [{ template }, { template: variant }] = await Promise.all([packaged(), packaged(VARIANT)]);
}, 400_000);

const statementsOf = (t: Template, roleId: string): any[] => t.Resources[roleId]!.Properties!.Policies.flatMap((p: any) => [p.PolicyDocument.Statement].flat());

/** Evaluates the `Fn::If` of a condition osls left as a literal comparison. */
function pick(t: Template, value: any): any {
  const choice = value?.['Fn::If'];
  if (!choice) return value;
  const condition = t.Conditions?.[choice[0]] as any;
  const holds = (c: any): boolean => (c['Fn::Not'] ? !holds(c['Fn::Not'][0]) : String(c['Fn::Equals'][0]) === String(c['Fn::Equals'][1]));
  return holds(condition) ? choice[1] : choice[2];
}

const subText = (value: any): string => (typeof value === 'string' ? value : value?.['Fn::Sub']);

describe('SQS queue policies', () => {
  it('deny every SQS action over plain HTTP on every queue', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue').map(([id]) => id);
    expect(queues.length).toBeGreaterThanOrEqual(2);
    for (const queue of queues) {
      const policy = resourcesOfType(template, 'AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties?.Queues) === JSON.stringify([{ Ref: queue }]));
      expect(policy, `${queue} has a policy`).toBeDefined();
      const deny = [policy![1].Properties!.PolicyDocument.Statement].flat().find((s: any) => s.Effect === 'Deny');
      expect(deny, queue).toMatchObject({ Principal: '*', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    }
  });
});

describe('member forwarder StackSet', () => {
  it('tolerates failed member accounts instead of failing the operation (and rolling back the stack)', () => {
    const preferences = template.Resources.MemberForwarderStackSet!.Properties!.OperationPreferences;
    expect(preferences.FailureTolerancePercentage).toBe(100);
    expect(preferences.ConcurrencyMode).toBe('SOFT_FAILURE_TOLERANCE');
    expect(preferences.MaxConcurrentPercentage).toBeGreaterThan(0);
    expect(preferences.FailureToleranceCount).toBeUndefined();
  });

  it('is called as the StackSets delegated administrator when stackSetCallAs says so', () => {
    expect(variant.Resources.MemberForwarderStackSet!.Properties!.CallAs).toBe('DELEGATED_ADMIN');
    expect(template.Resources.MemberForwarderStackSet!.Properties!.CallAs).toBe('SELF');
  });
});

describe('organizationId narrows the reads to that organization', () => {
  const readers = ['SweepListRole', 'SweepBatchRole', 'ContactChangeRole'];

  it('names o-<organizationId> in every GetAlternateContact and DescribeAccount resource when given', () => {
    for (const role of readers) {
      const statements = statementsOf(variant, role).filter((s) => [s.Action].flat().some((a: string) => a === 'account:GetAlternateContact' || a === 'organizations:DescribeAccount'));
      expect(statements.length, role).toBeGreaterThan(0);
      for (const statement of statements) {
        const resources = [statement.Resource].flat().map((r: any) => subText(pick(variant, r)));
        for (const arn of resources) {
          if (arn.endsWith(':account')) continue; // the deploying account's own, standalone context
          expect(arn, role).toContain(`/${ORG}/*`);
          expect(arn, role).not.toContain('o-*');
        }
      }
    }
  });

  it('falls back to any organization (o-*) without it', () => {
    const statement = statementsOf(template, 'SweepBatchRole').find((s) => s.Action === 'account:GetAlternateContact');
    expect(subText(pick(template, statement.Resource[0]))).toContain('account/o-*/*');
  });
});

describe('reserved concurrency on accounts with a low Lambda concurrency quota', () => {
  it('is a parameter: reserveConcurrency=false reserves nothing', () => {
    for (const id of ['SweepBatchLambdaFunction', 'ContactChangeLambdaFunction']) {
      expect(pick(variant, variant.Resources[id]!.Properties!.ReservedConcurrentExecutions), id).toEqual({ Ref: 'AWS::NoValue' });
    }
    expect(plugin.reservedConcurrency(variant)).toEqual([]);
  });

  it('is checked at deploy time: a quota of 10 or 50 is refused naming reserveConcurrency, 1,000 passes', () => {
    const reservations = plugin.reservedConcurrency(template);
    expect(reservations.map((r) => [r.id, r.units])).toEqual([
      ['SweepBatchLambdaFunction', 2],
      ['ContactChangeLambdaFunction', 1],
    ]);
    for (const quota of [10, 50]) {
      const problems = plugin.concurrencyProblems(reservations, { AccountLimit: { ConcurrentExecutions: quota, UnreservedConcurrentExecutions: quota } });
      expect(problems, `${quota}`).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^reserveConcurrency: this account's Lambda concurrency quota is ${quota} .*reserveConcurrency=false`));
    }
    expect(plugin.concurrencyProblems(reservations, { AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } })).toEqual([]);
    // An update: what the functions reserve already is not asked for again.
    const current = Object.fromEntries(reservations.map((r) => [r.functionName, r.units]));
    expect(plugin.concurrencyProblems(reservations, { AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 100 } }, current)).toEqual([]);
    expect(plugin.concurrencyProblems(reservations, { AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 102 } })).toHaveLength(1);
  });
});

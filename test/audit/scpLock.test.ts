import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iamMatch, judgeExemption, judgeScps, lockPolicyDocument, type MatchSteps, type PipelineRole, type ScpInput } from '../../src/audit/scpLock.ts';

const ROLE_ARN = 'arn:aws:iam::222222222222:role/contact-pipeline';
const ROLE: PipelineRole = { arn: ROLE_ARN, inOrganization: true };
const scp = (statement: Record<string, unknown>, targets = [{ id: 'r-ab12', type: 'ROOT' }], name = 'lock'): ScpInput => ({
  id: 'p-1',
  name,
  content: JSON.stringify({ Version: '2012-10-17', Statement: statement }),
  targets,
});
const lockExempting = (operator: string, values: string | string[]) =>
  scp({ Effect: 'Deny', Action: ['account:PutAlternateContact', 'account:DeleteAlternateContact'], Resource: '*', Condition: { [operator]: { 'aws:PrincipalArn': values } } });

describe('judgeScps', () => {
  it('passes the document the fix command creates', () => {
    const policy: ScpInput = { id: 'p-1', name: 'lock', content: lockPolicyDocument(ROLE_ARN), targets: [{ id: 'r-ab12', type: 'ROOT' }] };
    expect(judgeScps([policy], ['r-ab12'], ROLE).outcome).toBe('PASS');
  });

  it('accepts wildcard actions and NotAction', () => {
    const cond = { ArnNotLike: { 'aws:PrincipalArn': ROLE_ARN } };
    expect(judgeScps([scp({ Effect: 'Deny', Action: 'account:*AlternateContact', Resource: '*', Condition: cond })], ['r-ab12'], ROLE).outcome).toBe('PASS');
    expect(judgeScps([scp({ Effect: 'Deny', NotAction: ['account:Get*'], Resource: '*', Condition: cond })], ['r-ab12'], ROLE).outcome).toBe('PASS');
  });

  it('fails a lock of Put without Delete, and an Allow', () => {
    const v = judgeScps([scp({ Effect: 'Deny', Action: 'account:PutAlternateContact', Resource: '*' })], ['r-ab12']);
    expect(v).toMatchObject({ outcome: 'FAIL', detail: expect.stringContaining('does not deny account:DeleteAlternateContact') });
    expect(judgeScps([scp({ Effect: 'Allow', Action: 'account:*', Resource: '*' })], ['r-ab12']).outcome).toBe('FAIL');
  });

  it('warns when the exemption is broader than the pipeline role in its own account', () => {
    const v = judgeScps([lockExempting('ArnNotLike', ['arn:aws:iam::222222222222:role/*'])], ['r-ab12'], ROLE);
    expect(v).toMatchObject({ outcome: 'WARN', detail: expect.stringContaining('exempts every principal matching arn:aws:iam::222222222222:role/*') });
  });

  it('fails a policy that is attached nowhere, and ignores an unparseable one', () => {
    expect(judgeScps([scp({ Effect: 'Deny', Action: 'account:*', Resource: '*' }, [])], ['r-ab12']).outcome).toBe('FAIL');
    expect(judgeScps([{ id: 'p-2', name: 'bad', content: '{', targets: [] }], []).outcome).toBe('FAIL');
  });
});

describe('exemptions: only the pipeline role of the organization\'s own accounts passes', () => {
  it.each([
    ['any account (*)', 'ArnNotLike', 'arn:aws:iam::*:role/contact-pipeline', ROLE, 'FAIL', 'any account'],
    ['an account with ?', 'ArnNotLike', 'arn:aws:iam::22222222222?:role/contact-pipeline', ROLE, 'FAIL', 'any account'],
    ['* alone, with --pipeline-role', 'ArnNotLike', '*', ROLE, 'FAIL', 'any account'],
    ['* alone, without --pipeline-role', 'ArnNotLike', '*', undefined, 'FAIL', 'any account'],
    ['StringNotLike with * crossing into the account', 'StringNotLike', 'arn:aws:iam::*contact-pipeline', ROLE, 'FAIL', 'any account'],
    ['StringNotLike * everywhere', 'StringNotLike', '*:role/contact-pipeline', undefined, 'FAIL', 'any account'],
    ['the role, without --pipeline-role', 'ArnNotLike', ROLE_ARN, undefined, 'WARN', 'name the pipeline role with --pipeline-role'],
    ['a role name prefix', 'ArnNotLike', 'arn:aws:iam::222222222222:role/contact-*', ROLE, 'WARN', 'not only the pipeline role'],
    ['the role in an account outside the organization', 'ArnNotEquals', ROLE_ARN, { arn: ROLE_ARN, inOrganization: false }, 'WARN', 'not in the organization'],
  ] as const)('%s: %s', (_name, operator, value, role, outcome, reason) => {
    const v = judgeScps([lockExempting(operator, value)], ['r-ab12'], role);
    expect(v.outcome).toBe(outcome);
    expect(v.detail).toContain(reason);
  });

  it('a second exemption beside the pipeline role is named', () => {
    const v = judgeScps([lockExempting('ArnNotLike', [ROLE_ARN, 'arn:aws:iam::333333333333:role/admin'])], ['r-ab12'], ROLE);
    expect(v).toMatchObject({ outcome: 'WARN', detail: expect.stringContaining('also exempts arn:aws:iam::333333333333:role/admin') });
  });

  it('the exact role, by each negated operator, passes', () => {
    for (const operator of ['ArnNotLike', 'ArnNotEquals', 'StringNotLike', 'StringNotEquals', 'ArnNotLikeIfExists']) {
      expect(judgeScps([lockExempting(operator, ROLE_ARN)], ['r-ab12'], ROLE).outcome, operator).toBe('PASS');
    }
    expect(judgeExemption({ operator: 'ArnNotLike', value: ROLE_ARN }, ROLE)).toBeUndefined();
  });

  it('ARN operators match part by part: * in the role name does not reach into another account', () => {
    // `arn:aws:iam::222222222222:role/*` as StringNotLike could match `…222222222222:role/x:…`, but its account is literal.
    expect(judgeExemption({ operator: 'ArnNotLike', value: 'arn:aws:iam::222222222222:*' }, ROLE)?.outcome).toBe('WARN');
  });
});

describe('SCP text reaching the terminal', () => {
  it('drops escape sequences from the policy name and exemption values', () => {
    const hostile = 'lock\u001b[2J\u001b]0;owned\u0007\u001b]52;c;Y3VybCBldmlsfHNo\u0007\r\nPASS  fake';
    const policy = { ...lockExempting('ArnNotLike', `arn:aws:iam::*:role/x\u001b[2J`), name: hostile };
    const v = judgeScps([policy], ['r-ab12'], ROLE);
    expect(v.outcome).toBe('FAIL');
    expect(v.detail).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(v.detail).toContain('SCP lock PASS  fake (p-1)');
  });
});

/** A plain recursive glob matcher: the reference for small inputs. */
function reference(p: string, v: string): boolean {
  if (p === '') return v === '';
  if (p[0] === '*') return reference(p.slice(1), v) || (v !== '' && reference(p, v.slice(1)));
  return v !== '' && (p[0] === '?' || p[0] === v[0]) && reference(p.slice(1), v.slice(1));
}

describe('iamMatch', () => {
  it('matches IAM wildcards and escapes the rest', () => {
    expect(iamMatch('account:Put*', 'account:PutAlternateContact')).toBe(true);
    expect(iamMatch('account:?utAlternateContact', 'account:PutAlternateContact')).toBe(true);
    expect(iamMatch('arn:aws:iam::*:role/a.b', 'arn:aws:iam::1:role/aXb')).toBe(false);
    expect(iamMatch('ACCOUNT:put*', 'account:PutAlternateContact')).toBe(true);
    expect(iamMatch('ACCOUNT:put*', 'account:PutAlternateContact', false)).toBe(false);
  });

  it('property: agrees with a reference matcher on small patterns and values', () => {
    const alphabet = fc.constantFrom('a', 'b', 'X', '*', '?', '.', ':');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', 'X', '.', ':'), { maxLength: 10 }), (p, v) => {
        const pattern = p.join('');
        const value = v.join('');
        return iamMatch(pattern, value, false) === reference(pattern, value);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: never takes more than (|pattern| + 1) × (|value| + 1) steps', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[aX*?]{0,40}$/), fc.stringMatching(/^[aXY]{0,60}$/), (pattern, value) => {
        const counter: MatchSteps = { steps: 0 };
        iamMatch(pattern, value, false, counter);
        return counter.steps <= (pattern.length + 1) * (value.length + 1);
      }),
    );
  });

  it('answers the hostile Action `account:` + 18 × `*X` in a few hundred steps (a backtracking regex takes minutes)', () => {
    const pattern = `account:${'*X'.repeat(18)}`;
    const counter: MatchSteps = { steps: 0 };
    expect(iamMatch(pattern, 'account:PutAlternateContact', true, counter)).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual((pattern.length + 1) * 28);
    const scps = [scp({ Effect: 'Deny', Action: [pattern, 'account:*'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::222222222222:role/${'*X'.repeat(18)}` } } })];
    expect(judgeScps(scps, ['r-ab12'], ROLE).outcome).toBe('FAIL');
  });

  it('answers 5,000 × `*X` against a 5,000-character value within its bound', () => {
    const pattern = `account:${'*X'.repeat(5_000)}`;
    const value = `account:${'X'.repeat(4_999)}Y`;
    const counter: MatchSteps = { steps: 0 };
    expect(iamMatch(pattern, value, true, counter)).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual((pattern.length + 1) * (value.length + 1));
  });
});

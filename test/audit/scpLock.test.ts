import { describe, expect, it } from 'vitest';
import { iamMatch, judgeScps, lockPolicyDocument, type ScpInput } from '../../src/audit/scpLock.ts';

const ROLE = 'arn:aws:iam::222222222222:role/contact-pipeline';
const scp = (statement: Record<string, unknown>, targets = [{ id: 'r-ab12', type: 'ROOT' }]): ScpInput => ({
  id: 'p-1',
  name: 'lock',
  content: JSON.stringify({ Version: '2012-10-17', Statement: statement }),
  targets,
});

describe('judgeScps', () => {
  it('passes the document the fix command creates', () => {
    const policy: ScpInput = { id: 'p-1', name: 'lock', content: lockPolicyDocument(ROLE), targets: [{ id: 'r-ab12', type: 'ROOT' }] };
    expect(judgeScps([policy], ['r-ab12'], ROLE).outcome).toBe('PASS');
  });

  it('accepts wildcard actions and NotAction', () => {
    const cond = { ArnNotLike: { 'aws:PrincipalArn': ROLE } };
    expect(judgeScps([scp({ Effect: 'Deny', Action: 'account:*AlternateContact', Resource: '*', Condition: cond })], ['r-ab12'], ROLE).outcome).toBe('PASS');
    expect(judgeScps([scp({ Effect: 'Deny', NotAction: ['account:Get*'], Resource: '*', Condition: cond })], ['r-ab12'], ROLE).outcome).toBe('PASS');
  });

  it('fails a lock of Put without Delete, and an Allow', () => {
    const v = judgeScps([scp({ Effect: 'Deny', Action: 'account:PutAlternateContact', Resource: '*' })], ['r-ab12']);
    expect(v).toMatchObject({ outcome: 'FAIL', detail: expect.stringContaining('does not deny account:DeleteAlternateContact') });
    expect(judgeScps([scp({ Effect: 'Allow', Action: 'account:*', Resource: '*' })], ['r-ab12']).outcome).toBe('FAIL');
  });

  it('warns when the exemption is broader than the pipeline role', () => {
    const v = judgeScps([scp({ Effect: 'Deny', Action: 'account:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*'] } } })], ['r-ab12'], ROLE);
    expect(v).toMatchObject({ outcome: 'WARN', detail: expect.stringContaining('also exempts arn:aws:iam::*:role/*') });
  });

  it('fails a policy that is attached nowhere, and ignores an unparseable one', () => {
    expect(judgeScps([scp({ Effect: 'Deny', Action: 'account:*', Resource: '*' }, [])], ['r-ab12']).outcome).toBe('FAIL');
    expect(judgeScps([{ id: 'p-2', name: 'bad', content: '{', targets: [] }], []).outcome).toBe('FAIL');
  });
});

describe('iamMatch', () => {
  it('matches IAM wildcards and escapes the rest', () => {
    expect(iamMatch('account:Put*', 'account:PutAlternateContact')).toBe(true);
    expect(iamMatch('account:?utAlternateContact', 'account:PutAlternateContact')).toBe(true);
    expect(iamMatch('arn:aws:iam::*:role/a.b', 'arn:aws:iam::1:role/aXb')).toBe(false);
  });
});

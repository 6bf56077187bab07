/**
 * The write permission lives in one opt-in template (serverless/remediation-role.yml), apart from
 * the auditor's stack: its one role may write and read alternate contacts of its organization and
 * nothing else, and is assumable only by the one principal named at deploy time. The auditor's own
 * roles never get a write (test/stack/iam.test.ts, "never allows changing an alternate contact").
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ContactWriterAdapter } from '../../src/providers/aws/contactWriter.ts';
import { ContactsAdapter } from '../../src/providers/aws/contacts.ts';
import { FORBIDDEN_ACTIONS } from '../../src/providers/aws/iam.ts';
import { ROOT } from './packaged.ts';

const cfnTags = ['Ref', 'GetAtt', 'Sub'].map((name) => ({ tag: `!${name}`, resolve: (value: unknown) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }) }));
const template = parse(readFileSync(join(ROOT, 'serverless/remediation-role.yml'), 'utf8'), { customTags: cfnTags }) as { Resources: Record<string, any>; Parameters: Record<string, any> };
/** CloudFormation's `${Name}` placeholders, written `$Name` here (a JavaScript string never interpolates them). */
const sub = (text: string) => text.replace(/\$(AWS::\w+|\w+)/g, (_, name: string) => `\${${name}}`);
const asList = <T,>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

const HAS_CFN_LINT = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the opt-in remediation role', () => {
  it.skipIf(!HAS_CFN_LINT)('is a template cfn-lint finds nothing wrong with', () => {
    const lint = spawnSync('cfn-lint', [join(ROOT, 'serverless/remediation-role.yml')], { encoding: 'utf8' });
    expect(lint.status, `${lint.stdout}${lint.stderr}`).toBe(0);
  });

  const roles = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
  const statements = roles.flatMap(([, r]) => r.Properties.Policies.flatMap((p: any) => asList(p.PolicyDocument.Statement)));

  it('is the only resource, and allows exactly what remediate --apply calls: the writer and the read-back', () => {
    expect(Object.keys(template.Resources)).toEqual(['RemediationRole']);
    const allowed = statements.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => asList(s.Action)).sort();
    expect(allowed).toEqual([...ContactWriterAdapter.iamActions, ...ContactsAdapter.iamActions].sort());
    // Of the actions the auditor's roles may never have, only PutAlternateContact.
    expect(allowed.filter((a: string) => FORBIDDEN_ACTIONS.includes(a))).toEqual(['account:PutAlternateContact']);
  });

  it("scopes the write to its organization's accounts and its own account, never to *", () => {
    expect(statements.flatMap((s: any) => asList(s.Resource))).toEqual([
      { 'Fn::Sub': sub('arn:$AWS::Partition:account::*:account/$OrganizationId/*') },
      { 'Fn::Sub': sub('arn:$AWS::Partition:account::$AWS::AccountId:account') },
    ]);
  });

  it('is assumable only by the one principal given at deploy time, an exact ARN', () => {
    const trust = template.Resources.RemediationRole.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([{ Effect: 'Allow', Principal: { AWS: { Ref: 'TrustedPrincipalArn' } }, Action: 'sts:AssumeRole' }]);
    const pattern = new RegExp(template.Parameters.TrustedPrincipalArn.AllowedPattern);
    expect(pattern.test('arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc')).toBe(true);
    expect(pattern.test('*')).toBe(false);
    expect(pattern.test('arn:aws:iam::*:role/x')).toBe(false);
  });
});

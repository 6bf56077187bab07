/**
 * The packaged state machine definition against asl-validator (the Amazon States Language schema,
 * transitions, terminal states, paths and ARNs), with the definition's `${…}` placeholders given
 * the shape of what CloudFormation substitutes (function ARNs, the bucket name).
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionVariables, packaged, type Template } from './packaged.ts';

/** CloudFormation's partition placeholder, as the packaged definition carries it. */
const PSEUDO_PARTITION = '$' + '{AWS::Partition}';

const validate = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: { message?: string; errorCode?: string }[] };

let template: Template;
beforeAll(async () => {
  ({ template } = await packaged());
}, 240_000);

/**
 * The definition with each placeholder replaced by a value of the kind CloudFormation puts there,
 * the pseudo parameters (${AWS::Partition} …) by those of a stack in `partition`.
 */
function substituted(partition: 'aws' | 'aws-cn' = 'aws'): any {
  const raw = template.Resources.SweepStateMachine!.Properties!.DefinitionString['Fn::Sub'][0] as string;
  const variables = definitionVariables(template) as Record<string, { Ref?: string; 'Fn::GetAtt'?: [string, string] }>;
  const region = partition === 'aws' ? 'us-east-1' : 'cn-northwest-1';
  const pseudo: Record<string, string> = { 'AWS::Partition': partition, 'AWS::Region': region, 'AWS::AccountId': '123456789012' };
  return JSON.parse(
    raw.replace(/\$\{([\w:]+)\}/g, (_, name: string) => {
      if (pseudo[name]) return pseudo[name];
      const v = variables[name];
      if (v?.Ref === 'ReportBucket') return `contact-auditor-test-reports-123456789012-${region}`;
      if (v?.['Fn::GetAtt']?.[1] === 'Arn') return `arn:${partition}:lambda:${region}:123456789012:function:${v['Fn::GetAtt'][0]}`;
      throw new Error(`unexpected placeholder ${name}: ${JSON.stringify(v)}`);
    }),
  );
}

describe('the sweep state machine definition', () => {
  it('is valid Amazon States Language in the aws and aws-cn partitions (asl-validator, paths and ARNs checked)', () => {
    for (const partition of ['aws', 'aws-cn'] as const) {
      const result = validate(substituted(partition), { checkPaths: true, checkArn: true });
      expect(result.errors, partition).toEqual([]);
      expect(result.isValid, partition).toBe(true);
    }
  });

  it("names the stack's partition in every service integration, never arn:aws: written out", () => {
    const resources = JSON.stringify(substituted('aws-cn')).match(/"arn:[^"]*"/g) ?? [];
    expect(resources.length).toBeGreaterThan(0);
    for (const arn of resources) expect(arn).toMatch(/^"arn:aws-cn:/);
    const raw = template.Resources.SweepStateMachine!.Properties!.DefinitionString['Fn::Sub'][0] as string;
    expect(raw).toContain(`arn:${PSEUDO_PARTITION}:states:::lambda:invoke`);
    expect(raw).not.toContain('arn:aws:');
  });

  it('would be refused if broken: a Next to a state that does not exist', () => {
    const broken = substituted();
    broken.States.Finalize.Next = 'NoSuchState';
    expect(validate(broken).isValid).toBe(false);
  });
});

/**
 * The packaged state machine definition against asl-validator (the Amazon States Language schema,
 * transitions, terminal states, paths and ARNs), with the definition's `${…}` placeholders given
 * the shape of what CloudFormation substitutes (function ARNs, the bucket name).
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionVariables, packaged, type Template } from './packaged.ts';

const validate = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: { message?: string; errorCode?: string }[] };

let template: Template;
beforeAll(async () => {
  ({ template } = await packaged());
}, 240_000);

/** The definition with each placeholder replaced by a value of the kind CloudFormation puts there. */
function substituted(): any {
  const raw = template.Resources.SweepStateMachine!.Properties!.DefinitionString['Fn::Sub'][0] as string;
  const variables = definitionVariables(template) as Record<string, { Ref?: string; 'Fn::GetAtt'?: [string, string] }>;
  return JSON.parse(
    raw.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const v = variables[name];
      if (v?.Ref === 'ReportBucket') return 'contact-auditor-test-reports-123456789012-us-east-1';
      if (v?.['Fn::GetAtt']?.[1] === 'Arn') return `arn:aws:lambda:us-east-1:123456789012:function:${v['Fn::GetAtt'][0]}`;
      throw new Error(`unexpected placeholder ${name}: ${JSON.stringify(v)}`);
    }),
  );
}

describe('the sweep state machine definition', () => {
  it('is valid Amazon States Language (asl-validator, paths and ARNs checked)', () => {
    const result = validate(substituted(), { checkPaths: true, checkArn: true });
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('would be refused if broken: a Next to a state that does not exist', () => {
    const broken = substituted();
    broken.States.Finalize.Next = 'NoSuchState';
    expect(validate(broken).isValid).toBe(false);
  });
});

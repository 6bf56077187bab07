/**
 * cdk-nag's AwsSolutions pack on the packaged template: imported with aws-cdk-lib's CfnInclude
 * (which also checks every resource's properties against the CloudFormation schema it knows), each
 * remaining finding acknowledged from ONE reviewed file, test/stack/nag-suppressions.json, with its
 * reason. A new finding fails; so does an entry that no longer matches anything (stale reasons hide
 * real changes).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { packaged, ROOT } from './packaged.ts';

interface Suppression {
  id: string;
  resources: string[];
  reason: string;
}

const SUPPRESSIONS = (JSON.parse(readFileSync(join(ROOT, 'test/stack/nag-suppressions.json'), 'utf8')) as { suppressions: Suppression[] }).suppressions;
const STACK = 'ContactAuditor';
const INCLUDE = 'Template';

let templateFile = '';
beforeAll(async () => {
  await packaged();
  templateFile = join(ROOT, 'node_modules/.cache/contact-auditor-stack/package/cloudformation-template-update-stack.json');
}, 240_000);

/** Runs the pack; with `acknowledge`, the file's entries are acknowledged on their resources first. */
function nag(acknowledge: boolean): { findings: Set<string>; success: boolean } {
  const app = new App();
  const stack = new Stack(app, STACK);
  const include = new CfnInclude(stack, INCLUDE, { templateFile });
  if (acknowledge) {
    for (const s of SUPPRESSIONS) for (const id of s.resources) Validations.of(include.getResource(id)).acknowledge({ id: s.id, reason: s.reason });
  }
  const report = new AwsSolutionsChecks(app).validateScope(app);
  const findings = new Set<string>();
  for (const v of report.violations) {
    for (const r of v.violatingResources) findings.add(`${v.ruleName} @ ${(r.constructPath ?? r.resourceLogicalId ?? '?').split('/').pop()}`);
  }
  return { findings, success: report.success };
}

describe('cdk-nag AwsSolutions on the packaged template', () => {
  it('has no finding that the reviewed suppressions file does not name, and the file names none that is gone', () => {
    const { findings } = nag(false);
    const suppressed = new Set(SUPPRESSIONS.flatMap((s) => s.resources.map((r) => `${s.id} @ ${r}`)));
    expect([...findings].filter((f) => !suppressed.has(f)).sort(), 'new findings: fix them, or review and add them').toEqual([]);
    expect([...suppressed].filter((s) => !findings.has(s)).sort(), 'stale suppressions').toEqual([]);
  });

  it('passes with the file acknowledged, every entry with a reason', () => {
    for (const s of SUPPRESSIONS) expect(s.reason.length, s.id).toBeGreaterThan(40);
    const { findings, success } = nag(true);
    expect([...findings]).toEqual([]);
    expect(success).toBe(true);
  });

  it('still finds what it should (the pack is live): a bucket without encryption', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contact-auditor-nag-'));
    const file = join(dir, 'probe.json');
    writeFileSync(file, JSON.stringify({ Resources: { Plain: { Type: 'AWS::S3::Bucket', Properties: {} } } }));
    const app = new App();
    const stack = new Stack(app, 'Probe');
    new CfnInclude(stack, INCLUDE, { templateFile: file });
    const report = new AwsSolutionsChecks(app).validateScope(app);
    rmSync(dir, { recursive: true, force: true });
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-S10');
  });
});

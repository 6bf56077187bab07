/**
 * The import rules of .dependency-cruiser.cjs hold: each forbidden import, planted in a copy of the
 * tree, is reported by `npm run lint:deps` under the rule that forbids it, and the command fails.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** A planted file (path in the tree), what it imports, and the rule that must catch it. */
const PLANTS: { file: string; imports: string; rule: string }[] = [
  { file: 'src/rules/plantedAdapter.ts', imports: '../providers/aws/contacts.ts', rule: 'rules-and-policy-stay-pure' },
  { file: 'src/rules/plantedProvider.ts', imports: '../providers/alibaba/directory.ts', rule: 'rules-and-policy-stay-pure' },
  { file: 'src/policy/plantedReport.ts', imports: '../report/buildReport.ts', rule: 'rules-and-policy-stay-pure' },
  { file: 'src/rules/plantedFs.ts', imports: 'node:fs', rule: 'rules-and-policy-do-no-io' },
  { file: 'src/providers/aws/plantedAlibaba.ts', imports: '../alibaba/client.ts', rule: 'no-import-between-providers' },
  { file: 'src/providers/alibaba/plantedAws.ts', imports: '../aws/contacts.ts', rule: 'no-import-between-providers' },
  { file: 'src/providers/alibaba/nested/plantedAws.ts', imports: '../../aws/awsErrors.ts', rule: 'no-import-between-providers' },
  { file: 'src/providers/aws/plantedReport.ts', imports: '../../report/buildReport.ts', rule: 'adapters-do-not-import-reports-or-alerts' },
  { file: 'src/providers/alibaba/plantedAlerts.ts', imports: '../../alerts/buildAlerts.ts', rule: 'adapters-do-not-import-reports-or-alerts' },
  { file: 'src/providers/plantedUseCase.ts', imports: '../audit/job.ts', rule: 'no-import-of-use-cases' },
  { file: 'src/audit/plantedEmulator.ts', imports: '@contact-auditor/aws-emulator', rule: 'emulator-only-from-cli-and-tests' },
  { file: 'handlers/plantedEmulator.ts', imports: '@contact-auditor/aws-emulator', rule: 'emulator-only-from-cli-and-tests' },
  { file: 'src/report/plantedEmulatorFile.ts', imports: '../../packages/aws-emulator/src/store.ts', rule: 'emulator-only-from-cli-and-tests' },
  { file: 'packages/aws-emulator/src/plantedModel.ts', imports: '../../../src/model.ts', rule: 'emulator-stands-alone' },
  { file: 'packages/aws-emulator/src/services/plantedRules.ts', imports: '../../../../src/rules/evaluate.ts', rule: 'emulator-stands-alone' },
  { file: 'src/audit/plantedSdk.ts', imports: '@aws-sdk/client-account', rule: 'sdk-only-in-adapters' },
  { file: 'src/providers/alibaba/plantedAwsSdk.ts', imports: '@aws-sdk/client-organizations', rule: 'sdk-only-in-adapters' },
  { file: 'src/providers/plantedAwsSdk.ts', imports: '@aws-sdk/client-sts', rule: 'sdk-only-in-adapters' },
  { file: 'src/audit/plantedAlicloud.ts', imports: '@alicloud/pop-core', rule: 'alibaba-sdk-only-in-alibaba-provider' },
  { file: 'src/providers/aws/plantedAlicloud.ts', imports: '@alicloud/pop-core', rule: 'alibaba-sdk-only-in-alibaba-provider' },
  { file: 'handlers/plantedAlicloud.ts', imports: '@alicloud/pop-core', rule: 'alibaba-sdk-only-in-alibaba-provider' },
  { file: 'src/providers/aws/plantedCli.ts', imports: '../../cli/main.ts', rule: 'no-import-of-cli' },
  { file: 'src/report/plantedUseCase.ts', imports: '../audit/sweep.ts', rule: 'no-import-of-use-cases' },
  { file: 'src/rules/plantedHandler.ts', imports: '../../handlers/contactChange.ts', rule: 'no-import-of-handlers' },
  { file: 'src/report/plantedYaml.ts', imports: 'yaml', rule: 'yaml-only-in-policy-file-reader' },
  { file: 'src/rules/plantedCycleA.ts', imports: './plantedCycleB.ts', rule: 'no-circular' },
];
/** The other half of the planted circle: it alone breaks no rule, the circle does. */
const CYCLE_PARTNER = { file: 'src/rules/plantedCycleB.ts', imports: './plantedCycleA.ts' };

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** depcruise's text report: one `error RULE: FROM → TO` line per violation (a circle names its chain on the lines below). */
function violations(report: string): Violation[] {
  return [...report.matchAll(/^\s*error ([\w-]+): (\S+) → ?(\S*)/gmu)].map(([, rule, from, to]) => ({
    rule: rule as string,
    from: from as string,
    to: to as string,
  }));
}

let copy: string;
let result: { code: number; violations: Violation[] };

beforeAll(async () => {
  // Prepare: a copy of what lint:deps reads, with every plant in it.
  copy = mkdtempSync(join(tmpdir(), 'import-rules-'));
  for (const entry of ['src', 'handlers', 'bin', 'packages', 'tsconfig.json', 'package.json', '.dependency-cruiser.cjs']) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, filter: (path) => !path.endsWith('node_modules') });
  }
  // The installed packages, except the workspace's own, which npm links to the copy's packages/.
  mkdirSync(join(copy, 'node_modules/@contact-auditor'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '@contact-auditor') symlinkSync(join(ROOT, 'node_modules', name), join(copy, 'node_modules', name));
  }
  symlinkSync('../../packages/aws-emulator', join(copy, 'node_modules/@contact-auditor/aws-emulator'), 'dir');
  for (const plant of [...PLANTS, CYCLE_PARTNER]) {
    mkdirSync(dirname(join(copy, plant.file)), { recursive: true });
    writeFileSync(join(copy, plant.file), `import * as planted from '${plant.imports}';\nexport const used = planted;\n`);
  }
  // Act: the command as a user types it.
  const run = promisify(execFile);
  try {
    const { stdout } = await run('npm', ['run', '-s', 'lint:deps'], { cwd: copy, maxBuffer: 16 * 1024 * 1024 });
    result = { code: 0, violations: violations(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    result = { code: failed.code, violations: violations(failed.stdout) };
  }
}, 120_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('import rules (npm run lint:deps)', () => {
  it('fails when a forbidden import is planted', () => {
    expect(result.code).not.toBe(0);
  });

  it.each(PLANTS)('reports $file → $imports under $rule', ({ file, rule }) => {
    const caught = result.violations.filter((v) => v.from === file).map((v) => v.rule);
    expect(caught).toContain(rule);
  });

  it('reports nothing but the plants', () => {
    const planted = new Set([...PLANTS, CYCLE_PARTNER].map((p) => p.file));
    expect(result.violations.filter((v) => !planted.has(v.from))).toEqual([]);
  });
});

/**
 * Importing the findings into Security Hub the two ways the README gives, against the emulator:
 * `sweep --to securityhub` (the product calls BatchImportFindings), and the README's shell recipe
 * run as a user types it, with the AWS CLI, one `batch-import-findings` call per JSON line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { botocoreModel } from '../fixtures/botocoreModels.ts';
import { validateShape } from '../fixtures/botocoreValidate.ts';
import { emulatorEnv, runCli } from '../e2e/cli.ts';

const run = promisify(execFile);
const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const FAST = ['--rate', '150', '--concurrency', '16'];
const securityhub = botocoreModel('securityhub');

/** The README's import recipe: the shell lines of the fenced block after the "import every finding" sentence. */
function readmeRecipe(): string {
  const m = /To import every finding with the AWS CLI[\s\S]*?```sh\n([\s\S]*?)\n\s*```/.exec(readme);
  if (!m) throw new Error('README: the AWS CLI import recipe is missing');
  // The block sits in a list item: its lines are indented by two spaces.
  return (m[1] as string).replace(/^ {2}/gm, '');
}

let emulator: Emulator;
let delegatedAdmin: string;
let asffOut: string;
beforeAll(async () => {
  const fixture = await loadFixture(fixturePath);
  delegatedAdmin = fixture.organization.delegatedAdminAccountId!;
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 20 });
});
afterAll(async () => {
  await emulator?.close();
});

const imported = () => emulator.state().securityHubFindings.map((f) => f.finding.Id as string);

describe('sweep --format asff --to securityhub', () => {
  it('prints JSON Lines of valid requests and imports every finding as the caller', async () => {
    // Act
    const sweep = await runCli(['sweep', '--config', policyPath, '--format', 'asff', '--to', 'securityhub', ...FAST], emulatorEnv(emulator.url, delegatedAdmin));

    // Assess
    expect(sweep.code, sweep.stderr).toBe(1);
    asffOut = sweep.stdout;
    const requests = sweep.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { Findings: { Id: string }[] });
    const ids = requests.flatMap((r) => r.Findings.map((f) => f.Id));
    expect(ids.length).toBeGreaterThan(100);
    for (const r of requests) {
      expect(r.Findings.length).toBeLessThanOrEqual(100);
      expect(validateShape(securityhub!, 'BatchImportFindingsRequest', r)).toEqual([]);
    }
    expect(sweep.stderr).toContain(`Security Hub: ${ids.length} of ${ids.length} findings imported in ${requests.length} BatchImportFindings request(s), 0 refused`);
    expect(new Set(imported())).toEqual(new Set(ids));
    expect(new Set(emulator.state().securityHubFindings.map((f) => f.finding.AwsAccountId))).toEqual(new Set([delegatedAdmin]));
  }, 120_000);
});

describe('the README import recipe', () => {
  it('imports every line of `--format asff` with the AWS CLI (batch-import-findings --cli-input-json)', async () => {
    // Prepare: the recipe's input, a fresh Security Hub.
    expect(asffOut, 'the sweep test above writes the findings').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'asff-'));
    writeFileSync(join(dir, 'findings.jsonl'), asffOut);
    const fixture = await loadFixture(fixturePath);
    const fresh = await startEmulator({ fixture, port: 0 });
    try {
      // Act: the recipe as the README prints it, minus the sweep line (its output is the file above).
      const script = readmeRecipe()
        .split('\n')
        .filter((line) => !line.startsWith('npx contact-audit'))
        .join('\n');
      // AWS CLI v1 reads its region from AWS_DEFAULT_REGION (a configured CLI has one).
      const env = { ...process.env, ...emulatorEnv(fresh.url, delegatedAdmin), AWS_DEFAULT_REGION: 'us-east-1' };
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });

      // Assess: every finding imported, none refused.
      const ids = asffOut.trimEnd().split('\n').flatMap((l) => (JSON.parse(l) as { Findings: { Id: string }[] }).Findings.map((f) => f.Id));
      expect(new Set(fresh.state().securityHubFindings.map((f) => f.finding.Id))).toEqual(new Set(ids));
      expect(stdout).not.toMatch(/"FailedCount": [1-9]/);
    } finally {
      await fresh.close();
    }
  }, 120_000);
});

/** `contact-audit sweep --format asff|ocsf|junit` end to end: the real binary against the emulator with the sample organization. */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../src/emulator/fixture.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import { emulatorEnv, runCli } from './cli.ts';

const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as object;
const FAST = ['--rate', '150', '--concurrency', '16'];

let emulator: Emulator;
let delegatedAdmin: string;
/** Accounts of the sample organization: one ASFF/OCSF finding per account and alternate contact type, one JUnit suite per account. */
let accounts: number;
beforeAll(async () => {
  const fixture = await loadFixture(fixturePath);
  delegatedAdmin = fixture.organization.delegatedAdminAccountId!;
  accounts = fixture.accounts.length;
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 20 });
});
afterAll(async () => {
  await emulator?.close();
});

describe('sweep --format asff|ocsf|junit', () => {
  it('writes schema-valid ASFF imported as the delegated admin, with the exit code of the sweep', async () => {
    const env = { ...emulatorEnv(emulator.url, delegatedAdmin, 20), AWS_REGION: 'eu-central-1' };
    const run = await runCli(['sweep', '--config', policyPath, '--format', 'asff', ...FAST], env);
    expect(run.code, run.stderr).toBe(1);
    const body = JSON.parse(run.stdout) as { Findings: { AwsAccountId: string; ProductArn: string; Id: string; Compliance: { Status: string } }[] };
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema('asff-batch-import.schema.json'));
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(body.Findings).toHaveLength(accounts * 3);
    expect(new Set(body.Findings.map((f) => f.AwsAccountId))).toEqual(new Set([delegatedAdmin]));
    expect(body.Findings[0]!.ProductArn).toBe(`arn:aws:securityhub:eu-central-1:${delegatedAdmin}:product/${delegatedAdmin}/default`);
    // The delegated admin cannot read the management account: its findings are WARNING, never PASSED.
    expect(body.Findings.filter((f) => f.Id.startsWith('contact-auditor/111111111111/')).map((f) => f.Compliance.Status)).toEqual(['WARNING', 'WARNING', 'WARNING']);
  }, 120_000);

  it('writes OCSF and JUnit', async () => {
    const env = emulatorEnv(emulator.url, delegatedAdmin, 20);
    const ocsf = await runCli(['sweep', '--config', policyPath, '--format', 'ocsf', ...FAST], env);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema('ocsf-compliance-finding.schema.json'));
    const events = JSON.parse(ocsf.stdout) as unknown[];
    expect(validate(events), JSON.stringify(validate.errors)).toBe(true);
    expect(events).toHaveLength(accounts * 3);
    const junit = await runCli(['sweep', '--config', policyPath, '--format', 'junit', ...FAST], env);
    expect(junit.code).toBe(1);
    expect(junit.stdout.match(/<testsuite /g)).toHaveLength(accounts);
    expect(junit.stdout).toContain('<failure type="');
  }, 120_000);
});

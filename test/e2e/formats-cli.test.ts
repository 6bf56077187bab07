/**
 * `contact-audit sweep --format asff|ocsf|junit` end to end against the emulator with the sample
 * organization, in process (test/cli/inProcess.ts): the formats are what is tested; test/e2e/sweep-cli.test.ts
 * runs the real binary.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { botocoreModel } from '../fixtures/botocoreModels.ts';
import { validateShape } from '../fixtures/botocoreValidate.ts';
import { runMain } from '../cli/inProcess.ts';
import { emulatorEnv } from './cli.ts';

const fixturePath = new URL('../../examples/sample-org.json', import.meta.url).pathname;
const policyPath = new URL('../../examples/policy.yaml', import.meta.url).pathname;
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as object;
const FAST = ['--rate', '150', '--concurrency', '16'];

let emulator: Emulator;
let delegatedAdmin: string;
/** Accounts of the sample organization: one JUnit suite per account. */
let accounts: number;
/**
 * Checks of the sample organization: with the sample policy's primaryContact and rootEmail sections,
 * 5 per account (3 alternate contacts, PRIMARY, ROOT_EMAIL); an inactive (SKIPPED) account is not
 * read, so only its 3 alternate contact types show, as "not available".
 */
let checks: number;
beforeAll(async () => {
  const fixture = await loadFixture(fixturePath);
  delegatedAdmin = fixture.organization.delegatedAdminAccountId!;
  accounts = fixture.accounts.length;
  checks = fixture.accounts.reduce((n, a) => n + (a.state === 'ACTIVE' ? 5 : 3), 0);
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 20 });
});
afterAll(async () => {
  await emulator?.close();
});

describe('sweep --format asff|ocsf|junit', () => {
  it('writes schema-valid ASFF imported as the delegated admin, with the exit code of the sweep', async () => {
    const env = { ...emulatorEnv(emulator.url, delegatedAdmin, 20), AWS_REGION: 'eu-central-1' };
    const run = await runMain(['sweep', '--config', policyPath, '--format', 'asff', ...FAST], env);
    expect(run.code, run.stderr).toBe(1);
    type Body = { Findings: { AwsAccountId: string; ProductArn: string; Id: string; Compliance: { Status: string } }[] };
    const requests = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Body);
    for (const r of requests) expect(validateShape(botocoreModel('securityhub')!, 'BatchImportFindingsRequest', r)).toEqual([]);
    const body = { Findings: requests.flatMap((r) => r.Findings) };
    expect(body.Findings).toHaveLength(checks);
    expect(new Set(body.Findings.map((f) => f.AwsAccountId))).toEqual(new Set([delegatedAdmin]));
    expect(body.Findings[0]!.ProductArn).toBe(`arn:aws:securityhub:eu-central-1:${delegatedAdmin}:product/${delegatedAdmin}/default`);
    // The delegated admin cannot read the management account's contacts: those findings are WARNING, never PASSED.
    // Its root e-mail comes from Organizations (GetPrimaryEmail cannot name it), so that one is judged.
    const management = new Map(body.Findings.filter((f) => f.Id.startsWith('contact-auditor/111111111111/')).map((f) => [f.Id.split('/')[2], f.Compliance.Status]));
    expect(Object.fromEntries(management)).toEqual({ BILLING: 'WARNING', OPERATIONS: 'WARNING', SECURITY: 'WARNING', PRIMARY: 'WARNING', ROOT_EMAIL: 'PASSED' });
  });

  it('writes OCSF and JUnit', async () => {
    const env = emulatorEnv(emulator.url, delegatedAdmin, 20);
    const ocsf = await runMain(['sweep', '--config', policyPath, '--format', 'ocsf', ...FAST], env);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema('ocsf-compliance-finding.schema.json'));
    const events = JSON.parse(ocsf.stdout) as unknown[];
    expect(validate(events), JSON.stringify(validate.errors)).toBe(true);
    expect(events).toHaveLength(checks);
    const junit = await runMain(['sweep', '--config', policyPath, '--format', 'junit', ...FAST], env);
    expect(junit.code).toBe(1);
    expect(junit.stdout.match(/<testsuite /g)).toHaveLength(accounts);
    expect(junit.stdout).toContain('<failure type="');
  });
});

/**
 * The README's command for the opt-in remediation role, run as the user pastes it: the AWS CLI's
 * `aws cloudformation deploy` of serverless/remediation-role.yml (YAML with short-form functions)
 * against the emulator's CloudFormation, pointed there only by AWS_ENDPOINT_URL. It stops where a
 * local deploy stops: the stack is created with the role recorded, not an IAM role provisioned.
 * Skipped (visibly) without the AWS CLI.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';

const ROOT = resolve(import.meta.dirname, '../..');
const HAS_AWS_CLI = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** The README's `aws cloudformation deploy --template-file serverless/remediation-role.yml …` command, continuation lines joined. */
const README_COMMAND = (() => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('aws cloudformation deploy --template-file serverless/remediation-role.yml'));
  const end = lines.findIndex((l, i) => i >= start && !l.endsWith('\\'));
  return lines.slice(start, end + 1).join('\n');
})();

const home = mkdtempSync(join(tmpdir(), 'remediation-role-'));
let emu: Emulator;

/** A user's shell pointed at the emulator by AWS_ENDPOINT_URL alone, with none of this machine's AWS set-up. */
function cliEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_ENDPOINT_URL: emu.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'emulator',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
let run: { status: number | null; output: string };

beforeAll(async () => {
  emu = await startEmulator({ fixture: await loadFixture(join(ROOT, 'examples/sample-org.json')) });
  if (!HAS_AWS_CLI) return;
  // Asynchronously: the emulator answering the CLI runs in this process.
  run = await new Promise((done, fail) => {
    const child = spawn('bash', ['-c', README_COMMAND], { cwd: ROOT, env: cliEnv() });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (status) => done({ status, output }));
  });
}, 120_000);

afterAll(async () => {
  await emu?.close();
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!HAS_AWS_CLI)("the README's deploy of the opt-in remediation role (aws cloudformation deploy)", () => {
  it('is in the README', () => {
    expect(README_COMMAND).toMatch(/--capabilities CAPABILITY_NAMED_IAM/);
  });

  it('completes, creating the stack with its one role', () => {
    expect(run.status, run.output).toBe(0);
    const stack = emu.state().cloudFormationStacks.find((s) => s.stackName === 'contact-audit-remediation');
    expect(stack?.stackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
    expect(stack?.resources.map((r) => [r.logicalId, r.type, r.physicalId])).toEqual([['RemediationRole', 'AWS::IAM::Role', 'contact-audit-remediation']]);
  });

  it('hands CloudFormation the template file, its role allowing only the write and the read-back', () => {
    const received = emu.state().cloudFormationTemplates.at(-1)?.template as { Resources: Record<string, any> } | undefined;
    const policy = received?.Resources.RemediationRole.Properties.Policies[0].PolicyDocument;
    expect(policy.Statement.map((s: { Action: string[] }) => s.Action)).toEqual([['account:PutAlternateContact', 'account:GetAlternateContact']]);
  });

  it("answers the stack's output: the role to apply plans with", async () => {
    const { stdout: out } = await promisify(execFile)('aws', ['cloudformation', 'describe-stacks', '--stack-name', 'contact-audit-remediation', '--query', 'Stacks[0].Outputs[0].OutputValue', '--output', 'text'], { env: cliEnv() });
    expect(out.trim()).toMatch(/^arn:aws:iam::\d{12}:role\/contact-audit-remediation$/);
  });
});

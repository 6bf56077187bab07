/** `contact-audit test-alert --topic-arn ARN` against the emulator: the path from the auditor to the inbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAlertCommand } from '../../src/cli/testAlert.ts';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import { emulatorEnv, runCli } from '../e2e/cli.ts';
import { MANAGEMENT, guideOrg } from '../fixtures/organizations.ts';
import { runMain } from './inProcess.ts';

const TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ fixture: guideOrg(), port: 0 });
  emu.createTopic(TOPIC); // topics must exist before they are published to
});
afterAll(async () => {
  await emu?.close();
});

describe('contact-audit test-alert', () => {
  it('as a user runs it: publishes a TEST alert and prints its MessageId', async () => {
    const before = emu.state().snsMessages.length;
    const run = await runCli(['test-alert', '--topic-arn', TOPIC], emulatorEnv(emu.url, MANAGEMENT));
    expect(run.code, run.stderr).toBe(0);
    const [message] = emu.state().snsMessages.slice(before);
    expect(message).toMatchObject({ topicArn: TOPIC, messageAttributes: { event_type: { StringValue: 'TEST' }, severity: { StringValue: 'INFO' } } });
    expect(run.stdout.trim()).toBe(message!.messageId);
  });

  it('exits 2 without a topic', async () => {
    const env = emulatorEnv(emu.url, MANAGEMENT);
    const io = { stdout: () => {}, stderr: () => {}, env, stderrIsTTY: false, stdoutIsTTY: false };
    expect(await testAlertCommand([], io).catch(() => 2)).toBe(2);
    const run = await runMain(['test-alert'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--topic-arn ARN is required/);
  });
});

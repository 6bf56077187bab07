/**
 * `contact-audit event FILE` with JSON Lines of which one is truncated: every good line is handled,
 * the bad one is logged as ignored (SPEC §7), and the exit code is that of the good ones.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnreadableLine, parseEventsInput } from '../../src/cli/eventCommand.ts';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/options.ts';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import { MANAGEMENT, guideOrg } from '../fixtures/organizations.ts';

/** The alert topic of this file (create it first once the emulator requires topics to exist). */
const TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`;
const fixture = guideOrg();
const line = (name: string) => JSON.stringify(JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8')));
const tmp = mkdtempSync(join(tmpdir(), 'contact-audit-jsonl-'));

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ fixture, port: 0, quotaScale: 100 });
  emu.createTopic(TOPIC);
  vi.stubEnv('AWS_ENDPOINT_URL', emu.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', MANAGEMENT);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emu?.close();
});

describe('event with JSON Lines, one truncated', () => {
  it('parses the good lines and marks the bad one with its line number', () => {
    const events = parseEventsInput(`{"a":1}\n{"b":\n\n{"c":3}\n`, 'x');
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({ a: 1 });
    expect(events[1]).toBeInstanceOf(UnreadableLine);
    expect((events[1] as UnreadableLine).line).toBe(2);
    expect(events[2]).toEqual({ c: 3 });
  });

  it('handles every good line, logs the bad one, exit 0', async () => {
    const put = line('guide-example-2-put-alternate-contact');
    const denied = line('denied-put-alternate-contact');
    const path = join(tmp, 'events.jsonl');
    writeFileSync(path, `${put}\n${denied.slice(0, denied.length / 2)}\n${line('guide-example-3-delete-alternate-contact')}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { ...process.env }, stderrIsTTY: false, stdoutIsTTY: false };
    const before = emu.state().snsMessages.length;

    const code = await main(['event', path, '--domain', 'example.com', '--topic-arn', TOPIC], io);

    expect(err.join('')).toMatch(/event 2: ignored: line 2 is not JSON/);
    expect(err.join('')).toMatch(/event 1 \([^)]+\): CONTACT_CHANGED/);
    expect(err.join('')).toMatch(/event 3 \([^)]+\): CONTACT_CHANGED/);
    expect(emu.state().snsMessages.length - before).toBe(2);
    expect(code).toBe(0);
  });
});

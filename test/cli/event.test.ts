import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/options.ts';
import { eventCommand, parseEventsInput } from '../../src/cli/eventCommand.ts';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import { emulatorEnv, runCli } from '../e2e/cli.ts';
import { GUIDE_ACCOUNT, MANAGEMENT, contactAt, guideOrg } from '../fixtures/organizations.ts';

const MEMBER = '444455556666';
const TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`;
const fixture = guideOrg([
  { id: MEMBER, name: 'member', email: 'c@example.com', state: 'ACTIVE', contacts: { BILLING: contactAt('billing'), OPERATIONS: null, SECURITY: contactAt('sec') } },
]);

const eventsDir = new URL('../events/', import.meta.url);
const text = (name: string) => readFileSync(new URL(`${name}.json`, eventsDir), 'utf8');
const json = (name: string) => JSON.parse(text(name));
const tmp = mkdtempSync(join(tmpdir(), 'contact-audit-event-'));
const file = (name: string, body: string) => {
  const path = join(tmp, name);
  writeFileSync(path, body);
  return path;
};

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ fixture, port: 0, quotaScale: 100 });
  emu.createTopic(TOPIC); // topics must exist before they are published to
  // The SDK takes endpoint and credentials from the process environment (the standard chain), as in real use.
  stubAws(emu.url);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emu?.close();
});

function stubAws(endpoint: string) {
  vi.stubEnv('AWS_ENDPOINT_URL', endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', MANAGEMENT);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  vi.stubEnv('AWS_REGION', 'us-east-1');
}

function io(extraEnv: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { ...process.env, ...extraEnv },
    stderrIsTTY: false,
    stdoutIsTTY: false,
  };
  return { cli, out, err, stdout: () => out.join(''), stderr: () => err.join('') };
}

const snsCount = () => emu.state().snsMessages.length;

describe('contact-audit event', () => {
  it('as the user runs it (the real binary): one JSON line per alert when no topic is given, ignored events explained on stderr', async () => {
    const input = file(
      'mixed.json',
      JSON.stringify([json('guide-example-1-get-alternate-contact'), json('guide-example-2-put-alternate-contact'), json('org-context-put-accountId'), json('denied-put-alternate-contact'), 'junk']),
    );
    const before = snsCount();
    const run = await runCli(['event', input, '--domain', 'example.com'], emulatorEnv(emu.url, MANAGEMENT));

    expect(run.code, run.stderr).toBe(0);
    expect(snsCount()).toBe(before);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.eventType, l.attributes.account_id, l.data.status ?? null])).toEqual([
      ['CONTACT_CHANGED', GUIDE_ACCOUNT, 'COMPLIANT'],
      ['CONTACT_CHANGED', MEMBER, 'NON_COMPLIANT'],
      ['CONTACT_CHANGE_DENIED', MEMBER, null],
    ]);
    for (const line of lines) expect(Object.keys(line)).toEqual(['eventType', 'severity', 'subject', 'attributes', 'data']);
    expect(run.stderr).toMatch(/event 1: ignored: .*GetAlternateContact/);
    expect(run.stderr).toMatch(/event 5: ignored: not an EventBridge event/);
  });

  it('reads JSON lines from standard input and alerts once for a repeated eventID', async () => {
    const e = JSON.stringify(json('guide-example-3-delete-alternate-contact'));
    const t = io();
    const code = await eventCommand(['-', '--domain', 'example.com'], t.cli, { readStdin: async () => `${e}\n\n${e}\n` });
    expect(code).toBe(0);
    expect(t.stdout().trim().split('\n')).toHaveLength(1);
    expect(t.stderr()).toMatch(/event 2 \(1a2b3c4d-5e6f-1234-abcd-666666666666\): already handled/);
  });

  it('publishes to --topic-arn and writes changes/ under --out', async () => {
    const out = join(tmp, 'reports');
    const t = io();
    const before = snsCount();
    const code = await main(['event', file('one.json', text('org-context-delete-AccountId')), '--domain', 'example.com', '--topic-arn', TOPIC, '--out', out], t.cli);
    expect(code).toBe(0);
    expect(t.stdout()).toBe('');
    const [message] = emu.state().snsMessages.slice(before);
    expect(message).toMatchObject({ topicArn: TOPIC, messageAttributes: { event_type: { StringValue: 'CONTACT_CHANGED' }, account_id: { StringValue: MEMBER } } });
    expect(t.stderr()).toMatch(/published as /);
    const dir = join(out, 'changes', 'dt=2021-04-30');
    expect(readdirSync(dir)).toEqual(['1a2b3c4d-5e6f-1234-abcd-aaaaaaaaaaaa.json']);
    expect(JSON.parse(readFileSync(join(dir, '1a2b3c4d-5e6f-1234-abcd-aaaaaaaaaaaa.json'), 'utf8'))).toMatchObject({ accountId: MEMBER, result: { status: 'NON_COMPLIANT' } });
  });

  it('takes the topic from CONTACT_AUDIT_TOPIC_ARN', async () => {
    const t = io({ CONTACT_AUDIT_TOPIC_ARN: TOPIC });
    const before = snsCount();
    expect(await main(['event', file('denied.json', text('denied-put-alternate-contact')), '--domain', 'example.com'], t.cli)).toBe(0);
    expect(snsCount()).toBe(before + 1);
  });

  it.each<[string, () => string[], RegExp]>([
    ['a missing file', () => ['event', join(tmp, 'nope.json'), '--domain', 'example.com'], /nope\.json: cannot be read/],
    ['a folder', () => ['event', tmp, '--domain', 'example.com'], /not a file/],
    ['non-JSON input', () => ['event', file('bad.txt', 'hello world'), '--domain', 'example.com'], /bad\.txt: not JSON/],
    ['JSON lines of which none is JSON', () => ['event', file('bad.jsonl', `{oops\n{"a":\n`), '--domain', 'example.com'], /bad\.jsonl: not JSON, nor JSON lines: line 1/],
    ['empty input', () => ['event', file('empty.json', '  \n'), '--domain', 'example.com'], /no events/],
    ['no policy', () => ['event', file('p.json', text('guide-example-2-put-alternate-contact'))], /a policy is needed/],
    ['a bad topic ARN', () => ['event', file('t.json', text('guide-example-2-put-alternate-contact')), '--domain', 'example.com', '--topic-arn', 'nope'], /not an SNS topic ARN/],
    ['no FILE', () => ['event', '--domain', 'example.com'], /give a FILE, or -/],
    ['an unknown option', () => ['event', 'x.json', '--frobnicate'], /frobnicate/],
  ])('exits 2 and publishes nothing on %s', async (_name, argv, message) => {
    const t = io();
    const before = snsCount();
    expect(await main(argv(), t.cli)).toBe(2);
    expect(t.stderr()).toMatch(message);
    expect(t.stdout()).toBe('');
    expect(snsCount()).toBe(before);
  });

  it('exits 4 when an alert cannot be published, after handling the other events', async () => {
    // SNS alone unreachable (nothing listens there): the reads are answered, the alerts are not.
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', 'http://127.0.0.1:9');
    // Every retry's jittered backoff drawn as 0 (1 ms): the publish is tried as often as ever, without 15 s of waits.
    const jitter = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const t = io();
      const input = file('two.json', JSON.stringify([json('denied-put-alternate-contact'), json('guide-example-1-get-alternate-contact')]));
      const code = await main(['event', input, '--domain', 'example.com', '--topic-arn', TOPIC], t.cli);
      expect(code).toBe(4);
      expect(t.stderr()).toMatch(/event 1: not handled/);
      expect(t.stderr()).toMatch(/event 2: ignored/);
    } finally {
      jitter.mockRestore();
      vi.unstubAllEnvs();
      stubAws(emu.url);
    }
  });
});

describe('parseEventsInput', () => {
  it('accepts one event, an array, or JSON lines', () => {
    expect(parseEventsInput('{"a":1}', 'x')).toEqual([{ a: 1 }]);
    expect(parseEventsInput('\uFEFF[{"a":1},{"b":2}]', 'x')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseEventsInput('{"a":1}\r\n{"b":2}\n', 'x')).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

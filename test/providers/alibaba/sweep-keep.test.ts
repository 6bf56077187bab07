/**
 * How an Alibaba sweep keeps its reports and sends its alerts: the AWS sweep's promises (README
 * "Report formats", on latest/), in process through runSweepJob with the Alibaba provider, against the emulator's Resource Directory,
 * its SNS, and reports in a folder. `--accounts` is a partial sweep: runs/ and findings/ only,
 * never latest/, only the summary; so the next full sweep diffs against the last full one.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweepJob } from '../../../src/audit/job.ts';
import { alibabaProviderSource, parseMemberIds } from '../../../src/providers/alibaba/alibabaProvider.ts';
import { alibabaSettingsFromEnv } from '../../../src/config.ts';
import { type AlibabaFixture, type Emulator, generateOrganization, loadAlibabaFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { policyFromDomains } from '../../../src/policy/load.ts';
import { runMain } from '../../cli/inProcess.ts';

const fixturePath = new URL('./directory.json', import.meta.url).pathname;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:contact-alerts';
/** Member 4's own contact is still Verifying in directory.json (NON_COMPLIANT, CONTACT_NOT_VERIFIED). */
const VERIFYING = '1000000000000004';

/** The directory as it was the day before: member 4's contact already verified. */
function dayBefore(fixture: AlibabaFixture): AlibabaFixture {
  const earlier = structuredClone(fixture);
  for (const contact of earlier.contacts) if (contact.members.includes(VERIFYING)) contact.status = 'Active';
  return earlier;
}

let before: Emulator;
let now: Emulator;
let work: string;
beforeAll(async () => {
  const fixture = await loadAlibabaFixture(fixturePath);
  [before, now] = await Promise.all([
    startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), alibaba: dayBefore(fixture), port: 0 }),
    startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), alibaba: fixture, port: 0 }),
  ]);
  for (const emulator of [before, now]) emulator.createTopic(TOPIC, ['*']);
  work = await mkdtemp(join(tmpdir(), 'contact-audit-alibaba-keep-'));
});
afterAll(async () => {
  await Promise.all([before?.close(), now?.close()]);
  if (work) await rm(work, { recursive: true, force: true });
});

/** One sweep as `contact-audit sweep --cloud alibaba --domain example.com --out <out> --topic-arn …` runs it. */
function sweep(emulator: Emulator, out: string, accounts?: string) {
  const settings = alibabaSettingsFromEnv({ ALIBABA_CLOUD_ENDPOINT: emulator.url, ALIBABA_CLOUD_ACCESS_KEY_ID: 'AKmanagement', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'any-secret' });
  return runSweepJob({
    policy: policyFromDomains(['example.com']),
    provider: alibabaProviderSource(settings, { ratePerSecond: 1000, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }),
    clientSettings: { region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId: 'AKIAALERTS', secretAccessKey: 'x' } },
    concurrency: 4,
    out: { kind: 'dir', path: out },
    topicArn: TOPIC,
    ...(accounts !== undefined ? { accountIds: parseMemberIds(accounts) } : {}),
  });
}

/** What one sweep published: event types, and the members VIOLATION_OPENED names. */
async function published(emulator: Emulator, run: () => Promise<unknown>) {
  const from = emulator.state().snsMessages.length;
  await run();
  const messages = emulator.state().snsMessages.slice(from);
  return {
    types: messages.map((m) => m.messageAttributes.event_type?.StringValue),
    opened: messages.filter((m) => m.messageAttributes.event_type?.StringValue === 'VIOLATION_OPENED').map((m) => m.messageAttributes.account_id?.StringValue),
  };
}

const latestFiles = async (out: string) =>
  Object.fromEntries(await Promise.all((await readdir(join(out, 'latest'))).sort().map(async (name) => [name, await readFile(join(out, 'latest', name), 'utf8')])));

describe('Alibaba sweeps keep reports and alert as the AWS sweep does', () => {
  it('a full sweep alerts what opened since the previous full sweep, and becomes latest/', async () => {
    const out = join(work, 'full');
    expect((await published(before, () => sweep(before, out))).types).toEqual(['SWEEP_SUMMARY']);
    const second = await published(now, () => sweep(now, out));
    expect(second.opened).toEqual([VERIFYING]);
    expect(second.types.filter((type) => type === 'SWEEP_SUMMARY')).toHaveLength(1);
    const latest = JSON.parse((await latestFiles(out))['report.json']);
    expect(latest.accounts.find((a: { accountId: string }) => a.accountId === VERIFYING)?.status).toBe('NON_COMPLIANT');
  });

  it('--accounts writes runs/ and findings/ only, sends only the summary, and the next full sweep re-sends no VIOLATION_OPENED', async () => {
    const out = join(work, 'partial');
    await sweep(now, out);
    const full = await latestFiles(out);
    expect(Object.keys(full)).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);

    let partialRun: Awaited<ReturnType<typeof sweep>> | undefined;
    const partial = await published(now, async () => (partialRun = await sweep(now, out, `${VERIFYING},1000000000000006`)));
    expect(partial.types).toEqual(['SWEEP_SUMMARY']);
    expect(await latestFiles(out)).toEqual(full);
    // The partial run is kept: its runs/ folder and its findings file, two members only.
    const { report } = partialRun!;
    expect(report.accounts.map((a) => a.accountId)).toEqual([VERIFYING, '1000000000000006']);
    const day = report.startedAt.slice(0, 10);
    expect((await readdir(join(out, 'runs', ...day.split('-'), report.runId))).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
    expect((await readFile(join(out, 'findings', `dt=${day}`, `${report.runId}.jsonl`), 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(partialRun!.finalized?.htmlLocation).toContain(report.runId);

    // Nothing changed since the full sweep: the next one opens nothing, though most members are non-compliant.
    const next = await published(now, () => sweep(now, out));
    expect(next.opened).toEqual([]);
    expect(next.types).toEqual(['SWEEP_SUMMARY']);
  });

  it('`sweep --cloud alibaba --out DIR --accounts <one member>` as typed leaves latest/ as the last full run left it', async () => {
    // Prepare: a full run through the command, whose latest/ the partial one must not replace.
    const out = join(work, 'partial-cli');
    const env = { ALIBABA_CLOUD_ENDPOINT: now.url, ALIBABA_CLOUD_ACCESS_KEY_ID: 'AKmanagement', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'any-secret' };
    const args = ['sweep', '--cloud', 'alibaba', '--domain', 'example.com', '--format', 'json', '--out', out, '--quiet'];
    expect((await runMain(args, env)).code).toBe(1);
    const full = await latestFiles(out);

    // Act: one member only.
    const partial = await runMain([...args, '--accounts', VERIFYING], env);

    // Assess: the member was read and its run kept under runs/, but latest/ is the full run's, byte for byte.
    expect(partial.code, partial.stderr).toBe(1);
    const report = JSON.parse(partial.stdout) as { runId: string; startedAt: string; accounts: { accountId: string }[] };
    expect(report.accounts.map((a) => a.accountId)).toEqual([VERIFYING]);
    expect(await latestFiles(out)).toEqual(full);
    expect(await readdir(join(out, 'runs', ...report.startedAt.slice(0, 10).split('-'), report.runId))).toContain('report.json');
  });
});

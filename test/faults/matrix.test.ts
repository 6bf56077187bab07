/**
 * The fault matrix: the real CLI sweeps a generated organization on the emulator while
 * AWS misbehaves, and every case checks the same things: every account exactly once, nothing
 * COMPLIANT that was not read and is not compliant, UNKNOWN only with CHECK_FAILED and an AWS
 * error code, the README's exit code, and no half-written `latest/`.
 *
 * Quotas are scaled (×10: 100 reads/s) so the matrix fits in a few minutes; the sweep is told the
 * scaled rate with --rate, as an operator would. Runs as the delegated administrator (the
 * recommended set-up), so the management account is UNKNOWN with AccessDenied in every report.
 */
import { AccountClient, DeleteAlternateContactCommand } from '@aws-sdk/client-account';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type Fixture, generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { checkReport, cliSweep, expectedExit, readJson, tempDir, truth, unexpectedUnknown, when } from './helpers.ts';

const SCALE = 10;
const RATE = String(10 * SCALE);
const BUCKET = 'audit-reports';

let emu: Emulator | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  for (const clean of cleanups.splice(0)) await clean();
});

async function start(accounts: number, options: { quotaScale?: number; faultRate?: number; latencyMs?: number; seed?: number } = {}): Promise<{ fixture: Fixture; caller: string }> {
  const fixture = generateOrganization({ accounts, seed: options.seed ?? 11 });
  emu = await startEmulator({ fixture, port: 0, quotaScale: options.quotaScale ?? SCALE, faultRate: options.faultRate ?? 0, latencyMs: options.latencyMs ?? 0, seed: options.seed ?? 11 });
  emu.createBucket(BUCKET);
  emu.createTopic(`arn:aws:sns:us-east-1:${fixture.organization.delegatedAdminAccountId}:contact-audit-alerts`);
  return { fixture, caller: fixture.organization.delegatedAdminAccountId! };
}

async function folder(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

/** The evidence objects under `prefix` (state/accounts/<id>.json and state/organization.json), each one PutObject of a sweep. */
function stateObjects(prefix: string): number {
  return emu!.state().s3Objects.filter((o) => o.bucket === BUCKET && o.key.startsWith(`${prefix}state/`)).length;
}

/** The S3 object's text in the emulator, through its own S3 API (what a reader of the bucket sees). */
async function s3Text(key: string): Promise<string | undefined> {
  const res = await fetch(`${emu!.url}/${BUCKET}/${key}`);
  return res.status === 200 ? res.text() : undefined;
}

const LATEST = ['latest/report.json', 'latest/report.csv', 'latest/report.md', 'latest/report.html'];

describe('fault matrix', () => {
  it('control: no faults — the report is the fixture, exit 1, reports under runs/ and latest/', async () => {
    const { fixture, caller } = await start(150);
    const out = await folder();
    const run = await cliSweep(emu!, caller, ['--rate', RATE, '--out', out]);
    expect(run.report, run.stderr).toBeDefined();
    checkReport(run.report!, fixture, { caller });
    expect(unexpectedUnknown(run.report!, fixture)).toEqual([]);
    expect(run.exitCode).toBe(1);
    expect(run.exitCode).toBe(expectedExit(run.report!));
    expect((await readJson<Report>(join(out, 'latest/report.json'))).runId).toBe(run.report!.runId);
  });

  it('exit codes: 0 when every selected account is compliant, 3 when one is UNKNOWN and none NON_COMPLIANT', async () => {
    const { fixture, caller } = await start(60);
    const today = new Date().toISOString().slice(0, 10);
    const compliant = fixture.accounts.filter((a) => a.id !== fixture.organization.managementAccountId && truth(fixture, a.id, today).status === 'COMPLIANT').map((a) => a.id);
    const ok = await cliSweep(emu!, caller, ['--rate', RATE, '--accounts', compliant.slice(0, 5).join(',')]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.report!.summary.compliant).toBe(5);
    // The delegated admin cannot read the management account: AWS answers AccessDenied, the report says UNKNOWN.
    const unknown = await cliSweep(emu!, caller, ['--rate', RATE, '--accounts', [...compliant.slice(0, 5), fixture.organization.managementAccountId].join(',')]);
    expect(unknown.exitCode, unknown.stderr).toBe(3);
    expect(unknown.report!.summary).toMatchObject({ compliant: 5, unknown: 1 });
  });

  for (const rate of [0.05, 0.2]) {
    it(`fault rate ${rate * 100}% (500s and dropped connections on every API): retried, every account read, reports in S3`, async () => {
      const { fixture, caller } = await start(200, { faultRate: rate, seed: rate === 0.05 ? 5 : 20 });
      const run = await cliSweep(emu!, caller, ['--rate', RATE, '--out', `s3://${BUCKET}/faults`]);
      expect(run.report, run.stderr).toBeDefined();
      checkReport(run.report!, fixture, { caller });
      expect(unexpectedUnknown(run.report!, fixture)).toEqual([]);
      expect(run.exitCode).toBe(1);
      const retried = Number(/(\d+) retried/.exec(run.stderr)?.[1]);
      expect(retried).toBeGreaterThan(rate * 600 * 0.5);
      const latest = await s3Text('faults/latest/report.json');
      expect(JSON.parse(latest!).runId).toBe(run.report!.runId);
    });
  }

  it('throttling storm: the quota is 1/s (quotaScale 0.1) while the sweep starts at 10/s — it slows to what AWS allows and reads every account', async () => {
    const { fixture, caller } = await start(12, { quotaScale: 0.1 });
    const out = await folder();
    // --rate 10: the aws quota, as a sweep that does not know another reader spends most of it would pace.
    const run = await cliSweep(emu!, caller, ['--rate', '10', '--out', out]);
    expect(run.report, run.stderr).toBeDefined();
    checkReport(run.report!, fixture, { caller, managementMayBeThrottled: true });
    const state = emu!.state();
    // The storm happened …
    expect(state.throttledCounts.GetAlternateContact ?? 0).toBeGreaterThan(10);
    // … and the pacer backed off to the quota instead of spending every retry on 429s.
    expect(unexpectedUnknown(run.report!, fixture)).toEqual([]);
    expect(run.exitCode).toBe(expectedExit(run.report!));
    expect((await readJson<Report>(join(out, 'latest/report.json'))).runId).toBe(run.report!.runId);
  });

  it('connections dropped mid-response (status line and half a body, then the socket closes): retried', async () => {
    const { fixture, caller } = await start(200);
    emu!.injectFault({ operation: 'ListAccounts', count: 2, kind: 'drop' });
    emu!.injectFault({ operation: 'GetCallerIdentity', count: 1, kind: 'drop' });
    // Once the concurrent reads have begun (after the one set-up probe read), so the drops spread over many reads.
    const drops = when(emu!, (c) => (c.GetAlternateContact ?? 0) >= 2, () => emu!.injectFault({ operation: 'GetAlternateContact', count: 60, kind: 'drop' }));
    const run = await cliSweep(emu!, caller, ['--rate', RATE]);
    await drops.fired;
    expect(run.report, run.stderr).toBeDefined();
    checkReport(run.report!, fixture, { caller });
    expect(unexpectedUnknown(run.report!, fixture)).toEqual([]);
    expect(run.exitCode).toBe(1);
    expect(Number(/(\d+) retried/.exec(run.stderr)?.[1])).toBeGreaterThanOrEqual(60);
  });

  it('ListAccounts throttled between pages: each page retried on its own, no account lost or doubled', async () => {
    // 5 ms per answer so the injection lands while the listing is still paging.
    const { fixture, caller } = await start(200, { latencyMs: 5 });
    const pages = Math.ceil(fixture.accounts.length / 20);
    const inject = when(emu!, (c) => (c.ListAccounts ?? 0) >= 1, () => emu!.injectFault({ operation: 'ListAccounts', count: 4, kind: 'throttle' }));
    const run = await cliSweep(emu!, caller, ['--rate', RATE]);
    const atInjection = await inject.fired;
    expect(atInjection.ListAccounts).toBeLessThan(pages);
    const state = emu!.state();
    expect(state.throttledCounts.ListAccounts).toBe(4);
    expect(state.requestCounts.ListAccounts).toBe(pages + 4);
    checkReport(run.report!, fixture, { caller });
    expect(unexpectedUnknown(run.report!, fixture)).toEqual([]);
    expect(run.exitCode).toBe(1);
  });

  it('accounts suspended during the sweep: one before its page is listed (SKIPPED), one after (read as listed); none lost', async () => {
    const { fixture, caller } = await start(200, { latencyMs: 5 });
    const duringListing = fixture.accounts.at(-1)!;
    const duringReads = fixture.accounts.find((a, i) => i > 150 && a.state === 'ACTIVE' && a.id !== duringListing.id)!;
    const listing = when(emu!, (c) => (c.ListAccounts ?? 0) >= 1, () => emu!.setAccountState(duringListing.id, 'SUSPENDED'));
    const reads = when(emu!, (c) => (c.GetAlternateContact ?? 0) >= 30, () => emu!.setAccountState(duringReads.id, 'SUSPENDED'));
    const run = await cliSweep(emu!, caller, ['--rate', RATE]);
    await listing.fired;
    await reads.fired;
    checkReport(run.report!, fixture, { caller, changed: [duringListing.id, duringReads.id] });
    const byId = (id: string) => run.report!.accounts.filter((a) => a.accountId === id);
    expect(byId(duringListing.id)).toHaveLength(1);
    expect(byId(duringListing.id)[0]).toMatchObject({ state: 'SUSPENDED', status: 'SKIPPED' });
    expect(byId(duringReads.id)).toHaveLength(1);
    // Listed ACTIVE, so it was read; AWS's answer for it is reported as it came.
    expect(byId(duringReads.id)[0]!.state).toBe('ACTIVE');
    expect(byId(duringReads.id)[0]!.status).not.toBe('SKIPPED');
    expect(run.exitCode).toBe(expectedExit(run.report!));
  });

  it('SNS Publish fails beyond the retries: exit 4, says alerts were not delivered, reports written', async () => {
    const { fixture, caller } = await start(100);
    const out = await folder();
    emu!.injectFault({ operation: 'Publish', count: 20, kind: 'server-error' });
    const topic = `arn:aws:sns:us-east-1:${caller}:contact-audit-alerts`;
    const run = await cliSweep(emu!, caller, ['--rate', RATE, '--out', out, '--topic-arn', topic]);
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/error: \d+ alerts? could not be published to arn:aws:sns:/);
    checkReport(run.report!, fixture, { caller });
    expect(emu!.state().snsMessages).toEqual([]);
    expect(emu!.state().requestCounts.Publish).toBe(8);
    const latest = await readJson<Report>(join(out, 'latest/report.json'));
    expect(latest.runId).toBe(run.report!.runId);
    checkReport(latest, fixture, { caller });
    const [y, m, d] = run.report!.startedAt.slice(0, 10).split('-');
    expect((await readdir(join(out, 'runs', y!, m!, d!, run.report!.runId))).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
  });

  it('S3 PutObject fails beyond the retries: exit 4, nothing of the failed run in latest/, the previous latest/ whole', async () => {
    const { fixture, caller } = await start(100);
    const first = await cliSweep(emu!, caller, ['--rate', RATE, '--out', `s3://${BUCKET}/org`]);
    expect(first.exitCode, first.stderr).toBe(1);
    const before = await Promise.all(LATEST.map((k) => s3Text(`org/${k}`)));

    // After the write check the sweep makes before its first read (one PutObject) and the evidence
    // it keeps as it reads (one PutObject per state/ object, docs/continuous.md), S3 fails for good.
    const putsBefore = emu!.state().requestCounts.PutObject!;
    const evidencePuts = stateObjects('org/');
    const fail = when(emu!, (c) => (c.PutObject ?? 0) >= putsBefore + 1 + evidencePuts, () => emu!.injectFault({ operation: 'PutObject', count: 12, kind: 'server-error' }));
    const second = await cliSweep(emu!, caller, ['--rate', RATE, '--out', `s3://${BUCKET}/org`]);
    await fail.fired;
    expect(second.exitCode).toBe(4);
    expect(second.stderr).toMatch(/could not complete/);
    const after = await Promise.all(LATEST.map((k) => s3Text(`org/${k}`)));
    expect(after).toEqual(before);
    const latest = JSON.parse(after[0]!) as Report;
    expect(latest.runId).toBe(first.report!.runId);
    checkReport(latest, fixture, { caller });
    // The accounts were read: the report still reaches stdout, whole, though it could not be kept.
    expect(second.report, second.stderr).toBeDefined();
    checkReport(second.report!, fixture, { caller });
    expect(second.stderr).toMatch(/reports could not be written to s3:\/\//);
    expect(emu!.state().s3Objects.some((o) => o.key.includes(second.report!.runId))).toBe(false);
  });

  it('S3 fails while latest/ is being replaced: exit 4, latest/report.json (the baseline) is still the previous run and every latest/ file is whole', async () => {
    // 25 ms per answer so the injection lands between two PutObjects.
    const { fixture, caller } = await start(60, { latencyMs: 25 });
    const first = await cliSweep(emu!, caller, ['--rate', RATE, '--out', `s3://${BUCKET}/org`]);
    expect(first.exitCode, first.stderr).toBe(1);
    const putsPerRun = emu!.state().requestCounts.PutObject!;
    const evidencePuts = stateObjects('org/');
    expect(putsPerRun).toBe(10 + evidencePuts); // the write check, the evidence, runs/ ×4, findings, latest/ ×4

    // Let the second run write its check, its evidence, its runs/ files, its findings and latest/report.csv; fail the next put for good.
    const fail = when(emu!, (c) => (c.PutObject ?? 0) >= putsPerRun + evidencePuts + 7, () => emu!.injectFault({ operation: 'PutObject', count: 12, kind: 'server-error' }));
    const second = await cliSweep(emu!, caller, ['--rate', RATE, '--out', `s3://${BUCKET}/org`]);
    await fail.fired;
    expect(second.exitCode).toBe(4);
    const latest = JSON.parse((await s3Text('org/latest/report.json'))!) as Report;
    expect(latest.runId).toBe(first.report!.runId);
    checkReport(latest, fixture, { caller });
    // The files the failed run had already replaced were put back: latest/ is the first run, whole.
    const day = first.report!.startedAt.slice(0, 10).replaceAll('-', '/');
    for (const key of LATEST) {
      const text = await s3Text(`org/${key}`);
      expect(text, key).toBeDefined();
      expect(text, key).toBe(await s3Text(`org/runs/${day}/${first.report!.runId}/${key.slice('latest/'.length)}`));
    }
  });
  it('the reply of every PUT of latest/report.json is lost (the object is stored): exit 4 each time, latest/ stays whole, the next run alerts what the failed run saw', async () => {
    const { fixture, caller } = await start(40);
    const topic = `arn:aws:sns:us-east-1:${caller}:contact-audit-alerts`;
    const out = ['--rate', RATE, '--out', `s3://${BUCKET}/lost`, '--topic-arn', topic];
    const json = `/${BUCKET}/lost/latest/report.json`;
    // Eight attempts of the write, then eight of the undo that puts the previous file back.
    const EVERY_ATTEMPT = 16;

    // A first run: no latest/ at all afterwards, never a partial one.
    emu!.injectFault({ operation: 'PutObject', count: EVERY_ATTEMPT / 2, kind: 'reply-lost', path: json });
    const failedFirst = await cliSweep(emu!, caller, out);
    expect(failedFirst.exitCode, failedFirst.stderr).toBe(4);
    expect(await Promise.all(LATEST.map((k) => s3Text(`lost/${k}`)))).toEqual(LATEST.map(() => undefined));

    const first = await cliSweep(emu!, caller, out);
    expect(first.exitCode, first.stderr).toBe(1);
    const before = await Promise.all(LATEST.map((k) => s3Text(`lost/${k}`)));

    // A compliant member loses its SECURITY contact; the run that sees it cannot switch latest/.
    const today = new Date().toISOString().slice(0, 10);
    const broken = fixture.accounts.find((a) => a.id !== fixture.organization.managementAccountId && a.id !== caller && truth(fixture, a.id, today).status === 'COMPLIANT')!.id;
    const management = new AccountClient({ region: 'us-east-1', endpoint: emu!.url, credentials: { accessKeyId: fixture.organization.managementAccountId, secretAccessKey: 'x' } });
    await management.send(new DeleteAlternateContactCommand({ AccountId: broken, AlternateContactType: 'SECURITY' }));
    management.destroy();
    emu!.injectFault({ operation: 'PutObject', count: EVERY_ATTEMPT, kind: 'reply-lost', path: json });
    const second = await cliSweep(emu!, caller, out);
    expect(second.exitCode, second.stderr).toBe(4);
    expect(second.report!.accounts.find((a) => a.accountId === broken)?.status).toBe('NON_COMPLIANT');
    expect(await Promise.all(LATEST.map((k) => s3Text(`lost/${k}`)))).toEqual(before);

    // The third run diffs against the first (the last whole switch), so the violation is alerted now.
    const sent = emu!.state().snsMessages.length;
    const third = await cliSweep(emu!, caller, out);
    expect(third.exitCode, third.stderr).toBe(1);
    const opened = emu!.state().snsMessages.slice(sent).filter((m) => m.messageAttributes.event_type?.StringValue === 'VIOLATION_OPENED');
    expect(opened.map((m) => m.messageAttributes.account_id?.StringValue)).toEqual([broken]);
    expect(JSON.parse((await s3Text('lost/latest/report.json'))!).runId).toBe(third.report!.runId);
  });
});

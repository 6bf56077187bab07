/**
 * New accounts end to end (README, "New accounts"): accounts created through the emulator's
 * Organizations API, their CreateAccountResult events (as the emulator recorded them) fed to
 * `contact-audit event --out DIR`, then `event --due` at chosen times. No step waits on the clock:
 * every time is given with `--at`, counted from the time the emulator recorded.
 */
import { PutAlternateContactCommand, type AlternateContactType } from '@aws-sdk/client-account';
import { CreateAccountCommand } from '@aws-sdk/client-organizations';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudTrailRecord, type Emulator, startEmulator } from '@contact-auditor/aws-emulator';
import { emulatorEnv } from '../e2e/cli.ts';
import { clients } from '../../packages/aws-emulator/test/helpers.ts';
import { MANAGEMENT, smallOrg } from '../fixtures/organizations.ts';
import { runMain } from './inProcess.ts';

const TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:alerts`;
const HOUR = 3_600_000;
const tmp = mkdtempSync(join(tmpdir(), 'contact-audit-new-accounts-'));
const policyFile = join(tmp, 'policy.json');
writeFileSync(policyFile, JSON.stringify({ companyDomains: ['example.com'], newAccountGraceHours: 2 }));

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ fixture: smallOrg(), port: 0, quotaScale: 100 });
  emu.createTopic(TOPIC);
});
afterAll(async () => {
  await emu?.close();
});

const env = () => emulatorEnv(emu.url, MANAGEMENT, 100);
const cli = (args: string[]) => runMain(args, env());
const newAccountAlerts = () => emu.state().snsMessages.filter((m) => m.messageAttributes.event_type?.StringValue === 'NEW_ACCOUNT_NOT_COMPLIANT');

/** Creates an account through Organizations; its CreateAccountResult as EventBridge delivers it. */
async function createAccount(name: string): Promise<{ accountId: string; event: unknown; arrivedAt: number }> {
  await clients(emu, MANAGEMENT).organizations.send(new CreateAccountCommand({ Email: `aws+${name}@example.com`, AccountName: name }));
  const record = emu
    .state()
    .cloudtrailEvents.filter((e): e is CloudTrailRecord => e.eventName === 'CreateAccountResult')
    .find((e) => (e.serviceEventDetails as { createAccountStatus: { accountName: string } }).createAccountStatus.accountName === name)!;
  const accountId = (record.serviceEventDetails as { createAccountStatus: { accountId: string } }).createAccountStatus.accountId;
  const event = { version: '0', id: record.eventID, 'detail-type': 'AWS Service Event via CloudTrail', source: 'aws.organizations', account: MANAGEMENT, time: record.eventTime, region: 'us-east-1', resources: [], detail: record };
  return { accountId, event, arrivedAt: Date.parse(record.eventTime) };
}

async function setAllContacts(accountId: string): Promise<void> {
  const { account } = clients(emu, MANAGEMENT);
  for (const type of ['BILLING', 'OPERATIONS', 'SECURITY'] as AlternateContactType[]) {
    await account.send(new PutAlternateContactCommand({ AccountId: accountId, AlternateContactType: type, Name: `${type} team`, Title: type, EmailAddress: `${type.toLowerCase()}@example.com`, PhoneNumber: '+1 206 555 0100' }));
  }
}

const at = (time: number) => new Date(time).toISOString();

describe('new accounts: contact-audit event and event --due', () => {
  it('alerts once for the account still non-compliant past its grace, never before, and not for the one fixed within it', async () => {
    // Prepare: two accounts created, their CreateAccountResult events recorded with a 2-hour grace.
    const out = join(tmp, 'events');
    const left = await createAccount('left-alone');
    const fixed = await createAccount('fixed-in-time');
    const input = join(tmp, 'created.json');
    writeFileSync(input, JSON.stringify([left.event, fixed.event]));
    const recorded = await cli(['event', input, '--config', policyFile, '--out', out]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stderr).toContain(`new account ${left.accountId} (CreateAccountResult), checked once due at ${at(left.arrivedAt + 2 * HOUR)}`);
    const alertsBefore = newAccountAlerts().length;

    // Act 1: before the grace is over, nothing is checked.
    const early = await cli(['event', '--due', '--config', policyFile, '--out', out, '--topic-arn', TOPIC, '--at', at(left.arrivedAt + HOUR)]);
    // Assess 1
    expect(early.code, early.stderr).toBe(0);
    expect(early.stderr).toContain('0 new accounts checked');
    expect(early.stderr).toContain('2 not due yet');
    expect(newAccountAlerts()).toHaveLength(alertsBefore);

    // Act 2: one account gets its contacts within the grace; then the check runs past it.
    await setAllContacts(fixed.accountId);
    const due = await cli(['event', '--due', '--config', policyFile, '--out', out, '--topic-arn', TOPIC, '--at', at(left.arrivedAt + 3 * HOUR)]);
    // Assess 2: exactly one alert, for the account left alone.
    expect(due.code, due.stderr).toBe(0);
    const alerts = newAccountAlerts().slice(alertsBefore);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.messageAttributes).toMatchObject({ account_id: { StringValue: left.accountId }, severity: { StringValue: 'HIGH' } });
    expect(alerts[0]!.message).toContain(`Account ${left.accountId} (left-alone) was created in the organization (CreateAccountResult) 3 hours ago`);
    expect(alerts[0]!.message).toMatch(/SECURITY MISSING_CONTACT/);
    expect(due.stderr).toContain(`new account ${fixed.accountId}: COMPLIANT, closed without an alert`);
    const file = JSON.parse(readFileSync(join(out, 'new-accounts', 'pending.json'), 'utf8'));
    expect(file.pending).toEqual([]);
    expect(file.handled.map((h: { accountId: string; outcome: string }) => [h.accountId, h.outcome])).toEqual([
      [left.accountId, 'alerted'],
      [fixed.accountId, 'compliant'],
    ]);

    // Act 3: a later run, and the same events again: no second alert.
    const again = await cli(['event', input, '--config', policyFile, '--out', out]);
    const later = await cli(['event', '--due', '--config', policyFile, '--out', out, '--topic-arn', TOPIC, '--at', at(left.arrivedAt + 30 * HOUR)]);
    // Assess 3
    expect(again.stderr).toContain(`new account ${left.accountId} (CreateAccountResult) was recorded before; not again`);
    expect(later.code).toBe(0);
    expect(newAccountAlerts().slice(alertsBefore)).toHaveLength(1);
  });

  it('keeps a due account pending when its alert cannot be published, and alerts it on the next run', async () => {
    // Prepare
    const out = join(tmp, 'retry');
    const account = await createAccount('retry-me');
    const input = join(tmp, 'retry.json');
    writeFileSync(input, JSON.stringify(account.event));
    expect((await cli(['event', input, '--domain', 'example.com', '--out', out])).code).toBe(0);
    const before = newAccountAlerts().length;
    const when = at(account.arrivedAt + 25 * HOUR);
    // Act
    const failed = await cli(['event', '--due', '--domain', 'example.com', '--out', out, '--topic-arn', `arn:aws:sns:us-east-1:${MANAGEMENT}:no-such-topic`, '--at', when]);
    const retried = await cli(['event', '--due', '--domain', 'example.com', '--out', out, '--topic-arn', TOPIC, '--at', when]);
    // Assess
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain(`new account ${account.accountId}: not closed: the alert could not be published (NotFoundException); it stays pending`);
    expect(retried.code, retried.stderr).toBe(0);
    expect(newAccountAlerts().slice(before).map((m) => m.messageAttributes.account_id?.StringValue)).toEqual([account.accountId]);
  });

  it('prints the alert as a JSON line without a topic, and asks for --out when an event brings a new account', async () => {
    // Prepare
    const out = join(tmp, 'stdout');
    const account = await createAccount('on-stdout');
    const input = join(tmp, 'stdout.json');
    writeFileSync(input, JSON.stringify(account.event));
    // Act
    const noOut = await cli(['event', input, '--domain', 'example.com']);
    await cli(['event', input, '--domain', 'example.com', '--out', out]);
    const due = await cli(['event', '--due', '--domain', 'example.com', '--out', out, '--at', at(account.arrivedAt + 24 * HOUR)]);
    // Assess
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('give --out DIR');
    expect(due.code, due.stderr).toBe(0);
    const lines = due.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.eventType, l.attributes.account_id])).toEqual([['NEW_ACCOUNT_NOT_COMPLIANT', account.accountId]]);
  });

  it('records an account first seen by a full sweep against its previous report, not on the first run nor from --accounts', async () => {
    // Prepare
    const out = join(tmp, 'sweeps');
    const first = await cli(['sweep', '--domain', 'example.com', '--out', out, '--format', 'json']);
    expect(first.stderr).not.toContain('New account');
    const account = await createAccount('seen-by-sweep');
    // Act
    const second = await cli(['sweep', '--domain', 'example.com', '--out', out, '--format', 'json']);
    const file = JSON.parse(readFileSync(join(out, 'new-accounts', 'pending.json'), 'utf8'));
    // Assess
    expect(second.stderr).toContain(`New account first seen: ${account.accountId}`);
    expect(file.pending).toHaveLength(1);
    expect(file.pending[0]).toMatchObject({ accountId: account.accountId, accountName: 'seen-by-sweep', source: 'sweep', graceHours: 24 });
    // A partial run is no baseline of the organization: the account it reads is not recorded.
    const other = await createAccount('only-named');
    const partial = await cli(['sweep', '--domain', 'example.com', '--out', out, '--format', 'json', '--accounts', other.accountId]);
    expect(partial.stderr).not.toContain('New account');
    expect(JSON.parse(readFileSync(join(out, 'new-accounts', 'pending.json'), 'utf8')).pending).toHaveLength(1);
    const sweptAt = Date.parse(file.pending[0].arrivedAt);
    const due = await cli(['event', '--due', '--domain', 'example.com', '--out', out, '--at', at(sweptAt + 24 * HOUR)]);
    expect(due.stdout).toContain('"NEW_ACCOUNT_NOT_COMPLIANT"');
  });
});

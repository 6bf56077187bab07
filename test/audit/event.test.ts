import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { MACHINE_MARKER, type Alert } from '../../src/alerts/index.ts';
import type { ReadTarget } from '../../src/providers/aws/contacts.ts';
import {
  accountDirectory,
  cachedAuditorContext,
  handleContactEvent,
  memoryDedupe,
  type ContactEventDeps,
} from '../../src/audit/event.ts';
import { parseContactEvent } from '../../src/contracts/contactEvent.ts';
import { MemoryStore } from '../fixtures/memoryStore.ts';
import type { Contact, ContactRead, ContactType, OrgAccount } from '../../src/model.ts';
import { policyFromDomains } from '../../src/policy/load.ts';

type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8'));
const EX1 = 'guide-example-1-get-alternate-contact';
const EX2 = 'guide-example-2-put-alternate-contact';
const EX3 = 'guide-example-3-delete-alternate-contact';
const ORG_LOWER = 'org-context-put-accountId';
const ORG_UPPER = 'org-context-delete-AccountId';
const DENIED = 'denied-put-alternate-contact';

const good = (type: ContactType): Contact => ({
  name: `${type} team`,
  title: 'Team',
  emailAddress: `${type.toLowerCase()}@example.com`,
  phoneNumber: '+1 206 555 0100',
});


/** Deps over fakes: every account has all three company contacts unless `reads` says otherwise. */
function fakeDeps(over: { reads?: (target: ReadTarget, type: ContactType) => ContactRead; describe?: (id: string) => Promise<OrgAccount> } = {}) {
  const published: Alert[] = [];
  const readTargets: ReadTarget[] = [];
  const store = new MemoryStore();
  const describeAccount = vi.fn(over.describe ?? (async (id: string): Promise<OrgAccount> => ({ id, name: `acct-${id}`, state: 'ACTIVE' })));
  const whoAmI = vi.fn(async () => ({ accountId: '111111111111' }));
  const describeOrganization = vi.fn(async () => ({ id: 'o-aa111bb222', managementAccountId: '111111111111' }));
  const deps: ContactEventDeps = {
    policy: policyFromDomains(['example.com']),
    context: cachedAuditorContext({ whoAmI }, { describeOrganization }),
    contacts: {
      readAll: async (target, types) => {
        readTargets.push(target);
        const reads: Partial<Record<ContactType, ContactRead>> = {};
        for (const type of types) reads[type] = over.reads ? over.reads(target, type) : { kind: 'present', contact: good(type) };
        return reads;
      },
    },
    accounts: accountDirectory({ describeAccount }),
    alerts: {
      publish: async (alert) => {
        published.push(alert);
        return `msg-${published.length}`;
      },
    },
    changes: { storage: store, prefix: 'audit' },
    dedupe: memoryDedupe(),
    now: () => new Date('2026-11-22T10:00:00Z'),
  };
  return { deps, published, readTargets, store, describeAccount, whoAmI, describeOrganization };
}

describe('parseContactEvent', () => {
  it('ignores the guide example 1 (GetAlternateContact) with a reason', () => {
    const parsed = parseContactEvent(fixture(EX1));
    expect(parsed).toEqual({
      kind: 'ignored',
      eventId: '1a2b3c4d-5e6f-1234-abcd-222222222222',
      reason: expect.stringContaining('GetAlternateContact'),
    });
  });

  it('reads the guide example 2 (PutAlternateContact, standalone) as a change of the recipient account', () => {
    expect(parseContactEvent(fixture(EX2))).toEqual({
      kind: 'change',
      eventId: '1a2b3c4d-5e6f-1234-abcd-444444444444',
      eventName: 'PutAlternateContact',
      eventTime: '2021-04-30T18:33:08.000Z',
      accountId: '123456789012',
      callContext: 'standalone',
      contactType: 'BILLING',
      actorArn: 'arn:aws:sts::123456789012:assumed-role/ServiceTestRole/AccountAPITests',
      sourceIp: '10.24.34.250',
      userAgent: 'Mozilla/5.0',
      recipientAccountId: '123456789012',
    });
  });

  it('reads the guide example 3 (DeleteAlternateContact)', () => {
    expect(parseContactEvent(fixture(EX3))).toMatchObject({ kind: 'change', eventName: 'DeleteAlternateContact', contactType: 'OPERATIONS', accountId: '123456789012' });
  });

  it.each([ORG_LOWER, ORG_UPPER])('takes the target from requestParameters in organizations context (%s)', (name) => {
    expect(parseContactEvent(fixture(name))).toMatchObject({ kind: 'change', accountId: '444455556666', callContext: 'organizations', recipientAccountId: '123456789012' });
  });

  it('reads a call with errorCode as a denied attempt', () => {
    expect(parseContactEvent(fixture(DENIED))).toMatchObject({
      kind: 'denied',
      errorCode: 'AccessDenied',
      errorMessage: expect.stringContaining('not authorized'),
      accountId: '444455556666',
      contactType: 'SECURITY',
    });
  });

  it.each<[string, (e: Json) => unknown, RegExp]>([
    ['a string', () => 'hello', /not an EventBridge event/],
    ['null', () => null, /not an EventBridge event/],
    ['an array', (e) => [e], /not an EventBridge event/],
    ['another source', (e) => ({ ...e, source: 'aws.s3' }), /source is "aws.s3"/],
    ['another detail-type', (e) => ({ ...e, 'detail-type': 'Scheduled Event' }), /detail-type/],
    ['no detail', (e) => ({ ...e, detail: undefined }), /detail is missing/],
    ['detail a string', (e) => ({ ...e, detail: 'x' }), /detail is "x"/],
    ['missing eventID', (e) => ({ ...e, detail: { ...e.detail, eventID: undefined } }), /eventID is missing/],
    ['numeric eventID', (e) => ({ ...e, detail: { ...e.detail, eventID: 42 } }), /eventID is number 42/],
    ['eventID with a slash', (e) => ({ ...e, detail: { ...e.detail, eventID: '../../etc' } }), /not an event ID/],
    ['huge eventID', (e) => ({ ...e, detail: { ...e.detail, eventID: 'a'.repeat(1_000_000) } }), /not an event ID/],
    ['another event source', (e) => ({ ...e, detail: { ...e.detail, eventSource: 'iam.amazonaws.com' } }), /eventSource/],
    ['bad eventTime and time', (e) => ({ ...e, time: 'soon', detail: { ...e.detail, eventTime: 'yesterday' } }), /eventTime is "yesterday"/],
    ['requestParameters a list', (e) => ({ ...e, detail: { ...e.detail, requestParameters: [1] } }), /requestParameters is a list/],
    ['accountId not 12 digits', (e) => ({ ...e, detail: { ...e.detail, requestParameters: { accountId: '12345' } } }), /not a 12-digit/],
    ['accountId a number', (e) => ({ ...e, detail: { ...e.detail, requestParameters: { accountId: 123456789012 } } }), /not a 12-digit/],
    [
      'accountId and AccountId disagree',
      (e) => ({ ...e, detail: { ...e.detail, requestParameters: { accountId: '444455556666', AccountId: '777788889999' } } }),
      /names two accounts/,
    ],
    ['no recipient', (e) => ({ ...e, detail: { ...e.detail, recipientAccountId: undefined } }), /no target account/],
    ['errorCode a number', (e) => ({ ...e, detail: { ...e.detail, errorCode: 403 } }), /errorCode is number 403/],
  ])('ignores %s with a clear reason', (_name, mutate, reason) => {
    const parsed = parseContactEvent(JSON.parse(JSON.stringify(mutate(fixture(EX2)) ?? null)));
    expect(parsed.kind).toBe('ignored');
    expect(parsed.kind === 'ignored' && parsed.reason).toMatch(reason);
  });

  it('caps and cleans hostile text: control characters, bidi overrides, huge strings', () => {
    const e = fixture(EX2);
    e.detail.userIdentity.arn = `arn:aws:iam::1:user/\u202Eevil\u0007\r\nSubject: injected${'x'.repeat(100_000)}`;
    e.detail.sourceIPAddress = '10.0.0.1\u0000\u001b[31m';
    const parsed = parseContactEvent(e);
    expect(parsed.kind).toBe('change');
    if (parsed.kind !== 'change') return;
    expect(parsed.actorArn!.length).toBeLessThanOrEqual(2049);
    expect(parsed.actorArn).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    expect(parsed.sourceIp).toBe('10.0.0.1\uFFFD\uFFFD[31m');
  });

  it('never reads inherited properties', () => {
    const e = Object.create({ source: 'aws.account', 'detail-type': 'AWS API Call via CloudTrail', detail: fixture(EX2).detail });
    expect(parseContactEvent(e).kind).toBe('ignored');
  });
});

describe('handleContactEvent', () => {
  it('re-reads every required contact, evaluates, records and publishes one CONTACT_CHANGED alert', async () => {
    const { deps, published, readTargets, store } = fakeDeps();
    const outcome = await handleContactEvent(parseContactEvent(fixture(EX2)), deps);

    expect(outcome).toMatchObject({ kind: 'changed', eventId: '1a2b3c4d-5e6f-1234-abcd-444444444444', accountId: '123456789012', status: 'COMPLIANT', messageId: 'msg-1' });
    expect(readTargets).toEqual([{ accountId: '123456789012', callerAccountId: '111111111111', managementAccountId: '111111111111' }]);
    expect(published).toHaveLength(1);
    const [alert] = published as [Alert];
    expect(alert.eventType).toBe('CONTACT_CHANGED');
    expect(alert.attributes).toEqual({ event_type: 'CONTACT_CHANGED', severity: 'LOW', account_id: '123456789012' });
    expect(alert.message).toContain('arn:aws:sts::123456789012:assumed-role/ServiceTestRole/AccountAPITests');
    expect(alert.message).toContain('10.24.34.250');
    expect(alert.message).toContain('2021-04-30T18:33:08.000Z');
    expect(alert.message).toContain('BILLING');
    expect(alert.message).toContain('COMPLIANT');
    expect(alert.message).toContain(MACHINE_MARKER);
    expect(alert.data).toMatchObject({ status: 'COMPLIANT', contactType: 'BILLING', actorArn: expect.any(String), sourceIp: '10.24.34.250' });

    const key = 'audit/changes/dt=2021-04-30/1a2b3c4d-5e6f-1234-abcd-444444444444.json';
    // The dated record, and the account's last change (for the next alert's old → new).
    expect([...store.objects.keys()]).toEqual([key, 'audit/changes/accounts/123456789012.json']);
    const record = JSON.parse(store.objects.get(key)!);
    expect(record).toMatchObject({
      schemaVersion: 1,
      kind: 'change',
      eventName: 'PutAlternateContact',
      accountId: '123456789012',
      callContext: 'standalone',
      actorArn: expect.stringContaining('ServiceTestRole'),
      result: { accountId: '123456789012', status: 'COMPLIANT' },
      alert: { eventType: 'CONTACT_CHANGED', severity: 'LOW' },
      handledAt: '2026-11-22T10:00:00.000Z',
    });
    expect(outcome.kind !== 'ignored' && outcome.kind !== 'duplicate' && outcome.recordLocation).toBe(`mem://${key}`);
  });

  it('reports the deleted contact as MISSING and the account NON_COMPLIANT (HIGH)', async () => {
    const { deps, published } = fakeDeps({ reads: (_t, type) => (type === 'OPERATIONS' ? { kind: 'missing' } : { kind: 'present', contact: good(type) }) });
    await handleContactEvent(parseContactEvent(fixture(EX3)), deps);
    expect(published[0]).toMatchObject({ severity: 'HIGH', data: { status: 'NON_COMPLIANT', findings: [expect.objectContaining({ code: 'MISSING_CONTACT', contactType: 'OPERATIONS' })] } });
  });

  it.each([ORG_LOWER, ORG_UPPER])('reads a member changed in organizations context with its ID (%s)', async (name) => {
    const { deps, readTargets, published } = fakeDeps();
    await handleContactEvent(parseContactEvent(fixture(name)), deps);
    expect(readTargets).toEqual([{ accountId: '444455556666', callerAccountId: '111111111111', managementAccountId: '111111111111' }]);
    expect(published[0]!.attributes.account_id).toBe('444455556666');
  });

  it('turns a denied attempt into one CONTACT_CHANGE_DENIED alert without a re-read', async () => {
    const { deps, published, readTargets, describeAccount, whoAmI, store } = fakeDeps();
    const outcome = await handleContactEvent(parseContactEvent(fixture(DENIED)), deps);
    expect(outcome.kind).toBe('denied');
    expect(readTargets).toEqual([]);
    expect(describeAccount).not.toHaveBeenCalled();
    expect(whoAmI).not.toHaveBeenCalled();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      eventType: 'CONTACT_CHANGE_DENIED',
      attributes: { event_type: 'CONTACT_CHANGE_DENIED', severity: 'MEDIUM', account_id: '444455556666' },
    });
    expect(published[0]!.message).toContain('AccessDenied');
    const record = JSON.parse([...store.objects.values()][0]!);
    expect(record).toMatchObject({ kind: 'denied', errorCode: 'AccessDenied', result: null });
  });

  it('alerts once for the same eventID delivered twice, even concurrently', async () => {
    const { deps, published } = fakeDeps();
    const first = await handleContactEvent(parseContactEvent(fixture(EX2)), deps);
    const second = await handleContactEvent(parseContactEvent(fixture(EX2)), deps);
    const [a, b] = await Promise.all([handleContactEvent(parseContactEvent(fixture(EX3)), deps), handleContactEvent(parseContactEvent(fixture(EX3)), deps)]);
    expect(first.kind).toBe('changed');
    expect(second).toEqual({ kind: 'duplicate', eventId: '1a2b3c4d-5e6f-1234-abcd-444444444444' });
    expect([a.kind, b.kind].sort()).toEqual(['changed', 'duplicate']);
    expect(published).toHaveLength(2);
  });

  it('acknowledges ignored events without any AWS call or alert', async () => {
    const { deps, published, describeAccount, whoAmI } = fakeDeps();
    for (const input of [fixture(EX1), 'junk', 42, null, [], { source: 'aws.account' }]) {
      expect((await handleContactEvent(parseContactEvent(input), deps)).kind).toBe('ignored');
    }
    expect(published).toEqual([]);
    expect(describeAccount).not.toHaveBeenCalled();
    expect(whoAmI).not.toHaveBeenCalled();
  });

  it('says UNKNOWN, never COMPLIANT, when the re-read fails (unknown account)', async () => {
    const { deps, published } = fakeDeps({
      reads: () => ({ kind: 'failed', errorCode: 'AccessDeniedException', message: 'The account 999999999999 is not a member of organization o-aa111bb222.' }),
      describe: async () => {
        throw Object.assign(new Error('You specified an account that does not exist.'), { name: 'AccountNotFoundException' });
      },
    });
    const e = fixture(ORG_LOWER);
    e.detail.requestParameters.accountId = '999999999999';
    const outcome = await handleContactEvent(parseContactEvent(e), deps);
    expect(outcome).toMatchObject({ kind: 'changed', status: 'UNKNOWN' });
    expect(published[0]).toMatchObject({ severity: 'MEDIUM', data: { status: 'UNKNOWN' } });
    expect(published[0]!.subject).toContain('UNKNOWN');
  });

  it('says UNKNOWN when the contacts adapter itself throws', async () => {
    const { deps, published } = fakeDeps({
      reads: () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    });
    await handleContactEvent(parseContactEvent(fixture(EX2)), deps);
    expect(published[0]!.data).toMatchObject({ status: 'UNKNOWN', findings: expect.arrayContaining([expect.objectContaining({ code: 'CHECK_FAILED', errorCode: 'ECONNRESET' })]) });
  });

  it('evaluates with state ACTIVE and no name when DescribeAccount fails', async () => {
    const warn = vi.fn();
    const { deps, published, readTargets } = fakeDeps();
    deps.accounts = accountDirectory(
      {
        describeAccount: async () => {
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        },
      },
      { info() {}, warn, error() {} },
    );
    const outcome = await handleContactEvent(parseContactEvent(fixture(EX2)), deps);
    expect(outcome).toMatchObject({ status: 'COMPLIANT' });
    expect(readTargets).toHaveLength(1);
    expect(published[0]!.subject).toBe('[contact-auditor] BILLING contact updated on 123456789012 (now COMPLIANT)');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('DescribeAccount failed'), expect.objectContaining({ accountId: '123456789012', errorCode: 'AccessDeniedException' }));
  });

  it('skips the re-read of an account that is not ACTIVE', async () => {
    const { deps, readTargets, published } = fakeDeps({ describe: async (id) => ({ id, name: 'old', state: 'SUSPENDED' }) });
    await handleContactEvent(parseContactEvent(fixture(EX2)), deps);
    expect(readTargets).toEqual([]);
    expect(published[0]!.data.status).toBe('SKIPPED');
  });

  it('describes each account once per invocation and fetches the context once', async () => {
    const { deps, describeAccount, whoAmI, describeOrganization } = fakeDeps();
    await handleContactEvent(parseContactEvent(fixture(ORG_LOWER)), deps);
    await handleContactEvent(parseContactEvent(fixture(ORG_UPPER)), deps);
    expect(describeAccount).toHaveBeenCalledTimes(1);
    expect(whoAmI).toHaveBeenCalledTimes(1);
    expect(describeOrganization).toHaveBeenCalledTimes(1);
  });

  it('keeps subjects one printable line of at most 100 characters when contact text is hostile', async () => {
    const evil = `Eve\u0000\r\n\u202E${'é'.repeat(300)}`;
    const { deps, published } = fakeDeps({
      reads: () => ({ kind: 'present', contact: { name: evil, title: evil, emailAddress: `${evil}@evil.io`, phoneNumber: `${evil}` } }),
      describe: async (id) => ({ id, name: `name\u0007\n${'x'.repeat(500)}`, state: 'ACTIVE' }),
    });
    const e = fixture(EX2);
    e.detail.userIdentity.arn = `\u001b]0;pwned\u0007${'A'.repeat(5000)}`;
    await handleContactEvent(parseContactEvent(e), deps);
    const [alert] = published as [Alert];
    expect(alert.subject.length).toBeLessThanOrEqual(100);
    expect(alert.subject).toMatch(/^[\x20-\x7e]+$/);
    expect(alert.data.status).toBe('NON_COMPLIANT');
    const human = alert.message.slice(0, alert.message.indexOf(MACHINE_MARKER));
    expect(human).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  });

  it('still alerts when the change record cannot be written, and says so in the log', async () => {
    const error = vi.fn();
    const { deps, published } = fakeDeps();
    deps.log = { info() {}, warn() {}, error };
    deps.changes = {
      prefix: '',
      storage: {
        get: async () => undefined,
        put: async () => {
          throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
        },
        locate: (k) => k,
      },
    };
    const outcome = await handleContactEvent(parseContactEvent(fixture(EX2)), deps);
    expect(published).toHaveLength(1);
    expect(outcome).not.toHaveProperty('recordLocation');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('record could not be written'), expect.objectContaining({ errorCode: 'AccessDenied' }));
  });

  it('throws when the alert cannot be published, and lets a retry alert once', async () => {
    const { deps, published } = fakeDeps();
    const publish = deps.alerts.publish;
    let fail = true;
    deps.alerts = {
      publish: async (alert) => {
        if (fail) throw Object.assign(new Error('boom'), { name: 'InternalErrorException' });
        return publish(alert);
      },
    };
    await expect(handleContactEvent(parseContactEvent(fixture(EX2)), deps)).rejects.toThrow('boom');
    fail = false;
    expect((await handleContactEvent(parseContactEvent(fixture(EX2)), deps)).kind).toBe('changed');
    expect((await handleContactEvent(parseContactEvent(fixture(EX2)), deps)).kind).toBe('duplicate');
    expect(published).toHaveLength(1);
  });
});

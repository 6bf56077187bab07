/** Fault behaviour: random 500s and dropped connections, injected faults, latency, body cap, run-time endpoints. */
import { GetAlternateContactCommand } from '@aws-sdk/client-account';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.ts';
import { clients, failure } from './helpers.ts';
import { DELEGATED_ADMIN, MEMBER, smallOrg, SUSPENDED } from '../../../test/fixtures/organizations.ts';

let emu: Emulator;
afterEach(async () => emu.close());

const get = () => new GetAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'BILLING' });

describe('faultRate', () => {
  it('at 1.0 every call fails: half 500 InternalServerException, half dropped connections, all surfaced by the SDK', async () => {
    // Prepare
    emu = await startEmulator({ fixture: smallOrg(), faultRate: 1, seed: 42, quotaScale: 10 });
    const { account } = clients(emu, DELEGATED_ADMIN);
    // Act
    const errors: Error[] = [];
    for (let i = 0; i < 20; i++) errors.push(await failure(account.send(get())));
    // Assess
    const serverErrors = errors.filter((e) => e.name === 'InternalServerException');
    const dropped = errors.filter((e) => e.name !== 'InternalServerException');
    expect(serverErrors.length).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
    for (const e of serverErrors) expect((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(500);
    expect(emu.state().requestCounts.GetAlternateContact).toBe(20);
  });

  it('500s use each protocol’s own error shape', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const c = clients(emu, DELEGATED_ADMIN);
    emu.injectFault({ operation: 'ListAccounts', count: 1, kind: 'server-error' });
    emu.injectFault({ operation: 'GetCallerIdentity', count: 1, kind: 'server-error' });
    emu.injectFault({ operation: 'Publish', count: 1, kind: 'server-error' });
    emu.injectFault({ operation: 'PutObject', count: 1, kind: 'server-error' });
    const errs = await Promise.all([
      failure(c.organizations.send(new ListAccountsCommand({}))),
      failure(c.sts.send(new GetCallerIdentityCommand({}))),
      failure(c.sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:t`, Message: 'm' }))),
      failure(c.s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }))),
    ]);
    expect(errs.map((e) => e.name)).toEqual(['ServiceException', 'InternalFailure', 'InternalErrorException', 'InternalError']);
    expect(errs.map((e) => e.$metadata?.httpStatusCode)).toEqual([500, 500, 500, 500]);
  });

  it('setFaultRate turns faults on and off at run time; the fault PRNG is seeded', async () => {
    emu = await startEmulator({ fixture: smallOrg(), quotaScale: 10 });
    const { account } = clients(emu, DELEGATED_ADMIN);
    await account.send(get());
    emu.setFaultRate(1);
    await failure(account.send(get()));
    emu.setFaultRate(0);
    await expect(account.send(get())).resolves.toBeDefined();
    expect(() => emu.setFaultRate(2)).toThrow(/between 0 and 1/);
  });
});

describe('injectFault', () => {
  it('fails exactly the next N calls of one operation with the chosen kind', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const { account } = clients(emu, DELEGATED_ADMIN);
    emu.injectFault({ operation: 'GetAlternateContact', count: 2, kind: 'throttle' });
    const a = await failure(account.send(get()));
    const b = await failure(account.send(get()));
    expect([a.name, b.name]).toEqual(['TooManyRequestsException', 'TooManyRequestsException']);
    expect(a.$metadata?.httpStatusCode).toBe(429);
    await expect(account.send(get())).resolves.toBeDefined();
    expect(emu.state().throttledCounts.GetAlternateContact).toBe(2);
  });

  it('a dropped connection is an SDK error and the server keeps serving', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const { account } = clients(emu, DELEGATED_ADMIN);
    emu.injectFault({ operation: 'GetAlternateContact', count: 1, kind: 'drop' });
    const err = await failure(account.send(get()));
    expect(err.name).not.toBe('InternalServerException');
    await expect(account.send(get())).resolves.toBeDefined();
  });

  it('reply-lost on one S3 key: the object is stored, the caller gets no answer, other keys are untouched', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    emu.createBucket('lost-replies');
    const { s3 } = clients(emu, DELEGATED_ADMIN);
    emu.injectFault({ operation: 'PutObject', count: 1, kind: 'reply-lost', path: '/lost-replies/latest/report.json' });
    // Another key first: the fault waits for its own path.
    await expect(s3.send(new PutObjectCommand({ Bucket: 'lost-replies', Key: 'latest/report.csv', Body: 'csv' }))).resolves.toBeDefined();
    const err = await failure(s3.send(new PutObjectCommand({ Bucket: 'lost-replies', Key: 'latest/report.json', Body: 'stored anyway' })));
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'lost-replies', Key: 'latest/report.json' }));
    expect(await got.Body?.transformToString()).toBe('stored anyway');
    // One call only: the next put is answered.
    await expect(s3.send(new PutObjectCommand({ Bucket: 'lost-replies', Key: 'latest/report.json', Body: 'again' }))).resolves.toBeDefined();
    expect(() => emu.injectFault({ operation: 'PutObject', count: 1, kind: 'reply-lost', path: 'no-slash' })).toThrow(/path/);
  });

  it('S3 throttling is 503 SlowDown; SNS throttling is Throttling', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const c = clients(emu, DELEGATED_ADMIN);
    emu.injectFault({ operation: 'PutObject', count: 1, kind: 'throttle' });
    emu.injectFault({ operation: 'Publish', count: 1, kind: 'throttle' });
    const s3 = await failure(c.s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })));
    expect([s3.name, s3.$metadata?.httpStatusCode]).toEqual(['SlowDown', 503]);
    const sns = await failure(c.sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:t`, Message: 'm' })));
    expect(sns.name).toBe('Throttling');
  });

  it('POST /_emulator/faults and /_emulator/accounts/<id>/state do the same from another process', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const post = (path: string, body: unknown) => fetch(`${emu.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('/_emulator/faults', { operation: 'GetAlternateContact', count: 1, kind: 'server-error' })).status).toBe(200);
    expect((await failure(clients(emu, DELEGATED_ADMIN).account.send(get()))).name).toBe('InternalServerException');
    expect((await post('/_emulator/faults', { operation: 'X', count: 0, kind: 'throttle' })).status).toBe(400);

    expect((await post(`/_emulator/accounts/${MEMBER}/state`, { state: 'SUSPENDED' })).status).toBe(200);
    const out = await clients(emu, DELEGATED_ADMIN).organizations.send(new ListAccountsCommand({}));
    expect(out.Accounts?.find((a) => a.Id === MEMBER)?.State).toBe('SUSPENDED');
    expect((await post(`/_emulator/accounts/${MEMBER}/state`, { state: 'ASLEEP' })).status).toBe(400);
    expect((await post('/_emulator/accounts/000000000000/state', { state: 'ACTIVE' })).status).toBe(400);

    emu.setAccountState(SUSPENDED, 'ACTIVE');
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { accounts: { id: string; state: string }[] };
    expect(state.accounts.find((a) => a.id === SUSPENDED)?.state).toBe('ACTIVE');
  });
});

describe('robustness', () => {
  it('latencyMs delays every AWS answer: nothing is answered until the wait ends', async () => {
    // The emulator's wait is handed to the test: it sees the wait begin with the request still
    // unanswered, and the answer come only once it lets the wait end. No clock is read.
    let answered = false;
    const waits: { ms: number; answeredWhenWaitBegan: boolean; end: () => void }[] = [];
    let began = () => {};
    const waitBegan = new Promise<void>((resolve) => {
      began = resolve;
    });
    emu = await startEmulator({
      fixture: smallOrg(),
      latencyMs: 150,
      delay: (ms) =>
        new Promise<void>((end) => {
          waits.push({ ms, answeredWhenWaitBegan: answered, end });
          began();
        }),
    });
    const reply = clients(emu, DELEGATED_ADMIN)
      .account.send(get())
      .finally(() => {
        answered = true;
      });
    await waitBegan;
    // Held this long, a reply sent before (or without) the wait would have arrived.
    await new Promise((r) => setTimeout(r, 50));
    expect(waits).toEqual([{ ms: 150, answeredWhenWaitBegan: false, end: expect.any(Function) }]);
    expect(answered).toBe(false);
    waits[0]!.end();
    await expect(reply).resolves.toMatchObject({ AlternateContact: { AlternateContactType: 'BILLING' } });
  });

  it('a body over 10 MB is refused with 413 and the server keeps answering', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const declared = await fetch(`${emu.url}/big/object`, { method: 'PUT', body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(declared.status).toBe(413);
    const streamed = await new Promise<number | string>((resolve) => {
      // Chunked transfer, no Content-Length: the cap applies while reading.
      const req = http.request(`${emu.url}/big/streamed`, { method: 'PUT' }, (r) => resolve(r.statusCode ?? 0));
      req.on('error', (e) => resolve(e.message));
      const chunk = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const write = (): void => {
        while (sent < 12) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect(streamed).toBe(413);
    await expect(clients(emu, DELEGATED_ADMIN).account.send(get())).resolves.toBeDefined();
  });

  it('garbage requests get 400s, never a crash', async () => {
    emu = await startEmulator({ fixture: smallOrg() });
    const auth = (svc: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/${svc}/aws4_request, SignedHeaders=host, Signature=x` });
    const orgs = await fetch(emu.url, { method: 'POST', headers: { ...auth('organizations'), 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts' }, body: '[not json' });
    expect(orgs.status).toBe(400);
    const unknown = await fetch(emu.url, { method: 'POST', headers: { ...auth('organizations'), 'x-amz-target': 'AWSOrganizationsV20161128.LeaveOrganization' }, body: '{}' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const sts = await fetch(emu.url, { method: 'POST', headers: auth('sts'), body: 'Action=AssumeRole&Version=2011-06-15' });
    expect(sts.status).toBe(400);
    expect(await sts.text()).toContain('<Code>InvalidAction</Code>');
    const other = await fetch(emu.url, { method: 'POST', headers: auth('lambda'), body: '{}' });
    expect(other.status).toBe(400);
    await expect(clients(emu, DELEGATED_ADMIN).account.send(get())).resolves.toBeDefined();
  });
});

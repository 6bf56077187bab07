/**
 * The Alibaba Cloud side of the emulator against Alibaba's API references: ListAccounts token paging
 * and QueryKeyword, the parameter error codes of GetAccount and ListMessageContacts, and requests
 * signed with signature V3 ("V3 request structure and signature": ACS3-HMAC-SHA256 in the
 * Authorization header), signed here step by step from that description.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAlibabaDirectory } from '../src/alibaba/generate.ts';
import type { AlibabaFixture } from '../src/alibaba/fixture.ts';
import { popSignature } from '../src/alibaba/service.ts';
import { generateOrganization } from '../src/generate.ts';
import { startEmulator, type Emulator } from '../src/server.ts';

let emulator: Emulator;
let directory: AlibabaFixture;
const KEY = { id: 'LTAIv3known', secret: 'v3-s3cret' };

beforeAll(async () => {
  directory = generateAlibabaDirectory({ members: 12, seed: 3 });
  directory.accessKeys.push({ ...KEY, accountId: directory.resourceDirectory.masterAccountId });
  emulator = await startEmulator({ fixture: generateOrganization({ accounts: 2, seed: 1 }), alibaba: directory });
});
afterAll(async () => {
  await emulator?.close();
});

type Answer = { status: number; body: Record<string, any> };

/** A V1 (HMAC-SHA1) RPC call as a form body, signed with any secret (the key is unknown to the fixture). */
async function v1(params: Record<string, string>): Promise<Answer> {
  const all: Record<string, string> = {
    Format: 'JSON', Version: '2022-04-19', AccessKeyId: 'AKanything', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: randomUUID(), Timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), ...params,
  };
  all.Signature = popSignature('POST', all, 'x');
  const response = await fetch(`${emulator.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(all).toString() });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const hex = (data: string) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 percent-encoding, as the V3 canonical query string wants it. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A V3-signed RPC request, built the way the V3 description lays it out: parameters in the query,
 * the x-acs-* headers, the canonical request, the string to sign, then the Authorization header.
 */
async function v3(action: string, query: Record<string, string>, opts: { secret?: string; accessKeyId?: string; spoil?: (h: Record<string, string>) => void } = {}): Promise<Answer> {
  const host = new URL(emulator.url).host;
  const body = '';
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-version': '2022-04-19',
    'x-acs-date': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': hex(body),
  };
  const canonicalQuery = Object.entries(query)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const signed = Object.keys(headers).sort();
  const canonicalRequest = ['POST', '/', canonicalQuery, signed.map((h) => `${h}:${headers[h]!.trim()}\n`).join(''), signed.join(';'), hex(body)].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${hex(canonicalRequest)}`;
  const signature = createHmac('sha256', opts.secret ?? KEY.secret).update(stringToSign).digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${opts.accessKeyId ?? KEY.id},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  opts.spoil?.(headers);
  const { host: _host, ...sent } = headers;
  const qs = new URLSearchParams(query).toString();
  const response = await fetch(`${emulator.url}/${qs ? `?${qs}` : ''}`, { method: 'POST', headers: sent });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('Alibaba ListAccounts (ResourceDirectoryMaster 2022-04-19)', () => {
  it('pages with MaxResults and NextToken until no NextToken comes back, every member once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await v1({ Action: 'ListAccounts', MaxResults: '5', ...(token ? { NextToken: token } : {}) });
      expect(page.status).toBe(200);
      expect(page.body.Accounts.Account.length).toBeLessThanOrEqual(5);
      seen.push(...page.body.Accounts.Account.map((a: { AccountId: string }) => a.AccountId));
      token = page.body.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(Math.ceil(directory.accounts.length / 5));
    expect(seen.sort()).toEqual(directory.accounts.map((a) => a.id).sort());
  });

  it('refuses a MaxResults out of range and a NextToken it did not give', async () => {
    expect((await v1({ Action: 'ListAccounts', MaxResults: '0' })).body.Code).toBe('InvalidParameter.MaxResults');
    const bad = await v1({ Action: 'ListAccounts', NextToken: 'not-a-token' });
    expect([bad.status, bad.body.Code]).toEqual([400, 'InvalidParameter.NextToken']);
  });

  it('QueryKeyword keeps the members whose display name matches, case aside', async () => {
    const target = directory.accounts[4]!;
    const keyword = target.displayName.slice(1, -1).toUpperCase();
    const found = await v1({ Action: 'ListAccounts', QueryKeyword: keyword });
    const expected = directory.accounts.filter((a) => a.displayName.toLowerCase().includes(keyword.toLowerCase()) || a.id.includes(keyword)).map((a) => a.id);
    expect(found.body.Accounts.Account.map((a: { AccountId: string }) => a.AccountId)).toEqual(expected);
    expect(found.body.TotalCount).toBe(expected.length);
    expect(expected).toContain(target.id);
    expect((await v1({ Action: 'ListAccounts', QueryKeyword: 'no-member-is-called-so' })).body.Accounts.Account).toEqual([]);
  });
});

describe('Alibaba parameter errors (API reference error codes)', () => {
  it('GetAccount: MissingParameter.AccountId without it, InvalidParameter.AccountId for a malformed one (400)', async () => {
    const missing = await v1({ Action: 'GetAccount' });
    expect([missing.status, missing.body.Code]).toEqual([400, 'MissingParameter.AccountId']);
    const malformed = await v1({ Action: 'GetAccount', AccountId: 'abc' });
    expect([malformed.status, malformed.body.Code]).toEqual([400, 'InvalidParameter.AccountId']);
    const unknown = await v1({ Action: 'GetAccount', AccountId: '1999999999999999' });
    expect([unknown.status, unknown.body.Code]).toEqual([404, 'EntityNotExists.Account']);
  });

  it('ListMessageContacts: an unknown ContactId is EntityNotExists.Contact (404), a known one is listed', async () => {
    const unknown = await v1({ Action: 'ListMessageContacts', ContactId: 'c-doesnotexist0000' });
    expect([unknown.status, unknown.body.Code]).toEqual([404, 'EntityNotExists.Contact']);
    const known = directory.contacts[0]!;
    const found = await v1({ Action: 'ListMessageContacts', ContactId: known.id });
    expect(found.body.Contacts.map((c: { ContactId: string }) => c.ContactId)).toEqual([known.id]);
  });
});

describe('Alibaba signature V3 (ACS3-HMAC-SHA256)', () => {
  it('accepts a request signed with a known key and answers as the signed key\'s account', async () => {
    const answer = await v3('ListAccounts', { MaxResults: '3' });
    expect(answer.status).toBe(200);
    expect(answer.body.Accounts.Account).toHaveLength(3);
    expect(answer.body.NextToken).toBeTruthy();
  });

  it('refuses a wrong secret, a changed parameter, an unsigned header and a stale date', async () => {
    expect((await v3('ListAccounts', {}, { secret: 'wrong' })).body.Code).toBe('SignatureDoesNotMatch');
    const changed = await v3('GetAccount', { AccountId: directory.accounts[1]!.id }, { spoil: (h) => (h['x-acs-action'] = 'ListAccounts') });
    expect([changed.status, changed.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
    const unsigned = await v3('ListAccounts', {}, { spoil: (h) => (h['x-acs-security-token'] = 'extra') });
    expect(unsigned.body.Code).toBe('IncompleteSignature');
    const stale = await v3('ListAccounts', {}, { spoil: (h) => (h['x-acs-date'] = '2020-01-01T00:00:00Z') });
    expect(stale.body.Code).toBe('InvalidTimeStamp.Expired');
  });

  it('a key the fixture does not know is accepted with any secret, as with V1', async () => {
    expect((await v3('GetResourceDirectory', {}, { accessKeyId: 'LTAIunknown', secret: 'anything' })).status).toBe(200);
  });
});

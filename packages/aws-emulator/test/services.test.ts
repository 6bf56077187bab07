/**
 * STS, Organizations, CloudTrail, SNS and S3 against the emulator with the real SDK clients.
 */
import { DeleteAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAccountCommand, DescribeOrganizationCommand, ListAccountsCommand, paginateListAccounts } from '@aws-sdk/client-organizations';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization } from '../src/generate.ts';
import { startEmulator, type Emulator } from '../src/server.ts';
import { clients, failure, withResources } from './helpers.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, MEMBER_EMPTY, smallOrg } from '../../../test/fixtures/organizations.ts';

const topic = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:contact-alerts`;
let emu: Emulator;
beforeAll(async () => {
  // quotaScale 10: CloudTrail LookupEvents allows 2 calls/s per account, and this file makes a few in a row.
  emu = await startEmulator({ fixture: withResources(smallOrg(), { buckets: ['reports', 'bin'], topics: [topic] }), quotaScale: 10 });
});
afterAll(async () => emu.close());

describe('STS GetCallerIdentity (caller identity: 12-digit key = that account, other key = management)', () => {
  it('a 12-digit access key is that account', async () => {
    const out = await clients(emu, MEMBER).sts.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(MEMBER);
    expect(out.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/ContactAuditorEmulator/${MEMBER}`);
    expect(out.UserId).toMatch(/^AROA.*:333333333333$/);
  });

  it('any other key is the management account', async () => {
    const out = await clients(emu, 'AKIAIOSFODNN7EXAMPLE').sts.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(MANAGEMENT);
  });
});

describe('Organizations', () => {
  it('DescribeOrganization answers any account of the organization', async () => {
    const out = await clients(emu, MEMBER).organizations.send(new DescribeOrganizationCommand({}));
    expect(out.Organization).toMatchObject({ Id: 'o-abc123defg', MasterAccountId: MANAGEMENT, FeatureSet: 'ALL' });
  });

  it('ListAccounts from a member account is AccessDeniedException', async () => {
    const err = await failure(clients(emu, MEMBER).organizations.send(new ListAccountsCommand({})));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe("You don't have permissions to access this resource.");
  });

  it('ListAccounts returns State and Paths, no retired Status, JoinedTimestamp as a date', async () => {
    const out = await clients(emu, DELEGATED_ADMIN).organizations.send(new ListAccountsCommand({}));
    const suspended = out.Accounts?.find((a) => a.Id === '555555555555');
    expect(suspended).toMatchObject({ State: 'SUSPENDED', Name: 'old-app', Email: 'aws+old@example.com', Paths: ['o-abc123defg/r-abc1/555555555555/'] });
    expect(suspended).not.toHaveProperty('Status');
    expect(suspended?.Arn).toBe(`arn:aws:organizations::${MANAGEMENT}:account/o-abc123defg/555555555555`);
    expect(suspended?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it('ListAccounts paginates 45 accounts with MaxResults 20 and the SDK paginator', async () => {
    // Prepare
    const big = await startEmulator({ fixture: generateOrganization({ accounts: 45, seed: 7 }) });
    const { organizations } = clients(big, 'AKIAIOSFODNN7EXAMPLE');
    try {
      // Act
      const pages: number[] = [];
      const ids: string[] = [];
      for await (const page of paginateListAccounts({ client: organizations, pageSize: 20 }, {})) {
        pages.push(page.Accounts?.length ?? 0);
        ids.push(...(page.Accounts ?? []).map((a) => a.Id as string));
      }
      // Assess
      expect(pages).toEqual([20, 20, 5]);
      expect(new Set(ids).size).toBe(45);
      expect(big.state().requestCounts.ListAccounts).toBe(3);
    } finally {
      await big.close();
    }
  });

  it('ListAccounts rejects MaxResults above 20 and a bad NextToken with InvalidInputException', async () => {
    const { organizations } = clients(emu, MANAGEMENT);
    expect((await failure(organizations.send(new ListAccountsCommand({ MaxResults: 21 })))).name).toBe('InvalidInputException');
    const err = await failure(organizations.send(new ListAccountsCommand({ NextToken: 'garbage' })));
    expect(err.name).toBe('InvalidInputException');
    expect(err.Reason).toBe('INVALID_NEXT_TOKEN');
  });

  it('DescribeAccount finds an account; an unknown ID is AccountNotFoundException', async () => {
    const { organizations } = clients(emu, MANAGEMENT);
    expect((await organizations.send(new DescribeAccountCommand({ AccountId: MEMBER }))).Account?.Name).toBe('prod-app');
    expect((await failure(organizations.send(new DescribeAccountCommand({ AccountId: '123412341234' })))).name).toBe('AccountNotFoundException');
  });

  it('injected throttling surfaces as TooManyRequestsException', async () => {
    emu.injectFault({ operation: 'ListAccounts', count: 1, kind: 'throttle' });
    const err = await failure(clients(emu, MANAGEMENT).organizations.send(new ListAccountsCommand({})));
    expect(err.name).toBe('TooManyRequestsException');
    await expect(clients(emu, MANAGEMENT).organizations.send(new ListAccountsCommand({}))).resolves.toBeDefined();
  });
});

describe('CloudTrail: "Understanding the Account Management log entries"', () => {
  it('records an allowed Put in organizations context with the documented shape, without the phone number', async () => {
    // Act
    await clients(emu, DELEGATED_ADMIN).account.send(
      new PutAlternateContactCommand({ AccountId: MEMBER_EMPTY, AlternateContactType: 'SECURITY', Name: 'Sec', Title: 'CISO', EmailAddress: 'security@example.com', PhoneNumber: '+1 206 555 0199' }),
    );
    // Assess
    const record = emu.state().cloudtrailEvents.at(-1) as Record<string, any>;
    expect(record).toMatchObject({
      eventVersion: '1.08',
      eventSource: 'account.amazonaws.com',
      eventName: 'PutAlternateContact',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      requestParameters: { accountId: MEMBER_EMPTY, alternateContactType: 'SECURITY', name: 'Sec', title: 'CISO', emailAddress: 'security@example.com' },
      responseElements: null,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: DELEGATED_ADMIN,
      userIdentity: { type: 'AssumedRole', accountId: DELEGATED_ADMIN, accessKeyId: DELEGATED_ADMIN, arn: `arn:aws:sts::${DELEGATED_ADMIN}:assumed-role/ContactAuditorEmulator/${DELEGATED_ADMIN}` },
    });
    expect(record.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(record.eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.userAgent).toContain('aws-sdk-js');
    expect(JSON.stringify(record)).not.toContain('555 0199');
    expect(record.requestParameters).not.toHaveProperty('phoneNumber');
    expect(record).not.toHaveProperty('errorCode');
  });

  it('records a denied Delete with errorCode and errorMessage; a standalone Delete has no accountId', async () => {
    await failure(clients(emu, MEMBER).account.send(new DeleteAlternateContactCommand({ AccountId: MEMBER_EMPTY, AlternateContactType: 'BILLING' })));
    const denied = emu.state().cloudtrailEvents.at(-1) as Record<string, any>;
    expect(denied).toMatchObject({ eventName: 'DeleteAlternateContact', errorCode: 'AccessDeniedException', recipientAccountId: MEMBER, requestParameters: { accountId: MEMBER_EMPTY, alternateContactType: 'BILLING' } });
    expect(denied.errorMessage).toEqual(expect.any(String));

    await clients(emu, MEMBER).account.send(new DeleteAlternateContactCommand({ AlternateContactType: 'BILLING' }));
    const own = emu.state().cloudtrailEvents.at(-1) as Record<string, any>;
    expect(own.requestParameters).toEqual({ alternateContactType: 'BILLING' });
  });

  it('LookupEvents returns the caller account’s events newest first, filtered by EventName, paginated', async () => {
    const { cloudtrail } = clients(emu, MEMBER);
    const all = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'account.amazonaws.com' }] }));
    expect(all.Events?.map((e) => e.EventName)).toEqual(['DeleteAlternateContact', 'DeleteAlternateContact']);
    const first = all.Events?.[0];
    expect(first).toMatchObject({ ReadOnly: 'false', AccessKeyId: MEMBER, EventSource: 'account.amazonaws.com', Username: MEMBER, Resources: [] });
    expect(first?.EventTime).toBeInstanceOf(Date);
    expect(JSON.parse(first?.CloudTrailEvent as string).eventID).toBe(first?.EventId);
    expect(JSON.parse(all.Events?.[1]?.CloudTrailEvent as string).errorCode).toBe('AccessDeniedException');

    const page1 = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteAlternateContact' }], MaxResults: 1 }));
    expect(page1.Events).toHaveLength(1);
    const page2 = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteAlternateContact' }], MaxResults: 1, NextToken: page1.NextToken }));
    expect(page2.Events?.[0]?.EventId).toBe(all.Events?.[1]?.EventId);
    expect(page2.NextToken).toBeUndefined();

    const byId = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: first?.EventId as string }] }));
    expect(byId.Events).toHaveLength(1);
    const future = await cloudtrail.send(new LookupEventsCommand({ StartTime: new Date(Date.now() + 3_600_000) }));
    expect(future.Events).toEqual([]);
    expect((await failure(cloudtrail.send(new LookupEventsCommand({ MaxResults: 51 })))).name).toBe('InvalidMaxResultsException');
  });
});

describe('SNS Publish', () => {
  it('records the message with its String attributes and answers a MessageId', async () => {
    const out = await clients(emu, DELEGATED_ADMIN).sns.send(
      new PublishCommand({
        TopicArn: topic,
        Subject: '[HIGH] Contact changed on 333333333333',
        Message: 'body',
        MessageAttributes: { event_type: { DataType: 'String', StringValue: 'CONTACT_CHANGED' }, severity: { DataType: 'String', StringValue: 'HIGH' } },
      }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.state().snsMessages.at(-1)).toMatchObject({
      topicArn: topic,
      subject: '[HIGH] Contact changed on 333333333333',
      message: 'body',
      messageId: out.MessageId,
      messageAttributes: { event_type: { DataType: 'String', StringValue: 'CONTACT_CHANGED' }, severity: { DataType: 'String', StringValue: 'HIGH' } },
    });
  });

  it.each([
    ['of 100 characters ("less than 100 characters")', 'x'.repeat(100)],
    ['with a line break', 'two\nlines'],
    ['with a Unicode line separator', 'two\u2028lines'],
    ['with a control character', 'bell\u0007'],
    ['beginning with a space', ' leading'],
  ])('rejects a Subject %s with InvalidParameterException', async (_, Subject) => {
    const err = await failure(clients(emu, DELEGATED_ADMIN).sns.send(new PublishCommand({ TopicArn: topic, Subject, Message: 'm' })));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('accepts a Subject of 99 characters, and UTF-8 text', async () => {
    const { sns } = clients(emu, DELEGATED_ADMIN);
    await expect(sns.send(new PublishCommand({ TopicArn: topic, Subject: 's'.repeat(99), Message: 'm' }))).resolves.toBeDefined();
    await expect(sns.send(new PublishCommand({ TopicArn: topic, Subject: 'Kontakt geändert – 安全', Message: 'm' }))).resolves.toBeDefined();
    expect(emu.state().snsMessages.at(-1)?.subject).toBe('Kontakt geändert – 安全');
  });

  it('rejects a malformed topic ARN and an empty message', async () => {
    const { sns } = clients(emu, DELEGATED_ADMIN);
    expect((await failure(sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123:bad', Message: 'm' })))).name).toBe('InvalidParameterException');
    expect((await failure(sns.send(new PublishCommand({ TopicArn: topic, Message: '' })))).name).toBe('InvalidParameterException');
  });
});

describe('S3 (path style)', () => {
  it('puts, gets, heads, lists with pagination and deletes objects', async () => {
    const { s3 } = clients(emu, DELEGATED_ADMIN);
    // Prepare
    for (const key of ['r/runs/a.json', 'r/runs/b.json', 'r/runs/c.json', 'r/latest/report.json', 'other.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: 'reports', Key: key, Body: `{"key":"${key}"}`, ContentType: 'application/json' }));
    }
    // Act / Assess
    const got = await s3.send(new GetObjectCommand({ Bucket: 'reports', Key: 'r/latest/report.json' }));
    expect(await got.Body?.transformToString()).toBe('{"key":"r/latest/report.json"}');
    expect(got.ContentType).toBe('application/json');
    expect(got.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'reports', Key: 'r/runs/a.json' }));
    expect(head.ContentLength).toBe('{"key":"r/runs/a.json"}'.length);
    expect(head.LastModified).toBeInstanceOf(Date);

    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'reports', Prefix: 'r/' })) {
      pages++;
      keys.push(...(page.Contents ?? []).map((c) => c.Key as string));
      expect(page.KeyCount).toBe(page.Contents?.length);
    }
    expect(pages).toBe(2);
    expect(keys).toEqual(['r/latest/report.json', 'r/runs/a.json', 'r/runs/b.json', 'r/runs/c.json']);

    const folders = await s3.send(new ListObjectsV2Command({ Bucket: 'reports', Prefix: 'r/', Delimiter: '/' }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['r/latest/', 'r/runs/']);

    await s3.send(new DeleteObjectCommand({ Bucket: 'reports', Key: 'other.txt' }));
    expect(emu.state().s3Objects.map((o) => o.key)).not.toContain('other.txt');
  });

  it('GetObject of a missing key is NoSuchKey; HeadObject is a 404 NotFound', async () => {
    const { s3 } = clients(emu, DELEGATED_ADMIN);
    const err = await failure(s3.send(new GetObjectCommand({ Bucket: 'reports', Key: 'nope' })));
    expect(err.name).toBe('NoSuchKey');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    const headErr = await failure(s3.send(new HeadObjectCommand({ Bucket: 'reports', Key: 'nope' })));
    expect(headErr.$metadata?.httpStatusCode).toBe(404);
    expect(headErr.name).toBe('NotFound');
  });

  it('stores binary bodies intact and verifies the SDK’s CRC32 checksum', async () => {
    const { s3 } = clients(emu, DELEGATED_ADMIN);
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    await s3.send(new PutObjectCommand({ Bucket: 'bin', Key: 'blob', Body: bytes }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bin', Key: 'blob' }));
    expect(Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(bytes)).toBe(true);
    const res = await fetch(`${emu.url}/bin/blob`, {
      method: 'PUT',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x', 'x-amz-checksum-crc32': 'AAAAAA==' },
      body: 'tampered',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>BadDigest</Code>');
  });

  it('decodes aws-chunked bodies with a checksum trailer', async () => {
    const res = await fetch(`${emu.url}/bin/chunked`, {
      method: 'PUT',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x',
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '11',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body: '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n',
    });
    expect(res.status).toBe(200);
    const got = await clients(emu, DELEGATED_ADMIN).s3.send(new GetObjectCommand({ Bucket: 'bin', Key: 'chunked' }));
    expect(await got.Body?.transformToString()).toBe('hello world');
  });
});

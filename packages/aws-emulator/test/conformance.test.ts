/**
 * Where the emulator must answer as AWS does today (current botocore models, AWS CLI behaviour):
 * CloudTrail read events, S3 buckets and multipart uploads, SNS topics, LookupEvents limits and
 * Organizations Paths — each through the real SDK v3 clients.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAlternateContactCommand } from '@aws-sdk/client-account';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAccountCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, ListTopicsCommand, PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorCommand } from '../src/command.ts';
import { FixtureError, parseFixture } from '../src/fixture.ts';
import { startEmulator, type Emulator } from '../src/server.ts';
import { capturedIo, clients, config, failure, withResources } from './helpers.ts';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, smallOrg } from '../../../test/fixtures/organizations.ts';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (...args: Parameters<typeof startEmulator>) => (emu = await startEmulator(...args));

describe('CloudTrail records GetAlternateContact reads (guide, Example 1)', () => {
  it('a read is recorded with readOnly: true and the keys of the guide example, a failed read with its errorCode', async () => {
    // Prepare
    const e = await start({ fixture: smallOrg() });
    const guide = JSON.parse(readFileSync(new URL('../../../test/events/guide-example-1-get-alternate-contact.json', import.meta.url), 'utf8')).detail;
    // Act
    await clients(e, MEMBER).account.send(new GetAlternateContactCommand({ AlternateContactType: 'BILLING' }));
    await failure(clients(e, DELEGATED_ADMIN).account.send(new GetAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'SECURITY' })));
    // Assess
    const [read, missing] = e.state().cloudtrailEvents as Record<string, any>[];
    expect(Object.keys(read!).sort()).toEqual(Object.keys(guide).sort());
    expect(read).toMatchObject({ eventName: 'GetAlternateContact', readOnly: true, eventCategory: 'Management', managementEvent: true, requestParameters: { alternateContactType: 'BILLING' }, responseElements: null, recipientAccountId: MEMBER });
    expect(missing).toMatchObject({ eventName: 'GetAlternateContact', readOnly: true, errorCode: 'ResourceNotFoundException', requestParameters: { accountId: MEMBER, alternateContactType: 'SECURITY' } });
    const looked = await clients(e, MEMBER).cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] }));
    expect(looked.Events?.map((x) => [x.EventName, x.ReadOnly])).toEqual([['GetAlternateContact', 'true']]);
  });

  it('keeps at most maxCloudTrailEvents records (the newest) and counts the dropped ones', async () => {
    const e = await start({ fixture: smallOrg(), maxCloudTrailEvents: 5, quotaScale: 10 });
    const { account } = clients(e, MEMBER);
    for (let i = 0; i < 8; i++) await failure(account.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' })));
    const ids = e.state().cloudtrailEvents.map((r) => r.requestID);
    expect(ids).toHaveLength(5);
    expect(e.state().cloudtrailEventsDropped).toBe(3);
    const looked = await clients(e, MEMBER).cloudtrail.send(new LookupEventsCommand({}));
    expect(looked.Events?.map((x) => JSON.parse(x.CloudTrailEvent as string).requestID)).toEqual([...ids].reverse());
  });
});

describe('S3 buckets must exist', () => {
  it('List, Head, Put and Get on a missing bucket are NoSuchBucket 404 (HEAD: NotFound without a body)', async () => {
    const { s3 } = clients(await start({ fixture: smallOrg() }), DELEGATED_ADMIN);
    for (const call of [
      () => s3.send(new ListObjectsV2Command({ Bucket: 'nope' })),
      () => s3.send(new ListObjectsCommand({ Bucket: 'nope' })),
      () => s3.send(new PutObjectCommand({ Bucket: 'nope', Key: 'k', Body: 'x' })),
      () => s3.send(new GetObjectCommand({ Bucket: 'nope', Key: 'k' })),
    ]) {
      const err = await failure(call());
      expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
    }
    for (const call of [() => s3.send(new HeadBucketCommand({ Bucket: 'nope' })), () => s3.send(new HeadObjectCommand({ Bucket: 'nope', Key: 'k' }))]) {
      expect((await failure(call())).$metadata?.httpStatusCode).toBe(404);
    }
    expect(emu!.state().s3Objects).toEqual([]);
  });

  it('CreateBucket makes one (twice: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere), ListBuckets and HeadBucket see it, a fixture bucket exists from the start', async () => {
    const e = await start({ fixture: withResources(smallOrg(), { buckets: ['from-fixture'] }) });
    const { s3 } = clients(e, DELEGATED_ADMIN);
    await s3.send(new CreateBucketCommand({ Bucket: 'made-by-call' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'made-by-call' }))).resolves.toBeDefined();
    const elsewhere = new S3Client({ ...config(e, DELEGATED_ADMIN), region: 'eu-west-1', forcePathStyle: true });
    expect((await failure(elsewhere.send(new CreateBucketCommand({ Bucket: 'made-by-call' })))).name).toBe('BucketAlreadyOwnedByYou');
    expect((await failure(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name).toBe('InvalidBucketName');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(['from-fixture', 'made-by-call']);
    expect(list.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'made-by-call' }))).resolves.toBeDefined();
    await s3.send(new PutObjectCommand({ Bucket: 'made-by-call', Key: 'k', Body: 'x' }));
    expect((await failure(s3.send(new DeleteBucketCommand({ Bucket: 'made-by-call' })))).name).toBe('BucketNotEmpty');
    expect(e.createBucket('one-line-bucket')).toBe(true);
    expect(e.state().s3Buckets).toEqual(['from-fixture', 'made-by-call', 'one-line-bucket']);
  });

  it('a multipart upload of 5 MiB + 3 MiB completes into one object with an MD5-of-MD5s ETag; ranged GETs read it back', async () => {
    const { s3 } = clients(await start({ fixture: withResources(smallOrg(), { buckets: ['big'] }) }), DELEGATED_ADMIN);
    const body = Buffer.alloc(8 * 1024 * 1024 + 17);
    for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
    const parts = [body.subarray(0, 5 * 1024 * 1024), body.subarray(5 * 1024 * 1024)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key: 'dir/file.bin', ContentType: 'application/octet-stream' }));
    const etags: string[] = [];
    for (const [i, p] of parts.entries()) etags.push((await s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'dir/file.bin', UploadId, PartNumber: i + 1, Body: p }))).ETag as string);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'big', Key: 'dir/file.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
    );
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const whole = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'dir/file.bin' }));
    expect(Buffer.from(await whole.Body!.transformToByteArray()).equals(body)).toBe(true);
    const ranged = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'dir/file.bin', Range: 'bytes=5242870-5242889' }));
    expect(ranged.ContentRange).toBe(`bytes 5242870-5242889/${body.length}`);
    expect(Buffer.from(await ranged.Body!.transformToByteArray()).equals(body.subarray(5242870, 5242890))).toBe(true);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'dir/file.bin', Range: `bytes=${body.length}-` })))).$metadata?.httpStatusCode).toBe(416);
  });

  it('Complete refuses a too-small middle part, an unknown part and a completed upload; Abort ends an upload', async () => {
    const { s3 } = clients(await start({ fixture: withResources(smallOrg(), { buckets: ['big'] }) }), DELEGATED_ADMIN);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key: 'k' }));
    const e1 = (await s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'k', UploadId, PartNumber: 1, Body: 'small' }))).ETag;
    const e2 = (await s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'k', UploadId, PartNumber: 2, Body: 'tail' }))).ETag;
    const complete = (Parts: { ETag?: string; PartNumber: number }[]) => s3.send(new CompleteMultipartUploadCommand({ Bucket: 'big', Key: 'k', UploadId, MultipartUpload: { Parts } }));
    expect((await failure(complete([{ ETag: e1, PartNumber: 1 }, { ETag: e2, PartNumber: 2 }]))).name).toBe('EntityTooSmall');
    expect((await failure(complete([{ ETag: '"0000"', PartNumber: 1 }]))).name).toBe('InvalidPart');
    expect((await failure(complete([{ ETag: e2, PartNumber: 2 }, { ETag: e1, PartNumber: 1 }]))).name).toBe('InvalidPartOrder');
    await complete([{ ETag: e1, PartNumber: 1 }]);
    expect((await failure(complete([{ ETag: e1, PartNumber: 1 }]))).name).toBe('NoSuchUpload');
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key: 'other' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'big', Key: 'other', UploadId: other.UploadId }));
    expect((await failure(s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'other', UploadId: other.UploadId, PartNumber: 1, Body: 'x' })))).name).toBe('NoSuchUpload');
  });

  it('CopyObject copies (also across buckets), DeleteObjects deletes many', async () => {
    const { s3 } = clients(await start({ fixture: withResources(smallOrg(), { buckets: ['a', 'b'].map((x) => `${x}-bucket`) }) }), DELEGATED_ADMIN);
    await s3.send(new PutObjectCommand({ Bucket: 'a-bucket', Key: 'src key+1.txt', Body: 'hello', ContentType: 'text/plain', Metadata: { team: 'sec' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'b-bucket', Key: 'copy.txt', CopySource: `a-bucket/${encodeURIComponent('src key+1.txt')}` }));
    expect(copied.CopyObjectResult?.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'b-bucket', Key: 'copy.txt' }));
    expect([head.ContentType, head.Metadata]).toEqual(['text/plain', { team: 'sec' }]);
    expect((await failure(s3.send(new CopyObjectCommand({ Bucket: 'b-bucket', Key: 'x', CopySource: 'a-bucket/missing' })))).name).toBe('NoSuchKey');
    const del = await s3.send(new DeleteObjectsCommand({ Bucket: 'a-bucket', Delete: { Objects: [{ Key: 'src key+1.txt' }, { Key: 'never-there' }] } }));
    expect(del.Deleted?.map((d) => d.Key)).toEqual(['src key+1.txt', 'never-there']);
    expect(emu!.state().s3Objects.map((o) => `${o.bucket}/${o.key}`)).toEqual(['b-bucket/copy.txt']);
  });

  it('ListObjectsV2 and ListObjects honour encoding-type=url (keys, prefixes and delimiter URL-encoded)', async () => {
    const { s3 } = clients(await start({ fixture: withResources(smallOrg(), { buckets: ['enc'] }) }), DELEGATED_ADMIN);
    for (const Key of ['dir a/x+y.txt', 'dir a/sub/z.txt', 'top é.txt']) await s3.send(new PutObjectCommand({ Bucket: 'enc', Key, Body: 'x' }));
    const plain = await s3.send(new ListObjectsV2Command({ Bucket: 'enc', Prefix: 'dir a/', Delimiter: '/' }));
    expect(plain.Contents?.map((c) => c.Key)).toEqual(['dir a/x+y.txt']);
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'enc', Prefix: 'dir a/', Delimiter: '/', EncodingType: 'url' }));
    expect(encoded.EncodingType).toBe('url');
    expect(encoded.Prefix).toBe('dir+a/');
    expect(encoded.Contents?.map((c) => c.Key)).toEqual(['dir+a/x%2By.txt']);
    expect(encoded.CommonPrefixes?.map((c) => c.Prefix)).toEqual(['dir+a/sub/']);
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'enc', EncodingType: 'url' }));
    expect(v1.Contents?.map((c) => decode(c.Key as string))).toEqual(['dir a/sub/z.txt', 'dir a/x+y.txt', 'top é.txt']);
    expect((await failure(s3.send(new ListObjectsV2Command({ Bucket: 'enc', EncodingType: 'base64' as never })))).name).toBe('InvalidArgument');
  });
});

describe('SNS topics must exist', () => {
  it('CreateTopic returns the caller account’s ARN (idempotent), ListTopics lists it, DeleteTopic removes it', async () => {
    const { sns } = clients(await start({ fixture: smallOrg() }), DELEGATED_ADMIN);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:alerts`);
    expect((await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn).toBe(TopicArn);
    expect((await failure(sns.send(new CreateTopicCommand({ Name: 'bad name!' })))).name).toBe('InvalidParameterException');
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn }]);
    await sns.send(new PublishCommand({ TopicArn, Message: 'm' }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const gone = await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm' })));
    expect([gone.name, gone.$metadata?.httpStatusCode]).toEqual(['NotFoundException', 404]);
  });

  it('Publish to an unknown topic is NotFound 404; to another account’s topic AuthorizationError 403 unless the fixture names the publisher', async () => {
    const own = `arn:aws:sns:us-east-1:${MANAGEMENT}:private`;
    const shared = `arn:aws:sns:us-east-1:${MANAGEMENT}:shared`;
    const fixture = { ...withResources(smallOrg(), { topics: [own] }), topics: [{ arn: own }, { arn: shared, publishers: [DELEGATED_ADMIN] }] };
    const e = await start({ fixture });
    const unknown = await failure(clients(e, DELEGATED_ADMIN).sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:nope`, Message: 'm' })));
    expect([unknown.name, unknown.$metadata?.httpStatusCode]).toEqual(['NotFoundException', 404]);
    const denied = await failure(clients(e, DELEGATED_ADMIN).sns.send(new PublishCommand({ TopicArn: own, Message: 'm' })));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AuthorizationErrorException', 403]);
    await clients(e, MANAGEMENT).sns.send(new PublishCommand({ TopicArn: own, Message: 'm' }));
    await clients(e, DELEGATED_ADMIN).sns.send(new PublishCommand({ TopicArn: shared, Message: 'm' }));
    expect((await failure(clients(e, MEMBER).sns.send(new PublishCommand({ TopicArn: shared, Message: 'm' })))).name).toBe('AuthorizationErrorException');
    expect(e.state().snsMessages.map((m) => m.topicArn)).toEqual([own, shared]);
  });

  it('MessageStructure json needs a JSON object with a "default" key', async () => {
    const topic = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:alerts`;
    const { sns } = clients(await start({ fixture: withResources(smallOrg(), { topics: [topic] }) }), DELEGATED_ADMIN);
    const publish = (Message: string) => sns.send(new PublishCommand({ TopicArn: topic, Message, MessageStructure: 'json' }));
    await expect(publish(JSON.stringify({ default: 'hi', email: 'hello' }))).resolves.toBeDefined();
    for (const bad of ['not json', JSON.stringify({ email: 'no default' }), JSON.stringify(['default']), JSON.stringify({ default: 1 })]) {
      expect((await failure(publish(bad))).name, bad).toBe('InvalidParameterException');
    }
  });
});

describe('CloudTrail LookupEvents limits', () => {
  it('answers 2 calls per second per account, then ThrottlingException', async () => {
    const e = await start({ fixture: smallOrg() });
    const { cloudtrail } = clients(e, MEMBER);
    await cloudtrail.send(new LookupEventsCommand({}));
    await cloudtrail.send(new LookupEventsCommand({}));
    const err = await failure(cloudtrail.send(new LookupEventsCommand({})));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 400]);
    // Another account has its own quota.
    await expect(clients(e, DELEGATED_ADMIN).cloudtrail.send(new LookupEventsCommand({}))).resolves.toBeDefined();
    expect(e.state().throttledCounts.LookupEvents).toBe(1);
  });

  it('a NextToken used with other parameters is InvalidNextTokenException; with the same ones it pages', async () => {
    const e = await start({ fixture: smallOrg(), quotaScale: 10 });
    const { account, cloudtrail } = clients(e, MEMBER);
    for (const t of ['BILLING', 'SECURITY', 'OPERATIONS'] as const) await account.send(new GetAlternateContactCommand({ AlternateContactType: t })).catch(() => undefined);
    const attrs = [{ AttributeKey: 'EventName' as const, AttributeValue: 'GetAlternateContact' }];
    const first = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: attrs, MaxResults: 1 }));
    expect(first.NextToken).toEqual(expect.any(String));
    const other = await failure(cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }], MaxResults: 1, NextToken: first.NextToken })));
    expect(other.name).toBe('InvalidNextTokenException');
    expect((await failure(cloudtrail.send(new LookupEventsCommand({ MaxResults: 1, NextToken: first.NextToken })))).name).toBe('InvalidNextTokenException');
    const second = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: attrs, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Events).toHaveLength(2);
  });

  it('EventCategory: without it management events, "insight" only Insights events (none here), anything else InvalidEventCategoryException', async () => {
    const e = await start({ fixture: smallOrg(), quotaScale: 10 });
    const { account, cloudtrail } = clients(e, MEMBER);
    await account.send(new GetAlternateContactCommand({ AlternateContactType: 'BILLING' }));
    expect((await cloudtrail.send(new LookupEventsCommand({}))).Events).toHaveLength(1);
    expect((await cloudtrail.send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events).toEqual([]);
    expect((await failure(cloudtrail.send(new LookupEventsCommand({ EventCategory: 'management' as never })))).name).toBe('InvalidEventCategoryException');
  });
});

describe('Organizations Account objects', () => {
  it('carry Paths in the model’s format and no Status; a legacyStatus fixture still gets Status', async () => {
    const e = await start({ fixture: smallOrg() });
    const account = (await clients(e, DELEGATED_ADMIN).organizations.send(new DescribeAccountCommand({ AccountId: MEMBER }))).Account;
    expect(account?.Paths).toEqual([`o-abc123defg/r-abc1/${MEMBER}/`]);
    // The model's Path pattern (botocore organizations/2016-11-28, shape Path).
    expect(account?.Paths?.[0]).toMatch(/^(o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*(\/\d{12})*)\//);
    expect(account).not.toHaveProperty('Status');
    await e.close();
    const legacy = await start({ fixture: { ...smallOrg(), legacyStatus: true } });
    const listed = await clients(legacy, DELEGATED_ADMIN).organizations.send(new ListAccountsCommand({}));
    expect(listed.Accounts?.find((a) => a.Id === '555555555555')).toMatchObject({ State: 'SUSPENDED', Status: 'SUSPENDED' });
  });
});

describe('fixture and command: buckets, topics, legacyStatus', () => {
  it('parses buckets, topics (ARN or {arn, publishers}) and legacyStatus; names a bad field', () => {
    const base = smallOrg();
    const parsed = parseFixture({ ...base, buckets: ['reports'], topics: ['arn:aws:sns:us-east-1:111111111111:a', { arn: 'arn:aws:sns:us-east-1:111111111111:b', publishers: ['*'] }], legacyStatus: true });
    expect(parsed).toMatchObject({ buckets: ['reports'], topics: [{ arn: 'arn:aws:sns:us-east-1:111111111111:a' }, { arn: 'arn:aws:sns:us-east-1:111111111111:b', publishers: ['*'] }], legacyStatus: true });
    expect(() => parseFixture({ ...base, buckets: ['UPPER'] })).toThrow(/buckets\[0\]/);
    expect(() => parseFixture({ ...base, topics: ['alerts'] })).toThrow(/topics\[0\]/);
    expect(() => parseFixture({ ...base, topics: [{ arn: 'arn:aws:sns:us-east-1:111111111111:b', publishers: ['123'] }] })).toThrow(FixtureError);
    expect(() => parseFixture({ ...base, legacyStatus: 'yes' })).toThrow(/legacyStatus/);
  });

  it('`contact-audit emulator --bucket NAME --topic NAME` creates them; a bad name is a usage error', async () => {
    const { out, io } = capturedIo();
    const dir = await mkdtemp(join(tmpdir(), 'emu-cmd-'));
    const file = join(dir, 'org.json');
    await writeFile(file, JSON.stringify(smallOrg()));
    expect(await emulatorCommand(['--fixture', file, '--bucket', 'Bad_Bucket'], io)).toBe(2);
    expect(out.stderr).toContain('--bucket');
    const stop = new AbortController();
    const run = emulatorCommand(['--fixture', file, '--bucket', 'reports', '--topic', 'alerts', '--topic', `arn:aws:sns:us-east-1:${MEMBER}:other`], io, stop.signal);
    await expect.poll(() => out.stdout, { timeout: 5000 }).toContain('export AWS_ENDPOINT_URL=');
    const url = /export AWS_ENDPOINT_URL=(\S+)/.exec(out.stdout)?.[1] as string;
    const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { s3Buckets: string[]; snsTopics: string[] };
    expect(state.s3Buckets).toEqual(['reports']);
    expect(state.snsTopics).toEqual([`arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:alerts`, `arn:aws:sns:us-east-1:${MEMBER}:other`]);
    stop.abort();
    expect(await run).toBe(0);
  });
});

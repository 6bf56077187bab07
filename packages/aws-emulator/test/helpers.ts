/** Shared set-up for the emulator tests: SDK clients pointed at the emulator (the organizations are in test/fixtures/organizations.ts). */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { Fixture } from '../src/fixture.ts';
import type { Emulator } from '../src/server.ts';

/** Client options as the product uses them; `maxAttempts: 1` so errors surface unretried. */
export function config(emu: Emulator, accessKeyId: string, maxAttempts = 1) {
  return { region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts };
}

export const clients = (emu: Emulator, accessKeyId: string) => ({
  account: new AccountClient(config(emu, accessKeyId)),
  organizations: new OrganizationsClient(config(emu, accessKeyId)),
  sts: new STSClient(config(emu, accessKeyId)),
  sns: new SNSClient(config(emu, accessKeyId)),
  s3: new S3Client({ ...config(emu, accessKeyId), forcePathStyle: true }),
  cloudtrail: new CloudTrailClient(config(emu, accessKeyId)),
});

/** The rejection of a promise, for asserting on SDK exceptions. */
export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; [k: string]: unknown };
export async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the call to fail');
}

/**
 * The fixture plus the S3 buckets and SNS topics that exist from the start (both must exist before
 * use): `withResources(smallOrg(), { buckets: ['reports'], topics: [topicArn] })`. On a running
 * emulator, `emu.createBucket(name)` / `emu.createTopic(arn)` do the same in one line.
 */
export function withResources(fixture: Fixture, resources: { buckets?: string[]; topics?: string[] }): Fixture {
  return {
    ...fixture,
    buckets: [...(fixture.buckets ?? []), ...(resources.buckets ?? [])],
    topics: [...(fixture.topics ?? []), ...(resources.topics ?? []).map((arn) => ({ arn }))],
  };
}

/** Streams for `contact-audit emulator` that collect what it prints. */
export function capturedIo() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (text: string) => {
      out.stdout += text;
    },
    stderr: (text: string) => {
      out.stderr += text;
    },
  };
  return { out, io };
}

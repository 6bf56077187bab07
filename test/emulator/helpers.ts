/** Shared set-up for the emulator tests: a small hand-written organization and SDK clients pointed at the emulator. */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { Fixture } from '../../src/emulator/fixture.ts';
import type { Emulator } from '../../src/emulator/server.ts';

export const MANAGEMENT = '111111111111';
export const DELEGATED_ADMIN = '222222222222';
export const MEMBER = '333333333333';
export const MEMBER_EMPTY = '444444444444';
export const SUSPENDED = '555555555555';
export const OUTSIDER = '999999999999';

export const billing = { name: 'Billing Team', title: 'Finance', emailAddress: 'billing@example.com', phoneNumber: '+1 206 555 0100' };

export function smallOrg(overrides: Partial<Fixture['organization']> = {}): Fixture {
  return {
    organization: { id: 'o-abc123defg', managementAccountId: MANAGEMENT, delegatedAdminAccountId: DELEGATED_ADMIN, trustedAccess: true, ...overrides },
    accounts: [
      { id: MANAGEMENT, name: 'management', email: 'aws+mgmt@example.com', state: 'ACTIVE', contacts: { BILLING: billing } },
      { id: DELEGATED_ADMIN, name: 'security-tooling', email: 'aws+sec@example.com', state: 'ACTIVE', contacts: { SECURITY: { ...billing, emailAddress: 'security@example.com' } } },
      { id: MEMBER, name: 'prod-app', email: 'aws+prod@example.com', state: 'ACTIVE', contacts: { BILLING: billing, OPERATIONS: null, SECURITY: null } },
      { id: MEMBER_EMPTY, name: 'dev-app', email: 'aws+dev@example.com', state: 'ACTIVE', contacts: {} },
      { id: SUSPENDED, name: 'old-app', email: 'aws+old@example.com', state: 'SUSPENDED', contacts: {} },
    ],
  };
}

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

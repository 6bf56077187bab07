import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';

/** How to reach AWS. Everything left out comes from the standard AWS chain and `AWS_ENDPOINT_URL*`. */
export interface ClientSettings {
  region?: string;
  /** One endpoint for every service (the emulator); normally unset. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A named profile of the shared config and credentials files (`--profile`): the SDK takes credentials and settings from it. */
  profile?: string;
  /** Path-style S3 addressing, needed by S3-compatible servers such as the emulator. */
  forcePathStyle?: boolean;
}

export interface AwsClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  account: AccountClient;
  sns: SNSClient;
  s3: S3Client;
  cloudtrail: CloudTrailClient;
}

/**
 * The options every client shares. Retries are the adapters' (see src/calls/caller.ts), so the SDK makes one
 * attempt per call; time-outs keep a hung connection from stalling a sweep. Exported so a Lambda
 * handler can create only the clients it uses (a smaller bundle) with the same settings.
 */
export function clientOptions(settings: ClientSettings = {}) {
  return {
    // Account Management and Organizations are global services served from us-east-1.
    region: settings.region ?? 'us-east-1',
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
  };
}

/** S3 wants path-style addressing against S3-compatible servers. */
export function s3ClientOptions(settings: ClientSettings = {}) {
  return { ...clientOptions(settings), forcePathStyle: settings.forcePathStyle ?? false };
}

/** The clients of the real-time function only: its bundle carries no CloudTrail client. */
export function realtimeClients(settings: ClientSettings = {}): Omit<AwsClients, 'cloudtrail'> {
  const common = clientOptions(settings);
  return {
    sts: new STSClient(common),
    organizations: new OrganizationsClient(common),
    account: new AccountClient(common),
    sns: new SNSClient(common),
    s3: new S3Client(s3ClientOptions(settings)),
  };
}

/** Creates every client once (CLI, demo). */
export function createClients(settings: ClientSettings = {}): AwsClients {
  return { ...realtimeClients(settings), cloudtrail: new CloudTrailClient(clientOptions(settings)) };
}

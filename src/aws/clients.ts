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
 * Creates every client once. Retries are the callers' (see retry.ts), so the SDK makes one
 * attempt per call; time-outs keep a hung connection from stalling a sweep.
 */
export function createClients(settings: ClientSettings = {}): AwsClients {
  const common = {
    // Account Management and Organizations are global services served from us-east-1.
    region: settings.region ?? 'us-east-1',
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
  return {
    sts: new STSClient(common),
    organizations: new OrganizationsClient(common),
    account: new AccountClient(common),
    sns: new SNSClient(common),
    s3: new S3Client({ ...common, forcePathStyle: settings.forcePathStyle ?? false }),
    cloudtrail: new CloudTrailClient(common),
  };
}

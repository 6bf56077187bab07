/**
 * Proves a sweep's outputs usable before it reads any account: the report bucket and prefix are
 * writable, the alert topic exists and answers the caller. A sweep of 2,000 accounts takes minutes
 * at the GetAlternateContact quota; a wrong `--out` or `--topic-arn` should cost seconds instead.
 */
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';

/** A few quick retries: a transient fault should not fail the check, nor should the check take long. */
const RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * The key the write check puts and deletes. Under `latest/`, the one place a sweep already deletes
 * from (PublishingObjectStore, README "IAM permissions of the caller"): the check needs no permission
 * the sweep does not already have, and a probe left behind (a delete refused) sits beside the files
 * the next run replaces.
 */
function probeKey(prefix: string): string {
  return `${prefix ? `${prefix}/` : ''}latest/.contact-audit-write-check`;
}

export class OutputsProbe {
  /**
   * S3: PutObject + DeleteObject of {@link probeKey}, not HeadBucket: HeadBucket proves only that
   * the bucket exists and can be listed, not that the prefix is writable, and it answers a missing
   * bucket with a bare 404. PutObject answers `NoSuchBucket` or `AccessDenied` by name. SNS:
   * GetTopicAttributes, the one read of a topic (SNS has no dry-run Publish); it answers `NotFound`
   * for a missing topic and `AuthorizationError` for one the caller may not use.
   */
  static readonly iamActions: readonly string[] = ['s3:PutObject', 's3:DeleteObject', 'sns:GetTopicAttributes'];

  private readonly call: AwsCall;

  constructor(
    private readonly s3: S3Client,
    private readonly sns: SNSClient,
    retry: RetryOptions = RETRY,
  ) {
    this.call = awsCaller({ retry });
  }

  /** Writes and deletes the probe; throws what S3 answered (NoSuchBucket, AccessDenied …). */
  async checkWritable(bucket: string, prefix: string): Promise<void> {
    const Key = probeKey(prefix);
    await this.call(() => this.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'contact-audit write check\n', ContentType: 'text/plain' })));
    await this.call(() => this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })));
  }

  /** Reads the topic's attributes; throws what SNS answered (NotFound, AuthorizationError …). */
  async checkTopic(topicArn: string): Promise<void> {
    await this.call(() => this.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })));
  }
}

import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsErrorCode } from './awsErrors.ts';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { s3ClientOptions } from './clients.ts';

/** Reads and writes report objects in one S3 bucket. */
export class ObjectStore {
  static readonly iamActions: readonly string[] = ['s3:PutObject', 's3:GetObject', 's3:ListBucket'];

  protected readonly call: AwsCall;

  constructor(
    readonly bucket: string,
    protected readonly client: S3Client = new S3Client(s3ClientOptions()),
    retry?: RetryOptions,
  ) {
    this.call = awsCaller({ retry });
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.call(() => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType })));
  }

  /** The object's text, or undefined when there is no such key. */
  async get(key: string): Promise<string | undefined> {
    try {
      // The body is read inside the call: a connection that breaks off mid-body is retried too.
      return await this.call(async () => {
        const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        return (await out.Body?.transformToString('utf-8')) ?? '';
      });
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** Every key under a prefix, all pages. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const continuation = token;
      const page = await this.call(() =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(continuation ? { ContinuationToken: continuation } : {}) })),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

/**
 * The store of the step that publishes a run (`latest/`): an {@link ObjectStore} that may also
 * delete, so a first run (no previous report to restore) that fails half way through `latest/`
 * takes back the files it already wrote instead of leaving a partial `latest/`. Only the finalize
 * step and the CLI use it; the other functions' roles keep no delete permission.
 */
export class PublishingObjectStore extends ObjectStore {
  static override readonly iamActions: readonly string[] = [...ObjectStore.iamActions, 's3:DeleteObject'];

  /** Deletes a key; deleting a missing key succeeds, as in S3. */
  async remove(key: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }
}

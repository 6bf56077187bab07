import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DEFAULT_RETRY, withRetries, type RetryOptions } from './retry.ts';

/** What SNS needs of an alert (SPEC §8). */
export interface PublishableAlert {
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

/** Publishes alerts to an SNS topic. */
export class AlertPublisher {
  static readonly iamActions: readonly string[] = ['sns:Publish'];

  constructor(
    private readonly client: SNSClient = new SNSClient({}),
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  /** Returns the SNS MessageId. */
  async publish(topicArn: string, alert: PublishableAlert): Promise<string> {
    const MessageAttributes = Object.fromEntries(
      Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
    );
    const out = await withRetries(
      () => this.client.send(new PublishCommand({ TopicArn: topicArn, Subject: alert.subject, Message: alert.message, MessageAttributes })),
      this.retry,
    );
    return out.MessageId ?? '';
  }
}

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsCaller, type AwsCall, type RetryOptions } from './awsCaller.ts';
import { clientOptions } from './clients.ts';

/** What SNS needs of an alert (SPEC §8). */
export interface PublishableAlert {
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

/** Publishes alerts to an SNS topic. */
export class AlertPublisher {
  static readonly iamActions: readonly string[] = ['sns:Publish'];

  private readonly call: AwsCall;

  constructor(
    private readonly client: SNSClient = new SNSClient(clientOptions()),
    retry?: RetryOptions,
  ) {
    this.call = awsCaller({ retry });
  }

  /** Returns the SNS MessageId. */
  async publish(topicArn: string, alert: PublishableAlert): Promise<string> {
    const MessageAttributes = Object.fromEntries(
      Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
    );
    const out = await this.call(() =>
      this.client.send(new PublishCommand({ TopicArn: topicArn, Subject: alert.subject, Message: alert.message, MessageAttributes })),
    );
    return out.MessageId ?? '';
  }
}

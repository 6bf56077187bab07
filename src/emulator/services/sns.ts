/** Amazon SNS Publish (awsQuery: form POST, XML reply), validated as SNS validates it and recorded. */
import { randomUUID } from 'node:crypto';
import { queryError, queryReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { SnsMessage, Store } from '../store.ts';
import { formParams } from './sts.ts';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const MAX_MESSAGE_BYTES = 256 * 1024;
const DATA_TYPE = /^(String|Number|Binary|String\.Array)(\.[A-Za-z0-9_.-]+)?$/;

/**
 * SNS: "Subjects must be ASCII text that begins with a letter, number, or punctuation mark; must not
 * include line breaks or control characters; and must be less than 100 characters long."
 */
export function subjectProblem(subject: string): string | undefined {
  if (subject.length === 0) return 'Subject must not be empty';
  if (subject.length > 100) return 'Subject must be at most 100 characters long';
  if (!/^[\x20-\x7E]+$/.test(subject)) return 'Subject must be ASCII text without line breaks or control characters';
  if (subject[0] === ' ') return 'Subject must begin with a letter, number, or punctuation mark';
  return undefined;
}

export class SnsService implements ServiceHandler {
  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    return formParams(ctx).get('Action') || 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return queryError(ctx, XMLNS, 'InternalError', 'An internal error occurred.', 500);
  }

  throttle(ctx: RequestContext): Reply {
    return queryError(ctx, XMLNS, 'Throttling', 'Rate exceeded', 400);
  }

  handle(ctx: RequestContext, op: string): Reply {
    if (op !== 'Publish') {
      return queryError(ctx, XMLNS, op === 'Unknown' ? 'MissingAction' : 'InvalidAction', `Could not find operation ${op}`, 400);
    }
    const p = formParams(ctx);
    const invalid = (message: string) => queryError(ctx, XMLNS, 'InvalidParameter', message, 400);
    const topicArn = p.get('TopicArn') ?? p.get('TargetArn');
    if (!topicArn) return invalid('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    if (!TOPIC_ARN.test(topicArn)) return invalid('Invalid parameter: TopicArn');
    const message = p.get('Message');
    if (message === null || message.length === 0) return invalid('Invalid parameter: Empty message');
    if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) return invalid('Invalid parameter: Message too long');
    const subject = p.get('Subject');
    if (subject !== null) {
      const problem = subjectProblem(subject);
      if (problem) return invalid(`Invalid parameter: Subject Reason: ${problem}`);
    }
    const fifo = topicArn.endsWith('.fifo');
    if (fifo && !p.get('MessageGroupId')) return invalid('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');

    const attributes: SnsMessage['messageAttributes'] = {};
    for (let i = 1; p.has(`MessageAttributes.entry.${i}.Name`); i++) {
      const name = p.get(`MessageAttributes.entry.${i}.Name`) as string;
      const dataType = p.get(`MessageAttributes.entry.${i}.Value.DataType`) ?? '';
      const stringValue = p.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? undefined;
      const binaryValue = p.get(`MessageAttributes.entry.${i}.Value.BinaryValue`) ?? undefined;
      if (!DATA_TYPE.test(dataType)) {
        return queryError(ctx, XMLNS, 'ParameterValueInvalid', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
      }
      const binary = dataType.startsWith('Binary');
      if (binary ? !binaryValue : !stringValue) {
        return queryError(
          ctx,
          XMLNS,
          'ParameterValueInvalid',
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      }
      attributes[name] = { DataType: dataType, ...(binary ? { BinaryValue: binaryValue } : { StringValue: stringValue }) };
    }
    if (Object.keys(attributes).length > 10) return invalid('Invalid parameter: MessageAttributes Reason: Number of message attributes must not exceed 10');

    const messageId = randomUUID();
    this.store.snsMessages.push({
      topicArn,
      ...(subject !== null ? { subject } : {}),
      message,
      messageAttributes: attributes,
      messageId,
      timestamp: ctx.now.toISOString(),
    });
    const seq = fifo ? `<SequenceNumber>${String(this.store.snsMessages.length).padStart(20, '0')}</SequenceNumber>` : '';
    return queryReply(ctx, XMLNS, 'Publish', `<MessageId>${messageId}</MessageId>${seq}`);
  }
}

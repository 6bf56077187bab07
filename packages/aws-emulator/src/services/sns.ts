/**
 * Amazon SNS (awsQuery: form POST, XML reply): CreateTopic, ListTopics, DeleteTopic, GetTopicAttributes and Publish,
 * validated as SNS validates it and recorded. A topic must exist to be published to, and only its
 * owner (the account in its ARN) may publish unless the fixture names other publishers.
 */
import { randomUUID } from 'node:crypto';
import { TOPIC_ARN } from '../fixture.ts';
import { header, queryError, queryReply, xmlEscape, type Reply, type RequestContext } from '../protocol.ts';
import type { SnsMessage, Store } from '../store.ts';
import { formParams, QueryService } from './sts.ts';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const LIST_PAGE = 100;
const MAX_MESSAGE_BYTES = 256 * 1024;
const DATA_TYPE = /^(String|Number|Binary|String\.Array)(\.[A-Za-z0-9_.-]+)?$/;

/**
 * SNS Publish: "Subjects must be UTF-8 text with no line breaks or control characters, and less than
 * 100 characters long" (and begin with a letter, number or punctuation mark).
 */
function subjectProblem(subject: string): string | undefined {
  const chars = [...subject];
  if (chars.length === 0) return 'Subject must not be empty';
  if (chars.length >= 100) return 'Subject must be less than 100 characters long';
  if (/[\p{Cc}\u2028\u2029]/u.test(subject)) return 'Subject must not include line breaks or control characters';
  if (!/^[\p{L}\p{N}\p{P}\p{S}]/u.test(subject)) return 'Subject must begin with a letter, number, or punctuation mark';
  return undefined;
}

/** MessageStructure=json: the message must be a JSON object of strings with a "default" key. */
function jsonMessageProblem(message: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return 'Invalid parameter: Message Structure - JSON message body failed to parse';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'Invalid parameter: Message Structure - JSON message body failed to parse';
  if (!('default' in parsed)) return 'Invalid parameter: Message Structure - No default entry in JSON message body';
  if (Object.values(parsed).some((v) => typeof v !== 'string')) return 'Invalid parameter: Message Structure - JSON message values must be strings';
  return undefined;
}

function regionOf(ctx: RequestContext): string {
  const m = /Credential=[^/,\s]+\/[^/]+\/([^/]+)\/sns\/aws4_request/.exec(header(ctx.headers, 'authorization') ?? '');
  return m?.[1] ?? 'us-east-1';
}

export class SnsService extends QueryService {
  constructor(private readonly store: Store) {
    super(XMLNS, 'InternalError');
  }

  handle(ctx: RequestContext, op: string): Reply {
    switch (op) {
      case 'Publish':
        return this.publish(ctx);
      case 'CreateTopic':
        return this.createTopic(ctx);
      case 'ListTopics':
        return this.listTopics(ctx);
      case 'DeleteTopic':
        return this.deleteTopic(ctx);
      case 'GetTopicAttributes':
        return this.getTopicAttributes(ctx);
      default:
        return queryError(ctx, XMLNS, op === 'Unknown' ? 'MissingAction' : 'InvalidAction', `Could not find operation ${op}`, 400);
    }
  }

  private createTopic(ctx: RequestContext): Reply {
    const p = formParams(ctx);
    const name = p.get('Name') ?? '';
    let fifo = name.endsWith('.fifo');
    for (let i = 1; p.has(`Attributes.entry.${i}.key`); i++) {
      if (p.get(`Attributes.entry.${i}.key`) === 'FifoTopic') fifo = p.get(`Attributes.entry.${i}.value`) === 'true';
    }
    if (!(fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).test(name)) {
      return queryError(
        ctx,
        XMLNS,
        'InvalidParameter',
        `Invalid parameter: Topic Name${fifo ? ' (a FIFO topic name must end with .fifo)' : ': 1-256 ASCII letters, digits, hyphens and underscores'}`,
      );
    }
    const arn = `arn:aws:sns:${regionOf(ctx)}:${ctx.callerAccountId}:${name}`;
    this.store.createTopic(arn);
    return queryReply(ctx, XMLNS, 'CreateTopic', `<TopicArn>${xmlEscape(arn)}</TopicArn>`);
  }

  private listTopics(ctx: RequestContext): Reply {
    const own = [...this.store.topics.keys()].filter((arn) => arn.split(':')[4] === ctx.callerAccountId && arn.split(':')[3] === regionOf(ctx)).sort();
    const token = formParams(ctx).get('NextToken');
    // A token is the last ARN of the previous page; anything else was never given out.
    if (token && !TOPIC_ARN.test(Buffer.from(token, 'base64url').toString('utf8'))) return queryError(ctx, XMLNS, 'InvalidParameter', 'Invalid parameter: NextToken');
    const from = token ? own.findIndex((a) => a > Buffer.from(token, 'base64url').toString('utf8')) : 0;
    const page = from < 0 ? [] : own.slice(from, from + LIST_PAGE);
    const last = page[page.length - 1];
    const next = from >= 0 && from + LIST_PAGE < own.length && last ? `<NextToken>${Buffer.from(last).toString('base64url')}</NextToken>` : '';
    return queryReply(ctx, XMLNS, 'ListTopics', `<Topics>${page.map((a) => `<member><TopicArn>${xmlEscape(a)}</TopicArn></member>`).join('')}</Topics>${next}`);
  }

  private deleteTopic(ctx: RequestContext): Reply {
    const arn = formParams(ctx).get('TopicArn') ?? '';
    if (!TOPIC_ARN.test(arn)) return queryError(ctx, XMLNS, 'InvalidParameter', 'Invalid parameter: TopicArn');
    if (this.store.topics.has(arn) && arn.split(':')[4] !== ctx.callerAccountId) {
      return queryError(ctx, XMLNS, 'AuthorizationError', `User: ${this.store.identity(ctx).arn} is not authorized to perform: SNS:DeleteTopic on resource: ${arn}`, 403);
    }
    // Deleting a topic that does not exist is not an error in SNS.
    this.store.topics.delete(arn);
    return queryReply(ctx, XMLNS, 'DeleteTopic', '');
  }

  /**
   * GetTopicAttributes: NotFound for a missing topic; AuthorizationError for a caller the topic's
   * policy does not name (here: neither the owner nor a fixture publisher). The attributes are the
   * model's TopicAttributesMap (`entry` of `key`/`value`), a few of those SNS always returns.
   */
  private getTopicAttributes(ctx: RequestContext): Reply {
    const arn = formParams(ctx).get('TopicArn') ?? '';
    if (!TOPIC_ARN.test(arn)) return queryError(ctx, XMLNS, 'InvalidParameter', 'Invalid parameter: TopicArn');
    const topic = this.store.topics.get(arn);
    if (!topic) return queryError(ctx, XMLNS, 'NotFound', 'Topic does not exist', 404);
    const owner = arn.split(':')[4] ?? '';
    if (owner !== ctx.callerAccountId && !topic.publishers.includes(ctx.callerAccountId) && !topic.publishers.includes('*')) {
      return queryError(ctx, XMLNS, 'AuthorizationError', `User: ${this.store.identity(ctx).arn} is not authorized to perform: SNS:GetTopicAttributes on resource: ${arn}`, 403);
    }
    const attributes: Record<string, string> = {
      TopicArn: arn,
      Owner: owner,
      DisplayName: '',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    };
    const entries = Object.entries(attributes).map(([key, value]) => `<entry><key>${xmlEscape(key)}</key><value>${xmlEscape(value)}</value></entry>`);
    return queryReply(ctx, XMLNS, 'GetTopicAttributes', `<Attributes>${entries.join('')}</Attributes>`);
  }

  private publish(ctx: RequestContext): Reply {
    const p = formParams(ctx);
    const invalid = (message: string) => queryError(ctx, XMLNS, 'InvalidParameter', message, 400);
    const topicArn = p.get('TopicArn') ?? p.get('TargetArn');
    if (!topicArn) return invalid('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    if (!TOPIC_ARN.test(topicArn)) return invalid('Invalid parameter: TopicArn');
    const topic = this.store.topics.get(topicArn);
    if (!topic) return queryError(ctx, XMLNS, 'NotFound', 'Topic does not exist', 404);
    const owner = topicArn.split(':')[4];
    if (owner !== ctx.callerAccountId && !topic.publishers.includes(ctx.callerAccountId) && !topic.publishers.includes('*')) {
      return queryError(ctx, XMLNS, 'AuthorizationError', `User: ${this.store.identity(ctx).arn} is not authorized to perform: SNS:Publish on resource: ${topicArn}`, 403);
    }
    const message = p.get('Message');
    if (message === null || message.length === 0) return invalid('Invalid parameter: Empty message');
    if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) return invalid('Invalid parameter: Message too long');
    const structure = p.get('MessageStructure');
    if (structure !== null && structure !== 'json') return invalid('Invalid parameter: MessageStructure');
    if (structure === 'json') {
      const problem = jsonMessageProblem(message);
      if (problem) return invalid(problem);
    }
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

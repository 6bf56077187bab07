/**
 * AWS CloudTrail LookupEvents (awsJson1_1, X-Amz-Target CloudTrail_20131101.LookupEvents) over the
 * events the emulator recorded. Like CloudTrail, a caller sees the events of its own account, newest first;
 * management events unless `EventCategory: insight` asks for Insights events; 2 calls per second per
 * account (ThrottlingException); a NextToken only with the parameters that produced it.
 */
import { createHash } from 'node:crypto';
import { decodeToken, encodeToken, header, jsonObjectBody, jsonRpcError, jsonRpcReply, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { StoredEvent, Store } from '../store.ts';
import { TokenBucket } from './account.ts';

const TARGETS = ['CloudTrail_20131101.', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];
/** CloudTrail quotas: LookupEvents, 2 transactions per second per account and region. */
const LOOKUP_EVENTS_PER_SECOND = 2;
const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];

export class CloudTrailService implements ServiceHandler {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly store: Store,
    private readonly quotaScale = 1,
  ) {}

  operation(ctx: RequestContext): string {
    const target = header(ctx.headers, 'x-amz-target') ?? '';
    const prefix = TARGETS.find((t) => target.startsWith(t));
    return prefix ? target.slice(prefix.length) || 'Unknown' : 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return jsonRpcError(ctx, 'InternalFailure', 'An internal error occurred.', 500);
  }

  throttle(ctx: RequestContext): Reply {
    return jsonRpcError(ctx, 'ThrottlingException', 'Rate exceeded', 400);
  }

  handle(ctx: RequestContext, op: string): Reply {
    if (op !== 'LookupEvents') return jsonRpcError(ctx, 'UnknownOperationException', `The operation ${op} is not supported by this emulator.`);
    let bucket = this.buckets.get(ctx.callerAccountId);
    if (!bucket) {
      const rate = LOOKUP_EVENTS_PER_SECOND * this.quotaScale;
      bucket = new TokenBucket(rate, Math.max(1, rate));
      this.buckets.set(ctx.callerAccountId, bucket);
    }
    if (!bucket.take()) {
      this.store.countThrottle(op);
      return this.throttle(ctx);
    }
    const input = jsonObjectBody(ctx);
    if (!input) return jsonRpcError(ctx, 'SerializationException', 'Start of structure or map found where not expected.');
    const category = input.EventCategory ?? null;
    if (category !== null && category !== 'insight') {
      return jsonRpcError(ctx, 'InvalidEventCategoryException', `Value '${String(category)}' at 'eventCategory' failed to satisfy constraint: Member must satisfy enum value set: [insight]`);
    }
    const wanted = category === 'insight' ? 'Insight' : 'Management';
    // A token is bound to the query that produced it (everything but MaxResults).
    const query = createHash('sha256')
      .update(JSON.stringify([ctx.callerAccountId, input.LookupAttributes ?? null, input.StartTime ?? null, input.EndTime ?? null, category]))
      .digest('base64url')
      .slice(0, 16);

    const attrs = Array.isArray(input.LookupAttributes) ? (input.LookupAttributes as { AttributeKey?: unknown; AttributeValue?: unknown }[]) : [];
    if (attrs.length > 1) return jsonRpcError(ctx, 'InvalidLookupAttributesException', 'You can specify only one lookup attribute.');
    const attr = attrs[0];
    if (attr && (typeof attr.AttributeKey !== 'string' || !ATTRIBUTE_KEYS.includes(attr.AttributeKey) || typeof attr.AttributeValue !== 'string')) {
      return jsonRpcError(ctx, 'InvalidLookupAttributesException', `Invalid lookup attribute key: ${String(attr.AttributeKey)}`);
    }
    const max = input.MaxResults ?? 50;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
      return jsonRpcError(ctx, 'InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    }
    const start = typeof input.StartTime === 'number' ? input.StartTime * 1000 : -Infinity;
    const end = typeof input.EndTime === 'number' ? input.EndTime * 1000 : Infinity;
    if (start > end) return jsonRpcError(ctx, 'InvalidTimeRangeException', 'Start time must be before end time.');
    let before = Infinity;
    if (input.NextToken !== undefined && input.NextToken !== null) {
      const v = typeof input.NextToken === 'string' ? (decodeToken('LookupEvents', input.NextToken) as { q?: unknown; s?: unknown } | undefined) : undefined;
      if (typeof v !== 'object' || v === null || typeof v.s !== 'number' || v.q !== query) {
        return jsonRpcError(ctx, 'InvalidNextTokenException', 'Invalid NextToken: it must be passed with the same parameters as the call that returned it.');
      }
      before = v.s;
    }

    const matches = (e: StoredEvent): boolean => {
      if (e.record.recipientAccountId !== ctx.callerAccountId) return false;
      if (e.record.eventCategory !== wanted) return false;
      const t = Date.parse(e.record.eventTime);
      if (t < start || t > end || e.seq >= before) return false;
      if (!attr) return true;
      const value = attr.AttributeValue as string;
      switch (attr.AttributeKey) {
        case 'EventId':
          return e.record.eventID === value;
        case 'EventName':
          return e.record.eventName === value;
        case 'EventSource':
          return e.record.eventSource === value;
        case 'ReadOnly':
          return String(e.record.readOnly) === value;
        case 'Username':
          return e.username === value;
        case 'AccessKeyId':
          return e.accessKeyId === value;
        default:
          return false; // Account Management events name no resources.
      }
    };

    const page: StoredEvent[] = [];
    let more = false;
    for (let i = this.store.events.length - 1; i >= 0; i--) {
      const e = this.store.events.at(i);
      if (!matches(e)) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(e);
    }
    const last = page[page.length - 1];
    return jsonRpcReply(ctx, {
      Events: page.map((e) => ({
        EventId: e.record.eventID,
        EventName: e.record.eventName,
        ReadOnly: String(e.record.readOnly),
        AccessKeyId: e.accessKeyId,
        EventTime: Date.parse(e.record.eventTime) / 1000,
        EventSource: e.record.eventSource,
        Username: e.username,
        Resources: [],
        CloudTrailEvent: JSON.stringify(e.record),
      })),
      ...(more && last ? { NextToken: encodeToken('LookupEvents', { q: query, s: last.seq }) } : {}),
    });
  }
}

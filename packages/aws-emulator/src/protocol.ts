/**
 * Wire-level building blocks shared by the emulated services: the request context every handler
 * receives, the reply it returns, and the error shapes of each AWS protocol as the SDK v3
 * deserializers read them (@aws-sdk/core protocols: awsJson1_1 reads `__type`, restJson1 reads
 * the `x-amzn-ErrorType` header, awsQuery reads `<ErrorResponse><Error><Code>`, S3 reads `<Error><Code>`).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestContext {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Signing name from the SigV4 credential scope (sts, organizations, account, sns, s3, cloudtrail). */
  service: string;
  accessKeyId: string;
  /** Region from the SigV4 credential scope; `us-east-1` for an unsigned request. */
  region: string;
  /** 12-digit access key → that account; any other key → the management account (SPEC §10). */
  callerAccountId: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  now: Date;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** What a service tells the server about one request, and how it answers faults. */
export interface ServiceHandler {
  /** The operation the request names, e.g. GetAlternateContact; 'Unknown' when it names none. */
  operation(ctx: RequestContext): string;
  handle(ctx: RequestContext, operation: string): Reply | Promise<Reply>;
  internalError(ctx: RequestContext): Reply;
  throttle(ctx: RequestContext): Reply;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** awsJson1_1 reply (Organizations, CloudTrail). */
/** The request body as a JSON object (an empty body is `{}`), or undefined when it is not one. */
export function jsonObjectBody(ctx: RequestContext): Record<string, unknown> | undefined {
  try {
    const text = ctx.body.toString('utf8');
    const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function jsonRpcReply(ctx: RequestContext, body: unknown): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': ctx.requestId },
    body: JSON.stringify(body),
  };
}

/** awsJson1_1 error: the SDK takes the code from `__type`. Organizations answers client errors with HTTP 400. */
export function jsonRpcError(ctx: RequestContext, type: string, message: string, status = 400, extra: Record<string, unknown> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': ctx.requestId },
    body: JSON.stringify({ __type: type, Message: message, ...extra }),
  };
}

/** restJson1 reply (Account). */
export function restJsonReply(ctx: RequestContext, body?: unknown): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** restJson1 error: code in `x-amzn-ErrorType`, message in the JSON body. */
export function restJsonError(ctx: RequestContext, type: string, status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': type },
    body: JSON.stringify({ message, ...extra }),
  };
}

/** awsQuery XML reply (STS, SNS): `<XResponse><XResult>…</XResult><ResponseMetadata>`. */
export function queryReply(ctx: RequestContext, xmlns: string, action: string, resultXml: string): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
    body:
      `<${action}Response xmlns="${xmlns}"><${action}Result>${resultXml}</${action}Result>` +
      `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** awsQuery error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function queryError(ctx: RequestContext, xmlns: string, code: string, message: string, status = 400): Reply {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
    body:
      `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`,
  };
}

/** S3 error document; a HEAD answer carries no body. */
export function s3Error(ctx: RequestContext, code: string, status: number, message: string, extra: Record<string, string> = {}): Reply {
  const headers = {
    'content-type': 'application/xml',
    'x-amz-request-id': ctx.requestId,
    'x-amz-id-2': Buffer.from(ctx.requestId).toString('base64'),
  };
  if (ctx.method === 'HEAD') return { status, headers };
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return {
    status,
    headers,
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${more}` +
      `<RequestId>${ctx.requestId}</RequestId><HostId>${headers['x-amz-id-2']}</HostId></Error>`,
  };
}

/** Opaque pagination tokens: base64url of a small JSON object tagged with the API they belong to. */
export function encodeToken(kind: string, value: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, v: value })).toString('base64url');
}

export function decodeToken(kind: string, token: string): unknown {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; v?: unknown };
    return parsed.k === kind ? parsed.v : undefined;
  } catch {
    return undefined;
  }
}

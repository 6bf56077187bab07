/**
 * Amazon S3, path style: Put/Get/Head/DeleteObject and ListObjectsV2. Buckets exist implicitly.
 * Handles the SDK's flexible checksums (x-amz-checksum-* headers, or aws-chunked bodies with trailers).
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { decodeToken, encodeToken, header, s3Error, xmlEscape, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import type { S3Object, Store } from '../store.ts';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function parsePath(ctx: RequestContext): { bucket: string; key: string } {
  const path = ctx.url.pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  return { bucket, key };
}

/** Decodes an aws-chunked body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n`. */
export function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new Error('truncated aws-chunked body');
    const size = parseInt(body.subarray(pos, eol).toString('latin1').split(';')[0] as string, 16);
    if (!Number.isFinite(size) || size < 0) throw new Error('bad chunk size');
    pos = eol + 2;
    if (size === 0) break;
    parts.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  for (const line of body.subarray(pos).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

/** The checksums the emulator can verify, by header name → base64 digest of the body. */
function computeChecksum(name: string, data: Buffer): string | undefined {
  switch (name) {
    case 'x-amz-checksum-crc32': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(data) >>> 0);
      return b.toString('base64');
    }
    case 'x-amz-checksum-sha1':
      return createHash('sha1').update(data).digest('base64');
    case 'x-amz-checksum-sha256':
      return createHash('sha256').update(data).digest('base64');
    default:
      return undefined;
  }
}

export class S3Service implements ServiceHandler {
  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    const { bucket, key } = parsePath(ctx);
    if (!bucket) return ctx.method === 'GET' ? 'ListBuckets' : 'Unknown';
    if (!key) {
      if (ctx.method === 'GET') return ctx.url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      if (ctx.method === 'PUT') return 'CreateBucket';
      if (ctx.method === 'HEAD') return 'HeadBucket';
      return 'Unknown';
    }
    return ({ PUT: header(ctx.headers, 'x-amz-copy-source') ? 'CopyObject' : 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, string>)[ctx.method] ?? 'Unknown';
  }

  internalError(ctx: RequestContext): Reply {
    return s3Error(ctx, 'InternalError', 500, 'We encountered an internal error. Please try again.');
  }

  throttle(ctx: RequestContext): Reply {
    return s3Error(ctx, 'SlowDown', 503, 'Please reduce your request rate.');
  }

  handle(ctx: RequestContext, op: string): Reply {
    const { bucket, key } = parsePath(ctx);
    const objects = this.bucket(bucket);
    const base = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': Buffer.from(ctx.requestId).toString('base64') };
    switch (op) {
      case 'CreateBucket':
      case 'HeadBucket':
        return { status: 200, headers: base };
      case 'PutObject':
        return this.put(ctx, objects, key, base);
      case 'GetObject':
      case 'HeadObject': {
        const o = objects.get(key);
        if (!o) return s3Error(ctx, 'NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
        const headers: Record<string, string> = {
          ...base,
          'content-type': o.contentType,
          etag: o.etag,
          'last-modified': o.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
          'content-length': String(o.body.length),
        };
        for (const [k, v] of Object.entries(o.metadata)) headers[`x-amz-meta-${k}`] = v;
        // Only checksums that were verified on upload, and only when asked for (x-amz-checksum-mode).
        if (header(ctx.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
          for (const [k, v] of Object.entries(o.checksums)) headers[k] = v;
          if (Object.keys(o.checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT';
        }
        return { status: 200, headers, body: op === 'HeadObject' ? undefined : o.body };
      }
      case 'DeleteObject':
        objects.delete(key);
        return { status: 204, headers: base };
      case 'ListObjectsV2':
        return this.list(ctx, bucket, objects, base);
      default:
        return s3Error(ctx, 'NotImplemented', 501, `The ${op} operation is not implemented by this emulator.`);
    }
  }

  private bucket(name: string): Map<string, S3Object> {
    let b = this.store.s3.get(name);
    if (!b) {
      b = new Map();
      this.store.s3.set(name, b);
    }
    return b;
  }

  private put(ctx: RequestContext, objects: Map<string, S3Object>, key: string, base: Record<string, string>): Reply {
    let data = ctx.body;
    const sent: Record<string, string> = {};
    const encoding = header(ctx.headers, 'content-encoding') ?? '';
    const sha = header(ctx.headers, 'x-amz-content-sha256') ?? '';
    if (encoding.split(',').map((s) => s.trim()).includes('aws-chunked') || sha.startsWith('STREAMING-')) {
      try {
        const decoded = decodeAwsChunked(ctx.body);
        data = decoded.data;
        Object.assign(sent, decoded.trailers);
      } catch {
        return s3Error(ctx, 'IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
      }
      const declared = header(ctx.headers, 'x-amz-decoded-content-length');
      if (declared !== undefined && Number(declared) !== data.length) {
        return s3Error(ctx, 'IncompleteBody', 400, 'You did not provide the number of bytes specified by the x-amz-decoded-content-length header.');
      }
    }
    for (const [k, v] of Object.entries(ctx.headers)) {
      if (k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-type' && k !== 'x-amz-checksum-algorithm' && typeof v === 'string') sent[k] = v;
    }
    const checksums: Record<string, string> = {};
    for (const [k, v] of Object.entries(sent)) {
      if (!k.startsWith('x-amz-checksum-')) continue;
      const expected = computeChecksum(k, data);
      if (expected === undefined) continue;
      if (expected !== v) {
        return s3Error(ctx, 'BadDigest', 400, `The ${k.slice('x-amz-checksum-'.length).toUpperCase()} you specified did not match the calculated checksum.`);
      }
      checksums[k] = v;
    }
    const md5 = createHash('md5').update(data).digest();
    const contentMd5 = header(ctx.headers, 'content-md5');
    if (contentMd5 && contentMd5 !== md5.toString('base64')) return s3Error(ctx, 'BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.headers)) if (k.startsWith('x-amz-meta-') && typeof v === 'string') metadata[k.slice('x-amz-meta-'.length)] = v;
    const etag = `"${md5.toString('hex')}"`;
    objects.set(key, {
      body: data,
      contentType: header(ctx.headers, 'content-type') ?? 'binary/octet-stream',
      etag,
      lastModified: new Date(Math.floor(ctx.now.getTime() / 1000) * 1000),
      metadata,
      checksums,
    });
    return { status: 200, headers: { ...base, etag, ...checksums } };
  }

  private list(ctx: RequestContext, bucket: string, objects: Map<string, S3Object>, base: Record<string, string>): Reply {
    const q = ctx.url.searchParams;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const maxKeysRaw = q.get('max-keys');
    const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) return s3Error(ctx, 'InvalidArgument', 400, 'Provided max-keys not an integer or within integer range');
    const startAfter = q.get('start-after') ?? '';
    const token = q.get('continuation-token');
    let after = startAfter;
    if (token !== null) {
      const v = decodeToken(`ListObjectsV2/${bucket}`, token);
      if (typeof v !== 'string') return s3Error(ctx, 'InvalidArgument', 400, 'The continuation token provided is incorrect');
      after = v;
    }
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const contents: string[] = [];
    const prefixes = new Set<string>();
    let count = 0;
    let lastKey = '';
    let truncated = false;
    for (const k of keys) {
      let commonPrefix: string | undefined;
      if (delimiter) {
        const at = k.indexOf(delimiter, prefix.length);
        if (at >= 0) commonPrefix = k.slice(0, at + delimiter.length);
      }
      if (commonPrefix !== undefined && prefixes.has(commonPrefix)) {
        lastKey = k;
        continue;
      }
      if (count === maxKeys) {
        truncated = true;
        break;
      }
      count++;
      lastKey = k;
      if (commonPrefix !== undefined) {
        prefixes.add(commonPrefix);
      } else {
        const o = objects.get(k) as S3Object;
        contents.push(
          `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
            `<ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        );
      }
    }
    const el = (name: string, v: string | number) => `<${name}>${xmlEscape(String(v))}</${name}>`;
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${XMLNS}">` +
      el('Name', bucket) +
      el('Prefix', prefix) +
      (delimiter ? el('Delimiter', delimiter) : '') +
      el('MaxKeys', maxKeys) +
      el('KeyCount', count) +
      el('IsTruncated', String(truncated)) +
      (token !== null ? el('ContinuationToken', token) : '') +
      (truncated ? el('NextContinuationToken', encodeToken(`ListObjectsV2/${bucket}`, lastKey)) : '') +
      (startAfter ? el('StartAfter', startAfter) : '') +
      contents.join('') +
      [...prefixes].map((p) => `<CommonPrefixes>${el('Prefix', p)}</CommonPrefixes>`).join('') +
      `</ListBucketResult>`;
    return { status: 200, headers: { ...base, 'content-type': 'application/xml' }, body: xml };
  }
}

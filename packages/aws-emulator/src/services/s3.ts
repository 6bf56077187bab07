/**
 * Amazon S3, path style: buckets (Create/Head/Delete/ListBuckets) that must exist before objects go
 * in, Put/Get (with Range)/Head/Copy/Delete object(s), ListObjects and ListObjectsV2 (with
 * `encoding-type=url`), and multipart uploads — what the SDK and `aws s3 cp|ls|sync|mb|rb` use.
 * Handles the SDK's flexible checksums (x-amz-checksum-* headers, or aws-chunked bodies with trailers).
 */
import { createHash, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { decodeToken, encodeToken, header, s3Error, xmlEscape, type Reply, type RequestContext, type ServiceHandler } from '../protocol.ts';
import { BUCKET_NAME } from '../fixture.ts';
import type { S3Bucket, S3Object, Store } from '../store.ts';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function parsePath(ctx: RequestContext): { bucket: string; key: string } {
  const path = ctx.url.pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  return { bucket, key };
}

/** Decodes an aws-chunked body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n`. */
function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new SyntaxError('truncated aws-chunked body');
    const size = parseInt(body.subarray(pos, eol).toString('latin1').split(';')[0] as string, 16);
    if (!Number.isFinite(size) || size < 0) throw new SyntaxError('bad chunk size');
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

/** S3: every part but the last must be at least 5 MiB. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

type Headers = Record<string, string>;

function xmlValues(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(xmlUnescape(m[1] as string));
  return out;
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );
}

/** `encoding-type=url`: S3 encodes names like a form value (space as +), keeping '/' readable; botocore decodes with unquote_plus. */
function urlEncodeName(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const el = (name: string, v: string | number) => `<${name}>${xmlEscape(String(v))}</${name}>`;
const iso = (d: Date) => d.toISOString();

export class S3Service implements ServiceHandler {
  constructor(private readonly store: Store) {}

  operation(ctx: RequestContext): string {
    const { bucket, key } = parsePath(ctx);
    const q = ctx.url.searchParams;
    if (!bucket) return ctx.method === 'GET' ? 'ListBuckets' : 'Unknown';
    if (!key) {
      switch (ctx.method) {
        case 'GET':
          if (q.has('location')) return 'GetBucketLocation';
          if (q.has('uploads')) return 'ListMultipartUploads';
          return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
        case 'PUT':
          return 'CreateBucket';
        case 'HEAD':
          return 'HeadBucket';
        case 'DELETE':
          return 'DeleteBucket';
        case 'POST':
          return q.has('delete') ? 'DeleteObjects' : 'Unknown';
        default:
          return 'Unknown';
      }
    }
    switch (ctx.method) {
      case 'PUT':
        if (q.has('uploadId') && q.has('partNumber')) return 'UploadPart';
        return header(ctx.headers, 'x-amz-copy-source') ? 'CopyObject' : 'PutObject';
      case 'POST':
        if (q.has('uploads')) return 'CreateMultipartUpload';
        if (q.has('uploadId')) return 'CompleteMultipartUpload';
        return 'Unknown';
      case 'DELETE':
        return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
      case 'GET':
        return q.has('uploadId') ? 'ListParts' : 'GetObject';
      case 'HEAD':
        return 'HeadObject';
      default:
        return 'Unknown';
    }
  }

  internalError(ctx: RequestContext): Reply {
    return s3Error(ctx, 'InternalError', 500, 'We encountered an internal error. Please try again.');
  }

  throttle(ctx: RequestContext): Reply {
    return s3Error(ctx, 'SlowDown', 503, 'Please reduce your request rate.');
  }

  handle(ctx: RequestContext, op: string): Reply {
    const { bucket: name, key } = parsePath(ctx);
    const base: Headers = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': Buffer.from(ctx.requestId).toString('base64') };
    if (op === 'ListBuckets') return this.listBuckets(ctx, base);
    if (op === 'CreateBucket') return this.createBucket(ctx, name, base);
    if (op === 'Unknown') return s3Error(ctx, 'NotImplemented', 501, `${ctx.method} ${ctx.url.pathname} is not implemented by this emulator.`);
    const bucket = this.store.buckets.get(name);
    if (!bucket) return s3Error(ctx, 'NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: name });
    const objects = bucket.objects;
    switch (op) {
      case 'HeadBucket':
        return { status: 200, headers: { ...base, 'x-amz-bucket-region': 'us-east-1' } };
      case 'GetBucketLocation':
        return this.xml(base, `<LocationConstraint xmlns="${XMLNS}"></LocationConstraint>`);
      case 'DeleteBucket':
        if (objects.size > 0) return s3Error(ctx, 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: name });
        this.store.buckets.delete(name);
        return { status: 204, headers: base };
      case 'PutObject':
        return this.put(ctx, objects, key, base);
      case 'CopyObject':
        return this.copy(ctx, objects, key, base);
      case 'GetObject':
      case 'HeadObject':
        return this.get(ctx, op, objects, key, base);
      case 'DeleteObject':
        objects.delete(key);
        return { status: 204, headers: base };
      case 'DeleteObjects':
        return this.deleteMany(ctx, objects, base);
      case 'ListObjectsV2':
      case 'ListObjects':
        return this.list(ctx, op, name, objects, base);
      case 'CreateMultipartUpload':
        return this.createUpload(ctx, name, key, base);
      case 'UploadPart':
        return this.uploadPart(ctx, name, key, base);
      case 'CompleteMultipartUpload':
        return this.completeUpload(ctx, bucket, key, base);
      case 'AbortMultipartUpload': {
        const id = ctx.url.searchParams.get('uploadId') ?? '';
        const u = this.store.uploads.get(id);
        if (!u || u.bucket !== name || u.key !== key) return this.noSuchUpload(ctx, id);
        this.store.uploads.delete(id);
        return { status: 204, headers: base };
      }
      default:
        return s3Error(ctx, 'NotImplemented', 501, `The ${op} operation is not implemented by this emulator.`);
    }
  }

  private xml(base: Headers, xml: string): Reply {
    return { status: 200, headers: { ...base, 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` };
  }

  private listBuckets(ctx: RequestContext, base: Headers): Reply {
    const buckets = [...this.store.buckets.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', iso(b.created))}</Bucket>`)
      .join('');
    return this.xml(
      base,
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner>${el('ID', ctx.callerAccountId)}${el('DisplayName', ctx.callerAccountId)}</Owner>` +
        `<Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
    );
  }

  private createBucket(ctx: RequestContext, name: string, base: Headers): Reply {
    if (!BUCKET_NAME.test(name) || name.includes('..')) return s3Error(ctx, 'InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
    if (!this.store.createBucket(name, ctx.now)) {
      // The S3 API reference (CreateBucket, Errors): re-creating a bucket you own answers 200 in
      // us-east-1, for legacy compatibility, and BucketAlreadyOwnedByYou everywhere else.
      if (ctx.region === 'us-east-1') return { status: 200, headers: { ...base, location: `/${name}` } };
      return s3Error(ctx, 'BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
    }
    return { status: 200, headers: { ...base, location: `/${name}` } };
  }

  private get(ctx: RequestContext, op: string, objects: Map<string, S3Object>, key: string, base: Headers): Reply {
    const o = objects.get(key);
    if (!o) return s3Error(ctx, 'NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
    const headers: Headers = {
      ...base,
      'content-type': o.contentType,
      etag: o.etag,
      'last-modified': o.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
      'content-length': String(o.body.length),
    };
    for (const [k, v] of Object.entries(o.metadata)) headers[`x-amz-meta-${k}`] = v;
    const range = header(ctx.headers, 'range');
    if (range !== undefined) {
      // A single byte range, as s3transfer asks for the parts of a large download.
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      const size = o.body.length;
      let first = 0;
      let last = size - 1;
      if (m && m[1] !== '') {
        first = Number(m[1]);
        if (m[2] !== '') last = Math.min(Number(m[2]), size - 1);
      } else if (m && m[2] !== '') {
        first = Math.max(0, size - Number(m[2]));
      }
      if (!m || (m[1] === '' && m[2] === '') || first >= size || first > last) {
        return s3Error(ctx, 'InvalidRange', 416, 'The requested range is not satisfiable', { RangeRequested: range, ActualObjectSize: String(size) });
      }
      const part = o.body.subarray(first, last + 1);
      headers['content-range'] = `bytes ${first}-${last}/${size}`;
      headers['content-length'] = String(part.length);
      return { status: 206, headers, body: op === 'HeadObject' ? undefined : part };
    }
    // Only checksums that were verified on upload, and only when asked for (x-amz-checksum-mode).
    if (header(ctx.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      for (const [k, v] of Object.entries(o.checksums)) headers[k] = v;
      if (Object.keys(o.checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    return { status: 200, headers, body: op === 'HeadObject' ? undefined : o.body };
  }

  /** The body as sent: aws-chunked decoded and every checksum the uploader sent verified. */
  private receive(ctx: RequestContext): { data: Buffer; checksums: Record<string, string> } | Reply {
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
    const contentMd5 = header(ctx.headers, 'content-md5');
    if (contentMd5 && contentMd5 !== createHash('md5').update(data).digest('base64')) {
      return s3Error(ctx, 'BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
    }
    return { data, checksums };
  }

  private metadata(ctx: RequestContext): Record<string, string> {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.headers)) if (k.startsWith('x-amz-meta-') && typeof v === 'string') metadata[k.slice('x-amz-meta-'.length)] = v;
    return metadata;
  }

  private put(ctx: RequestContext, objects: Map<string, S3Object>, key: string, base: Headers): Reply {
    const got = this.receive(ctx);
    if ('status' in got) return got;
    const { data, checksums } = got;
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    objects.set(key, {
      body: data,
      contentType: header(ctx.headers, 'content-type') ?? 'binary/octet-stream',
      etag,
      lastModified: new Date(Math.floor(ctx.now.getTime() / 1000) * 1000),
      metadata: this.metadata(ctx),
      checksums,
    });
    return { status: 200, headers: { ...base, etag, ...checksums } };
  }

  private copy(ctx: RequestContext, objects: Map<string, S3Object>, key: string, base: Headers): Reply {
    const raw = (header(ctx.headers, 'x-amz-copy-source') ?? '').split('?')[0] as string;
    let source: string;
    try {
      source = decodeURIComponent(raw).replace(/^\//, '');
    } catch {
      return s3Error(ctx, 'InvalidArgument', 400, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
    }
    const slash = source.indexOf('/');
    if (slash <= 0 || slash === source.length - 1) return s3Error(ctx, 'InvalidArgument', 400, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
    const from = this.store.buckets.get(source.slice(0, slash));
    if (!from) return s3Error(ctx, 'NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: source.slice(0, slash) });
    const o = from.objects.get(source.slice(slash + 1));
    if (!o) return s3Error(ctx, 'NoSuchKey', 404, 'The specified key does not exist.', { Key: source.slice(slash + 1) });
    const replace = header(ctx.headers, 'x-amz-metadata-directive')?.toUpperCase() === 'REPLACE';
    const copy: S3Object = {
      body: o.body,
      contentType: replace ? (header(ctx.headers, 'content-type') ?? 'binary/octet-stream') : o.contentType,
      etag: o.etag,
      lastModified: new Date(Math.floor(ctx.now.getTime() / 1000) * 1000),
      metadata: replace ? this.metadata(ctx) : { ...o.metadata },
      checksums: { ...o.checksums },
    };
    objects.set(key, copy);
    return this.xml(base, `<CopyObjectResult xmlns="${XMLNS}">${el('LastModified', iso(copy.lastModified))}${el('ETag', copy.etag)}</CopyObjectResult>`);
  }

  private deleteMany(ctx: RequestContext, objects: Map<string, S3Object>, base: Headers): Reply {
    const xml = ctx.body.toString('utf8');
    if (!/<Delete[\s>]/.test(xml)) return s3Error(ctx, 'MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema.');
    const keys = xmlValues(xml, 'Key');
    if (keys.length > 1000) return s3Error(ctx, 'MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema.');
    const quiet = xmlValues(xml, 'Quiet')[0] === 'true';
    for (const k of keys) objects.delete(k);
    const deleted = quiet ? '' : keys.map((k) => `<Deleted>${el('Key', k)}</Deleted>`).join('');
    return this.xml(base, `<DeleteResult xmlns="${XMLNS}">${deleted}</DeleteResult>`);
  }

  private noSuchUpload(ctx: RequestContext, id: string): Reply {
    return s3Error(ctx, 'NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: id });
  }

  private createUpload(ctx: RequestContext, bucket: string, key: string, base: Headers): Reply {
    const id = Buffer.from(randomUUID()).toString('base64url');
    this.store.uploads.set(id, {
      bucket,
      key,
      contentType: header(ctx.headers, 'content-type') ?? 'binary/octet-stream',
      metadata: this.metadata(ctx),
      initiated: ctx.now,
      parts: new Map(),
    });
    return this.xml(base, `<InitiateMultipartUploadResult xmlns="${XMLNS}">${el('Bucket', bucket)}${el('Key', key)}${el('UploadId', id)}</InitiateMultipartUploadResult>`);
  }

  private uploadPart(ctx: RequestContext, bucket: string, key: string, base: Headers): Reply {
    const id = ctx.url.searchParams.get('uploadId') ?? '';
    const u = this.store.uploads.get(id);
    if (!u || u.bucket !== bucket || u.key !== key) return this.noSuchUpload(ctx, id);
    const n = Number(ctx.url.searchParams.get('partNumber'));
    if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) return s3Error(ctx, 'InvalidArgument', 400, `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
    const got = this.receive(ctx);
    if ('status' in got) return got;
    const etag = `"${createHash('md5').update(got.data).digest('hex')}"`;
    u.parts.set(n, { body: got.data, etag });
    return { status: 200, headers: { ...base, etag, ...got.checksums } };
  }

  private completeUpload(ctx: RequestContext, bucket: S3Bucket, key: string, base: Headers): Reply {
    const id = ctx.url.searchParams.get('uploadId') ?? '';
    const u = this.store.uploads.get(id);
    if (!u || u.bucket !== bucket.name || u.key !== key) return this.noSuchUpload(ctx, id);
    const xml = ctx.body.toString('utf8');
    const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      n: Number(xmlValues(m[1] as string, 'PartNumber')[0]),
      etag: xmlValues(m[1] as string, 'ETag')[0] ?? '',
    }));
    const malformed = () => s3Error(ctx, 'MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema.');
    if (!/<CompleteMultipartUpload[\s>]/.test(xml) || parts.length === 0) return malformed();
    const bodies: Buffer[] = [];
    const digests: Buffer[] = [];
    // S3 checks the order of the whole list first, then each part.
    if (parts.some((p, i) => !Number.isInteger(p.n) || (i > 0 && p.n <= (parts[i - 1] as { n: number }).n))) {
      return s3Error(ctx, 'InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.', { UploadId: id });
    }
    for (const [i, p] of parts.entries()) {
      const stored = u.parts.get(p.n);
      const unquote = (s: string) => s.replace(/^"|"$/g, '');
      if (!stored || unquote(stored.etag) !== unquote(p.etag)) {
        return s3Error(ctx, 'InvalidPart', 400, 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.', { UploadId: id, PartNumber: String(p.n) });
      }
      if (i < parts.length - 1 && stored.body.length < MIN_PART_BYTES) {
        return s3Error(ctx, 'EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.', { UploadId: id, PartNumber: String(p.n) });
      }
      bodies.push(stored.body);
      digests.push(Buffer.from(unquote(stored.etag), 'hex'));
    }
    // A multipart ETag is the MD5 of the parts' MD5s, then "-" and the number of parts.
    const etag = `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}"`;
    bucket.objects.set(key, {
      body: Buffer.concat(bodies),
      contentType: u.contentType,
      etag,
      lastModified: new Date(Math.floor(ctx.now.getTime() / 1000) * 1000),
      metadata: u.metadata,
      checksums: {},
    });
    this.store.uploads.delete(id);
    return this.xml(
      base,
      `<CompleteMultipartUploadResult xmlns="${XMLNS}">${el('Location', `/${bucket.name}/${key}`)}${el('Bucket', bucket.name)}${el('Key', key)}${el('ETag', etag)}</CompleteMultipartUploadResult>`,
    );
  }

  /** ListObjects (marker) and ListObjectsV2 (continuation token, start-after) over one bucket. */
  private list(ctx: RequestContext, op: string, bucket: string, objects: Map<string, S3Object>, base: Headers): Reply {
    const q = ctx.url.searchParams;
    const v2 = op === 'ListObjectsV2';
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const encodingType = q.get('encoding-type');
    if (encodingType !== null && encodingType !== 'url') return s3Error(ctx, 'InvalidArgument', 400, 'Invalid Encoding Method specified in Request');
    const enc = (s: string) => (encodingType === 'url' ? urlEncodeName(s) : s);
    const maxKeysRaw = q.get('max-keys');
    const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) return s3Error(ctx, 'InvalidArgument', 400, 'Provided max-keys not an integer or within integer range');
    const startAfter = v2 ? (q.get('start-after') ?? '') : '';
    const marker = v2 ? '' : (q.get('marker') ?? '');
    const token = v2 ? q.get('continuation-token') : null;
    let after = v2 ? startAfter : marker;
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
          `<Contents>${el('Key', enc(k))}${el('LastModified', iso(o.lastModified))}` +
            `${el('ETag', o.etag)}${el('Size', o.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`,
        );
      }
    }
    const xml =
      `<ListBucketResult xmlns="${XMLNS}">` +
      el('Name', bucket) +
      el('Prefix', enc(prefix)) +
      (delimiter ? el('Delimiter', enc(delimiter)) : '') +
      el('MaxKeys', maxKeys) +
      (encodingType ? el('EncodingType', encodingType) : '') +
      (v2 ? el('KeyCount', count) : el('Marker', enc(marker))) +
      el('IsTruncated', String(truncated)) +
      (token !== null ? el('ContinuationToken', token) : '') +
      (truncated && v2 ? el('NextContinuationToken', encodeToken(`ListObjectsV2/${bucket}`, lastKey)) : '') +
      // V1 names NextMarker only with a delimiter; without one the client continues from the last key.
      (truncated && !v2 && delimiter ? el('NextMarker', enc(lastKey)) : '') +
      (startAfter ? el('StartAfter', enc(startAfter)) : '') +
      contents.join('') +
      [...prefixes].map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('') +
      `</ListBucketResult>`;
    return this.xml(base, xml);
  }
}

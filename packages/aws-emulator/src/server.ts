/**
 * The local AWS emulator (SPEC.md §10): one node:http server answering the wire protocols the
 * AWS SDK v3 clients speak, so the product's real clients run unchanged against it.
 *
 * Requests are routed by the signing name in the SigV4 credential scope
 * (`Credential=AKID/date/region/SERVICE/aws4_request`); signatures are not verified.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { UsageError, errorText } from './errors.ts';
import { BUCKET_NAME, TOPIC_ARN, type Fixture } from './fixture.ts';
import { mulberry32 } from './prng.ts';
import { header, type Reply, type RequestContext, type ServiceHandler } from './protocol.ts';
import { AccountService } from './services/account.ts';
import { CloudFormationService } from './services/cloudformation.ts';
import { CloudTrailService } from './services/cloudtrail.ts';
import { LambdaService } from './services/lambda.ts';
import { OrganizationsService } from './services/organizations.ts';
import { S3Service } from './services/s3.ts';
import { SecurityHubService } from './services/securityhub.ts';
import { SnsService } from './services/sns.ts';
import { StsService } from './services/sts.ts';
import { withOrganizationsAdmin } from './services/organizationsAdmin.ts';
import { withCloudTrailTrails } from './services/cloudtrailTrails.ts';
import { withIamDenies } from './iamDenies.ts';
import { Store, type EmulatorState } from './store.ts';
import type { AlibabaFixture } from './alibaba/fixture.ts';
import { AlibabaRpcService } from './alibaba/service.ts';

export type { EmulatorState } from './store.ts';

export interface EmulatorOptions {
  fixture: Fixture;
  /** 0 = any free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Multiplies every Account Management quota; default 1. */
  quotaScale?: number;
  /**
   * The clock the Account Management quotas refill by, in milliseconds (tests pass their own, so a
   * burst is one instant however slow the machine); default performance.now.
   */
  now?: () => number;
  /** Fraction (0..1) of AWS calls that fail: half 500s, half dropped connections; default 0. */
  faultRate?: number;
  /** Delay before every AWS answer; default 0. */
  latencyMs?: number;
  /** How the emulator waits `latencyMs` (tests pass their own to see the wait without a clock); default a timer. */
  delay?: (ms: number) => Promise<unknown>;
  /** Seed of the fault PRNG; default 1. */
  seed?: number;
  /** CloudTrail records kept (the newest; older ones are counted in `cloudtrailEventsDropped`); default 10,000. */
  maxCloudTrailEvents?: number;
  /** An Alibaba Cloud Resource Directory to answer too (packages/aws-emulator/src/alibaba, docs/alibaba.md). */
  alibaba?: AlibabaFixture;
}

/**
 * `drop` cuts the connection before the request is handled; `reply-lost` handles it (an S3 object
 * is written) and then cuts the connection, so the caller cannot tell whether the call took effect.
 */
type FaultKind = 'throttle' | 'server-error' | 'drop' | 'reply-lost';
interface FaultInjection {
  operation: string;
  count: number;
  kind: FaultKind;
  /** Only requests whose URL path ends with this (an S3 key: `/bucket/latest/report.json`); default every request. */
  path?: string;
}

export interface Emulator {
  url: string;
  port: number;
  /** Same JSON as GET /_emulator/state. */
  state(): EmulatorState;
  /** The next `count` calls to `operation` fail with `kind`. */
  injectFault(f: FaultInjection): void;
  /** E.g. suspend an account mid-sweep. */
  setAccountState(accountId: string, state: string): void;
  setFaultRate(rate: number): void;
  /** Creates an S3 bucket (as CreateBucket would); true when it is new. */
  createBucket(name: string): boolean;
  /** Creates an SNS topic from its ARN (owned by the ARN's account); `publishers` may also publish ('*' = anyone). */
  createTopic(arn: string, publishers?: string[]): void;
  /** The account's Lambda concurrency quota that GetAccountSettings reports (fixture `lambdaConcurrency`). */
  setLambdaConcurrency(quota: number): void;
  /** Stops cleanly, closing keep-alive sockets. */
  close(): Promise<void>;
}

/** Request bodies above this size are refused with 413. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Signed S3 requests may carry more: a multipart part or a single PutObject of `aws s3 cp`
 * (8 MiB by default, larger with a bigger multipart_chunksize) must fit.
 */
const MAX_S3_BODY_BYTES = 64 * 1024 * 1024;
const FAULT_KINDS: FaultKind[] = ['throttle', 'server-error', 'drop', 'reply-lost'];
const ACCOUNT_STATES = ['ACTIVE', 'PENDING_ACTIVATION', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'];

function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new UsageError(`faultRate must be between 0 and 1, got ${rate}`);
  return rate;
}

/** The service a request is for: the SigV4 scope first, then what the protocol itself carries. */
function serviceOf(req: IncomingMessage, url: URL): { service: string; accessKeyId: string; region?: string } {
  const auth = header(req.headers, 'authorization') ?? '';
  const m = /Credential=([^/,\s]+)\/[^/]+\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  if (m) return { accessKeyId: m[1] as string, region: m[2] as string, service: m[3] as string };
  // Alibaba Cloud RPC: unsigned by SigV4, parameters (Action, Version, Signature …) in a form body or the query.
  if (header(req.headers, 'x-acs-version') || url.searchParams.has('SignatureNonce') || (header(req.headers, 'content-type') ?? '').includes('x-www-form-urlencoded')) {
    return { service: 'alibaba', accessKeyId: 'ANONYMOUS' };
  }
  const target = header(req.headers, 'x-amz-target') ?? '';
  const service = target.startsWith('AWSOrganizations')
    ? 'organizations'
    : target.includes('CloudTrail_20131101')
      ? 'cloudtrail'
      : target.startsWith('AWSAccount') || /^\/(get|put|delete)AlternateContact$/.test(url.pathname)
        ? 'account'
        : 's3';
  return { service, accessKeyId: 'ANONYMOUS' };
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const store = new Store(opts.fixture, opts.maxCloudTrailEvents);
  const quotaScale = opts.quotaScale ?? 1;
  if (!Number.isFinite(quotaScale) || quotaScale <= 0) throw new UsageError(`quotaScale must be a positive number, got ${quotaScale}`);
  let faultRate = checkRate(opts.faultRate ?? 0);
  const latencyMs = opts.latencyMs ?? 0;
  const delay = opts.delay ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = mulberry32(opts.seed ?? 1);
  const injected: FaultInjection[] = [];
  const services: Record<string, ServiceHandler> = {
    account: new AccountService(store, quotaScale, opts.now),
    organizations: new OrganizationsService(store),
    sts: new StsService(store),
    sns: new SnsService(store),
    s3: new S3Service(store),
    cloudtrail: new CloudTrailService(store, quotaScale),
    // What `osls deploy` calls (docs/deployment.md, "A local deploy").
    cloudformation: new CloudFormationService(store),
    lambda: new LambdaService(store),
    securityhub: new SecurityHubService(store),
    ...(opts.alibaba ? { alibaba: new AlibabaRpcService(opts.alibaba) } : {}),
  };
  // Administration reads for `contact-audit doctor` and fixture IAM denies (fixtureAdmin.ts), in front of the services.
  services.organizations = withOrganizationsAdmin(services.organizations!, store, opts.fixture.admin);
  services.cloudtrail = withCloudTrailTrails(services.cloudtrail!, store, opts.fixture.admin);
  for (const name of Object.keys(services)) services[name] = withIamDenies(name, services[name]!, store, opts.fixture.admin?.iamDenies);

  const injectFault = (f: FaultInjection): void => {
    if (typeof f?.operation !== 'string' || !f.operation) throw new UsageError('operation: expected an operation name, e.g. GetAlternateContact');
    if (!Number.isInteger(f.count) || f.count < 1) throw new UsageError('count: expected a positive integer');
    if (!FAULT_KINDS.includes(f.kind)) throw new UsageError(`kind: expected one of ${FAULT_KINDS.join(', ')}`);
    if (f.path !== undefined && (typeof f.path !== 'string' || !f.path.startsWith('/'))) throw new UsageError('path: expected a URL path starting with /');
    injected.push({ operation: f.operation, count: f.count, kind: f.kind, ...(f.path !== undefined ? { path: f.path } : {}) });
  };
  const setAccountState = (accountId: string, state: string): void => {
    const account = store.accounts.get(accountId);
    if (!account) throw new UsageError(`account ${accountId} is not in the organization`);
    if (!ACCOUNT_STATES.includes(state)) throw new UsageError(`state: expected one of ${ACCOUNT_STATES.join(', ')}`);
    account.state = state as typeof account.state;
  };

  /** The fault for this call, if any: injected ones first, then the random fault rate. */
  const faultFor = (op: string, path: string): FaultKind | undefined => {
    const i = injected.findIndex((f) => f.operation === op && (f.path === undefined || path.endsWith(f.path)));
    if (i >= 0) {
      const f = injected[i] as FaultInjection;
      if (--f.count === 0) injected.splice(i, 1);
      return f.kind;
    }
    if (faultRate > 0 && random() < faultRate) return random() < 0.5 ? 'server-error' : 'drop';
    return undefined;
  };

  const send = (res: ServerResponse, reply: Reply, method: string): void => {
    if (res.destroyed || res.headersSent) return;
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8');
    const headers: Record<string, string> = { ...reply.headers };
    if (method !== 'HEAD' || headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(method === 'HEAD' ? undefined : body);
  };

  /** A connection dropped mid-response: a status line and part of the answer, then the socket is destroyed. */
  const drop = (res: ServerResponse, ctx: RequestContext): void => {
    const socket = res.socket;
    if (!socket) return;
    const partial =
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\nx-amzn-requestid: ${ctx.requestId}\r\n\r\n{"Alternate`;
    socket.write(partial, () => socket.destroy());
  };

  const emulatorEndpoint = async (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> => {
    const json = (status: number, value: unknown) => send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }, req.method ?? 'GET');
    try {
      if (req.method === 'GET' && url.pathname === '/_emulator/state') return json(200, store.state());
      const parse = (): Record<string, unknown> => {
        const v: unknown = JSON.parse(body.toString('utf8') || '{}');
        if (typeof v !== 'object' || v === null) throw new UsageError('body: expected a JSON object');
        return v as Record<string, unknown>;
      };
      if (req.method === 'POST' && url.pathname === '/_emulator/faults') {
        injectFault(parse() as unknown as FaultInjection);
        return json(200, { ok: true });
      }
      if (req.method === 'POST' && url.pathname === '/_emulator/fault-rate') {
        faultRate = checkRate(Number(parse().rate));
        return json(200, { ok: true });
      }
      const m = /^\/_emulator\/accounts\/([^/]+)\/state$/.exec(url.pathname);
      if (req.method === 'POST' && m) {
        setAccountState(decodeURIComponent(m[1] as string), String(parse().state));
        return json(200, { ok: true });
      }
      return json(404, { error: `no emulator endpoint ${req.method} ${url.pathname}` });
    } catch (e) {
      const status = e instanceof UsageError || e instanceof SyntaxError ? 400 : 500;
      return json(status, { error: errorText(e) });
    }
  };

  const handleAws = async (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> => {
    const { service, accessKeyId, region } = serviceOf(req, url);
    const ctx: RequestContext = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body,
      service,
      accessKeyId,
      region: region ?? 'us-east-1',
      callerAccountId: /^\d{12}$/.test(accessKeyId) ? accessKeyId : store.organization.managementAccountId,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: header(req.headers, 'user-agent') ?? '',
      requestId: randomUUID(),
      now: new Date(),
    };
    const handler = services[service];
    if (!handler) {
      return send(res, { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `Service ${service} is not emulated.` }) }, ctx.method);
    }
    let op = 'Unknown';
    let reply: Reply;
    try {
      op = handler.operation(ctx);
      store.count(op);
      const fault = faultFor(op, decodeURIComponent(ctx.url.pathname));
      if (latencyMs > 0) await delay(latencyMs);
      if (fault === 'drop') return drop(res, ctx);
      if (fault === 'reply-lost') {
        // No byte of the answer: a partial 200 could read as success to a caller that ignores the body.
        await handler.handle(ctx, op);
        res.socket?.destroy();
        return;
      }
      if (fault === 'server-error') reply = handler.internalError(ctx);
      else if (fault === 'throttle') {
        store.countThrottle(op);
        reply = handler.throttle(ctx);
      } else reply = await handler.handle(ctx, op);
    } catch (e) {
      process.emitWarning(`emulator: ${service} ${op} failed: ${e instanceof Error ? e.stack : String(e)}`);
      reply = handler.internalError(ctx);
    }
    send(res, reply, ctx.method);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const declared = Number(header(req.headers, 'content-length') ?? 0);
    const signedS3 = /Credential=[^/,\s]+\/[^/]+\/[^/]+\/s3\/aws4_request/.test(header(req.headers, 'authorization') ?? '');
    const maxBytes = signedS3 ? MAX_S3_BODY_BYTES : MAX_BODY_BYTES;
    const tooLarge = () => {
      if (res.headersSent) return;
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      // Let the client read the 413 before the socket goes: discard what it still sends, for at most 2 s.
      const cut = setTimeout(() => req.socket.destroy(), 2000);
      cut.unref();
      res.end(JSON.stringify({ message: `Request body exceeds ${maxBytes} bytes.` }));
      req.once('end', () => {
        clearTimeout(cut);
        req.socket.destroy();
      });
      req.resume();
    };
    if (declared > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => req.socket.destroy());
    req.on('end', () => {
      if (refused) return;
      const body = Buffer.concat(chunks);
      const work = url.pathname.startsWith('/_emulator/') ? emulatorEndpoint(req, res, url, body) : handleAws(req, res, url, body);
      work.catch(() => {
        if (!res.headersSent) send(res, { status: 500, body: 'internal error' }, 'GET');
      });
    });
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    state: () => store.state(),
    injectFault,
    setAccountState,
    setFaultRate: (rate: number) => {
      faultRate = checkRate(rate);
    },
    createBucket: (name: string) => {
      if (!BUCKET_NAME.test(name)) throw new UsageError(`bucket: "${name}" is not a valid bucket name (3-63 of a-z 0-9 . -)`);
      return store.createBucket(name);
    },
    createTopic: (arn: string, publishers: string[] = []) => {
      if (!TOPIC_ARN.test(arn)) throw new UsageError(`topic: "${arn}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
      store.createTopic(arn, publishers);
    },
    setLambdaConcurrency: (quota: number) => {
      if (!Number.isInteger(quota) || quota < 1) throw new UsageError(`lambdaConcurrency: expected a positive integer, got ${quota}`);
      store.lambdaConcurrency = quota;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

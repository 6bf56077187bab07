/**
 * The packaged sweep state machine, run locally: its definition from the packaged template
 * (`osls package`), executed by the ASL interpreter `aws-local-stepfunctions`, every Lambda task
 * bound to the function's esbuild bundle running in its own worker thread (one per concurrent
 * "instance", module state kept between invocations like a warm container, at most the function's
 * reserved concurrency at once — beyond it the invocation fails `Lambda.TooManyRequestsException`
 * as Lambda's does), with the environment the template gives it, against the emulator.
 *
 * What the interpreter lacks and this binds (aws-local-stepfunctions 3.0.0 runs inline Maps only):
 * - `arn:aws:states:::lambda:invoke`: the task gets `{ FunctionName, Payload }` after Parameters and
 *   returns `{ StatusCode, ExecutedVersion, Payload }`; a function error surfaces as its errorType
 *   (the thrown error's name), as Lambda's Node runtime reports it;
 * - the Distributed Map (`ProcessorConfig.Mode: DISTRIBUTED`): its ItemReader (`s3:getObject`,
 *   JSON) reads the object from the emulator's S3, its ItemSelector is applied per item with
 *   `$$.Map.Item`, each item runs as a child execution of the ItemProcessor, at most MaxConcurrency
 *   at once, and ToleratedFailurePercentage decides whether the Map fails
 *   (`States.ExceedToleratedFailureThreshold`, then no new child starts). ResultWriter is not used
 *   by the stack and is refused here. The Map's Catch, ResultPath and Next stay the interpreter's.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import { build, type BuildOptions } from 'esbuild';
import { ROOT, stateMachineDefinition, definitionVariables, type Template } from './packaged.ts';
import type { Emulator } from '@contact-auditor/aws-emulator';

/**
 * aws-local-stepfunctions 3 needs Node ≥ 22 (its package.json engines; it calls the ES2024
 * Promise.withResolvers). CI runs the suite on Node 22 (.ci/run); on an older Node its tests skip.
 */
export const INTERPRETER_RUNS = typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers === 'function';

const { esbuildOptions } = createRequire(import.meta.url)('../../serverless/esbuild.config.cjs') as { esbuildOptions: BuildOptions };

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An error as a state machine sees it: `name` is the ASL error name. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Builds each named handler as serverless-esbuild does (serverless/esbuild.config.cjs) into `dir`. */
export async function buildBundles(dir: string, handlers: readonly string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await Promise.all(
    handlers.map((name) =>
      build({ ...esbuildOptions, entryPoints: [join(ROOT, `handlers/${name}.ts`)], outfile: join(dir, `${name}.mjs`), absWorkingDir: ROOT, logLevel: 'silent' }),
    ),
  );
  writeFileSync(
    join(dir, 'lambda-runtime.mjs'),
    `import { parentPort, workerData } from 'node:worker_threads';
const { handler } = await import(workerData.bundle);
parentPort.on('message', async ({ id, event }) => {
  try {
    const out = await handler(event, { functionName: workerData.name, awsRequestId: String(id), getRemainingTimeInMillis: () => workerData.timeoutMs });
    parentPort.postMessage({ id, ok: true, out: out === undefined ? null : out });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, name: (error && error.name) || 'Error', message: String((error && error.message) || error) });
  }
});
parentPort.postMessage({ ready: true });
`,
  );
}

interface Instance {
  worker: Worker;
  busy: boolean;
}

/** One deployed function: warm instances (worker threads), at most `reserved` at once. */
class LocalFunction {
  private readonly instances: Instance[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: unknown) => void }>();
  invocations = 0;

  constructor(
    readonly name: string,
    private readonly bundle: string,
    private readonly runtime: string,
    private readonly env: Record<string, string>,
    readonly reserved: number | undefined,
    private readonly timeoutMs: number,
  ) {}

  private async spawn(): Promise<Instance> {
    const worker = new Worker(this.runtime, {
      workerData: { bundle: pathToFileURL(this.bundle).href, name: this.name, timeoutMs: this.timeoutMs },
      env: this.env,
      stdout: true,
      stderr: true,
    });
    // What the function logs is CloudWatch's; drained so a full pipe never blocks the worker.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (m: { id?: number; ok?: boolean; out?: Json; name?: string; message?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.out ?? null);
      else p?.reject(new TaskError(m.name ?? 'Error', m.message ?? ''));
    });
    const [first] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([e]) => Promise.reject(e))])) as [{ ready?: boolean }];
    if (!first?.ready) throw new Error(`${this.name}: the bundle did not start`);
    const instance = { worker, busy: false };
    this.instances.push(instance);
    return instance;
  }

  async invoke(event: Json): Promise<Json> {
    let instance = this.instances.find((i) => !i.busy);
    if (!instance) {
      if (this.reserved !== undefined && this.instances.length >= this.reserved) {
        throw new TaskError('Lambda.TooManyRequestsException', `${this.name}: Rate Exceeded (reserved concurrency ${this.reserved})`);
      }
      // Claimed before the cold start, so concurrent invocations count it.
      const placeholder: Instance = { worker: undefined as unknown as Worker, busy: true };
      this.instances.push(placeholder);
      try {
        instance = await this.spawn();
      } finally {
        this.instances.splice(this.instances.indexOf(placeholder), 1);
      }
    }
    instance.busy = true;
    this.invocations++;
    const id = this.nextId++;
    try {
      return await new Promise<Json>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        instance.worker.postMessage({ id, event });
      });
    } finally {
      instance.busy = false;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.filter((i) => i.worker).map((i) => i.worker.terminate()));
    this.instances.length = 0;
  }
}

/** Evaluates a JSONPath of the few forms the stack's definition uses: `$`, `$.a.b`, `$$.a.b`. */
function jsonPath(path: string, input: Json, context: Json): Json {
  const m = /^(\$\$?)((?:\.[A-Za-z_][\w-]*)*)$/.exec(path);
  if (!m) throw new Error(`JSONPath not supported by the harness: ${path}`);
  let value: Json | undefined = m[1] === '$$' ? context : input;
  for (const key of m[2]!.split('.').slice(1)) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
    if (value === undefined) throw new TaskError('States.Runtime', `${path} matches nothing`);
  }
  return value as Json;
}

/** A payload template (Parameters, ItemSelector): keys ending `.$` take a path's value. */
function payload(template: Json, input: Json, context: Json): Json {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) return template;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = jsonPath(value as string, input, context);
    else out[key] = payload(value, input, context);
  }
  return out;
}

/** Replaces the definition's `${placeholder}` strings by what their intrinsic resolves to. */
function resolvePlaceholders(value: Json, resolve: (placeholder: string) => string): Json {
  if (typeof value === 'string') return value.replace(/\$\{([\w:]+)\}/g, (_, p: string) => resolve(p));
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, resolve));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, resolve)]));
  return value;
}

/** Whether a template condition holds (the `Fn::Equals` / `Fn::Not` of literals osls leaves). */
function conditionHolds(template: Template, name: string): boolean {
  const evaluate = (c: any): boolean => {
    if (c?.['Fn::Equals']) return String(c['Fn::Equals'][0]) === String(c['Fn::Equals'][1]);
    if (c?.['Fn::Not']) return !evaluate(c['Fn::Not'][0]);
    throw new Error(`condition ${name}: not a literal comparison`);
  };
  return evaluate(template.Conditions?.[name]);
}

/** The report bucket and alert topic of the local stack, named in one place; {@link createStackResources} creates them. */
export function stackResourceNames(callerAccountId: string): { bucket: string; topicArn: string } {
  return { bucket: 'contact-auditor-local-reports', topicArn: `arn:aws:sns:${REGION}:${callerAccountId}:contact-auditor-local-alerts` };
}

/** Creates what {@link stackResourceNames} names: the emulator, like AWS, has no bucket or topic until one is created (the stack's own resources). */
export function createStackResources(emulator: Pick<Emulator, 'createBucket' | 'createTopic'>, names: { bucket: string; topicArn: string }): void {
  emulator.createBucket(names.bucket);
  emulator.createTopic(names.topicArn);
}

/** One GetAlternateContact request the proxy saw. */
export interface GetRecord {
  sentAt: number;
  answeredAt: number;
  status: number;
}

/**
 * A pass-through HTTP proxy in front of the emulator that times every GetAlternateContact request
 * (restJson1 `POST /getAlternateContact`), so a run's read phase and rate are measured where the
 * quota is enforced, whatever process sent the request.
 */
export class ReadRecorder {
  readonly gets: GetRecord[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      const isGet = req.method === 'POST' && (req.url ?? '').startsWith('/getAlternateContact');
      const sentAt = performance.now();
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer: IncomingMessage) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            if (isGet) this.gets.push({ sentAt, answeredAt: performance.now(), status: answer.statusCode ?? 0 });
          });
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.url;
  }

  /** Answered (not throttled) reads ÷ (quota × first request to last answer). */
  efficiency(quotaPerSecond: number, since = 0): { answered: number; throttled: number; readSeconds: number; ratePerSecond: number; efficiency: number } {
    const gets = this.gets.filter((g) => g.sentAt >= since);
    const answered = gets.filter((g) => g.status !== 429).length;
    const throttled = gets.length - answered;
    const first = Math.min(...gets.map((g) => g.sentAt));
    const last = Math.max(...gets.map((g) => g.answeredAt));
    const readSeconds = gets.length > 0 ? (last - first) / 1000 : 0;
    const ratePerSecond = readSeconds > 0 ? answered / readSeconds : 0;
    return { answered, throttled, readSeconds, ratePerSecond, efficiency: ratePerSecond / quotaPerSecond };
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

export interface LocalStackOptions {
  template: Template;
  /** Where {@link buildBundles} put the bundles. */
  bundleDir: string;
  /** The emulator (or a {@link ReadRecorder} in front of it). */
  endpoint: string;
  /** The account the functions run in (a 12-digit access key is the caller for the emulator). */
  callerAccountId: string;
  /** What `Ref: ReportBucket` and `Ref: AlertsTopic` resolve to. */
  bucket: string;
  topicArn: string;
  /** The emulator's `--quota-scale`: the template's GetAlternateContact rates and bursts are multiplied by it. */
  quotaScale: number;
  /** Extra environment per function (e.g. POWERTOOLS_LOG_LEVEL). */
  env?: Record<string, string>;
  /** Called before each invocation; throw a {@link TaskError} to make it fail as a Lambda error would. */
  beforeInvoke?: (functionName: string, event: Json, attempt: number) => void;
}

export interface ExecutionOutcome {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Json;
  error?: string;
  cause?: string;
  /** Items the Distributed Map read, child executions that failed for good. */
  mapItems: number;
  mapFailures: number;
  /** When the Distributed Map started (performance.now()): reads from then on are the batches'. */
  mapStartedAt: number;
  startedAt: number;
  finishedAt: number;
}

/** The packaged stack's sweep, ready to execute locally. */
export class LocalSweepStack {
  readonly functions = new Map<string, LocalFunction>();
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly s3: S3Client;
  readonly definition: Json;
  private attempts = new Map<string, number>();

  constructor(private readonly options: LocalStackOptions) {
    const { template } = options;
    this.s3 = new S3Client({
      region: REGION,
      endpoint: options.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: options.callerAccountId, secretAccessKey: 'local' },
    });
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const props = resource.Properties!;
      const name = logicalId.replace(/LambdaFunction$/, '');
      const handler = name[0]!.toLowerCase() + name.slice(1);
      const functionName = props.FunctionName as string;
      let reserved = props.ReservedConcurrentExecutions as unknown;
      const choice = (reserved as { 'Fn::If'?: unknown[] } | undefined)?.['Fn::If'];
      if (Array.isArray(choice)) reserved = conditionHolds(template, choice[0] as string) ? choice[1] : undefined;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: options.callerAccountId,
        AWS_SECRET_ACCESS_KEY: 'lambda',
        AWS_SESSION_TOKEN: 'lambda',
        AWS_ENDPOINT_URL: options.endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        POWERTOOLS_METRICS_DISABLED: 'true',
      };
      for (const [key, value] of Object.entries((props.Environment?.Variables ?? {}) as Record<string, unknown>)) {
        env[key] = this.resolveIntrinsic(value);
      }
      // The template's rates and bursts stay as deployed; the functions multiply them by the emulator's quota scale.
      env.CONTACT_AUDIT_QUOTA_SCALE = String(options.quotaScale);
      // Reads in flight = rate × latency (Little's law): at a scaled rate the same latency needs
      // proportionally more accounts in flight, or the batch would be bound by them, not by its pacer.
      if (env.CONTACT_AUDIT_CONCURRENCY !== undefined) env.CONTACT_AUDIT_CONCURRENCY = String(Math.ceil(Number(env.CONTACT_AUDIT_CONCURRENCY) * Math.max(1, options.quotaScale)));
      Object.assign(env, options.env);
      const fn = new LocalFunction(
        functionName,
        join(options.bundleDir, `${handler}.mjs`),
        join(options.bundleDir, 'lambda-runtime.mjs'),
        env,
        reserved === undefined ? undefined : Number(reserved),
        Number(props.Timeout ?? 6) * 1000,
      );
      this.functions.set(handler, fn);
      this.byArn.set(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`, fn);
    }
    const variables = definitionVariables(template) as Record<string, unknown>;
    // ${AWS::Partition} is a pseudo parameter, not one of the Fn::Sub variables.
    this.definition = resolvePlaceholders(stateMachineDefinition(template) as Json, (p) => this.resolveIntrinsic(p.startsWith('AWS::') ? { Ref: p } : variables[p]));
  }

  private resolveIntrinsic(value: unknown): string {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (v?.Ref === 'ReportBucket') return this.options.bucket;
    if (v?.Ref === 'AlertsTopic') return this.options.topicArn;
    // The emulator speaks for the aws partition (its STS answers arn:aws: ARNs).
    if (v?.Ref === 'AWS::Partition') return 'aws';
    if (v?.Ref === 'AWS::Region') return REGION;
    if (v?.Ref === 'AWS::AccountId') return ACCOUNT;
    if (v?.Ref) return `local-${v.Ref}`;
    const getAtt = v?.['Fn::GetAtt'];
    if (getAtt && getAtt[1] === 'Arn') {
      const fn = this.options.template.Resources[getAtt[0]]?.Properties?.FunctionName as string | undefined;
      if (fn) return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`;
    }
    throw new Error(`the harness cannot resolve ${JSON.stringify(value)}`);
  }

  /** Invokes a function by ARN or name, as the lambda:invoke integration does. */
  async invoke(functionName: string, event: Json): Promise<Json> {
    const fn = this.byArn.get(functionName) ?? [...this.functions.values()].find((f) => f.name === functionName);
    if (!fn) throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionName}`);
    const key = `${fn.name}:${JSON.stringify(event)}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.options.beforeInvoke?.(fn.name, event, attempt);
    return fn.invoke(event);
  }

  /**
   * One execution of the sweep. `retryMs` replaces every retrier's interval (the definition's are
   * seconds to minutes), so retries happen in the test's time.
   */
  async execute(name: string, retryMs = 5): Promise<ExecutionOutcome> {
    const definition = structuredClone(this.definition) as any;
    const taskNames: string[] = [];
    const collect = (states: Record<string, any>) => {
      for (const [stateName, state] of Object.entries(states)) {
        if (state.Type === 'Task') taskNames.push(stateName);
        if (state.ItemProcessor) collect(state.ItemProcessor.States);
      }
    };
    collect(definition.States);
    let mapItems = 0;
    let mapFailures = 0;
    let mapStartedAt = Number.NaN;
    const overrides: Record<string, (input: Json) => Promise<Json>> = {};
    const runOptions = () => ({
      overrides: {
        taskResourceLocalHandlers: overrides,
        retryIntervalOverrides: Object.fromEntries(taskNames.map((n) => [n, retryMs])),
      },
      context: this.context(name) as any,
    });
    for (const stateName of taskNames) {
      overrides[stateName] = async (input: Json) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
        const out = await this.invoke(FunctionName, Payload);
        return { ExecutedVersion: '$LATEST', Payload: out, StatusCode: 200 };
      };
    }
    // Each Distributed Map becomes a Task the harness runs (see the module comment).
    for (const [stateName, state] of Object.entries(definition.States as Record<string, any>)) {
      if (state.Type !== 'Map' || state.ItemProcessor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') continue;
      const map = state;
      if (map.ResultWriter) throw new Error(`${stateName}: ResultWriter is not bound by the harness`);
      const task: Record<string, unknown> = { Type: 'Task', Resource: 'arn:aws:states:::local:distributedMap', TimeoutSeconds: definition.TimeoutSeconds ?? 99999999 };
      for (const key of ['InputPath', 'ResultPath', 'ResultSelector', 'OutputPath', 'Retry', 'Catch', 'Next', 'End', 'Comment']) {
        if (key in map) task[key] = map[key];
      }
      definition.States[stateName] = task;
      const child = new StateMachine(map.ItemProcessor, { validationOptions: { noValidate: true } });
      overrides[stateName] = async (input: Json) => {
        if (Number.isNaN(mapStartedAt)) mapStartedAt = performance.now();
        const reader = map.ItemReader;
        if (reader.Resource !== 'arn:aws:states:::s3:getObject' || reader.ReaderConfig?.InputType !== 'JSON') {
          throw new Error(`${stateName}: only a JSON ItemReader from s3:getObject is bound`);
        }
        const { Bucket, Key } = payload(reader.Parameters, input, this.context(name)) as { Bucket: string; Key: string };
        let items: Json[];
        try {
          const object = await this.s3.send(new GetObjectCommand({ Bucket, Key }));
          items = JSON.parse((await object.Body?.transformToString('utf-8')) ?? '') as Json[];
        } catch (error) {
          throw new TaskError('States.ItemReaderFailed', `s3://${Bucket}/${Key}: ${(error as Error).message}`);
        }
        if (!Array.isArray(items)) throw new TaskError('States.ItemReaderFailed', `s3://${Bucket}/${Key} is not a JSON array`);
        mapItems += items.length;
        const toleratedPercent = Number(map.ToleratedFailurePercentage ?? 0);
        const toleratedCount = map.ToleratedFailureCount === undefined ? Number.POSITIVE_INFINITY : Number(map.ToleratedFailureCount);
        const results = new Array<Json>(items.length).fill(null);
        let failures = 0;
        let exceeded = false;
        let next = 0;
        const over = () => (failures * 100) / Math.max(1, items.length) > toleratedPercent || failures > toleratedCount;
        const worker = async () => {
          while (!exceeded && next < items.length) {
            const index = next++;
            const context = { ...(this.context(name) as object), Map: { Item: { Index: index, Value: items[index]! } } } as Json;
            const selected = map.ItemSelector ? payload(map.ItemSelector, input, context) : items[index]!;
            try {
              results[index] = (await child.run(selected, runOptions()).result) as Json;
            } catch {
              failures++;
              mapFailures++;
              if (over()) exceeded = true;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(Number(map.MaxConcurrency) || 1000, items.length)) }, worker));
        if (exceeded || over()) {
          throw new TaskError('States.ExceedToleratedFailureThreshold', `${failures} of ${items.length} items failed, above the tolerated ${toleratedPercent}%`);
        }
        return results;
      };
    }
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const startedAt = performance.now();
    try {
      const output = (await machine.run({}, runOptions()).result) as Json;
      return { status: 'SUCCEEDED', output, mapItems, mapFailures, mapStartedAt, startedAt, finishedAt: performance.now() };
    } catch (error) {
      // ExecutionError wraps the state's error as its cause.
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      return { status: 'FAILED', error: cause.name, cause: cause.message, mapItems, mapFailures, mapStartedAt, startedAt, finishedAt: performance.now() };
    }
  }

  /** The context object; the interpreter sets `Execution.StartTime` itself (now). */
  private context(name: string): Json {
    return {
      Execution: {
        Id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:local-sweep:${name}`,
        Name: name,
        StartTime: new Date().toISOString(),
        Input: {},
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/local-sweep`,
      },
      StateMachine: { Id: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:local-sweep`, Name: 'local-sweep' },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.functions.values()].map((f) => f.close()));
    this.s3.destroy();
  }
}

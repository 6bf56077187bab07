/**
 * `osls package` run once and shared: the first stack test to ask packages the service into a
 * cache folder (a lock keeps parallel test files from packaging twice); later callers, and later
 * runs while the inputs are unchanged, read the cached template. Offline: dummy credentials, no
 * AWS variable sources in serverless.yml, telemetry off.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules/.cache/contact-auditor-stack');
const DEFAULT_OUT = join(CACHE, 'package');
const LOCK = join(CACHE, 'lock');
const STAGE = 'test';
/** Parameters given on the command line, as a deployment would. */
export const CLI_PARAMS = ['companyDomains=example.com,example.org', 'alertEmail=secops@example.com'];

export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; Condition?: string; DependsOn?: unknown; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export interface Packaged {
  template: Template;
  /** `service.functions` of serverless-state.json: handler, role, environment … per function. */
  functions: Record<string, { handler: string; role?: string; name: string; [key: string]: unknown }>;
  /** Bytes of each function's zip. */
  artifacts: Record<string, number>;
  /** Whether this call ran osls (false: cache). */
  packagedNow: boolean;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** What the packaged output depends on. */
function inputsHash(params: readonly string[] = CLI_PARAMS): string {
  const hash = createHash('sha256');
  const files = [
    join(ROOT, 'serverless.yml'),
    join(ROOT, 'package-lock.json'),
    ...filesUnder(join(ROOT, 'serverless')),
    ...filesUnder(join(ROOT, 'handlers')),
    ...filesUnder(join(ROOT, 'src')),
  ].sort();
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  hash.update(params.join('\0'));
  return hash.digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(fn: () => T): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed run goes stale after 3 minutes.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      await sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function runPackage(out: string, params: readonly string[]): void {
  rmSync(out, { recursive: true, force: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    // osls needs no AWS call to package; these keep the SDK from looking for real credentials.
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPACKAGE',
    AWS_SECRET_ACCESS_KEY: 'offline',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    CI: 'true',
  };
  const args = [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', STAGE, '--package', out, ...params.map((p) => `--param=${p}`)];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 170_000 });
  if (run.status !== 0) throw new Error(`osls package failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
}

const cached = new Map<string, Promise<Packaged>>();

/**
 * The packaged stack; packages at most once per inputs. `extraParams` (e.g. `organizationId=o-…`)
 * package a variant beside the default one, in its own cache folder.
 */
export function packaged(extraParams: readonly string[] = []): Promise<Packaged> {
  const params = [...CLI_PARAMS, ...extraParams];
  const key = extraParams.join('\0');
  const OUT = extraParams.length === 0 ? DEFAULT_OUT : join(CACHE, `package-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`);
  const existing = cached.get(key);
  if (existing) return existing;
  const made = withLock(() => {
    const hash = inputsHash(params);
    const stamp = join(OUT, '.inputs-hash');
    let packagedNow = false;
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
      runPackage(OUT, params);
      writeFileSync(stamp, hash);
      packagedNow = true;
    }
    const template = JSON.parse(readFileSync(join(OUT, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    const state = JSON.parse(readFileSync(join(OUT, 'serverless-state.json'), 'utf8')) as { service: { functions: Packaged['functions'] } };
    const artifacts = Object.fromEntries(
      readdirSync(OUT)
        .filter((f) => f.endsWith('.zip'))
        .map((f) => [f.replace(/\.zip$/, ''), statSync(join(OUT, f)).size]),
    );
    return { template, functions: state.service.functions, artifacts, packagedNow };
  });
  cached.set(key, made);
  return made;
}

/** Resources of one type, by logical ID. */
export function resourcesOfType(template: Template, type: string): [string, NonNullable<Template['Resources'][string]>][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The state machine definition: the Fn::Sub template string parsed (placeholders stay as strings). */
export function stateMachineDefinition(template: Template, logicalId = 'SweepStateMachine'): any {
  const definition = template.Resources[logicalId]?.Properties?.DefinitionString;
  const text = typeof definition === 'string' ? definition : definition?.['Fn::Sub']?.[0] ?? definition?.['Fn::Sub'];
  return JSON.parse(text);
}

/** The Fn::Sub variables of the definition: placeholder → intrinsic (e.g. { 'Fn::GetAtt': [...] }). */
export function definitionVariables(template: Template, logicalId = 'SweepStateMachine'): Record<string, unknown> {
  const definition = template.Resources[logicalId]?.Properties?.DefinitionString;
  return (Array.isArray(definition?.['Fn::Sub']) ? definition['Fn::Sub'][1] : {}) ?? {};
}

/** Resolves a "${placeholder}" of the definition to its intrinsic. */
export function intrinsic(template: Template, value: string): unknown {
  const m = /^\$\{(\w+)\}$/.exec(value);
  return m ? definitionVariables(template)[m[1]!] : value;
}

/** What Step Functions needs to set up logging to CloudWatch Logs (Step Functions developer guide). */
export const LOG_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

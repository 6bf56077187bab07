/**
 * `osls deploy` as a user types it (docs/deployment.md, "Deploy"): the real osls CLI with its real
 * AWS provider, pointed at the emulator by the AWS SDK's own endpoint setting (`AWS_ENDPOINT_URL`),
 * as any local AWS endpoint would be. The deploy check (serverless/plugins/check-deploy-params.cjs)
 * asks the emulator's Lambda, refuses what would not work, and otherwise the deploy goes on through
 * CloudFormation change sets to a completed stack, handing over the template `osls package` builds.
 * Slow (osls packages with esbuild on every run): `npm run test:deploy`, not `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamMatch } from '../../src/audit/scpLock.ts';
import { loadFixture } from '../../src/emulator/fixture.ts';
import { startEmulator, type Emulator, type EmulatorState } from '../../src/emulator/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OSLS = join(ROOT, 'node_modules/.bin/osls');
const STAGE = 'prod';
const STACK = `contact-auditor-${STAGE}`;
const ORG = 'o-aa111bb222';
/** The deploy command of docs/deployment.md, with the values its `$(aws organizations …)` would give. */
const DEPLOY_PARAMS = [
  '--param=stackSetCallAs=DELEGATED_ADMIN',
  '--param=companyDomains=example.com,example.org',
  '--param=alertEmail=secops@example.com',
  `--param=organizationId=${ORG}`,
  '--param=forwarderTargets=r-ab12',
];

const { reservedConcurrency } = createRequire(import.meta.url)('../../serverless/plugins/check-deploy-params.cjs') as {
  reservedConcurrency: (template: unknown) => { functionName: string; units: number }[];
};

/** The IAM action each call of a deploy needs (Service Authorization Reference); GetCallerIdentity needs none. */
const ACTION_OF: Record<string, string | null> = {
  GetCallerIdentity: null,
  HeadBucket: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  HeadObject: 's3:GetObject',
  GetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  DeleteObjects: 's3:DeleteObject',
  GetAccountSettings: 'lambda:GetAccountSettings',
  GetFunctionConcurrency: 'lambda:GetFunctionConcurrency',
  GetFunction: 'lambda:GetFunction',
};
const deployerActions = (JSON.parse(readFileSync(join(ROOT, 'docs/deployer-policy.json'), 'utf8')) as { Statement: { Action: string | string[] }[] }).Statement.flatMap((st) =>
  Array.isArray(st.Action) ? st.Action : [st.Action],
);

interface Run {
  code: number | null;
  output: string;
}

const home = mkdtempSync(join(tmpdir(), 'osls-deploy-home-'));

/** Runs osls in the project, as `npx osls …` would, with only the endpoint and dummy credentials set. */
function osls(args: string[], endpoint: string): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    // The SDK's endpoint setting for every service (AWS SDKs and Tools reference guide,
    // "Service-specific endpoints"): the only thing that points osls and the check at the emulator.
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'emulator',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    CI: 'true',
  };
  return new Promise((done, fail) => {
    const child = spawn(OSLS, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

/** The artifacts' S3 folder carries the time of packaging (serverless/<service>/<stage>/<ms>-<ISO>/): the same in both for comparing. */
function sameArtifactFolder(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/serverless\/contact-auditor\/prod\/\d+-[0-9T:.Z-]+\//g, 'serverless/contact-auditor/prod/<packaged>/'));
}

/** Every S3Key the template names (the functions' zips). */
function s3Keys(template: Record<string, unknown> | undefined): string[] {
  const resources = (template?.Resources ?? {}) as Record<string, { Properties?: { Code?: { S3Key?: unknown } } }>;
  return Object.values(resources).flatMap((r) => (typeof r.Properties?.Code?.S3Key === 'string' ? [r.Properties.Code.S3Key] : []));
}

let emu: Emulator;
let lowQuota: Emulator;
let packagedTemplate: { Resources: Record<string, any> };
let refused: Run;
let refusedState: EmulatorState;
let deployed: Run;
let deployedState: EmulatorState;
let redeployed: Run;
let redeployedState: EmulatorState;
const packageDir = mkdtempSync(join(tmpdir(), 'osls-package-'));

beforeAll(async () => {
  const fixture = await loadFixture(join(ROOT, 'examples/sample-org.json'));
  // A new account's Lambda concurrency quota (10 or 50) cannot reserve any: Lambda keeps min(100, quota) unreserved.
  [emu, lowQuota] = await Promise.all([startEmulator({ fixture }), startEmulator({ fixture: { ...fixture, lambdaConcurrency: 50 } })]);

  // One osls at a time: each packages into the project's .serverless/ and .esbuild/.
  const pack = await osls(['package', '--stage', STAGE, '--package', packageDir, ...DEPLOY_PARAMS], emu.url);
  if (pack.code !== 0) throw new Error(`osls package failed:\n${pack.output}`);
  packagedTemplate = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));

  // Empty forwarderTargets (not given), a malformed organizationId, a concurrency quota of 50.
  refused = await osls(['deploy', '--stage', STAGE, '--param=companyDomains=example.com', '--param=organizationId=123456789012'], lowQuota.url);
  refusedState = lowQuota.state();

  deployed = await osls(['deploy', '--stage', STAGE, ...DEPLOY_PARAMS], emu.url);
  deployedState = emu.state();

  // The functions now reserve what the stack asks (5 of 104, leaving 99): more reservation would
  // go below Lambda's minimum of 100, but a redeploy reserves nothing new.
  emu.setLambdaConcurrency(104);
  redeployed = await osls(['deploy', '--stage', STAGE, ...DEPLOY_PARAMS], emu.url);
  redeployedState = emu.state();
}, 900_000);

afterAll(async () => {
  await Promise.all([emu?.close(), lowQuota?.close()]);
  rmSync(home, { recursive: true, force: true });
  rmSync(packageDir, { recursive: true, force: true });
});

describe('osls deploy refuses a deployment that would not work', () => {
  it('fails, naming each problem and the parameter that fixes it', () => {
    expect(refused.code, refused.output).not.toBe(0);
    expect(refused.output).toContain('contact-auditor cannot be deployed as configured');
    expect(refused.output).toMatch(/organizationId: expected the organization's ID \(o-…[^\n]*got "123456789012"/);
    expect(refused.output).toMatch(/forwarderTargets: expected root or OU IDs[^\n]*got ""/);
    expect(refused.output).toMatch(/reserveConcurrency: this account's Lambda concurrency quota is 50 \(50 unreserved\) and Lambda keeps 50 unreserved/);
    expect(refused.output).toContain('--param="reserveConcurrency=false"');
  });

  it("asks the endpoint's Lambda for the account's quota and each reserving function's concurrency", () => {
    expect(refusedState.requestCounts.GetAccountSettings).toBe(1);
    expect(refusedState.requestCounts.GetFunctionConcurrency).toBe(reservedConcurrency(packagedTemplate).length);
    expect(reservedConcurrency(packagedTemplate).length).toBeGreaterThan(0);
  });

  it('stops before anything reaches CloudFormation or S3', () => {
    expect(refusedState.cloudFormationTemplates).toEqual([]);
    expect(refusedState.cloudFormationStacks).toEqual([]);
    expect(refusedState.requestCounts.PutObject).toBeUndefined();
  });
});

describe('osls deploy with the parameters of docs/deployment.md', () => {
  it('completes', () => {
    expect(deployed.code, deployed.output).toBe(0);
    expect(deployed.output).toContain(`Service deployed to stack ${STACK}`);
    expect(deployed.output).not.toContain('cannot be deployed');
    expect(deployedState.requestCounts.GetAccountSettings).toBe(1);
  });

  it('creates the stack through change sets, ending UPDATE_COMPLETE with every resource of the packaged template', () => {
    const stack = deployedState.cloudFormationStacks.find((s) => s.stackName === STACK);
    expect(stack?.stackStatus).toBe('UPDATE_COMPLETE');
    expect(stack?.resources.map((r) => r.logicalId).sort()).toEqual(Object.keys(packagedTemplate.Resources).sort());
    expect(deployedState.cloudFormationTemplates.map((t) => [t.operation, t.changeSetType])).toEqual([
      ['CreateChangeSet', 'CREATE'], // the deployment bucket alone
      ['ValidateTemplate', undefined],
      ['CreateChangeSet', 'UPDATE'],
    ]);
  });

  it('hands CloudFormation the template osls package builds, from the deployment bucket', () => {
    const update = deployedState.cloudFormationTemplates.at(-1);
    expect(update?.templateURL).toMatch(/\/compiled-cloudformation-template\.json$/);
    expect(sameArtifactFolder(update?.template)).toEqual(sameArtifactFolder(packagedTemplate));
  });

  it('uploads every function zip the template names to the deployment bucket', () => {
    const bucket = deployedState.cloudFormationStacks[0]?.resources.find((r) => r.logicalId === 'ServerlessDeploymentBucket')?.physicalId;
    const uploaded = deployedState.s3Objects.filter((o) => o.bucket === bucket).map((o) => o.key);
    const keys = s3Keys(deployedState.cloudFormationTemplates.at(-1)?.template);
    expect(keys.length).toBe(Object.values(packagedTemplate.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length);
    for (const key of keys) expect(uploaded).toContain(key);
  });
});

describe('docs/deployer-policy.json', () => {
  it('allows every call the deploys made', () => {
    const calls = Object.keys(redeployedState.requestCounts);
    expect(calls).not.toContain('Unknown');
    const needed = calls.map((op) => (op in ACTION_OF ? ACTION_OF[op] : `cloudformation:${op}`)).filter((a): a is string => a !== null);
    expect(needed.filter((a) => !deployerActions.some((p) => iamMatch(p, a)))).toEqual([]);
  });
});

describe('osls deploy again, on an account with little unreserved concurrency left', () => {
  it("counts what the deployed functions reserve already (GetFunctionConcurrency's answers) and deploys", () => {
    expect(redeployed.code, redeployed.output).toBe(0);
    expect(redeployed.output).not.toContain('cannot be deployed');
    const asked = (redeployedState.requestCounts.GetFunctionConcurrency ?? 0) - (deployedState.requestCounts.GetFunctionConcurrency ?? 0);
    expect(asked).toBe(reservedConcurrency(packagedTemplate).length);
  });
});

/**
 * `osls deploy` as a user types it (docs/deployment.md, "Deploy"): the real osls CLI with its real
 * AWS provider, pointed at the emulator by the AWS SDK's own endpoint setting (`AWS_ENDPOINT_URL`),
 * as any local AWS endpoint would be. The deploy check (serverless/plugins/check-deploy-params.cjs)
 * asks the emulator's Lambda, refuses what would not work, and otherwise the deploy goes on through
 * CloudFormation change sets to a completed stack, handing over the template `osls package` builds.
 * Slow (osls packages with esbuild on every run): `npm run test:deploy`, not `npm test`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamMatch } from '../../src/audit/scpLock.ts';
import { defaultRootId, type Emulator, type EmulatorState, loadFixture, startEmulator } from '@contact-auditor/aws-emulator';

const ROOT = resolve(import.meta.dirname, '../..');
const OSLS = join(ROOT, 'node_modules/.bin/osls');
const STAGE = 'prod';
const STACK = `contact-auditor-${STAGE}`;
/**
 * The deploy command of the README (the same as docs/deployment.md's: test/stack/deployment-docs.test.ts),
 * as the user pastes it; its `$(aws organizations …)` ask the emulator too, where the AWS CLI is installed.
 */
const README_DEPLOY = (() => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('npx osls deploy'));
  const end = lines.findIndex((l, i) => i >= start && !l.endsWith('\\'));
  return lines.slice(start, end + 1).join('\n');
})();
const HAS_AWS_CLI = (() => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
/** The README command's parameters with the values its `$(aws organizations …)` give against `org`. */
function deployParams(org: { id: string; roots?: { id: string }[] }): string[] {
  return [
    '--param=stackSetCallAs=DELEGATED_ADMIN',
    '--param=companyDomains=example.com,example.org',
    '--param=alertEmail=secops@example.com',
    `--param=organizationId=${org.id}`,
    `--param=forwarderTargets=${org.roots?.[0]?.id ?? defaultRootId(org.id)}`,
  ];
}

const { reservedConcurrency } = createRequire(import.meta.url)('../../serverless/plugins/check-deploy-params.cjs') as {
  reservedConcurrency: (template: unknown) => { functionName: string; units: number }[];
};

/**
 * The IAM action each call of a deploy needs (Service Authorization Reference); GetCallerIdentity
 * needs none. The Organizations reads are the deploy command's own `$(aws organizations …)`.
 */
const ACTION_OF: Record<string, string | null> = {
  GetCallerIdentity: null,
  DescribeOrganization: 'organizations:DescribeOrganization',
  ListRoots: 'organizations:ListRoots',
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

/** The environment of a user pointed at the emulator: the endpoint and dummy credentials, nothing of this machine's AWS set-up. */
function userEnv(endpoint: string): Record<string, string> {
  return {
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
    // The AWS CLI v1 reads the region from here only.
    AWS_DEFAULT_REGION: 'us-east-1',
    CI: 'true',
  };
}

/** Runs osls in the project, as `npx osls …` would; or, with `shell`, a command line as the user pastes it. */
function osls(args: string[], endpoint: string, shell?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const [file, argv] = shell === undefined ? [OSLS, args] : ['bash', ['-c', shell]];
    const child = spawn(file, argv, { cwd: ROOT, env: userEnv(endpoint), stdio: ['ignore', 'pipe', 'pipe'] });
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
let noQuotaRead: Emulator;
let unreadable: Run;
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
  // A deployer without lambda:GetAccountSettings (the caller of these credentials is the management account).
  const denied = { ...fixture, admin: { ...fixture.admin, iamDenies: { [fixture.organization.managementAccountId]: ['lambda:GetAccountSettings'] } } };
  [emu, lowQuota, noQuotaRead] = await Promise.all([startEmulator({ fixture }), startEmulator({ fixture: { ...fixture, lambdaConcurrency: 50 } }), startEmulator({ fixture: denied })]);

  // One osls at a time: each packages into the project's .serverless/ and .esbuild/.
  const params = deployParams(emu.state().organization);
  const pack = await osls(['package', '--stage', STAGE, '--package', packageDir, ...params], emu.url);
  if (pack.code !== 0) throw new Error(`osls package failed:\n${pack.output}`);
  packagedTemplate = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));

  // Empty forwarderTargets (not given), a malformed organizationId, a concurrency quota of 50.
  refused = await osls(['deploy', '--stage', STAGE, '--param=companyDomains=example.com', '--param=organizationId=123456789012'], lowQuota.url);
  refusedState = lowQuota.state();
  unreadable = await osls(['deploy', '--stage', STAGE, ...deployParams(noQuotaRead.state().organization)], noQuotaRead.url);

  // The README's command itself where the AWS CLI can answer its $(…); else the values it would give.
  deployed = await osls(['deploy', '--stage', STAGE, ...params], emu.url, HAS_AWS_CLI ? README_DEPLOY : undefined);
  deployedState = emu.state();

  // The functions now reserve what the stack asks (5 of 104, leaving 99): more reservation would
  // go below Lambda's minimum of 100, but a redeploy reserves nothing new.
  emu.setLambdaConcurrency(104);
  redeployed = await osls(['deploy', '--stage', STAGE, ...params], emu.url);
  redeployedState = emu.state();
}, 900_000);

afterAll(async () => {
  await Promise.all([emu?.close(), lowQuota?.close(), noQuotaRead?.close()]);
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

  it('says the quota could not be read, and the two ways on, where the deployer may not call GetAccountSettings', () => {
    expect(unreadable.code, unreadable.output).not.toBe(0);
    expect(unreadable.output).toContain('the Lambda concurrency quota could not be read to check reserveConcurrency (AccessDeniedException: ');
    expect(unreadable.output).toContain('lambda:GetAccountSettings and lambda:GetFunctionConcurrency (docs/deployer-policy.json)');
    expect(unreadable.output).toContain('--param="reserveConcurrency=false"');
    expect(noQuotaRead.state().cloudFormationStacks).toEqual([]);
  });

  it('stops before anything reaches CloudFormation or S3', () => {
    expect(refusedState.cloudFormationTemplates).toEqual([]);
    expect(refusedState.cloudFormationStacks).toEqual([]);
    expect(refusedState.requestCounts.PutObject).toBeUndefined();
  });
});

describe(`osls deploy as the README gives it${HAS_AWS_CLI ? '' : ' (its $(aws …) replaced by their values: no AWS CLI here)'}`, () => {
  it('is the command this test runs', () => {
    expect(README_DEPLOY).toMatch(/^npx osls deploy --stage prod /);
    for (const p of deployParams({ id: 'o-x' }).slice(0, 3)) expect(README_DEPLOY).toContain(`"${p.replace('--param=', '')}"`);
  });

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

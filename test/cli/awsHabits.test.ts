/**
 * The AWS CLI's habits carry over (AWS CLI "Configuration and credential file settings"): a named
 * profile from the shared files with --profile or AWS_PROFILE, its region when AWS_REGION is unset,
 * --region over both; --no-color and NO_COLOR on a terminal; --quiet prints only the report; and
 * the summary comes once. The region shows in the ASFF rendering's product ARN.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';
import { DELEGATED_ADMIN, MEMBER, smallOrg } from '../fixtures/organizations.ts';
import { runCli } from '../e2e/cli.ts';
import { runMain } from './inProcess.ts';

let emu: Emulator;
let work: string;
let files: Record<string, string>;
const TOPIC = `arn:aws:sns:eu-west-2:${DELEGATED_ADMIN}:alerts`;

beforeAll(async () => {
  emu = await startEmulator({ fixture: { ...smallOrg(), topics: [{ arn: TOPIC }] }, port: 0, quotaScale: 20 });
  work = await mkdtemp(join(tmpdir(), 'contact-audit-profile-'));
  const config = join(work, 'config');
  const credentials = join(work, 'credentials');
  // A default profile with its own region, and a named one as the delegated administrator in eu-west-2.
  await writeFile(config, '[default]\nregion = ap-southeast-2\n\n[profile auditor]\nregion = eu-west-2\n');
  await writeFile(credentials, `[auditor]\naws_access_key_id = ${DELEGATED_ADMIN}\naws_secret_access_key = emulator\n`);
  files = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
});
afterAll(async () => {
  await emu?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Only the endpoint and the shared files: no key, no region in the environment. */
const shell = (more: Record<string, string> = {}) => ({
  AWS_ENDPOINT_URL: emu.url,
  AWS_EC2_METADATA_DISABLED: 'true',
  CONTACT_AUDIT_QUOTA_SCALE: '20',
  ...files,
  ...more,
});

const productRegion = (stdout: string) => /arn:aws:securityhub:([a-z0-9-]+):/.exec(stdout)?.[1];

describe('--profile and --region', () => {
  it('as a user types it: --profile takes the credentials and region of the shared files', async () => {
    const run = await runCli(['sweep', '--profile', 'auditor', '--domain', 'example.com', '--accounts', MEMBER, '--format', 'asff', '--quiet'], shell());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(productRegion(run.stdout)).toBe('eu-west-2');
  });

  it('--region wins over the profile\'s region; AWS_PROFILE does what --profile does', async () => {
    const region = await runMain(['sweep', '--profile', 'auditor', '--region', 'eu-central-1', '--domain', 'example.com', '--accounts', MEMBER, '--format', 'asff'], shell());
    expect(productRegion(region.stdout)).toBe('eu-central-1');
    const env = await runMain(['sweep', '--domain', 'example.com', '--accounts', MEMBER, '--format', 'json'], shell({ AWS_PROFILE: 'auditor' }));
    expect((JSON.parse(env.stdout) as Report).callerAccountId).toBe(DELEGATED_ADMIN);
  });

  it('without a profile, the default profile\'s region when AWS_REGION is unset; AWS_REGION wins when set', async () => {
    const keys = { AWS_ACCESS_KEY_ID: DELEGATED_ADMIN, AWS_SECRET_ACCESS_KEY: 'emulator' };
    const args = ['sweep', '--domain', 'example.com', '--accounts', MEMBER, '--format', 'asff'];
    expect(productRegion((await runMain(args, shell(keys))).stdout)).toBe('ap-southeast-2');
    expect(productRegion((await runMain(args, shell({ ...keys, AWS_REGION: 'sa-east-1' }))).stdout)).toBe('sa-east-1');
  });

  it('test-alert and doctor take them too', async () => {
    const alert = await runMain(['test-alert', '--profile', 'auditor', '--no-color', '--topic-arn', TOPIC], shell());
    expect(alert.stderr).toBe('');
    expect(alert.code).toBe(0);
    const doctor = await runMain(['doctor', '--profile', 'auditor', '--region', 'eu-west-2', '--no-color', '--format', 'json'], shell());
    expect(doctor.stderr).toBe('');
    expect([0, 1]).toContain(doctor.code);
  });

  it('a profile that is not in the files is an error naming it, exit 2', async () => {
    const run = await runMain(['sweep', '--profile', 'nobody', '--domain', 'example.com'], shell());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^contact-audit: --profile: no profile "nobody" in the shared config or credentials file/);
  });
});

describe('colour, --quiet and the summary', () => {
  const keys = () => shell({ AWS_ACCESS_KEY_ID: DELEGATED_ADMIN, AWS_SECRET_ACCESS_KEY: 'emulator', AWS_REGION: 'us-east-1' });
  const ESC = '\u001b[';

  it('on a terminal the table is coloured, unless NO_COLOR is set or --no-color is given', async () => {
    const args = ['sweep', '--domain', 'example.com'];
    expect((await runMain(args, keys(), { stdout: true })).stdout).toContain(ESC);
    expect((await runMain(args, { ...keys(), NO_COLOR: '1' }, { stdout: true })).stdout).not.toContain(ESC);
    expect((await runMain([...args, '--no-color'], keys(), { stdout: true })).stdout).not.toContain(ESC);
  });

  it('--quiet: the report on stdout and nothing on stderr', async () => {
    const run = await runMain(['sweep', '--domain', 'example.com', '--format', 'json', '--quiet'], keys(), { stderr: true });
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as Report).summary.accounts).toBe(5);
  });

  it('the summary is printed once, in one order, with the right plural', async () => {
    const table = await runMain(['sweep', '--domain', 'example.com', '--accounts', MEMBER], keys());
    const both = table.stdout + table.stderr;
    expect(both.match(/\d+ accounts?: \d+ non-compliant/g)).toEqual(['1 account: 1 non-compliant']);
    const json = await runMain(['sweep', '--domain', 'example.com', '--format', 'json', '--accounts', MEMBER], keys());
    expect(json.stderr).toMatch(/^1 account: 1 non-compliant, 0 unknown, 0 exempt, 0 compliant, 0 skipped \(\d+ GetAlternateContact calls?, 0 retried, 0 throttled\)\n$/m);
  });
});

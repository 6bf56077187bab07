import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization } from '../../src/emulator/generate.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { esbuildOptions } = createRequire(import.meta.url)('../../serverless/esbuild.config.cjs') as { esbuildOptions: BuildOptions };

let emulator: Emulator;
let dir: string;
const fixture = generateOrganization({ accounts: 30, seed: 11 });

beforeAll(async () => {
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 10 });
  dir = mkdtempSync(join(tmpdir(), 'contact-auditor-bundle-run-'));
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the deployed bundle', () => {
  it('runs as Lambda runs it: the ESM bundle alone, credentials from the environment only', async () => {
    // Prepare: build the list step exactly as the deployment does.
    const outfile = join(dir, 'sweepList.mjs');
    await build({ ...esbuildOptions, entryPoints: [join(ROOT, 'handlers/sweepList.ts')], outfile, absWorkingDir: ROOT, logLevel: 'silent' });
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)});
      const out = await handler({}, { functionName: 'sweepList', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 60000 });
      process.stdout.write('\\nRESULT ' + JSON.stringify(out) + '\\n');`;
    // Act: a bare environment, as Lambda gives one (no profile, no config files, no metadata service).
    // Asynchronous: the emulator answers from this process's event loop.
    const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: fixture.organization.delegatedAdminAccountId!,
        AWS_SECRET_ACCESS_KEY: 'lambda',
        AWS_SESSION_TOKEN: 'token',
        AWS_ENDPOINT_URL: emulator.url,
        AWS_EC2_METADATA_DISABLED: 'true',
        CONTACT_AUDIT_REPORT_BUCKET: 'reports',
        CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com',
        POWERTOOLS_DEV: 'false',
      },
    });
    // Assess: the default credential chain (profiles, SSO, web identity) is not in the bundle.
    expect(readFileSync(outfile, 'utf8')).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    expect(run.stderr).not.toMatch(/Error:/);
    // Powertools logs JSON lines to stdout too; the result is the line the script marked.
    const out = JSON.parse(run.stdout.split('\n').find((line) => line.startsWith('RESULT '))!.slice('RESULT '.length)) as { accounts: number; itemsKey: string };
    expect(out.accounts).toBe(fixture.accounts.length);
    expect(emulator.state().s3Objects.some((o) => o.bucket === 'reports' && o.key === out.itemsKey)).toBe(true);
  }, 60_000);
});

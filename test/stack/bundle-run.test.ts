/**
 * The deployed bundles, run as Lambda runs them: each ESM bundle alone in a fresh node process,
 * credentials from the environment only, against the emulator. The whole sweep goes through
 * them (list → every batch → finalize) with logging at DEBUG, and no contact's name, phone or
 * e-mail address may appear in what the functions log (SPEC: log account IDs and codes, not values).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchItem, StartOutput } from '../../src/contracts/sweepWork.ts';
import { type Emulator, generateOrganization, startEmulator } from '@contact-auditor/aws-emulator';
import type { Report } from '../../src/model.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { esbuildOptions } = createRequire(import.meta.url)('../../serverless/esbuild.config.cjs') as { esbuildOptions: BuildOptions };
const STEPS = ['sweepList', 'sweepBatch', 'sweepFinalize'] as const;
const BUCKET = 'bundle-reports';

let emulator: Emulator;
let dir: string;
const fixture = generateOrganization({ accounts: 30, seed: 11 });
const logs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ fixture, port: 0, quotaScale: 10 });
  emulator.createBucket(BUCKET);
  emulator.createTopic(`arn:aws:sns:us-east-1:${fixture.organization.delegatedAdminAccountId}:alerts`);
  dir = mkdtempSync(join(tmpdir(), 'contact-auditor-bundle-run-'));
  await Promise.all(
    STEPS.map((step) =>
      build({ ...esbuildOptions, entryPoints: [join(ROOT, `handlers/${step}.ts`)], outfile: join(dir, `${step}.mjs`), absWorkingDir: ROOT, logLevel: 'silent' }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Invokes one bundled handler in a new process with a bare, Lambda-like environment; returns its result. */
async function invoke<T>(step: (typeof STEPS)[number], event: unknown): Promise<T> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(join(dir, `${step}.mjs`)).href)});
    const out = await handler(JSON.parse(process.env.TEST_EVENT), { functionName: '${step}', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 600000 });
    process.stdout.write('\\nRESULT ' + JSON.stringify(out) + '\\n');`;
  // Asynchronous: the emulator answers from this process's event loop.
  const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: fixture.organization.delegatedAdminAccountId!,
      AWS_SECRET_ACCESS_KEY: 'lambda',
      AWS_SESSION_TOKEN: 'token',
      AWS_ENDPOINT_URL: emulator.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CONTACT_AUDIT_REPORT_BUCKET: BUCKET,
      CONTACT_AUDIT_COMPANY_DOMAINS: 'example.com',
      CONTACT_AUDIT_TOPIC_ARN: `arn:aws:sns:us-east-1:${fixture.organization.delegatedAdminAccountId}:alerts`,
      CONTACT_AUDIT_BATCH_SIZE: '10',
      CONTACT_AUDIT_GET_RATE: '100',
      // The partition the template gives every function; the shares scaled as the emulator's quotas.
      CONTACT_AUDIT_PARTITION: 'aws',
      CONTACT_AUDIT_QUOTA_SCALE: '10',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      TEST_EVENT: JSON.stringify(event),
    },
  });
  logs.push(run.stdout, run.stderr);
  // Powertools logs JSON lines to stdout too; the result is the line the script marked.
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${step} returned nothing:\n${run.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

describe('the deployed bundles', () => {
  it('carry no default credential chain: Lambda gives credentials in the environment', () => {
    for (const step of STEPS) expect(readFileSync(join(dir, `${step}.mjs`), 'utf8')).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
  });

  it('run the whole sweep, each alone in its own process, and log no contact data', async () => {
    // Act: the state machine's order, list → each batch → finalize.
    const listed = await invoke<StartOutput>('sweepList', {});
    const items = JSON.parse(
      await fetch(`${emulator.url}/${BUCKET}/${listed.itemsKey}`, {
        headers: { authorization: `AWS4-HMAC-SHA256 Credential=${fixture.organization.delegatedAdminAccountId}/20260101/us-east-1/s3/aws4_request` },
      }).then((r) => r.text()),
    ) as BatchItem[];
    for (const item of items) await invoke('sweepBatch', { runId: listed.runId, manifestKey: listed.manifestKey, batch: item });
    await invoke('sweepFinalize', listed);

    // Assess: a report with every account, written from the bundles.
    expect(listed.accounts).toBe(fixture.accounts.length);
    const reportKey = emulator.state().s3Objects.find((o) => o.bucket === BUCKET && /^runs\/.*\/report\.json$/.test(o.key))?.key;
    expect(reportKey).toBeDefined();
    const report = (await fetch(`${emulator.url}/${BUCKET}/${reportKey}`, {
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=${fixture.organization.delegatedAdminAccountId}/20260101/us-east-1/s3/aws4_request` },
    }).then((r) => r.json())) as Report;
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual(fixture.accounts.map((a) => a.id).sort());

    // Assess: the functions did log (at DEBUG), and none of it is a contact's personal data.
    const logged = logs.join('\n');
    expect(logged).toMatch(/"message":"Batch checked"/);
    const personal = fixture.accounts.flatMap((a) =>
      Object.values(a.contacts).flatMap((c) => (c ? [c.name, c.phoneNumber, c.emailAddress].filter((v) => v.trim().length >= 6) : [])),
    );
    expect(personal.length).toBeGreaterThan(50);
    expect(personal.filter((value) => logged.includes(value))).toEqual([]);
  }, 120_000);
});

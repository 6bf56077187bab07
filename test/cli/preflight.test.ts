/**
 * A sweep tries its outputs before it reads a single contact: a missing or unwritable `--out`
 * bucket and a missing or foreign `--topic-arn` topic fail the run at once, exit 2, with the AWS
 * error code and the fix, and no GetAlternateContact is made; an outputs' outage fails it with exit 4. The CLI's main, against the emulator.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients } from '../../packages/aws-emulator/test/helpers.ts';
import { startEmulator, type Emulator } from '@contact-auditor/aws-emulator';
import { DELEGATED_ADMIN, MANAGEMENT, MEMBER, smallOrg } from '../fixtures/organizations.ts';
import { emulatorEnv } from '../e2e/cli.ts';
import { runMain } from './inProcess.ts';

const BUCKET = 'reports';
const TOPIC = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:alerts`;
const FOREIGN_TOPIC = `arn:aws:sns:us-east-1:${MANAGEMENT}:management-only`;
let emu: Emulator;

beforeAll(async () => {
  const fixture = smallOrg();
  emu = await startEmulator({
    fixture: {
      ...fixture,
      buckets: [BUCKET],
      topics: [{ arn: TOPIC }, { arn: FOREIGN_TOPIC }],
      // The member may read contacts but not write reports nor publish: a caller short of the outputs' permissions.
      admin: { iamDenies: { [MEMBER]: ['s3:PutObject'], [MANAGEMENT]: ['sns:Publish'] } },
    },
    port: 0,
    quotaScale: 20,
  });
});
afterAll(async () => emu?.close());

const contactReads = () => emu.state().requestCounts.GetAlternateContact ?? 0;

async function sweep(args: string[], caller = DELEGATED_ADMIN) {
  const before = contactReads();
  const run = await runMain(['sweep', '--domain', 'example.com', ...args], emulatorEnv(emu.url, caller, 20));
  return { ...run, contactReads: contactReads() - before };
}

describe('sweep checks --out and --topic-arn before the first contact read', () => {
  it('a missing bucket: NoSuchBucket and how to create it, no account read', async () => {
    const run = await sweep(['--out', 's3://no-such-reports/audit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out s3://no-such-reports/audit: the reports could not be written: NoSuchBucket');
    expect(run.stderr).toContain('aws s3 mb s3://no-such-reports');
    expect(run.stdout).toBe('');
    expect(run.contactReads).toBe(0);
  });

  it('a prefix the caller may not write: AccessDenied and the permission to grant', async () => {
    const run = await sweep(['--out', `s3://${BUCKET}/audit`], MEMBER);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out s3://${BUCKET}/audit: the reports could not be written: AccessDenied`);
    expect(run.stderr).toContain(`s3:PutObject on s3://${BUCKET}/audit/*`);
    expect(run.contactReads).toBe(0);
  });

  it('a missing topic: NotFound and how to create it', async () => {
    const missing = `arn:aws:sns:us-east-1:${DELEGATED_ADMIN}:nope`;
    const run = await sweep(['--topic-arn', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--topic-arn ${missing}: alerts could not be published: NotFoundException`);
    expect(run.stderr).toContain('aws sns create-topic --name nope');
    expect(run.contactReads).toBe(0);
  });

  it("another account's topic: AuthorizationError and the permissions to grant", async () => {
    const run = await sweep(['--topic-arn', FOREIGN_TOPIC]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AuthorizationErrorException');
    expect(run.stderr).toContain(`sns:Publish on ${FOREIGN_TOPIC}`);
    expect(run.contactReads).toBe(0);
  });

  it('S3 down (500 on every try of the write check): exit 4, the outage named, no account read', async () => {
    emu.injectFault({ operation: 'PutObject', count: 3, kind: 'server-error' });
    const run = await sweep(['--out', `s3://${BUCKET}/down`]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`contact-audit: the run could not complete: --out s3://${BUCKET}/down: the write check before the first read failed after its retries: InternalError`);
    expect(run.stderr).toContain('No account was read');
    expect(run.contactReads).toBe(0);
  });

  it('usable outputs: the sweep runs, writes the reports, sends the alert, and leaves no probe behind', async () => {
    const run = await sweep(['--out', `s3://${BUCKET}/ok`, '--topic-arn', TOPIC, '--format', 'json']);
    expect([0, 1, 3]).toContain(run.code);
    expect(run.contactReads).toBeGreaterThan(0);
    const listed = await clients(emu, DELEGATED_ADMIN).s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ok/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
    expect(keys.some((key) => key.startsWith('ok/latest/report'))).toBe(true);
    expect(keys.some((key) => key.includes('.contact-audit-write-check'))).toBe(false);
  });
});

describe('an alert that could not be published', () => {
  it('is counted and named by its AWS error code', async () => {
    // The management account's own topic answers GetTopicAttributes, but its credentials lack sns:Publish.
    const run = await sweep(['--topic-arn', FOREIGN_TOPIC, '--format', 'json'], MANAGEMENT);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`contact-audit: error: 1 alert could not be published to ${FOREIGN_TOPIC}: AuthorizationErrorException\n`);
  });
});

/**
 * The caller's partition, as a user meets it: `contact-audit` (in process, test/cli/inProcess.ts;
 * the partition comes from STS, not from the process) against an endpoint whose STS answers GetCallerIdentity with a GovCloud or China Regions identity. GovCloud has no
 * Account Management API, so `sweep` and `event` refuse before any contact read, naming it (exit 2).
 * Past STS this stub answers nothing: the China case stops at the first Organizations call, which
 * shows the partition check let it through.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../cli/inProcess.ts';

let server: Server;
let url: string;
let partition = 'aws-us-gov';
const calls: string[] = [];

/** The service a request is for, from its SigV4 credential scope. */
const serviceOf = (req: IncomingMessage) => /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'unknown';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const service = serviceOf(req);
      calls.push(service);
      if (service === 'sts') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
            `<Arn>arn:${partition}:sts::111111111111:assumed-role/auditor/cli</Arn><UserId>AROAEXAMPLE:cli</UserId><Account>111111111111</Account>` +
            '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
        return;
      }
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' });
      res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'stub: no such service here' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 30_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const env = () => ({
  AWS_ENDPOINT_URL: url,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-gov-west-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_MAX_ATTEMPTS: '1',
});

describe('contact-audit in another partition', () => {
  it('sweep refuses in GovCloud, naming Account Management and the partition, before reading any account (exit 2)', async () => {
    partition = 'aws-us-gov';
    calls.length = 0;
    const run = await runMain(['sweep', '--domain', 'example.com'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('GetAlternateContact (AWS Account Management) is not available in the aws-us-gov partition');
    expect(run.stdout).toBe('');
    expect(calls.filter((s) => s !== 'sts')).toEqual([]);
  });

  it('event refuses in GovCloud the same way, before handling an event', async () => {
    partition = 'aws-us-gov';
    calls.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'partition-cli-'));
    const file = join(dir, 'events.json');
    writeFileSync(file, '[]');
    const run = await runMain(['event', file, '--domain', 'example.com'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not available in the aws-us-gov partition');
    expect(calls.filter((s) => s !== 'sts')).toEqual([]);
  });

  it('sweep goes on in the China Regions: past the partition check to Organizations', async () => {
    partition = 'aws-cn';
    calls.length = 0;
    const run = await runMain(['sweep', '--domain', 'example.com'], { ...env(), AWS_REGION: 'cn-northwest-1' });
    expect(run.stderr).not.toContain('partition');
    expect(calls).toContain('organizations');
  });
});

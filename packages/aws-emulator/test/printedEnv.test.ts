/**
 * The environment `contact-audit emulator` prints is enough for the real AWS CLI: pasted into a
 * shell with no ~/.aws at all, `aws` (v1 reads AWS_DEFAULT_REGION, not AWS_REGION) reaches the
 * emulator as the printed caller. Skipped, and counted as skipped, without `aws` on PATH
 * (Debian: apt-get install awscli), as scripts/conformance.sh is.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorCommand } from '../src/command.ts';

const run = promisify(execFile);

/** The `aws` executable; behind a pyenv shim, the real one (a shim costs seconds a call). */
function awsCli(): string | undefined {
  try {
    const found = execFileSync('bash', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
    if (!found.includes('/shims/')) return found || undefined;
    return execFileSync('bash', ['-c', 'pyenv which aws'], { encoding: 'utf8' }).trim() || found;
  } catch {
    return undefined;
  }
}

const AWS = awsCli();
let printed = '';
let home: string;
const stop = new AbortController();
let stopped: Promise<number>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'contact-audit-home-'));
  stopped = emulatorCommand(['--generate', '12', '--bucket', 'reports'], {
      stdout: (t) => {
        printed += t;
      },
      stderr: () => {},
    }, stop.signal);
  while (!printed.includes('Press Ctrl+C')) await new Promise((resolve) => setTimeout(resolve, 20));
});
afterAll(async () => {
  stop.abort();
  await stopped;
  if (home) await rm(home, { recursive: true, force: true });
});

/** The `export NAME=value` lines, as a shell would take them. */
const exported = () => Object.fromEntries([...printed.matchAll(/^export ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('the printed emulator environment', () => {
  it('sets the region for both SDK generations: AWS_REGION and AWS_DEFAULT_REGION', () => {
    expect(exported()).toMatchObject({ AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' });
  });

  it.skipIf(!AWS)(`is all the AWS CLI needs (${AWS ?? 'aws not on PATH: apt-get install awscli'})`, async () => {
    // Only what was printed, PATH, and a HOME with no ~/.aws: a new user's shell.
    const env = { PATH: process.env.PATH ?? '', HOME: home, ...exported() };
    const identity = JSON.parse((await run(AWS!, ['sts', 'get-caller-identity', '--output', 'json'], { env })).stdout) as { Account: string };
    expect(identity.Account).toBe(exported().AWS_ACCESS_KEY_ID);
    // Organizations is what v1 refuses without a region ("You must specify a region").
    const organization = JSON.parse((await run(AWS!, ['organizations', 'describe-organization', '--output', 'json'], { env })).stdout) as { Organization: { Id: string } };
    expect(organization.Organization.Id).toMatch(/^o-/);
    const buckets = (await run(AWS!, ['s3', 'ls'], { env })).stdout;
    expect(buckets).toContain('reports');
  });
});

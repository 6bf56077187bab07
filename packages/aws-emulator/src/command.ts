/**
 * `contact-audit emulator [--fixture FILE | --generate N [--seed S]] [--port P] [--quota-scale X]
 * [--fault-rate R] [--latency-ms MS] [--bucket NAME]... [--topic NAME|ARN]...`: starts the emulator,
 * prints how to point a shell at it and runs until SIGINT/SIGTERM. Buckets and topics must exist before
 * they are used; `--bucket`/`--topic` create them (a topic NAME belongs to the printed caller account).
 */
import { parseArgs } from 'node:util';
import { UsageError, errorText } from './errors.ts';
import { BUCKET_NAME, FixtureError, loadFixture, TOPIC_ARN, type Fixture } from './fixture.ts';
import { generateOrganization } from './generate.ts';
import { startEmulator } from './server.ts';
import { loadAlibabaFixture, type AlibabaFixture } from './alibaba/fixture.ts';
import { generateAlibabaDirectory } from './alibaba/generate.ts';

export interface EmulatorCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE =
  'usage: contact-audit emulator [--fixture FILE | --generate N [--seed S]] [--port P] [--quota-scale X] [--fault-rate R] [--latency-ms MS]\n' +
  '                              [--bucket NAME]... [--topic NAME|ARN]...\n' +
  '                              [--alibaba-fixture FILE | --alibaba-generate N]   (an Alibaba Cloud Resource Directory too)\n';

/** The options of `contact-audit emulator` (node:util parseArgs). */
export const EMULATOR_OPTIONS = {
  fixture: { type: 'string' },
  generate: { type: 'string' },
  seed: { type: 'string' },
  port: { type: 'string' },
  'quota-scale': { type: 'string' },
  'fault-rate': { type: 'string' },
  'latency-ms': { type: 'string' },
  bucket: { type: 'string', multiple: true },
  topic: { type: 'string', multiple: true },
  'alibaba-fixture': { type: 'string' },
  'alibaba-generate': { type: 'string' },
} as const;

const defaultIo: EmulatorCommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

function number(flag: string, raw: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${flag}: expected ${expected}, got "${raw}"`);
  return n;
}

/**
 * Runs the emulator subcommand; resolves with the exit code (2 on a usage error) once stopped.
 * `stop` lets a caller (a test) end it without a signal.
 */
export async function emulatorCommand(argv: string[], io: EmulatorCommandIo = defaultIo, stop?: AbortSignal): Promise<number> {
  let fixture: Fixture;
  let port: number;
  let quotaScale: number;
  let faultRate: number;
  let latencyMs: number;
  let alibaba: AlibabaFixture | undefined;
  try {
    let values: Record<string, string | string[] | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: EMULATOR_OPTIONS,
      }));
    } catch (e) {
      throw new UsageError(errorText(e), { cause: e });
    }
    const str = (k: string) => values[k] as string | undefined;
    if (str('fixture') !== undefined && str('generate') !== undefined) throw new UsageError('--fixture and --generate cannot be used together');
    if (str('seed') !== undefined && str('generate') === undefined && str('alibaba-generate') === undefined) throw new UsageError('--seed: only meaningful with --generate');
    if (str('alibaba-fixture') !== undefined && str('alibaba-generate') !== undefined) throw new UsageError('--alibaba-fixture and --alibaba-generate cannot be used together');
    const generate = number('generate', str('generate'), (n) => Number.isInteger(n) && n >= 2 && n <= 100_000, 'a whole number of accounts from 2 to 100000');
    const seed = number('seed', str('seed'), Number.isInteger, 'an integer') ?? 1;
    port = number('port', str('port'), (n) => Number.isInteger(n) && n >= 0 && n <= 65_535, 'a port number from 0 to 65535') ?? 0;
    quotaScale = number('quota-scale', str('quota-scale'), (n) => n > 0, 'a positive number') ?? 1;
    faultRate = number('fault-rate', str('fault-rate'), (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1') ?? 0;
    latencyMs = number('latency-ms', str('latency-ms'), (n) => n >= 0, 'a non-negative number of milliseconds') ?? 0;
    const file = str('fixture');
    if (file !== undefined) {
      try {
        fixture = await loadFixture(file);
      } catch (e) {
        if (e instanceof FixtureError) throw new UsageError(`--fixture: ${e.message}`);
        throw e;
      }
    } else {
      fixture = generateOrganization({ accounts: generate ?? 40, seed });
    }
    const alibabaMembers = number('alibaba-generate', str('alibaba-generate'), (n) => Number.isInteger(n) && n >= 2 && n <= 100_000, 'a whole number of members from 2 to 100000');
    const alibabaFile = str('alibaba-fixture');
    try {
      if (alibabaFile !== undefined) alibaba = await loadAlibabaFixture(alibabaFile);
      else if (alibabaMembers !== undefined) alibaba = generateAlibabaDirectory({ members: alibabaMembers, seed });
    } catch (e) {
      if (e instanceof FixtureError) throw new UsageError(`--alibaba-fixture: ${e.message}`);
      throw e;
    }
    const caller = fixture.organization.delegatedAdminAccountId ?? fixture.organization.managementAccountId;
    const buckets = (values.bucket as string[] | undefined) ?? [];
    for (const b of buckets) if (!BUCKET_NAME.test(b)) throw new UsageError(`--bucket: "${b}" is not a valid bucket name (3-63 of a-z 0-9 . -)`);
    const topics = ((values.topic as string[] | undefined) ?? []).map((t) => (t.startsWith('arn:') ? t : `arn:aws:sns:us-east-1:${caller}:${t}`));
    for (const t of topics) if (!TOPIC_ARN.test(t)) throw new UsageError(`--topic: "${t}" is not a topic name or an SNS topic ARN`);
    fixture = {
      ...fixture,
      buckets: [...new Set([...(fixture.buckets ?? []), ...buckets])],
      topics: [...(fixture.topics ?? []), ...topics.map((arn) => ({ arn }))],
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`contact-audit emulator: ${e.message}\n${USAGE}`);
    return 2;
  }

  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({ fixture, port, quotaScale, faultRate, latencyMs, ...(alibaba ? { alibaba } : {}) });
  } catch (e) {
    io.stderr(`contact-audit emulator: cannot listen on port ${port}: ${errorText(e)}\n`);
    return 2;
  }
  const org = fixture.organization;
  const caller = org.delegatedAdminAccountId ?? org.managementAccountId;
  io.stdout(
    [
      `AWS emulator listening on ${emulator.url} (organization ${org.id}, ${fixture.accounts.length} accounts)`,
      `management account ${org.managementAccountId}${org.delegatedAdminAccountId ? `, delegated admin ${org.delegatedAdminAccountId}` : ''}`,
      `state: ${emulator.url}/_emulator/state`,
      `buckets: ${fixture.buckets?.join(', ') || 'none (create one with --bucket NAME or aws s3 mb s3://NAME)'}`,
      `topics: ${fixture.topics?.map((t) => t.arn).join(', ') || 'none (create one with --topic NAME or aws sns create-topic --name NAME)'}`,
      '',
      '# paste into a shell to use it (any 12-digit key acts as that account; any other key is the management account):',
      `export AWS_ENDPOINT_URL=${emulator.url}`,
      `export AWS_ACCESS_KEY_ID=${caller}`,
      'export AWS_SECRET_ACCESS_KEY=emulator',
      'export AWS_REGION=us-east-1',
      // The AWS CLI v1 (botocore) reads AWS_DEFAULT_REGION, not AWS_REGION.
      'export AWS_DEFAULT_REGION=us-east-1',
      ...(alibaba
        ? [
            '',
            `# Alibaba Cloud Resource Directory ${alibaba.resourceDirectory.id} (${alibaba.accounts.length} members); any AccessKey secret is accepted:`,
            `export ALIBABA_CLOUD_ENDPOINT=${emulator.url}`,
            `export ALIBABA_CLOUD_ACCESS_KEY_ID=${alibaba.resourceDirectory.masterAccountId}`,
            'export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator',
          ]
        : []),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (stop?.aborted) done();
    else stop?.addEventListener('abort', done);
  });
  await emulator.close();
  io.stderr('emulator stopped\n');
  return 0;
}

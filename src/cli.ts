import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, configFromEnv, type EnvConfig } from './config.ts';
import { exitCodeFor, parseDestination, runSweepJob, type ReportDestination } from './audit/job.ts';
import { AccountSelectionError, SetupError } from './audit/sweep.ts';
import { NoCredentialsError } from './audit/credentials.ts';
import { InterruptGuard, type SignalHost } from './audit/signals.ts';
import { PolicyError, loadPolicyFile, parsePolicyText, policyFromDomains } from './policy/load.ts';
import type { Policy } from './policy/types.ts';
import { REPORT_FORMATS, renderReport } from './report/render/index.ts';
import { oneLine } from './report/text.ts';
import { awsErrorCode, awsErrorMessage } from './aws/errors.ts';

/** Where the CLI writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** A progress bar only when stderr is a terminal. */
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Where SIGINT/SIGTERM come from during a sweep; none in tests that do not ask for it. */
  signals?: SignalHost;
}

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  signals: {
    on: (signal, listener) => process.on(signal, listener),
    off: (signal, listener) => process.off(signal, listener),
    exit: (code) => process.exit(code),
  },
});

/** A usage or configuration error: exit 2, nothing written. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { OK: 0, NON_COMPLIANT: 1, USAGE: 2, UNKNOWN: 3, FAILED: 4 } as const;

const HELP = `contact-audit — audits the alternate contacts of every account of an AWS Organization

Usage:
  contact-audit sweep  [--config FILE] [--domain D]... [--format table|json|csv|markdown|html|asff|ocsf|junit]
                       [--out DIR | --out s3://BUCKET/PREFIX] [--topic-arn ARN] [--accounts ID,...]
                       [--rate N] [--concurrency N] [--cloud aws|alibaba]
  contact-audit event  FILE|- [--config FILE] [--domain D]... [--topic-arn ARN] [--out DIR|s3://...]
  contact-audit test-alert --topic-arn ARN
  contact-audit doctor [--pipeline-role ARN] [--format text|json]
                       # checks trusted access, delegated admin, permissions, the SCP lock, an org trail
  contact-audit emulator [--fixture FILE | --generate N [--seed S]] [--port P]
                       [--quota-scale X] [--fault-rate R] [--latency-ms MS]
                       [--alibaba-fixture FILE | --alibaba-generate N]
  contact-audit demo   [--out DIR]
  contact-audit --help | --version

Exit codes: 0 every account COMPLIANT, EXEMPT or SKIPPED; 1 at least one NON_COMPLIANT;
2 usage or configuration error; 3 no NON_COMPLIANT but at least one UNKNOWN;
4 the run could not complete (AWS unreachable, report not written, alerts not delivered).
130/143 sweep stopped by SIGINT/SIGTERM (after any switch of latest/ under way).

AWS credentials and region come from the standard AWS chain; endpoints from AWS_ENDPOINT_URL.
--cloud alibaba audits an Alibaba Cloud Resource Directory instead (docs/alibaba.md): credentials from
ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, endpoint from ALIBABA_CLOUD_ENDPOINT.
Alerts go to --topic-arn or CONTACT_AUDIT_TOPIC_ARN.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Reads the policy from --config and/or --domain; --domain replaces the file's company domains. */
export async function resolvePolicy(config: string | undefined, domains: string[] | undefined, env: EnvConfig): Promise<Policy> {
  if (config) {
    const policy = await loadPolicyFile(config);
    return domains && domains.length > 0 ? { ...policy, companyDomains: policyFromDomains(domains).companyDomains } : policy;
  }
  if (domains && domains.length > 0) return policyFromDomains(domains);
  if (env.policyText) return parsePolicyText(env.policyText, 'CONTACT_AUDIT_POLICY');
  throw new UsageError('a policy is needed: --config FILE or --domain DOMAIN');
}

const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** `--topic-arn` (or CONTACT_AUDIT_TOPIC_ARN): a well-formed SNS topic ARN, or none. */
export function topicArnOption(topicArn: string | undefined): string | undefined {
  if (topicArn !== undefined && !TOPIC_ARN.test(topicArn)) {
    throw new UsageError(`--topic-arn: "${oneLine(topicArn).slice(0, 300)}" is not an SNS topic ARN`);
  }
  return topicArn;
}

/** `--out DIR | s3://BUCKET/PREFIX`, or none. */
export function outOption(out: string | undefined): ReportDestination | undefined {
  try {
    return out !== undefined ? parseDestination(out) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function progressBar(io: CliIo): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === last && done !== total) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} accounts`);
    if (done === total) io.stderr('\n');
  };
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name}: expected a number above 0, got "${raw}"`);
  return value;
}

function parseAccountIds(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = raw.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (ids.length === 0 || bad.length > 0) throw new UsageError(`--accounts: expected 12-digit account IDs separated by commas, got "${raw}"`);
  return ids;
}

async function sweepCommand(args: string[], io: CliIo): Promise<number> {
  // SIGINT/SIGTERM: exit 130/143 at once, but never half way through switching latest/ (signals.ts).
  const guard = io.signals ? new InterruptGuard(io.signals, (message) => io.stderr(`contact-audit: ${message}\n`)).install() : undefined;
  try {
    return await sweepRun(args, io, guard);
  } finally {
    guard?.uninstall();
  }
}

async function sweepRun(args: string[], io: CliIo, guard: InterruptGuard | undefined): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      domain: { type: 'string', multiple: true },
      format: { type: 'string', default: 'table' },
      out: { type: 'string' },
      'topic-arn': { type: 'string' },
      accounts: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      cloud: { type: 'string', default: 'aws' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`sweep: unexpected argument "${positionals[0]}"`);
  if (values.cloud !== 'aws' && values.cloud !== 'alibaba') throw new UsageError(`--cloud: expected aws or alibaba, got "${values.cloud}"`);
  const alibaba = values.cloud === 'alibaba';
  const format = values.format;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${format}"`);
  }
  const env = configFromEnv(io.env);
  const policy = await resolvePolicy(values.config, values.domain, env);
  const out = outOption(values.out);
  const topicArn = topicArnOption(values['topic-arn'] ?? env.topicArn);
  // Alibaba member IDs are not 12 digits: that sweep checks --accounts itself.
  const accountIds = alibaba ? undefined : parseAccountIds(values.accounts);
  const onProgress = progressBar(io);
  const outcome = alibaba
    ? await (await import('./audit/alibabaSweep.ts')).runAlibabaSweepJob({
        policy,
        settings: env.alibaba,
        awsClientSettings: env.clients,
        ratePerSecond: positive('--rate', values.rate, env.getRatePerSecond),
        concurrency: Math.floor(positive('--concurrency', values.concurrency, env.concurrency)),
        ...(values.accounts !== undefined ? { accounts: values.accounts } : {}),
        ...(out ? { out } : {}),
        ...(topicArn ? { topicArn } : {}),
        ...(onProgress ? { onProgress } : {}),
      })
    : await runSweepJob({
    policy,
    clientSettings: env.clients,
    getRatePerSecond: positive('--rate', values.rate, env.getRatePerSecond),
    concurrency: Math.floor(positive('--concurrency', values.concurrency, env.concurrency)),
    ...(accountIds ? { accountIds } : {}),
    ...(out ? { out } : {}),
    ...(topicArn ? { topicArn } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(guard ? { critical: <T>(work: () => Promise<T>) => guard.critical(work) } : {}),
  });
  io.stdout(
    renderReport(outcome.report, format as (typeof REPORT_FORMATS)[number], {
      color: io.stdoutIsTTY && format === 'table',
      // ASFF product ARN region: the Security Hub region the caller would import into.
      ...(env.clients.region ? { region: env.clients.region } : {}),
      productVersion: version(),
    }),
  );
  const { summary } = outcome.report;
  io.stderr(
    `${summary.accounts} accounts: ${summary.compliant} compliant, ${summary.nonCompliant} non-compliant, ` +
      `${summary.unknown} unknown, ${summary.exempt} exempt, ${summary.skipped} skipped ` +
      `(${outcome.stats.calls} ${alibaba ? 'Resource Directory' : 'GetAlternateContact'} calls, ${outcome.stats.retries} retried, ${outcome.stats.throttled} throttled)\n`,
  );
  if (outcome.finalizeError !== undefined) {
    const error = outcome.finalizeError;
    io.stderr(`contact-audit: the run could not complete: the reports could not be written to ${values.out}: ${awsErrorCode(error)}: ${oneLine(awsErrorMessage(error))}\n`);
    return EXIT.FAILED;
  }
  if (outcome.finalized && out) io.stderr(`Report: ${outcome.finalized.htmlLocation}\n`);
  if (outcome.finalized && outcome.finalized.alertsFailed > 0) {
    io.stderr(`error: ${outcome.finalized.alertsFailed} alert(s) could not be published to ${topicArn}\n`);
    return EXIT.FAILED;
  }
  return exitCodeFor(summary);
}

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  sweep: async () => sweepCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  emulator: async () => (await import('./emulator/command.ts')).emulatorCommand as Command,
  event: async () => (await import('./audit/eventCommand.ts')).eventCommand,
  'test-alert': async () => (await import('./audit/eventCommand.ts')).testAlertCommand,
  doctor: async () => (await import('./audit/doctorCommand.ts')).doctorCommand,
};

/** Runs the command line and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`contact-audit: unknown command "${name}"\n\n${HELP}`);
    return EXIT.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(HELP);
    return EXIT.OK;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || error instanceof PolicyError || error instanceof ConfigError || error instanceof AccountSelectionError) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof NoCredentialsError || (error instanceof Error && error.name === 'DoctorUsageError')) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof SetupError) {
    io.stderr(`contact-audit: cannot sweep the organization: ${error.message}\n`);
    return EXIT.USAGE;
  }
  // node:util parseArgs: unknown option, missing value.
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`contact-audit: ${error.message}\n`);
    return EXIT.USAGE;
  }
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`contact-audit: the run could not complete: ${name}: ${message}\n`);
  return EXIT.FAILED;
}

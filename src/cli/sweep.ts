/** `contact-audit sweep`: one sweep of the organization (AWS or an Alibaba Cloud Resource Directory). */
import { parseArgs } from 'node:util';
import { configFromEnv } from '../config.ts';
import { ReportsNotKeptError, exitCodeFor, runSweepJob, type SweepJobOutcome } from '../audit/job.ts';
import { InterruptGuard } from '../audit/signals.ts';
import { REPORT_FORMATS, renderReport } from '../report/render/index.ts';
import { oneLine } from '../text.ts';
import { awsErrorCode, awsErrorMessage } from '../aws/errors.ts';
import { READ_QUOTAS } from '../aws/pacer.ts';
import { summaryLine } from '../report/render/common.ts';
import {
  AWS_CLI_OPTIONS,
  EXIT,
  POLICY_AND_OUTPUT_OPTIONS,
  UsageError,
  awsClientSettings,
  colorWanted,
  outOption,
  parseAccountIds,
  positive,
  resolvePolicy,
  topicArnOption,
  version,
  type CliIo,
} from './options.ts';
import { Progress } from './progress.ts';

/** `contact-audit sweep [--config FILE] [--domain D]... [--format F] [--out DIR|s3://…] …` */
export async function sweepCommand(args: string[], io: CliIo): Promise<number> {
  // SIGINT/SIGTERM: exit 130/143 at once, but never half way through switching latest/ (signals.ts).
  const guard = io.signals ? new InterruptGuard(io.signals, (message) => io.stderr(`contact-audit: ${message}\n`)).install() : undefined;
  try {
    return await sweepRun(args, io, guard);
  } finally {
    guard?.uninstall();
  }
}

/** The options of `sweep` (node:util parseArgs). */
export const SWEEP_OPTIONS = {
  ...POLICY_AND_OUTPUT_OPTIONS,
  format: { type: 'string', default: 'table' },
  accounts: { type: 'string' },
  rate: { type: 'string' },
  concurrency: { type: 'string' },
  cloud: { type: 'string', default: 'aws' },
  'progress-every': { type: 'string' },
  ...AWS_CLI_OPTIONS,
} as const;

/** Without a terminal, a progress line this often by default: a CI log shows the sweep alive, without filling up. */
const PROGRESS_EVERY_SECONDS = 10;

/**
 * The GetAlternateContact rate to pace at: `--rate` (or CONTACT_AUDIT_GET_RATE), held to the quota,
 * 10 per second per calling account (reference guide, "Quotas for AWS Account Management"), times
 * CONTACT_AUDIT_QUOTA_SCALE. Above it AWS throttles and accounts end UNKNOWN, so a higher rate is
 * capped, with a warning that names the quota.
 */
function getRate(raw: string | undefined, env: { getRatePerSecond: number; quotaScale: number }, warn: (text: string) => void): number {
  const asked = positive('--rate', raw, env.getRatePerSecond);
  const quota = READ_QUOTAS.GetAlternateContact.ratePerSecond * env.quotaScale;
  if (asked <= quota) return asked;
  warn(
    `warning: ${raw !== undefined ? `--rate ${raw}` : `CONTACT_AUDIT_GET_RATE ${env.getRatePerSecond / env.quotaScale}`} is above the GetAlternateContact quota ` +
      `of ${quota} calls per second per calling account (AWS Account Management quotas${env.quotaScale !== 1 ? `, times CONTACT_AUDIT_QUOTA_SCALE ${env.quotaScale}` : ''}); pacing at ${quota}/s\n`,
  );
  return quota;
}

/** "1 GetAlternateContact call, 0 retried, 0 throttled". */
function callsLine(stats: { calls: number; retries: number; throttled: number }, what: string): string {
  return `${stats.calls} ${what} call${stats.calls === 1 ? '' : 's'}, ${stats.retries} retried, ${stats.throttled} throttled`;
}

async function sweepRun(args: string[], io: CliIo, guard: InterruptGuard | undefined): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: SWEEP_OPTIONS,
  });
  if (positionals.length > 0) throw new UsageError(`sweep: unexpected argument "${positionals[0]}"`);
  if (values.cloud !== 'aws' && values.cloud !== 'alibaba') throw new UsageError(`--cloud: expected aws or alibaba, got "${values.cloud}"`);
  const alibaba = values.cloud === 'alibaba';
  const format = values.format;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${format}"`);
  }
  const env = configFromEnv(io.env);
  const quiet = values.quiet === true;
  const note = (text: string) => {
    if (!quiet) io.stderr(text);
  };
  const policy = await resolvePolicy(values.config, values.domain, env);
  const out = outOption(values.out);
  const topicArn = topicArnOption(values['topic-arn'] ?? env.topicArn);
  // Alibaba member IDs are not 12 digits: that sweep checks --accounts itself.
  const accountIds = alibaba ? undefined : parseAccountIds(values.accounts);
  const concurrency = Math.floor(positive('--concurrency', values.concurrency, env.concurrency));
  const progressEvery = positive('--progress-every', values['progress-every'], PROGRESS_EVERY_SECONDS);
  const clientSettings = await awsClientSettings(values, env);
  const progress = quiet ? undefined : new Progress({ write: io.stderr, terminal: io.stderrIsTTY, everySeconds: progressEvery, now: () => performance.now() });
  const timer = progress && !io.stderrIsTTY ? setInterval(() => progress.tick(), 1000) : undefined;
  timer?.unref();
  const onProgress = progress?.update;
  let run: Awaited<ReturnType<typeof keepingReport>>;
  try {
    run = await keepingReport(alibaba
      ? (await import('../audit/alibabaSweep.ts')).runAlibabaSweepJob({
          policy,
          settings: env.alibaba,
          awsClientSettings: clientSettings,
          ratePerSecond: positive('--rate', values.rate, env.getRatePerSecond),
          concurrency,
          ...(values.accounts !== undefined ? { accounts: values.accounts } : {}),
          ...(out ? { out } : {}),
          ...(topicArn ? { topicArn } : {}),
          ...(onProgress ? { onProgress } : {}),
        })
      : runSweepJob({
          policy,
          clientSettings,
          getRatePerSecond: getRate(values.rate, env, note),
          concurrency,
          ...(accountIds ? { accountIds } : {}),
          ...(out ? { out } : {}),
          ...(topicArn ? { topicArn } : {}),
          ...(onProgress ? { onProgress } : {}),
          ...(guard ? { critical: <T>(work: () => Promise<T>) => guard.critical(work) } : {}),
        }));
  } finally {
    if (timer) clearInterval(timer);
    progress?.finish();
  }
  const { outcome, notKept } = run;
  io.stdout(
    renderReport(outcome.report, format as (typeof REPORT_FORMATS)[number], {
      color: format === 'table' && colorWanted(io, values['no-color']),
      // ASFF product ARN region: the Security Hub region the caller would import into.
      ...(clientSettings.region ? { region: clientSettings.region } : {}),
      productVersion: version(),
    }),
  );
  const { summary } = outcome.report;
  // The table ends with the summary already: stderr adds only what the report does not say.
  const calls = callsLine(outcome.stats, alibaba ? 'Resource Directory' : 'GetAlternateContact');
  note(format === 'table' ? `(${calls})\n` : `${summaryLine(outcome.report)} (${calls})\n`);
  if (notKept) {
    const error = notKept.cause;
    io.stderr(`contact-audit: the run could not complete: the reports could not be written to ${values.out}: ${awsErrorCode(error)}: ${oneLine(awsErrorMessage(error))}\n`);
    return EXIT.FAILED;
  }
  if (outcome.finalized && out) note(`Report: ${outcome.finalized.htmlLocation}\n`);
  if (outcome.finalized && outcome.finalized.alertsFailed > 0) {
    const { alertsFailed, alertErrors } = outcome.finalized;
    const why = Object.entries(alertErrors).map(([code, count]) => `${code}${count === alertsFailed ? '' : ` (${count})`}`).join(', ');
    io.stderr(`contact-audit: error: ${alertsFailed} alert${alertsFailed === 1 ? '' : 's'} could not be published to ${topicArn}: ${why}\n`);
    return EXIT.FAILED;
  }
  return exitCodeFor(summary);
}

/** The sweep's outcome; when only the keeping of the reports failed, its report too, and why (the report is still shown). */
async function keepingReport(run: Promise<SweepJobOutcome>): Promise<{ outcome: SweepJobOutcome; notKept?: ReportsNotKeptError }> {
  try {
    return { outcome: await run };
  } catch (error) {
    if (!(error instanceof ReportsNotKeptError)) throw error;
    return { outcome: error.outcome, notKept: error };
  }
}

/** `contact-audit sweep`: one sweep of the organization (AWS or an Alibaba Cloud Resource Directory). */
import { parseArgs } from 'node:util';
import { alibabaSettingsFromEnv, configFromEnv, type EnvConfig } from '../config.ts';
import { ReportsNotKeptError, awsProviderSource, exitCodeFor, runSweepJob, type ProviderSource, type SweepJobOutcome } from '../audit/job.ts';
import { InterruptGuard } from './signals.ts';
import { changesSince } from '../alerts/diff.ts';
import { FILTERABLE_FORMATS, REPORT_FORMATS, renderReport } from '../report/render/index.ts';
import { parseFilter, type AccountFilter } from '../report/view.ts';
import { errorText } from '../errors.ts';
import { oneLine } from '../textHygiene.ts';
import { awsErrorCode, awsErrorMessage } from '../providers/aws/awsErrors.ts';
import { quotaOf } from '../providers/aws/quotas.ts';
import { evidenceSummaryText, summaryLine } from '../report/render/common.ts';
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
  toOption,
  topicArnOption,
  version,
  type CliIo,
} from './options.ts';
import { Progress } from './progress.ts';
import type { Report } from '../model.ts';
import type { ClientSettings } from '../providers/aws/clients.ts';

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
  to: { type: 'string' },
  // Which accounts the table, CSV and Markdown on stdout list (src/report/view.ts); kept reports stay whole.
  failing: { type: 'boolean' },
  status: { type: 'string' },
  code: { type: 'string' },
  ou: { type: 'string' },
  'progress-every': { type: 'string' },
  // docs/continuous.md: the evidence kept beside the reports of --out.
  incremental: { type: 'boolean' },
  'from-evidence': { type: 'boolean' },
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
  const quota = quotaOf('aws', 'GetAlternateContact').ratePerSecond * env.quotaScale;
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

type SweepValues = ReturnType<typeof parseSweepArgs>;

function parseSweepArgs(args: string[]) {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: SWEEP_OPTIONS });
  if (positionals.length > 0) throw new UsageError(`sweep: unexpected argument "${positionals[0]}"`);
  if (values.cloud !== 'aws' && values.cloud !== 'alibaba') throw new UsageError(`--cloud: expected aws or alibaba, got "${values.cloud}"`);
  if (toOption(values.to) === 'securityhub' && values.cloud === 'alibaba') {
    throw new UsageError('--to securityhub: Security Hub takes AWS findings; not with --cloud alibaba');
  }
  if (!(REPORT_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${values.format}"`);
  }
  evidenceOption(values);
  return values;
}

/**
 * `--incremental` or `--from-evidence` (docs/continuous.md): the evidence lives beside the reports of
 * `--out`, is AWS's, and judges the whole organization, so neither goes with `--accounts`.
 * @throws UsageError for a combination that cannot work.
 */
function evidenceOption(values: { incremental?: boolean; 'from-evidence'?: boolean; out?: string; cloud: string; accounts?: string }): 'incremental' | 'from-evidence' | undefined {
  const mode = values.incremental ? 'incremental' : values['from-evidence'] ? 'from-evidence' : undefined;
  if (!mode) return undefined;
  if (values.incremental && values['from-evidence']) throw new UsageError('--incremental and --from-evidence: choose one');
  if (values.out === undefined) throw new UsageError(`--${mode} needs --out DIR|s3://…: the evidence is kept beside the reports`);
  if (values.cloud !== 'aws') throw new UsageError(`--${mode}: only for --cloud aws (docs/continuous.md)`);
  if (values.accounts !== undefined) throw new UsageError(`--${mode} judges the whole organization; not with --accounts`);
  return mode;
}

/** The cloud to sweep (`--cloud`) and the members `--accounts` names, in that cloud's IDs. */
async function cloudOption(values: SweepValues, io: CliIo, env: EnvConfig, note: (text: string) => void): Promise<{ provider: ProviderSource; accountIds?: string[] }> {
  if (values.cloud !== 'alibaba') {
    const accountIds = parseAccountIds(values.accounts);
    return { provider: awsProviderSource(getRate(values.rate, env, note)), ...(accountIds ? { accountIds } : {}) };
  }
  // Loaded only for --cloud alibaba: an AWS sweep never loads the Alibaba SDK.
  const alibaba = await import('../providers/alibaba/alibabaProvider.ts');
  // Alibaba member IDs are not 12 digits.
  const accountIds = values.accounts !== undefined ? alibaba.parseMemberIds(values.accounts) : undefined;
  const provider = alibaba.alibabaProviderSource(alibabaSettingsFromEnv(io.env), { ratePerSecond: positive('--rate', values.rate, env.getRatePerSecond) });
  return { provider, ...(accountIds ? { accountIds } : {}) };
}

/** Runs `work` with the progress line on stderr (unless `--quiet`), ticking without a terminal. */
async function withProgress<T>(values: SweepValues, io: CliIo, work: (onProgress?: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  const everySeconds = positive('--progress-every', values['progress-every'], PROGRESS_EVERY_SECONDS);
  const progress = values.quiet === true ? undefined : new Progress({ write: io.stderr, terminal: io.stderrIsTTY, everySeconds, now: () => performance.now() });
  const timer = progress && !io.stderrIsTTY ? setInterval(() => progress.tick(), 1000) : undefined;
  timer?.unref();
  try {
    return await work(progress?.update);
  } finally {
    if (timer) clearInterval(timer);
    progress?.finish();
  }
}

async function sweepRun(args: string[], io: CliIo, guard: InterruptGuard | undefined): Promise<number> {
  const values = parseSweepArgs(args);
  const filter = filterOption(values, values.format);
  const env = configFromEnv(io.env);
  const note = (text: string) => {
    if (values.quiet !== true) io.stderr(text);
  };
  const policy = await resolvePolicy(values.config, values.domain, env);
  const out = outOption(values.out);
  const topicArn = topicArnOption(values['topic-arn'] ?? env.topicArn);
  const { provider, accountIds } = await cloudOption(values, io, env, note);
  const concurrency = Math.floor(positive('--concurrency', values.concurrency, env.concurrency));
  const clientSettings = await awsClientSettings(values, env);
  const evidence = evidenceOption(values);
  const run = await withProgress(values, io, (onProgress) =>
    keepingReport(runSweepJob({
      policy,
      ...(evidence ? { evidence } : {}),
      provider,
      clientSettings,
      concurrency,
      ...(accountIds ? { accountIds } : {}),
      ...(out ? { out } : {}),
      ...(topicArn ? { topicArn } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(guard ? { critical: <T>(work: () => Promise<T>) => guard.critical(work) } : {}),
    })),
  );
  return finishSweep(run, { values, io, note, clientSettings, ...(filter ? { filter } : {}), ...(topicArn ? { topicArn } : {}) });
}

/** The report on stdout, the calls and where the report went on stderr, and the exit code (SPEC §6). */
async function finishSweep(
  run: { outcome: SweepJobOutcome; notKept?: ReportsNotKeptError },
  context: { values: SweepValues; io: CliIo; note: (text: string) => void; clientSettings: ClientSettings; filter?: AccountFilter; topicArn?: string },
): Promise<number> {
  const { outcome, notKept } = run;
  const { values, io, note, clientSettings, filter, topicArn } = context;
  const format = values.format as (typeof REPORT_FORMATS)[number];
  const changes = outcome.finalized ? changesSince(outcome.finalized.previous, outcome.report) : undefined;
  io.stdout(
    renderReport(outcome.report, format, {
      color: format === 'table' && colorWanted(io, values['no-color']),
      // ASFF product ARN region: the Security Hub region the caller would import into.
      ...(clientSettings.region ? { region: clientSettings.region } : {}),
      productVersion: version(),
      ...(filter ? { filter } : {}),
      // The same diff as the sweep's alerts, against the baseline the run read (none without --out, or on a first run).
      ...(changes ? { changes } : {}),
    }),
  );
  // The table ends with the summary already: stderr adds only what the report does not say.
  const calls = callsLine(outcome.stats, values.cloud === 'alibaba' ? 'Resource Directory' : 'GetAlternateContact');
  note(format === 'table' ? `(${calls})\n` : `${summaryLine(outcome.report)} (${calls})\n`);
  if (outcome.report.evidence) note(`Evidence: ${evidenceSummaryText(outcome.report.evidence)}\n`);
  const imported = toOption(values.to) === 'securityhub' ? await importToSecurityHub(outcome.report, clientSettings, io) : true;
  if (notKept) {
    const error = notKept.cause;
    io.stderr(`contact-audit: the run could not complete: the reports could not be written to ${values.out}: ${awsErrorCode(error)}: ${oneLine(awsErrorMessage(error))}\n`);
    return EXIT.FAILED;
  }
  if (outcome.finalized && values.out !== undefined) note(`Report: ${outcome.finalized.htmlLocation}\n`);
  if (!newAccountsNoted(outcome.newAccounts, io, note)) return EXIT.FAILED;
  if (outcome.finalized && outcome.finalized.alertsFailed > 0) {
    const { alertsFailed, alertErrors } = outcome.finalized;
    const why = Object.entries(alertErrors).map(([code, count]) => `${code}${count === alertsFailed ? '' : ` (${count})`}`).join(', ');
    io.stderr(`contact-audit: error: ${alertsFailed} alert${alertsFailed === 1 ? '' : 's'} could not be published to ${topicArn}: ${why}\n`);
    return EXIT.FAILED;
  }
  if (!imported) return EXIT.FAILED;
  return exitCodeFor(outcome.report.summary);
}

/**
 * The accounts the sweep saw first, recorded for their check (README, "New accounts"); false when
 * they could not be recorded: the next sweep will not see them as new, so the run fails (exit 4).
 */
function newAccountsNoted(kept: SweepJobOutcome['newAccounts'], io: CliIo, note: (text: string) => void): boolean {
  if (!kept) return true;
  if ('error' in kept) {
    io.stderr(`contact-audit: error: the accounts first seen by this sweep could not be recorded for their new-account check: ${awsErrorCode(kept.error)}: ${oneLine(awsErrorMessage(kept.error))}\n`);
    return false;
  }
  const n = kept.recorded.length;
  if (n > 0) {
    const ids = kept.recorded.map((a) => a.accountId).join(', ');
    note(`New account${n === 1 ? '' : 's'} first seen: ${ids}; checked once due (${kept.recorded[0]!.dueAt}${n === 1 ? '' : ' for the first'}) by contact-audit event --due, recorded in ${kept.location}\n`);
  }
  return true;
}

/**
 * `--to securityhub`: the report's ASFF findings imported with BatchImportFindings as the caller,
 * into the Region of the AWS settings. False (exit 4) when a request failed or Security Hub refused
 * a finding; each refused finding is named on stderr.
 */
async function importToSecurityHub(report: Report, clients: ClientSettings, io: CliIo): Promise<boolean> {
  // Loaded only with --to: the Security Hub client is not part of every sweep.
  const [{ asffBatches, asffFindings }, { securityHubImporter }] = await Promise.all([import('../report/render/asff.ts'), import('../providers/aws/securityHub.ts')]);
  const findings = asffFindings(report, clients.region ? { region: clients.region } : {});
  try {
    const result = await securityHubImporter(clients).importBatches(asffBatches(findings));
    io.stderr(`Security Hub: ${result.imported} of ${findings.length} findings imported in ${result.requests} BatchImportFindings request(s), ${result.failed.length} refused\n`);
    for (const f of result.failed) io.stderr(`  refused ${f.Id}: ${f.ErrorCode}: ${oneLine(f.ErrorMessage)}\n`);
    return result.failed.length === 0;
  } catch (error) {
    io.stderr(`contact-audit: Security Hub import failed: ${awsErrorCode(error)}: ${oneLine(awsErrorMessage(error))}\n`);
    return false;
  }
}

/**
 * `--failing`, `--status`, `--code`, `--ou`: which accounts the report on stdout lists.
 * @throws UsageError for a value that is no status or finding code, or with a format that always carries every account.
 */
function filterOption(values: { failing?: boolean; status?: string; code?: string; ou?: string }, format: string): AccountFilter | undefined {
  let filter: AccountFilter | undefined;
  try {
    filter = parseFilter(values);
  } catch (error) {
    throw new UsageError(errorText(error), { cause: error });
  }
  if (filter && !(FILTERABLE_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `--failing, --status, --code and --ou narrow the ${FILTERABLE_FORMATS.join(', ')} formats only; --format ${format} always carries every account (the HTML page has its own filters)`,
    );
  }
  return filter;
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

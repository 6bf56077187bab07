/**
 * `contact-audit remediate`: desired-state contacts, with a plan (README "Remediation").
 *
 *   remediate --plan FILE [--config FILE | --domain D] [--accounts ID,…]
 *       reads the organization (read-only, as `sweep` does) and writes FILE: for every
 *       non-compliant account, each contact whose values differ from the policy's `expect`, with
 *       the value read and the value to write. Nothing is written to AWS.
 *   remediate --apply FILE [--confirm] [--max-age-hours N] [--out REPORT]
 *       checks the plan (its age, and that every planned contact still holds what the plan read);
 *       without --confirm that is all (a dry run); with it, writes exactly the plan's contacts,
 *       reads each back, and writes the remediation report (stdout, or REPORT).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../config.ts';
import { awsProviderSource, runSweepJob } from '../audit/job.ts';
import { requireCredentials } from '../providers/aws/credentials.ts';
import { createClients } from '../providers/aws/clients.ts';
import { ContactsAdapter } from '../providers/aws/contacts.ts';
import { ContactWriterAdapter } from '../providers/aws/contactWriter.ts';
import { awsErrorCode } from '../providers/aws/awsErrors.ts';
import { IdentityAdapter } from '../providers/aws/identity.ts';
import { ParentChainAdapter } from '../providers/aws/organizationTree.ts';
import { callerPartitionPacers } from '../providers/aws/partitionPacers.ts';
import type { OrgAccount } from '../model.ts';
import { hasOuOverrides } from '../policy/overrides.ts';
import { applyPlan, PlanRefusedError, type RemediationReport } from '../remediation/apply.ts';
import { buildPlan, parsePlan, planHash } from '../remediation/plan.ts';
import { AWS_CLI_OPTIONS, EXIT, UsageError, awsClientSettings, parseAccountIds, positive, resolvePolicy, type CliIo } from './options.ts';

export const REMEDIATE_OPTIONS = {
  plan: { type: 'string' },
  apply: { type: 'string' },
  confirm: { type: 'boolean' },
  'max-age-hours': { type: 'string' },
  config: { type: 'string' },
  domain: { type: 'string', multiple: true },
  accounts: { type: 'string' },
  out: { type: 'string' },
  ...AWS_CLI_OPTIONS,
} as const;

/** A plan older than this is refused by default: contacts drift, and a day-old read is a guess. */
const DEFAULT_MAX_AGE_HOURS = 24;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof REMEDIATE_OPTIONS; strict: true }>>['values'];

export async function remediateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: REMEDIATE_OPTIONS });
  if (positionals.length > 0) throw new UsageError(`remediate: unexpected argument "${positionals[0]!.slice(0, 100)}"`);
  if ((values.plan === undefined) === (values.apply === undefined)) throw new UsageError('remediate: give one of --plan FILE (write a plan) or --apply FILE (apply one)');
  if (values.plan !== undefined) {
    for (const only of ['confirm', 'max-age-hours', 'out'] as const) if (values[only] !== undefined) throw new UsageError(`remediate --plan: --${only} goes with --apply`);
    return writePlan(values.plan, values, io);
  }
  for (const only of ['config', 'domain', 'accounts'] as const) if (values[only] !== undefined) throw new UsageError(`remediate --apply: --${only} goes with --plan (the plan holds the desired values)`);
  return apply(values.apply!, values, io);
}

/** Writes `text` to `file` whole or not at all: a temporary file beside it, then a rename. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { flag: 'wx' });
  await rename(temporary, file);
}

async function writePlan(file: string, values: Values, io: CliIo): Promise<number> {
  const env = configFromEnv(io.env);
  const policy = await resolvePolicy(values.config, values.domain, env);
  if (!policy.expect && !Object.values(policy.overrides ?? {}).some((o) => o.expect)) {
    throw new UsageError('remediate --plan: the policy has no expect section, so no contact has a desired value (README "The policy file")');
  }
  const accountIds = parseAccountIds(values.accounts);
  const clientSettings = await awsClientSettings(values, env);
  const clients = createClients(clientSettings);
  const { report } = await runSweepJob({ policy, provider: awsProviderSource(env.getRatePerSecond), clients, concurrency: env.concurrency, ...(accountIds ? { accountIds } : {}) });
  // The desired values of an account depend on its OUs only through OU-keyed overrides.
  const placements = new Map<string, OrgAccount['ou']>();
  if (hasOuOverrides(policy)) {
    const parents = new ParentChainAdapter(clients.organizations);
    for (const account of report.accounts) if (account.status === 'NON_COMPLIANT') placements.set(account.accountId, await parents.placementOf(account.accountId));
  }
  const plan = buildPlan(report, policy, placements, new Date());
  await writeWhole(file, `${JSON.stringify(plan, null, 2)}\n`);
  if (values.quiet !== true) {
    io.stderr(`Plan written to ${file}: ${contacts(plan.changes.length)} to write, ${plan.leftAlone.length} left alone, from run ${report.runId}.\n`);
    io.stderr(`Check it, then: contact-audit remediate --apply ${file} (a dry run), and with --confirm to write.\n`);
  }
  return EXIT.OK;
}

async function apply(file: string, values: Values, io: CliIo): Promise<number> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`remediate --apply: cannot read ${file} (${error.code ?? error.message})`);
  });
  let plan: ReturnType<typeof parsePlan>;
  try {
    plan = parsePlan(text);
  } catch (error) {
    throw new UsageError(`remediate --apply: ${file} is not a remediation plan: ${error instanceof Error ? error.message : String(error)}`);
  }
  const maxAgeHours = positive('--max-age-hours', values['max-age-hours'], DEFAULT_MAX_AGE_HOURS);
  const env = configFromEnv(io.env);
  const clients = createClients(await awsClientSettings(values, env));
  await requireCredentials(clients.sts);
  const identity = new IdentityAdapter(clients.sts);
  const caller = await identity.whoAmI();
  const pacers = await callerPartitionPacers(identity, env.getRatePerSecond);
  const reader = new ContactsAdapter(clients.account, { pacer: pacers.alternateContact });
  const writer = new ContactWriterAdapter(clients.account);
  const sha = planHash(text);
  let report: RemediationReport;
  try {
    report = await applyPlan(plan, { read: (t, type) => reader.read(t, type), write: (t, type, c) => writer.write(t, type, c), errorCode: awsErrorCode }, {
      planSha256: sha,
      callerArn: caller.arn,
      callerAccountId: caller.accountId,
      confirm: values.confirm === true,
      maxAgeHours,
    });
  } catch (error) {
    if (!(error instanceof PlanRefusedError)) throw error;
    io.stderr(`contact-audit: remediate --apply: plan ${sha.slice(0, 12)} refused: ${error.message}\n`);
    return EXIT.USAGE;
  }
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (values.out !== undefined) await writeWhole(values.out, json);
  else io.stdout(json);
  return summarize(report, io, values.quiet === true);
}

const contacts = (n: number) => `${n} contact${n === 1 ? '' : 's'}`;

function summarize(report: RemediationReport, io: CliIo, quiet: boolean): number {
  const count = (outcome: string) => report.results.filter((r) => r.outcome === outcome).length;
  const failed = count('FAILED') + count('NOT_VERIFIED');
  if (!quiet) {
    io.stderr(
      report.dryRun
        ? `Dry run of plan ${report.planSha256.slice(0, 12)}: ${contacts(count('WOULD_WRITE'))} would be written; each still holds what the plan read. Run again with --confirm to write.\n`
        : `Plan ${report.planSha256.slice(0, 12)}: ${contacts(count('VERIFIED'))} written and verified, ${count('NOT_VERIFIED')} written but not verified, ${count('FAILED')} failed.\n`,
    );
  }
  return failed > 0 ? EXIT.FAILED : EXIT.OK;
}

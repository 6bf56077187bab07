/** `contact-audit doctor [--pipeline-role ARN] [--for cli|stack] [--format text|json]`: the set-up checks of src/audit/doctor.ts. */
import { parseArgs } from 'node:util';
import { createClients } from '../providers/aws/clients.ts';
import { ContactsAdapter } from '../providers/aws/contacts.ts';
import { IdentityAdapter } from '../providers/aws/identity.ts';
import { OrganizationsAdapter } from '../providers/aws/organizations.ts';
import { OrganizationsAdminAdapter } from '../providers/aws/organizationsAdmin.ts';
import type { RetryOptions } from '../providers/aws/awsCaller.ts';
import { TrailsAdapter } from '../providers/aws/trails.ts';
import { configFromEnv } from '../config.ts';
import { requireCredentials } from '../providers/aws/credentials.ts';
import { doctorExitCode, renderDoctor, runDoctor } from '../audit/doctor.ts';
import { oneLine } from '../textHygiene.ts';
import { AWS_CLI_OPTIONS, UsageError, awsClientSettings, type CliIo } from './options.ts';

// One role in one account: a wildcard would stand for the broad exemption the SCP check refuses.
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
// A doctor run should answer in seconds: fewer retries than a sweep.
const RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** The IAM actions doctor needs beyond a sweep's: those of its adapters. */
export const DOCTOR_ADAPTERS = [IdentityAdapter, OrganizationsAdapter, OrganizationsAdminAdapter, ContactsAdapter, TrailsAdapter] as const;

/** The options of `doctor` (node:util parseArgs). */
export const DOCTOR_OPTIONS = {
  'pipeline-role': { type: 'string' },
  for: { type: 'string', default: 'stack' },
  format: { type: 'string', default: 'text' },
  ...AWS_CLI_OPTIONS,
} as const;

/** Runs the set-up checks and prints them; the exit code says whether any failed. */
export async function doctorCommand(args: string[], io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: DOCTOR_OPTIONS,
  });
  if (positionals.length > 0) throw new UsageError(`doctor: unexpected argument "${positionals[0]}"`);
  const role = values['pipeline-role'];
  if (role !== undefined && !ROLE_ARN.test(role)) {
    throw new UsageError(`--pipeline-role: "${oneLine(role.slice(0, 300))}" is not the ARN of one IAM role (arn:aws:iam::ACCOUNT_ID:role/NAME, no wildcards)`);
  }
  if (values.for !== 'cli' && values.for !== 'stack') throw new UsageError(`--for: expected cli (the command line only) or stack (the deployed stack too), got "${oneLine(values.for.slice(0, 100))}"`);
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format: expected text or json, got "${values.format}"`);
  const env = configFromEnv(io.env);
  const clients = createClients(await awsClientSettings(values, env));
  // No credentials is a set-up error (exit 2), as for sweep and event: not a FAIL of every check.
  await requireCredentials(clients.sts);
  const report = await runDoctor(
    {
      identity: new IdentityAdapter(clients.sts, RETRY),
      organizations: new OrganizationsAdapter(clients.organizations, { retry: RETRY }),
      admin: new OrganizationsAdminAdapter(clients.organizations, RETRY),
      contacts: new ContactsAdapter(clients.account, { retry: RETRY }),
      trails: new TrailsAdapter(clients.cloudtrail, RETRY),
    },
    { for: values.for, ...(role ? { pipelineRoleArn: role } : {}) },
  );
  io.stdout(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report));
  return doctorExitCode(report);
}

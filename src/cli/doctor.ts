/** `contact-audit doctor [--pipeline-role ARN] [--format text|json]`: the set-up checks of src/audit/doctor.ts. */
import { parseArgs } from 'node:util';
import { createClients } from '../aws/clients.ts';
import { ContactsAdapter } from '../aws/contacts.ts';
import { IdentityAdapter } from '../aws/identity.ts';
import { OrganizationsAdapter } from '../aws/organizations.ts';
import { OrganizationsAdminAdapter } from '../aws/organizationsAdmin.ts';
import type { RetryOptions } from '../aws/caller.ts';
import { TrailsAdapter } from '../aws/trails.ts';
import { configFromEnv } from '../config.ts';
import { doctorExitCode, renderDoctor, runDoctor } from '../audit/doctor.ts';
import { AWS_CLI_OPTIONS, UsageError, awsClientSettings, type CliIo } from './options.ts';

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}|\*):role\/[\w+=,.@\-/*]{1,512}$/;
// A doctor run should answer in seconds: fewer retries than a sweep.
const RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** The IAM actions doctor needs beyond a sweep's: those of its adapters. */
export const DOCTOR_ADAPTERS = [IdentityAdapter, OrganizationsAdapter, OrganizationsAdminAdapter, ContactsAdapter, TrailsAdapter] as const;

/** Runs the set-up checks and prints them; the exit code says whether any failed. */
/** The options of `doctor` (node:util parseArgs). */
export const DOCTOR_OPTIONS = { 'pipeline-role': { type: 'string' }, format: { type: 'string', default: 'text' }, ...AWS_CLI_OPTIONS } as const;

export async function doctorCommand(args: string[], io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: DOCTOR_OPTIONS,
  });
  if (positionals.length > 0) throw new UsageError(`doctor: unexpected argument "${positionals[0]}"`);
  const role = values['pipeline-role'];
  if (role !== undefined && !ROLE_ARN.test(role)) throw new UsageError(`--pipeline-role: "${role.slice(0, 300)}" is not an IAM role ARN`);
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format: expected text or json, got "${values.format}"`);
  const env = configFromEnv(io.env);
  const clients = createClients(await awsClientSettings(values, env));
  const report = await runDoctor(
    {
      identity: new IdentityAdapter(clients.sts, RETRY),
      organizations: new OrganizationsAdapter(clients.organizations, RETRY),
      admin: new OrganizationsAdminAdapter(clients.organizations, RETRY),
      contacts: new ContactsAdapter(clients.account, { retry: RETRY }),
      trails: new TrailsAdapter(clients.cloudtrail, RETRY),
    },
    role ? { pipelineRoleArn: role } : {},
  );
  io.stdout(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report));
  return doctorExitCode(report);
}

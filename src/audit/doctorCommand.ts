/** `contact-audit doctor [--pipeline-role ARN] [--format text|json]`: the set-up checks of doctor.ts. */
import { parseArgs } from 'node:util';
import { createClients } from '../aws/clients.ts';
import { ContactsAdapter } from '../aws/contacts.ts';
import { IdentityAdapter } from '../aws/identity.ts';
import { OrganizationsAdapter } from '../aws/organizations.ts';
import { OrganizationsAdminAdapter } from '../aws/organizationsAdmin.ts';
import type { RetryOptions } from '../aws/retry.ts';
import { TrailsAdapter } from '../aws/trails.ts';
import { configFromEnv } from '../config.ts';
import { doctorExitCode, renderDoctor, runDoctor } from './doctor.ts';

/** What the command needs from the command line's surroundings (the CliIo of cli.ts, without importing it). */
export interface DoctorIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** A bad doctor argument; the CLI turns it into exit 2. */
export class DoctorUsageError extends Error {
  override readonly name = 'DoctorUsageError';
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}|\*):role\/[\w+=,.@\-/*]{1,512}$/;
// A doctor run should answer in seconds: fewer retries than a sweep.
const RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** The IAM actions doctor needs beyond a sweep's: those of its adapters. */
export const DOCTOR_ADAPTERS = [IdentityAdapter, OrganizationsAdapter, OrganizationsAdminAdapter, ContactsAdapter, TrailsAdapter] as const;

export async function doctorCommand(args: string[], io: DoctorIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'pipeline-role': { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  if (positionals.length > 0) throw new DoctorUsageError(`doctor: unexpected argument "${positionals[0]}"`);
  const role = values['pipeline-role'];
  if (role !== undefined && !ROLE_ARN.test(role)) throw new DoctorUsageError(`--pipeline-role: "${role.slice(0, 300)}" is not an IAM role ARN`);
  if (values.format !== 'text' && values.format !== 'json') throw new DoctorUsageError(`--format: expected text or json, got "${values.format}"`);
  const env = configFromEnv(io.env);
  const clients = createClients(env.clients);
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

/**
 * What every command of the CLI shares: its I/O, exit codes, usage error, and the options more than one
 * command takes (--config/--domain, --topic-arn, --out, numbers and account lists).
 */
import type { EnvConfig } from '../config.ts';
import type { ClientSettings } from '../providers/aws/clients.ts';
import { parseDestination, type ReportDestination } from '../audit/job.ts';
import type { SignalHost } from './signals.ts';
import { policyFromDomains } from '../policy/load.ts';
import { loadPolicyFile, parsePolicyText } from '../policy/yamlFile.ts';
import type { Policy } from '../policy/types.ts';
import { oneLine } from '../textHygiene.ts';
import { UsageError, errorText } from '../errors.ts';
import { PRODUCT_VERSION } from '../version.ts';

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

/** The real process: its streams, environment and signals. */
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

/** A usage or configuration error: exit 2, nothing written (the one class, shared with the emulator). */
export { UsageError };

/** The exit codes of SPEC §6. */
export const EXIT = { OK: 0, NON_COMPLIANT: 1, USAGE: 2, UNKNOWN: 3, FAILED: 4 } as const;

/** Where `sweep --to` sends findings besides stdout: Security Hub, with BatchImportFindings. */
export const SWEEP_DESTINATIONS = ['securityhub'] as const;

/** `--to`: undefined when absent. @throws UsageError for anything but a {@link SWEEP_DESTINATIONS} name. */
export function toOption(value: string | undefined): (typeof SWEEP_DESTINATIONS)[number] | undefined {
  if (value === undefined) return undefined;
  if (!(SWEEP_DESTINATIONS as readonly string[]).includes(value)) throw new UsageError(`--to: expected ${SWEEP_DESTINATIONS.join(' or ')}, got "${value}"`);
  return value as (typeof SWEEP_DESTINATIONS)[number];
}

/** The package's version, as --version and reports show it. */
export function version(): string {
  return PRODUCT_VERSION;
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
    throw new UsageError(errorText(error), { cause: error });
  }
}


/** A number above 0 from an option, or `fallback` when not given. */
export function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name}: expected a number above 0, got "${raw}"`);
  return value;
}

/** `--accounts ID,...`: 12-digit account IDs, or none. */
export function parseAccountIds(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = raw.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (ids.length === 0 || bad.length > 0) throw new UsageError(`--accounts: expected 12-digit account IDs separated by commas, got "${raw}"`);
  return ids;
}

/**
 * The options `sweep` and `event` share, in one spec for node:util parseArgs: the policy
 * (`--config`, `--domain`), where alerts go and where reports or change records are kept.
 */
export const POLICY_AND_OUTPUT_OPTIONS = {
  config: { type: 'string' },
  domain: { type: 'string', multiple: true },
  'topic-arn': { type: 'string' },
  out: { type: 'string' },
} as const;

/**
 * The options of every command that talks to AWS, spelt as the AWS CLI spells them ("AWS CLI global
 * command line options"), so a user's habits carry over: `--profile`, `--region`, `--no-color`, and
 * `--quiet` (only the command's output on stdout, and errors).
 */
export const AWS_CLI_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/**
 * How the clients reach AWS for `--profile` / `--region`. The region is the first of `--region`,
 * AWS_REGION / AWS_DEFAULT_REGION, and the `region` of the profile in the shared config file
 * (~/.aws/config, AWS_CONFIG_FILE), read by the SDK's own region provider; else us-east-1, where
 * Account Management and Organizations are served (clients.ts).
 */
export async function awsClientSettings(values: { profile?: string | undefined; region?: string | undefined }, env: EnvConfig): Promise<ClientSettings> {
  const profile = values.profile;
  if (profile !== undefined && !/^[\w.@+:-]{1,128}$/.test(profile)) throw new UsageError(`--profile: "${oneLine(profile).slice(0, 200)}" is not a profile name`);
  if (profile !== undefined) await requireProfile(profile);
  const region = values.region ?? env.clients.region ?? (await sharedConfigRegion(profile));
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`--region: "${oneLine(region).slice(0, 200)}" is not an AWS region`);
  return { ...env.clients, ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
}

/** `--profile NAME` names a profile of the shared config or credentials file, else the SDK would only say it found no credentials. */
async function requireProfile(profile: string): Promise<void> {
  const { parseKnownFiles } = await import('@smithy/core/config');
  const profiles = await parseKnownFiles({ profile }).catch(() => ({}));
  if (!Object.hasOwn(profiles, profile)) {
    throw new UsageError(`--profile: no profile "${profile}" in the shared config or credentials file (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)`);
  }
}

/** The profile's region in the shared config file, as the SDK finds it; undefined when none is set. */
async function sharedConfigRegion(profile: string | undefined): Promise<string | undefined> {
  const { NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS, loadConfig } = await import('@smithy/core/config');
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(profile ? { profile } : {}) })();
  } catch {
    return undefined;
  }
}

/**
 * Whether stdout gets colour: only a terminal, and never with `--no-color` or a non-empty NO_COLOR
 * (no-color.org: "when present and not an empty string"). Read here rather than in config.ts: only
 * the command line colours anything, and the Lambda bundles need not carry it.
 */
export function colorWanted(io: Pick<CliIo, 'stdoutIsTTY' | 'env'>, noColor: boolean | undefined): boolean {
  return io.stdoutIsTTY && noColor !== true && !io.env.NO_COLOR;
}

/**
 * The project's named errors, in one place so that every layer throws, and the command line tells
 * apart, the same classes (the CLI maps them to exit codes: SPEC §6, README "Exit codes").
 * Each takes `{ cause }` (the standard `ErrorOptions`) to keep the error it wraps.
 *
 * Errors that only one module throws and catches stay next to it: `SweepStateError` and `SweepEventError` (src/contracts/sweepWork.ts), `ReportsNotKeptError` (src/audit/job.ts).
 * The emulator (packages/aws-emulator) has its own.
 */

/** A command line or request the caller got wrong: exit code 2 (emulator admin API: HTTP 400). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The policy is unusable; the message names the field, e.g. `policy: exemptions[1].expires: expected a date YYYY-MM-DD`. Exit code 2. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/** The environment (variables, credentials settings) cannot be used: exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** No AWS credentials in the standard chain: a set-up error (exit code 2), not an AWS outage. */
export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
}

/** The organization cannot be swept as set up (not the management or delegated administrator account, no trusted access). */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/**
 * An output the sweep needs at its end (the report bucket, the alert topic) failed its check before
 * the first read for a reason other than its set-up (throttling, 5xx, a dropped connection, after
 * the retries): an outage, exit code 4, with no account read.
 */
export class OutputUnavailableError extends Error {
  override readonly name = 'OutputUnavailableError';
}

/** The `--accounts` list names accounts that are not in the organization. */
export class AccountSelectionError extends Error {
  override readonly name = 'AccountSelectionError';
}

/** A policy pattern that could backtrack catastrophically and no linear-time engine to run it. */
export class UnsafePatternError extends Error {
  override readonly name = 'UnsafePatternError';
}

/**
 * A service answered something the code cannot use (a field it always sends is missing, endless pages).
 * `code` classifies it like a service error code would (Alibaba's `InvalidResponse`).
 */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  readonly code: string | undefined;

  constructor(message: string, options?: ErrorOptions & { code?: string }) {
    super(message, options);
    this.code = options?.code;
  }
}

/** A report store refused a key or file name that would leave its folder. */
export class ReportStorageError extends Error {
  override readonly name = 'ReportStorageError';
}

/** A state the code rules out was reached: a bug, never the caller's input. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** The message of anything thrown (`String()` of what is not an Error). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The emulator's own errors: what its command line, admin API and fixture loader tell apart. */

/** A command line or admin request the caller got wrong: exit code 2, HTTP 400. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A fixture (an organization as JSON) that cannot be used. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

/** The message of anything thrown (`String()` of what is not an Error). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

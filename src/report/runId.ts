/**
 * Run identifiers (SPEC.md §5): the UTC start time to the second, with `:` replaced by `-` so the
 * id is safe in S3 keys and file names, then 6 random hex characters,
 * e.g. `2026-11-22T06-00-00Z-1a2b3c`. Ids sort by start time.
 */

const RUN_ID = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z-[0-9a-f]{6}$/;

/**
 * The run id of a run started at `startedAt`. `random` is 6 hex characters chosen by the caller
 * (this module has no randomness so it stays pure); upper case is accepted and lower-cased.
 */
export function newRunId(startedAt: Date, random: string): string {
  if (!(startedAt instanceof Date) || Number.isNaN(startedAt.getTime())) {
    throw new RangeError('newRunId: startedAt is not a valid date');
  }
  if (!/^[0-9a-fA-F]{6}$/.test(random)) {
    throw new RangeError('newRunId: random must be 6 hexadecimal characters');
  }
  const year = startedAt.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('newRunId: startedAt is outside years 0000-9999');
  // toISOString: YYYY-MM-DDTHH:mm:ss.sssZ; keep seconds precision.
  const stamp = startedAt.toISOString().slice(0, 19).replaceAll(':', '-');
  return `${stamp}Z-${random.toLowerCase()}`;
}

/** Whether `s` is a run id as `newRunId` makes them (including a real calendar date and time). */
export function isRunId(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = RUN_ID.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

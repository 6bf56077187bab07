/**
 * The one UTC calendar day: exemption expiry, the sweep's "today" and the real-time
 * re-evaluation all compare against the same `YYYY-MM-DD`, so they must agree on how it is made.
 */

/** The UTC calendar day of `date` as `YYYY-MM-DD`. */
export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * The UTC calendar day of an ISO time as `[YYYY, MM, DD]`, for the date folders of S3 keys (§9).
 * @throws RangeError naming `what` when `time` is not a time, or its year is not four digits (a key's
 *   `dt=YYYY-MM-DD` must sort and parse as one).
 */
export function utcDayParts(time: string, what: string): [string, string, string] {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${what} is not a valid time: ${JSON.stringify(time)}`);
  const day = utcDay(date);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`${what} is outside years 0000-9999: ${JSON.stringify(time)}`);
  return day.split('-') as [string, string, string];
}

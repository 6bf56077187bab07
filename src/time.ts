/**
 * The one UTC calendar day (issue 13): exemption expiry, the sweep's "today" and the real-time
 * re-evaluation all compare against the same `YYYY-MM-DD`, so they must agree on how it is made.
 */

/** The UTC calendar day of `date` as `YYYY-MM-DD`. */
export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

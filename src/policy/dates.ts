/** Calendar dates of the policy (exemption expiry) and of evaluation (`today`), both `YYYY-MM-DD` UTC. */

/** A real calendar day: `2027-02-30` is rejected, not rolled over to March. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The change log the real-time path keeps (`changes/dt=YYYY-MM-DD/<eventId>.json`, SPEC §9,
 * src/audit/event.ts), read back by `sweep --incremental`: which accounts changed, and when
 * (docs/continuous.md, "sweep --incremental").
 */
import { ReportStorageError } from '../errors.ts';
import { changesDayPrefix } from '../report/layout.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';

/** Records fetched at once. */
const CONCURRENCY = 16;

/** The UTC days from `from` to `to` (YYYY-MM-DD, both included). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The account and time of a change record; undefined for a denied attempt (nothing changed) or text that is not a record. */
function changeOf(text: string): { accountId: string; eventTime: string } | undefined {
  try {
    const value = JSON.parse(text) as { kind?: unknown; accountId?: unknown; eventTime?: unknown };
    if (value.kind !== 'change' || typeof value.accountId !== 'string' || typeof value.eventTime !== 'string') return undefined;
    return { accountId: value.accountId, eventTime: value.eventTime };
  } catch {
    return undefined;
  }
}

/**
 * The newest change of each account recorded on the days from `fromDay` to `toDay`: one listing
 * per day and one read per record.
 * @throws ReportStorageError when the store cannot list.
 */
export async function recordedChanges(storage: ReportStorage, prefix: string, fromDay: string, toDay: string): Promise<Map<string, string>> {
  const { list } = storage;
  if (!list) throw new ReportStorageError(`${storage.locate(prefix)} cannot be listed, so the change log cannot be read`);
  const keys = (await Promise.all(daysBetween(fromDay, toDay).map((day) => list.call(storage, changesDayPrefix(prefix, day))))).flat();
  const newest = new Map<string, string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const text = await storage.get(keys[next++]!);
      const change = text === undefined ? undefined : changeOf(text);
      if (!change) continue;
      const seen = newest.get(change.accountId);
      if (seen === undefined || Date.parse(change.eventTime) > Date.parse(seen)) newest.set(change.accountId, change.eventTime);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
  return newest;
}

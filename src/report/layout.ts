/**
 * Where reports live in S3 (SPEC.md §9), plus the Athena findings file. Keys only; writing
 * them is the audit use case's job.
 */
import type { Report } from '../model.ts';
import { utcDayParts } from '../time.ts';

/** The report files of a run: key suffix → content type. */
export const REPORT_FILE_TYPES = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;
export type ReportFileExtension = keyof typeof REPORT_FILE_TYPES;
const EXTENSIONS = Object.keys(REPORT_FILE_TYPES) as ReportFileExtension[];

export interface ReportKeys {
  /** `<prefix>/runs/YYYY/MM/DD/<runId>/report.<ext>`: never overwritten by a later run. */
  runs: Record<ReportFileExtension, string>;
  /** `<prefix>/latest/report.<ext>`: the newest run; `latest/report.json` is the next diff's baseline. */
  latest: Record<ReportFileExtension, string>;
  /** `<prefix>/findings/dt=YYYY-MM-DD/<runId>.jsonl`: one line per account, for Athena. */
  findings: string;
}

/** The prefix without leading, trailing or doubled slashes; `''` when empty. */
export function normalizePrefix(prefix: string): string {
  return prefix.split('/').filter((part) => part !== '').join('/');
}

function join(prefix: string, rest: string): string {
  const p = normalizePrefix(prefix);
  return p === '' ? rest : `${p}/${rest}`;
}

/** A run id usable as one key segment: `newRunId` output always is. */
const KEY_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** `<prefix>/latest/report.<ext>`: where the newest run is copied, and the next sweep's baseline. */
export function latestReportKeys(prefix: string): Record<ReportFileExtension, string> {
  const latest = {} as Record<ReportFileExtension, string>;
  for (const ext of EXTENSIONS) latest[ext] = join(prefix, `latest/report.${ext}`);
  return latest;
}

/**
 * The S3 keys of a run's reports. The day folders come from `startedAt` (UTC).
 * @throws Error when `runId` is not one key segment of `A-Z a-z 0-9 - _ .` (it must not add
 *   folders or climb out of the prefix), or `startedAt` is not a time.
 */
export function reportKeys(prefix: string, runId: string, startedAt: string): ReportKeys {
  if (typeof runId !== 'string' || !KEY_SEGMENT.test(runId) || /^\.+$/.test(runId)) {
    throw new RangeError(`Run id cannot be used in an S3 key: ${JSON.stringify(runId)}`);
  }
  const [y, m, d] = utcDayParts(startedAt, 'startedAt');
  const runs = {} as Record<ReportFileExtension, string>;
  for (const ext of EXTENSIONS) runs[ext] = join(prefix, `runs/${y}/${m}/${d}/${runId}/report.${ext}`);
  return { runs, latest: latestReportKeys(prefix), findings: join(prefix, `findings/dt=${y}-${m}-${d}/${runId}.jsonl`) };
}

/**
 * `<prefix>/state/accounts/<accountId>.json`: the evidence of one account, beside the reports
 * (docs/continuous.md, "The evidence store").
 * @throws RangeError when `accountId` is not one key segment.
 */
export function evidenceKey(prefix: string, accountId: string): string {
  if (!KEY_SEGMENT.test(accountId) || /^\.+$/.test(accountId)) throw new RangeError(`Account id cannot be used in an S3 key: ${JSON.stringify(accountId)}`);
  return join(prefix, `state/accounts/${accountId}.json`);
}

/** `<prefix>/state/organization.json`: who was swept and the accounts as last listed (docs/continuous.md). */
export function organizationStateKey(prefix: string): string {
  return join(prefix, 'state/organization.json');
}

/** `<prefix>/changes/dt=YYYY-MM-DD/`: the folder of one day's {@link changeKey} records. */
export function changesDayPrefix(prefix: string, day: string): string {
  return join(prefix, `changes/dt=${day}/`);
}

/** Longest event id kept in a key; CloudTrail event ids are 36-character UUIDs. */
const MAX_EVENT_ID = 128;

/**
 * The S3 key recording one handled real-time change: `<prefix>/changes/dt=YYYY-MM-DD/<eventId>.json`,
 * the day being `eventTime`'s UTC day. Characters other than `A-Z a-z 0-9 - _ .` in the event id
 * become `_`, and an id of dots only becomes underscores, so an id cannot add folders or climb out.
 * @throws Error when `eventId` is empty or `eventTime` is not a time.
 */
export function changeKey(prefix: string, eventId: string, eventTime: string): string {
  if (typeof eventId !== 'string' || eventId === '') throw new RangeError('changeKey: eventId is empty');
  const [y, m, d] = utcDayParts(eventTime, 'eventTime');
  let safe = Array.from(eventId.slice(0, MAX_EVENT_ID), (ch) => (/^[A-Za-z0-9._-]$/.test(ch) ? ch : '_')).join('');
  if (/^\.+$/.test(safe)) safe = safe.replaceAll('.', '_');
  return join(prefix, `changes/dt=${y}-${m}-${d}/${safe}.json`);
}

/**
 * One JSON line per account (each ending in `\n`) for Athena, with the same columns on every
 * line: optional values are `null`, never missing. Contact names, titles and phone numbers are
 * left out; finding messages may carry an e-mail address.
 */
export function findingsJsonl(report: Report): string {
  return report.accounts
    .map((account) => {
      const codes = [...new Set(account.findings.map((f) => f.code))];
      return `${JSON.stringify({
        runId: report.runId,
        runStartedAt: report.startedAt,
        organizationId: report.organizationId,
        accountId: account.accountId,
        name: account.name,
        state: account.state,
        status: account.status,
        findingCodes: codes,
        findings: account.findings.map((f) => ({
          contactType: f.contactType,
          code: f.code,
          message: f.message,
          errorCode: f.errorCode ?? null,
          exempt: f.exemption !== undefined,
          exemptionReason: f.exemption?.reason ?? null,
          exemptionExpires: f.exemption?.expires ?? null,
        })),
      })}\n`;
    })
    .join('');
}

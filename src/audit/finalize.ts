import * as z from 'zod/mini';
import type { PublishableAlert } from '../providers/aws/alerts.ts';
import { awsErrorCode } from '../providers/aws/awsErrors.ts';
import type { Report } from '../model.ts';
import { REPORT_FILE_TYPES, findingsJsonl, latestReportKeys, reportKeys, type ReportFileExtension } from '../report/layout.ts';
import { REPORT_FILE_FORMATS, renderReport } from '../report/render/index.ts';
import { changesSince } from '../alerts/diff.ts';
import { planSweepAlerts } from '../alerts/sweepAlerts.ts';
import type { ReportStorage } from '../storage/reportStorage.ts';
import { reportSchema } from '../contracts/sweepWork.ts';
import { ReportStorageError, errorText } from '../errors.ts';

// JSON last: latest/report.json is the baseline of the next run, so it only moves once the rest is written.
const WRITE_ORDER: readonly ReportFileExtension[] = ['csv', 'md', 'html', 'json'];

export interface AlertSink {
  publish(alert: PublishableAlert): Promise<unknown>;
}

export interface FinalizeInput {
  report: Report;
  storage: ReportStorage;
  prefix: string;
  maxAlertsPerSweep: number;
  /** Where alerts go; none are sent without one. */
  alerts?: AlertSink;
  /**
   * The baseline when the caller already has it (`null`: there is none); read from `latest/` when
   * absent. A retried step of the deployed sweep passes the baseline it pinned on its first
   * attempt, since by then `latest/` may already hold this very run.
   */
  previous?: Report | null;
  /**
   * The run covers only some accounts (`sweep --accounts`): it is kept under runs/ and findings/
   * but never becomes `latest/`, the baseline of the next diff, and it sends only the summary, so
   * the next full sweep neither misses nor repeats a VIOLATION_* alert.
   */
  partial?: boolean;
}

export interface FinalizeOutcome {
  previous: Report | undefined;
  /** The run's keys: runs/…/report.* and findings/…jsonl. */
  written: string[];
  htmlLocation: string;
  jsonLocation: string;
  alertsSent: number;
  alertsFailed: number;
  /** Why alerts failed: each AWS error code with the number of alerts it refused. */
  alertErrors: Record<string, number>;
}

type RenderedFile = { ext: ReportFileExtension; contentType: string; body: string };

/**
 * Replaces `latest/` file by file (S3 has no multi-object transaction). Should a write fail half
 * way, every file it tried to write is put back to the previous run's (or, on a first run,
 * deleted), so `latest/` never mixes two runs nor stays partial; then the error goes on up. The
 * file whose write failed is put back too: a PUT whose reply was lost may still have been stored,
 * so a write that cannot be confirmed counts as written. The undo is best effort: when the store
 * refuses that too, the error says which files may be left.
 */
async function replaceLatest(
  storage: ReportStorage,
  prefix: string,
  latest: Record<ReportFileExtension, string>,
  rendered: readonly RenderedFile[],
  previous: Report | undefined,
): Promise<void> {
  const attempted: RenderedFile[] = [];
  try {
    for (const file of rendered) {
      attempted.push(file);
      await storage.put(latest[file.ext], file.body, file.contentType);
    }
  } catch (error) {
    const notUndone: string[] = [];
    for (const file of attempted) {
      // With a previous run its files go back; on a first run there is nothing to go back to, so
      // the new files are removed and `latest/` stays absent rather than partial.
      const key = latest[file.ext];
      const body = previous ? await previousFile(storage, prefix, previous, file.ext) : undefined;
      if (!(await undoWrite(storage, key, body, file.contentType))) notUndone.push(key);
    }
    if (notUndone.length === 0) throw error;
    throw new ReportStorageError(
      `${errorText(error)}; putting latest/ back failed too, so these files may hold this run: ${notUndone.join(', ')}`,
      { cause: error },
    );
  }
}

/**
 * One file of the previous run as that run wrote it: its own copy under runs/ (byte for byte, as
 * it was in `latest/`), or rendered again from the baseline when that copy is gone (runs/ expire,
 * `latest/` does not) or cannot be read.
 */
async function previousFile(storage: ReportStorage, prefix: string, previous: Report, ext: ReportFileExtension): Promise<string> {
  try {
    const kept = await storage.get(reportKeys(prefix, previous.runId, previous.startedAt).runs[ext]);
    if (kept !== undefined) return kept;
  } catch {
    // Rendered below.
  }
  return renderReport(previous, REPORT_FILE_FORMATS[ext]);
}

/**
 * Puts `body` back at `key` (deletes it when `body` is undefined); true when that is known to
 * have happened. An undo that errors is read back, since its reply may be what was lost.
 */
async function undoWrite(storage: ReportStorage, key: string, body: string | undefined, contentType: string): Promise<boolean> {
  try {
    if (body !== undefined) await storage.put(key, body, contentType);
    else if (storage.remove) await storage.remove(key);
    else return false;
    return true;
  } catch {
    return (await storage.get(key).catch(() => null)) === body;
  }
}

/**
 * The previous run's report, or undefined when there is none or it cannot be read as a §5 report
 * (not JSON, or not of the report schema): such a run is treated as the first, rather than
 * diffed against, or rendered back from, a report this code cannot rely on.
 */
export async function readBaseline(storage: ReportStorage, prefix: string): Promise<Report | undefined> {
  const text = await storage.get(latestReportKeys(prefix).json);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = z.safeParse(reportSchema, raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Keeps the run (SPEC §9) and sends the sweep's alerts (§8). Order matters: the baseline is read
 * before anything is written; the run's own keys are written before `latest/`, so a failure
 * leaves the previous `latest/` whole; alerts go out last and name where the report is.
 */
export async function finalizeSweep(input: FinalizeInput): Promise<FinalizeOutcome> {
  const { report, storage, prefix } = input;
  const previous = input.partial ? undefined : input.previous === undefined ? await readBaseline(storage, prefix) : (input.previous ?? undefined);
  const keys = reportKeys(prefix, report.runId, report.startedAt);
  // The Markdown and HTML say what changed since the baseline: the diff the alerts below are made from.
  const changes = changesSince(previous, report);
  const rendered: RenderedFile[] = WRITE_ORDER.map((ext) => ({
    ext,
    contentType: REPORT_FILE_TYPES[ext],
    body: renderReport(report, REPORT_FILE_FORMATS[ext], changes ? { changes } : {}),
  }));

  for (const file of rendered) await storage.put(keys.runs[file.ext], file.body, file.contentType);
  await storage.put(keys.findings, findingsJsonl(report), 'application/x-ndjson');
  if (!input.partial) {
    if (storage.replaceFolder) {
      // One unit (a local folder: a symlink swapped by rename): nothing to roll back.
      const folder = keys.latest.json.slice(0, keys.latest.json.lastIndexOf('/'));
      await storage.replaceFolder(folder, rendered.map((file) => ({ name: keys.latest[file.ext].slice(folder.length + 1), body: file.body })));
    } else {
      await replaceLatest(storage, prefix, keys.latest, rendered, previous);
    }
  }

  let alertsSent = 0;
  let alertsFailed = 0;
  const alertErrors: Record<string, number> = {};
  if (input.alerts) {
    const alerts = planSweepAlerts(previous, report, {
      maxAlertsPerSweep: input.maxAlertsPerSweep,
      reportLocation: storage.locate(keys.runs.html),
    });
    for (const alert of alerts) {
      try {
        await input.alerts.publish(alert);
        alertsSent++;
      } catch (error) {
        alertsFailed++;
        const code = awsErrorCode(error);
        alertErrors[code] = (alertErrors[code] ?? 0) + 1;
      }
    }
  }
  return {
    previous,
    written: [...Object.values(keys.runs), keys.findings],
    htmlLocation: storage.locate(input.partial ? keys.runs.html : keys.latest.html),
    jsonLocation: storage.locate(keys.runs.json),
    alertsSent,
    alertsFailed,
    alertErrors,
  };
}

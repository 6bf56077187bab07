/** Renders a report in any of the §5 formats. */
import type { Report } from '../../model.ts';
import { InvariantError } from '../../errors.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTable } from './table.ts';
import { renderAsff } from './asff.ts';
import { renderJunit } from './junit.ts';
import { renderOcsf } from './ocsf.ts';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'asff', 'ocsf', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file extension of each stored format (§9 `report.{json,csv,md,html}`). */
export const REPORT_FILE_FORMATS = { json: 'json', csv: 'csv', md: 'markdown', html: 'html' } as const satisfies Record<string, ReportFormat>;

/**
 * The report in `format`. `opts.color` adds ANSI colours to the `table` format only.
 * @throws Error for a format not in `REPORT_FORMATS`.
 */
export function renderReport(report: Report, format: ReportFormat, opts: { color?: boolean; region?: string; productVersion?: string } = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'csv':
      return renderCsv(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'table':
      return renderTable(report, opts);
    case 'asff':
      return renderAsff(report, opts.region ? { region: opts.region } : {});
    case 'ocsf':
      return renderOcsf(report, { ...(opts.productVersion ? { productVersion: opts.productVersion } : {}), ...(opts.region ? { region: opts.region } : {}) });
    case 'junit':
      return renderJunit(report);
    default:
      throw new InvariantError(`Unknown report format: ${String(format satisfies never)}`);
  }
}

export { renderCsv, renderHtml, renderJson, renderMarkdown, renderTable };
export { renderAsff, renderJunit, renderOcsf };

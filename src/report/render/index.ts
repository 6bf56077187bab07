/** Renders a report in any of the §5 formats. */
import type { Report } from '../../model.ts';
import { InvariantError } from '../../errors.ts';
import type { AccountFilter, ReportChanges } from '../view.ts';
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

/** The formats an {@link AccountFilter} narrows; the others always carry every account. */
export const FILTERABLE_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'markdown'];

export interface RenderOptions {
  /** ANSI colours, `table` only. */
  color?: boolean;
  region?: string;
  productVersion?: string;
  /** Only these accounts in the lists of the {@link FILTERABLE_FORMATS}; ignored by the others. */
  filter?: AccountFilter;
  /** What changed since the previous run: a section of the table, Markdown and HTML. */
  changes?: ReportChanges;
}

/**
 * The report in `format`.
 * @throws Error for a format not in `REPORT_FORMATS`.
 */
export function renderReport(report: Report, format: ReportFormat, opts: RenderOptions = {}): string {
  const filter = opts.filter ? { filter: opts.filter } : {};
  const changes = opts.changes ? { changes: opts.changes } : {};
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'csv':
      return renderCsv(report, filter);
    case 'markdown':
      return renderMarkdown(report, { ...filter, ...changes });
    case 'html':
      return renderHtml(report, changes);
    case 'table':
      return renderTable(report, { ...(opts.color ? { color: true } : {}), ...filter, ...changes });
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


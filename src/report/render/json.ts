/** The report as JSON (§5): 2-space indent, trailing newline. */
import type { Report } from '../../model.ts';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../src/report/render/index.ts';
import { compliant, missingSecurity, report } from './fixtures.ts';

describe('renderReport', () => {
  it('renders JSON as the report with 2-space indent and a trailing newline', () => {
    // Prepare
    const r = report([missingSecurity('333333333333')]);

    // Act
    const json = renderReport(r, 'json');

    // Assess
    expect(json).toBe(`${JSON.stringify(r, null, 2)}\n`);
    expect(JSON.parse(json)).toEqual(r);
  });

  it('renders every listed format and names every account in each', () => {
    const r = report([missingSecurity('333333333333'), compliant('444444444444')]);
    expect([...REPORT_FORMATS].sort()).toEqual(['asff', 'csv', 'html', 'json', 'junit', 'markdown', 'ocsf', 'table']);
    for (const format of REPORT_FORMATS) {
      const out = renderReport(r, format);
      expect(out).toContain('333333333333');
      expect(out).toContain('444444444444');
    }
  });

  it('refuses an unknown format', () => {
    expect(() => renderReport(report([]), 'xml' as ReportFormat)).toThrow(/xml/);
  });
});

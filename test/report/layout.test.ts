import { describe, expect, it } from 'vitest';
import { changeKey, findingsJsonl, latestReportKeys, normalizePrefix, reportKeys } from '../../src/report/layout.ts';
import { contact, missingSecurity, report, RUN_ID, skipped } from './fixtures.ts';

describe('reportKeys', () => {
  it('puts a run under runs/YYYY/MM/DD/<runId>/, the latest copy under latest/, findings by day', () => {
    // Act
    const keys = reportKeys('audits/contacts', RUN_ID, '2026-11-22T06:00:00.000Z');

    // Assess
    expect(keys.runs).toEqual({
      json: `audits/contacts/runs/2026/11/22/${RUN_ID}/report.json`,
      csv: `audits/contacts/runs/2026/11/22/${RUN_ID}/report.csv`,
      md: `audits/contacts/runs/2026/11/22/${RUN_ID}/report.md`,
      html: `audits/contacts/runs/2026/11/22/${RUN_ID}/report.html`,
    });
    expect(keys.latest).toEqual({
      json: 'audits/contacts/latest/report.json',
      csv: 'audits/contacts/latest/report.csv',
      md: 'audits/contacts/latest/report.md',
      html: 'audits/contacts/latest/report.html',
    });
    expect(keys.findings).toBe(`audits/contacts/findings/dt=2026-11-22/${RUN_ID}.jsonl`);
  });

  it('normalises the prefix; an empty prefix starts keys at runs/', () => {
    expect(reportKeys('', RUN_ID, '2026-11-22T06:00:00Z').runs.json).toBe(`runs/2026/11/22/${RUN_ID}/report.json`);
    expect(reportKeys('/', RUN_ID, '2026-11-22T06:00:00Z').latest.json).toBe('latest/report.json');
    expect(reportKeys('/a//b/', RUN_ID, '2026-11-22T06:00:00Z').findings).toBe(`a/b/findings/dt=2026-11-22/${RUN_ID}.jsonl`);
    expect(normalizePrefix('//x/')).toBe('x');
    expect(latestReportKeys('p/').json).toBe('p/latest/report.json');
  });

  it('uses the UTC day of the start time', () => {
    // 23:30 at UTC-05:00 is the next day in UTC.
    expect(reportKeys('p', RUN_ID, '2026-12-31T23:30:00-05:00').runs.json).toMatch(/^p\/runs\/2027\/01\/01\//);
  });

  it('refuses a run id that would add folders, and a bad time', () => {
    expect(() => reportKeys('p', '../x', '2026-11-22T06:00:00Z')).toThrow();
    expect(() => reportKeys('p', 'a/b', '2026-11-22T06:00:00Z')).toThrow();
    expect(() => reportKeys('p', RUN_ID, 'yesterday')).toThrow(/startedAt is not a valid time: "yesterday"/);
  });

  it('refuses a start time whose year has no four-digit date folder', () => {
    expect(() => reportKeys('p', RUN_ID, '+010000-01-01T00:00:00Z')).toThrow(/startedAt is outside years 0000-9999/);
    expect(() => reportKeys('p', RUN_ID, '-000001-06-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('changeKey', () => {
  it('files a change by the UTC day of its event time', () => {
    expect(changeKey('p/', 'c3a9e7b2-1f2d-4a5b-9c8d-0e1f2a3b4c5d', '2026-11-22T06:00:01Z')).toBe(
      'p/changes/dt=2026-11-22/c3a9e7b2-1f2d-4a5b-9c8d-0e1f2a3b4c5d.json',
    );
  });

  it('keeps a hostile event id inside its folder', () => {
    expect(changeKey('', '../../latest/report', '2026-11-22T06:00:01Z')).toBe('changes/dt=2026-11-22/.._.._latest_report.json');
    expect(changeKey('', '..', '2026-11-22T06:00:01Z')).toBe('changes/dt=2026-11-22/__.json');
    expect(changeKey('', 'a b\nc?é', '2026-11-22T06:00:01Z')).toBe('changes/dt=2026-11-22/a_b_c__.json');
    expect(() => changeKey('', '', '2026-11-22T06:00:01Z')).toThrow();
  });

  it('names the event time when it is not a time', () => {
    expect(() => changeKey('', 'id', 'soon')).toThrow(/eventTime is not a valid time/);
  });
});

describe('findingsJsonl', () => {
  it('writes one flat line per account with the same keys, and no contact names or phones', () => {
    // Prepare
    const nc = missingSecurity('333333333333');
    nc.contacts.BILLING = contact('Secret Person', { phoneNumber: '+1 206 555 0199', title: 'Hidden Title' });
    const r = report([nc, skipped('444444444444')]);

    // Act
    const text = findingsJsonl(r);

    // Assess
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      runId: RUN_ID,
      runStartedAt: '2026-11-22T06:00:00.000Z',
      organizationId: 'o-abc123defg',
      accountId: '333333333333',
      status: 'NON_COMPLIANT',
      findingCodes: ['MISSING_CONTACT'],
    });
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(rows[1]!));
    expect(rows[1]).toMatchObject({ accountId: '444444444444', status: 'SKIPPED', findingCodes: [], findings: [] });
    expect(text).not.toContain('Secret Person');
    expect(text).not.toContain('0199');
    expect(text).not.toContain('Hidden Title');
  });
});

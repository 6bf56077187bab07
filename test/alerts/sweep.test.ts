import { describe, expect, it } from 'vitest';
import { planSweepAlerts } from '../../src/alerts/sweepAlerts.ts';
import { compliant, missingSecurity, report } from '../report/fixtures.ts';

const opts = { maxAlertsPerSweep: 25, reportLocation: 's3://bucket/audits/runs/2026/11/22/r/report.html' };

describe('planSweepAlerts', () => {
  it('sends only the summary when there is no previous report', () => {
    // Act
    const alerts = planSweepAlerts(undefined, report([missingSecurity('333333333333'), compliant('444444444444')]), opts);

    // Assess
    expect(alerts.map((a) => a.eventType)).toEqual(['SWEEP_SUMMARY']);
    expect(alerts[0]!.severity).toBe('MEDIUM');
  });

  it('sends opened alerts, then resolved ones, each by account id, then the summary', () => {
    // Prepare
    const previous = report([compliant('999999999999'), compliant('555555555555'), missingSecurity('444444444444'), missingSecurity('222222222223')]);
    const current = report([missingSecurity('999999999999'), missingSecurity('555555555555'), compliant('444444444444'), compliant('222222222223')]);

    // Act
    const alerts = planSweepAlerts(previous, current, opts);

    // Assess
    expect(alerts.map((a) => `${a.eventType}:${a.accountId ?? '-'}`)).toEqual([
      'VIOLATION_OPENED:555555555555',
      'VIOLATION_OPENED:999999999999',
      'VIOLATION_RESOLVED:222222222223',
      'VIOLATION_RESOLVED:444444444444',
      'SWEEP_SUMMARY:-',
    ]);
  });

  it('caps per-account alerts and names the rest in the summary', () => {
    // Prepare: 4 accounts newly broken, 2 fixed, cap 3.
    const ids = ['100000000001', '100000000002', '100000000003', '100000000004'];
    const fixed = ['200000000001', '200000000002'];
    const previous = report([...ids.map((id) => compliant(id)), ...fixed.map((id) => missingSecurity(id))]);
    const current = report([...ids.map((id) => missingSecurity(id)), ...fixed.map((id) => compliant(id))]);

    // Act
    const alerts = planSweepAlerts(previous, current, { ...opts, maxAlertsPerSweep: 3 });

    // Assess
    expect(alerts).toHaveLength(4);
    expect(alerts.slice(0, 3).map((a) => a.accountId)).toEqual(['100000000001', '100000000002', '100000000003']);
    const summary = alerts[3]!;
    expect(summary.eventType).toBe('SWEEP_SUMMARY');
    expect(summary.data.suppressed).toEqual({ opened: ['100000000004'], resolved: fixed });
    expect(summary.data.opened).toEqual(ids);
    expect(summary.data.resolved).toEqual(fixed);
    expect(summary.message).toContain('100000000004');
    expect(summary.message).toContain(opts.reportLocation);
  });

  it('with a cap of 0 sends only the summary', () => {
    const alerts = planSweepAlerts(report([compliant('333333333333')]), report([missingSecurity('333333333333')]), { ...opts, maxAlertsPerSweep: 0 });
    expect(alerts.map((a) => a.eventType)).toEqual(['SWEEP_SUMMARY']);
    expect(alerts[0]!.data.suppressed).toEqual({ opened: ['333333333333'], resolved: [] });
  });

  it('refuses a cap that is not a whole number', () => {
    expect(() => planSweepAlerts(undefined, report([]), { ...opts, maxAlertsPerSweep: -1 })).toThrow();
    expect(() => planSweepAlerts(undefined, report([]), { ...opts, maxAlertsPerSweep: Number.NaN })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import {
  contactChangeDeniedAlert,
  contactChangedAlert,
  MAX_IDS_IN_SUMMARY,
  newAccountNotCompliantAlert,
  sweepSummaryAlert,
  testAlert,
  violationOpenedAlert,
  violationResolvedAlert,
} from '../../src/alerts/buildAlerts.ts';
import { MACHINE_MARKER } from '../../src/alerts/messageText.ts';
import type { Alert } from '../../src/alerts/types.ts';
import { compliant, missingSecurity, report, unknownSecurity } from '../report/fixtures.ts';

const SUBJECT = /^[\x20-\x7E]{1,99}$/;

/** The human part and the parsed JSON part of a message. */
function split(alert: Alert): { human: string; json: unknown } {
  const [human, json] = alert.message.split(`\n${MACHINE_MARKER}\n`);
  return { human: human!, json: JSON.parse(json!) };
}

const changed = {
  eventId: 'c3a9e7b2-1f2d-4a5b-9c8d-0e1f2a3b4c5d',
  eventName: 'DeleteAlternateContact' as const,
  accountId: '333333333333',
  contactType: 'SECURITY',
  actorArn: 'arn:aws:sts::222222222222:assumed-role/Admin/alice',
  sourceIp: '203.0.113.7',
  eventTime: '2026-11-22T06:00:01Z',
};

describe('contactChangedAlert', () => {
  it('is HIGH with the account now NON_COMPLIANT, names who, where, when and what', () => {
    // Act
    const alert = contactChangedAlert({ ...changed, result: missingSecurity('333333333333', 'prod-app') });

    // Assess
    expect(alert.eventType).toBe('CONTACT_CHANGED');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toBe('[contact-auditor] SECURITY contact deleted on 333333333333 (now NON_COMPLIANT)');
    expect(alert.attributes).toEqual({ event_type: 'CONTACT_CHANGED', severity: 'HIGH', account_id: '333333333333' });
    const { human, json } = split(alert);
    expect(human).toContain('arn:aws:sts::222222222222:assumed-role/Admin/alice');
    expect(human).toContain('203.0.113.7');
    expect(human).toContain('2026-11-22T06:00:01Z');
    expect(human).toContain('prod-app');
    expect(human).toContain('What to do');
    expect(json).toEqual(alert.data);
    expect(alert.data).toMatchObject({
      eventId: changed.eventId,
      accountId: '333333333333',
      contactType: 'SECURITY',
      actorArn: changed.actorArn,
      sourceIp: '203.0.113.7',
      eventTime: '2026-11-22T06:00:01Z',
      status: 'NON_COMPLIANT',
      findings: [{ contactType: 'SECURITY', code: 'MISSING_CONTACT', message: 'The SECURITY contact is not set.' }],
    });
  });

  it('tells the notes of the account (a root e-mail update in flight) apart from its findings, without raising the severity', () => {
    // Prepare
    const result = {
      ...compliant('333333333333', 'prod-app'),
      notes: [{ contactType: 'ROOT_EMAIL' as const, code: 'ROOT_EMAIL_UPDATE_PENDING' as const, message: 'A root user e-mail update is in flight (PENDING).' }],
    };
    // Act
    const alert = contactChangedAlert({ ...changed, eventName: 'StartPrimaryEmailUpdate', contactType: 'ROOT_EMAIL', result });
    // Assess
    expect(alert.severity).toBe('LOW');
    const { human, json } = split(alert);
    expect(human).toContain('Notes (not findings):\n  - ROOT_EMAIL ROOT_EMAIL_UPDATE_PENDING: A root user e-mail update is in flight (PENDING).');
    expect(json).toMatchObject({ findings: [], notes: [{ contactType: 'ROOT_EMAIL', code: 'ROOT_EMAIL_UPDATE_PENDING', errorCode: null }] });
    // Without notes the alert has no notes key, as before.
    expect('notes' in contactChangedAlert({ ...changed, result: compliant('333333333333') }).data).toBe(false);
  });

  it.each([
    [unknownSecurity('333333333333'), 'MEDIUM'],
    [compliant('333333333333'), 'LOW'],
  ] as const)('is %# graded by the status now', (result, severity) => {
    const alert = contactChangedAlert({ ...changed, eventName: 'PutAlternateContact', result });
    expect(alert.severity).toBe(severity);
    expect(alert.attributes.severity).toBe(severity);
    expect(alert.subject).toContain('updated');
  });

  it('keeps hostile event text out of the subject and the human lines', () => {
    // Prepare
    const hostile = `evil\r\nSubject: x\u001B[2J\u0000${'😀'.repeat(200)}`;

    // Act
    const alert = contactChangedAlert({
      ...changed,
      contactType: hostile,
      actorArn: hostile,
      accountName: hostile,
      result: compliant('333333333333', hostile),
    });

    // Assess
    expect(alert.subject).toMatch(SUBJECT);
    const { human, json } = split(alert);
    expect(human).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    expect(human).not.toContain('\nSubject: x');
    expect((json as { actorArn: string }).actorArn).toBe(hostile);
  });
});

describe('contactChangeDeniedAlert', () => {
  it('is MEDIUM and carries the error', () => {
    // Act
    const alert = contactChangeDeniedAlert({ ...changed, errorCode: 'AccessDenied', errorMessage: 'not allowed' });

    // Assess
    expect(alert.severity).toBe('MEDIUM');
    expect(alert.attributes).toEqual({ event_type: 'CONTACT_CHANGE_DENIED', severity: 'MEDIUM', account_id: '333333333333' });
    expect(alert.subject).toMatch(SUBJECT);
    expect(alert.subject).toContain('AccessDenied');
    expect(split(alert).human).toContain('AccessDenied: not allowed');
    expect(alert.data).toMatchObject({ errorCode: 'AccessDenied', errorMessage: 'not allowed', actorArn: changed.actorArn });
  });
});

describe('violation alerts', () => {
  it('opened is HIGH and lists the new findings', () => {
    const alert = violationOpenedAlert(missingSecurity('333333333333'), missingSecurity('333333333333').findings, 'run-1');
    expect(alert.severity).toBe('HIGH');
    expect(alert.attributes).toEqual({ event_type: 'VIOLATION_OPENED', severity: 'HIGH', account_id: '333333333333' });
    expect(alert.data).toMatchObject({ runId: 'run-1', newFindings: [{ code: 'MISSING_CONTACT' }] });
  });

  it('resolved is INFO', () => {
    const alert = violationResolvedAlert('333333333333', 'prod', missingSecurity('333333333333').findings, 'run-2');
    expect(alert.severity).toBe('INFO');
    expect(alert.attributes).toEqual({ event_type: 'VIOLATION_RESOLVED', severity: 'INFO', account_id: '333333333333' });
    expect(alert.subject).toMatch(SUBJECT);
  });
});

describe('sweepSummaryAlert', () => {
  it('is INFO when every account is fine, with no account_id attribute', () => {
    // Act
    const alert = sweepSummaryAlert(report([compliant('444444444444')]), { opened: [], resolved: [] }, 's3://b/p/latest/report.html', { opened: [], resolved: [] });

    // Assess
    expect(alert.severity).toBe('INFO');
    expect(alert.attributes).toEqual({ event_type: 'SWEEP_SUMMARY', severity: 'INFO' });
    expect(alert.accountId).toBeUndefined();
    expect(split(alert).human).toContain('s3://b/p/latest/report.html');
  });

  it('is MEDIUM with an UNKNOWN account and names opened, resolved and suppressed accounts', () => {
    // Prepare
    const r = report([missingSecurity('333333333333'), unknownSecurity('444444444444')]);
    const diff = { opened: [{ account: r.accounts[0]!, newFindings: r.accounts[0]!.findings }], resolved: [{ accountId: '555555555555', name: 'x', resolved: [] }] };

    // Act
    const alert = sweepSummaryAlert(r, diff, 'loc', { opened: ['333333333333'], resolved: [] });

    // Assess
    expect(alert.severity).toBe('MEDIUM');
    const { human } = split(alert);
    expect(human).toContain('Non-compliant: 1');
    expect(human).toContain('Unknown:       1');
    expect(human).toMatch(/not sent because of the per-sweep limit:\n {2}opened: {3}333333333333/);
    expect(alert.data).toMatchObject({ opened: ['333333333333'], resolved: ['555555555555'], suppressed: { opened: ['333333333333'], resolved: [] }, reportLocation: 'loc' });
  });
  it('stays under the SNS 256 KB limit for an organization of 20,000 newly non-compliant accounts, and says what it cut', () => {
    // Prepare: every account newly opened, and the per-account alerts all held back by the cap.
    const ids = Array.from({ length: 20_000 }, (_, i) => String(100000000000 + i));
    const r = report(ids.map((id) => missingSecurity(id)));
    const diff = { opened: r.accounts.map((account) => ({ account, newFindings: account.findings })), resolved: [] };

    // Act
    const alert = sweepSummaryAlert(r, diff, 's3://b/latest/report.html', { opened: ids.slice(25), resolved: [] });

    // Assess
    expect(Buffer.byteLength(alert.message, 'utf8')).toBeLessThan(256 * 1024);
    const { json } = split(alert) as { json: Record<string, any> };
    expect(json.summary.nonCompliant).toBe(20_000);
    expect(json.nonCompliantAccountIds).toHaveLength(MAX_IDS_IN_SUMMARY);
    expect(json.truncated).toEqual({ nonCompliantAccountIds: 20_000, opened: 20_000, 'suppressed.opened': 19_975 });
  });
});

describe('testAlert', () => {
  it('is an INFO TEST message', () => {
    const alert = testAlert({ topicArn: 'arn:aws:sns:us-east-1:222222222222:alerts', time: '2026-11-22T06:00:00Z' });
    expect(alert.attributes).toEqual({ event_type: 'TEST', severity: 'INFO' });
    expect(alert.subject).toBe('[contact-auditor] Test alert');
    expect(split(alert).json).toEqual(alert.data);
  });
});

describe('newAccountNotCompliantAlert', () => {
  it('is HIGH, names the account, how long ago it arrived and what is missing', () => {
    // Act
    const alert = newAccountNotCompliantAlert({
      accountId: '555566667777',
      accountName: 'new-app',
      source: 'CreateAccountResult',
      arrivedAt: '2026-12-01T10:00:00.000Z',
      graceHours: 24,
      checkedAt: '2026-12-02T11:30:00.000Z',
      result: missingSecurity('555566667777', 'new-app'),
    });
    // Assess
    expect(alert.eventType).toBe('NEW_ACCOUNT_NOT_COMPLIANT');
    expect(alert.attributes).toEqual({ event_type: 'NEW_ACCOUNT_NOT_COMPLIANT', severity: 'HIGH', account_id: '555566667777' });
    expect(alert.subject).toMatch(SUBJECT);
    expect(alert.subject).toBe('[contact-auditor] New account 555566667777 still not compliant after 25 hours: 1 finding');
    const { human, json } = split(alert);
    expect(human).toContain('Account 555566667777 (new-app) was created in the organization (CreateAccountResult) 25 hours ago');
    expect(human).toContain('grace period of 24 hours is over');
    expect(human).toMatch(/SECURITY MISSING_CONTACT/);
    expect(json).toMatchObject({ accountId: '555566667777', source: 'CreateAccountResult', graceHours: 24, status: 'NON_COMPLIANT', findings: [{ contactType: 'SECURITY', code: 'MISSING_CONTACT' }] });
  });

  it('counts days once two have passed', () => {
    // Act
    const alert = newAccountNotCompliantAlert({ accountId: '555566667777', source: 'sweep', arrivedAt: '2026-12-01T00:00:00Z', graceHours: 48, checkedAt: '2026-12-04T01:00:00Z', result: missingSecurity('555566667777') });
    // Assess
    expect(split(alert).human).toContain('was first seen by a sweep 3 days ago');
  });
});

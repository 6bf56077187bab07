/**
 * Every check of the JSON report appears in ASFF, OCSF and JUnit with the same status, check by
 * check: the alternate contacts, the primary contact and the root e-mail alike. The expected checks
 * are read from the JSON report as a consumer would, not from the renderers' shared code.
 */
import { describe, expect, it } from 'vitest';
import type { AccountResult, Report } from '../../src/model.ts';
import { renderAsff } from '../../src/report/render/asff.ts';
import { renderJson } from '../../src/report/render/json.ts';
import { renderJunit } from '../../src/report/render/junit.ts';
import { renderOcsf } from '../../src/report/render/ocsf.ts';
import { compliant, missingSecurity, report, skipped, unknownSecurity, withFindings } from './fixtures.ts';

type Outcome = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';

const PRIMARY = { fullName: 'Example Corp', companyName: 'Example Corp', phoneNumber: '+12065550100', addressLine1: '1 Main St', city: 'Seattle', postalCode: '98101', countryCode: 'US' };

/** Only the root e-mail is wrong: every alternate contact and the primary contact pass. */
const rootOnly = (id: string): AccountResult => ({
  ...withFindings(compliant(id), [{ contactType: 'ROOT_EMAIL', code: 'ROOT_EMAIL_NOT_COMPANY_DOMAIN', message: 'The root user e-mail root@gmail.com is not in a company domain.' }], 'NON_COMPLIANT'),
  primaryContact: PRIMARY,
  rootEmail: 'root@gmail.com',
});
/** Only the primary contact is wrong. */
const primaryOnly = (id: string): AccountResult => ({
  ...withFindings(compliant(id), [{ contactType: 'PRIMARY', code: 'PRIMARY_CONTACT_COMPANY_NAME_MISMATCH', message: 'PRIMARY contact company name is "Someone Else".' }], 'NON_COMPLIANT'),
  primaryContact: { ...PRIMARY, companyName: 'Someone Else' },
  rootEmail: 'aws-root@example.com',
});
/** Both pass, and an unread root e-mail is a WARNING, never PASSED. */
const primaryPass = (id: string): AccountResult => ({ ...compliant(id), primaryContact: PRIMARY, rootEmail: 'aws-root@example.com' });
/** Only the primary phone is unverified (primaryContact.requireVerifiedPhone): FAILED everywhere, with its code. */
const phoneUnverified = (id: string): AccountResult => ({
  ...withFindings(compliant(id), [{ contactType: 'PRIMARY', code: 'PRIMARY_PHONE_NOT_VERIFIED', message: 'PRIMARY contact phone number is not verified (UNVERIFIED).' }], 'NON_COMPLIANT'),
  primaryContact: PRIMARY,
  primaryPhoneVerification: 'UNVERIFIED',
  rootEmail: 'aws-root@example.com',
});
/** A root e-mail update in flight is a note: the account stays COMPLIANT and every check PASSED. */
const rootUpdatePending = (id: string): AccountResult => ({
  ...compliant(id),
  primaryContact: PRIMARY,
  rootEmail: 'aws-root@example.com',
  notes: [{ contactType: 'ROOT_EMAIL', code: 'ROOT_EMAIL_UPDATE_PENDING', message: 'A root user e-mail update is in flight (PENDING).' }],
});
const rootUnread = (id: string): AccountResult => ({
  ...withFindings(compliant(id), [{ contactType: 'ROOT_EMAIL', code: 'CHECK_FAILED', message: 'Could not read the root e-mail.', errorCode: 'AccessDeniedException' }], 'UNKNOWN'),
  primaryContact: PRIMARY,
});

const sample = () =>
  report([
    rootOnly('100000000001'),
    primaryOnly('100000000002'),
    primaryPass('100000000003'),
    rootUnread('100000000004'),
    missingSecurity('100000000005'),
    unknownSecurity('100000000006'),
    skipped('100000000007'),
    phoneUnverified('100000000008'),
    rootUpdatePending('100000000009'),
  ]);

/** The checks a consumer of the JSON report sees: account/subject → outcome. */
function expectedChecks(json: Report): Map<string, Outcome> {
  const checks = new Map<string, Outcome>();
  for (const a of json.accounts) {
    const subjects = new Set<string>([...json.policy.requiredContactTypes, ...Object.keys(a.contacts), ...a.findings.map((f) => f.contactType)]);
    if (a.primaryContact !== undefined) subjects.add('PRIMARY');
    if (a.rootEmail !== undefined) subjects.add('ROOT_EMAIL');
    for (const s of subjects) {
      const fs = a.findings.filter((f) => f.contactType === s);
      const outcome: Outcome =
        a.status === 'SKIPPED' ? 'NOT_AVAILABLE' : fs.some((f) => !f.exemption && f.code !== 'CHECK_FAILED') ? 'FAILED' : fs.some((f) => f.code === 'CHECK_FAILED') ? 'WARNING' : 'PASSED';
      checks.set(`${a.accountId}/${s}`, outcome);
    }
  }
  return checks;
}

const OCSF_STATUS: Record<string, Outcome> = { Pass: 'PASSED', Fail: 'FAILED', Warning: 'WARNING', Unknown: 'NOT_AVAILABLE' };

function junitChecks(xml: string): Map<string, Outcome> {
  const checks = new Map<string, Outcome>();
  for (const m of xml.matchAll(/<testcase classname="contact-auditor\.(\d+)" name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[4] ?? '';
    const outcome: Outcome = body.includes('<failure') ? 'FAILED' : body.includes('<error') ? 'WARNING' : body.includes('<skipped') ? 'NOT_AVAILABLE' : 'PASSED';
    checks.set(`${m[1]}/${m[2]}`, outcome);
  }
  return checks;
}

describe('every format carries every check of the JSON report', () => {
  const r = sample();
  const json = JSON.parse(renderJson(r)) as Report;
  const expected = expectedChecks(json);

  it('includes the primary-contact and root e-mail checks among the expected ones', () => {
    expect(expected.get('100000000001/ROOT_EMAIL')).toBe('FAILED');
    expect(expected.get('100000000002/PRIMARY')).toBe('FAILED');
    expect(expected.get('100000000004/ROOT_EMAIL')).toBe('WARNING');
    expect(expected.get('100000000008/PRIMARY')).toBe('FAILED');
    expect(expected.get('100000000009/ROOT_EMAIL')).toBe('PASSED');
    // 6 accounts × (3 alternate contacts + PRIMARY + ROOT_EMAIL), 3 accounts × 3 alternate contacts.
    expect(expected.size).toBe(6 * 5 + 3 * 3);
    expect(json.accounts.find((a) => a.accountId === '100000000008')?.findings.map((f) => f.code)).toEqual(['PRIMARY_PHONE_NOT_VERIFIED']);
  });

  it('ASFF: one finding per check, same status', () => {
    const findings = renderAsff(r).trimEnd().split('\n').flatMap((l) => (JSON.parse(l) as { Findings: { Id: string; Compliance: { Status: Outcome } }[] }).Findings);
    const got = new Map(findings.map((f) => [f.Id.replace(/^contact-auditor\//, ''), f.Compliance.Status]));
    expect(got).toEqual(expected);
  });

  it('OCSF: one event per check, same status', () => {
    const events = JSON.parse(renderOcsf(r)) as { finding_info: { uid: string }; compliance: { status: string } }[];
    const got = new Map(events.map((e) => [e.finding_info.uid.replace(/^contact-auditor\//, ''), OCSF_STATUS[e.compliance.status]]));
    expect(got).toEqual(expected);
  });

  it('JUnit: one testcase per check, same outcome', () => {
    expect(junitChecks(renderJunit(r))).toEqual(expected);
  });

  it('ASFF and OCSF name the same controls for each check: CIS 1.1 for the primary contact and root e-mail, 1.2 and Account.1 for SECURITY', () => {
    const asff = new Map(
      renderAsff(r)
        .trimEnd()
        .split('\n')
        .flatMap((l) => (JSON.parse(l) as { Findings: { Id: string; Compliance: { RelatedRequirements?: string[] } }[] }).Findings)
        .map((f) => [f.Id, f.Compliance.RelatedRequirements ?? []]),
    );
    const ocsf = new Map((JSON.parse(renderOcsf(r)) as { finding_info: { uid: string }; compliance: { requirements?: string[] } }[]).map((e) => [e.finding_info.uid, e.compliance.requirements ?? []]));
    expect(ocsf).toEqual(asff);
    expect(asff.get('contact-auditor/100000000001/ROOT_EMAIL')).toEqual(['CIS AWS Foundations Benchmark v1.4.0/1.1', 'CIS AWS Foundations Benchmark v3.0.0/1.1']);
    expect(asff.get('contact-auditor/100000000005/SECURITY')).toEqual(expect.arrayContaining(['CIS AWS Foundations Benchmark v5.0.0/1.2', 'AWS Foundational Security Best Practices v1.0.0/Account.1']));
    expect(asff.get('contact-auditor/100000000005/BILLING')).not.toContain('CIS AWS Foundations Benchmark v3.0.0/1.2');
  });

  it('every format names PRIMARY_PHONE_NOT_VERIFIED where the JSON report has it', () => {
    const asff = renderAsff(r)
      .trimEnd()
      .split('\n')
      .flatMap((l) => (JSON.parse(l) as { Findings: { Id: string; ProductFields: Record<string, string>; Remediation?: { Recommendation: { Text: string } } }[] }).Findings)
      .find((f) => f.Id === 'contact-auditor/100000000008/PRIMARY')!;
    expect(asff.ProductFields['contact-auditor/Codes']).toBe('PRIMARY_PHONE_NOT_VERIFIED');
    expect(asff.Remediation?.Recommendation.Text).toMatch(/verify it/);
    expect(asff.Remediation?.Recommendation.Text).not.toMatch(/put-contact-information/);
    const ocsf = (JSON.parse(renderOcsf(r)) as { finding_info: { uid: string }; compliance: { status_code?: string } }[]).find((e) => e.finding_info.uid === 'contact-auditor/100000000008/PRIMARY')!;
    expect(ocsf.compliance.status_code).toContain('PRIMARY_PHONE_NOT_VERIFIED');
    expect(renderJunit(r)).toMatch(/<testcase classname="contact-auditor\.100000000008" name="PRIMARY"[^>]*>\s*<failure type="PRIMARY_PHONE_NOT_VERIFIED"/);
  });

  it('a note is told in every format, and changes no outcome', () => {
    const asff = renderAsff(r)
      .trimEnd()
      .split('\n')
      .flatMap((l) => (JSON.parse(l) as { Findings: { Id: string; Description: string; ProductFields: Record<string, string>; Compliance: { Status: string } }[] }).Findings)
      .find((f) => f.Id === 'contact-auditor/100000000009/ROOT_EMAIL')!;
    expect(asff.Compliance.Status).toBe('PASSED');
    expect(asff.ProductFields['contact-auditor/Notes']).toBe('ROOT_EMAIL_UPDATE_PENDING');
    expect(asff.ProductFields['contact-auditor/Codes']).toBe('NONE');
    expect(asff.Description).toContain('note ROOT_EMAIL_UPDATE_PENDING');
    const ocsf = (JSON.parse(renderOcsf(r)) as { finding_info: { uid: string; desc?: string }; message?: string; compliance: { status: string } }[]).find(
      (e) => e.finding_info.uid === 'contact-auditor/100000000009/ROOT_EMAIL',
    )!;
    expect(ocsf.compliance.status).toBe('Pass');
    expect(JSON.stringify(ocsf)).toContain('note ROOT_EMAIL_UPDATE_PENDING');
    expect(renderJunit(r)).toMatch(/name="ROOT_EMAIL"[^>]*>\s*<system-out>note ROOT_EMAIL_UPDATE_PENDING/);
  });
});

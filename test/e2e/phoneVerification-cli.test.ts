/**
 * `contact-audit sweep` end to end, in process, against the emulator: an unverified primary phone
 * is PRIMARY_PHONE_NOT_VERIFIED in the JSON report and in ASFF; a root e-mail update in flight is a
 * note; an unreadable update status is a note too, never a reason for UNKNOWN. No phone
 * verification call reaches the emulator.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountResult, Report } from '../../src/model.ts';
import { type Emulator, parseFixture, startEmulator } from '@contact-auditor/aws-emulator';
import { runMain } from '../cli/inProcess.ts';
import { billing, DELEGATED_ADMIN, MEMBER, MEMBER_EMPTY, smallOrg } from '../fixtures/organizations.ts';
import { emulatorEnv } from './cli.ts';

const INFO = { fullName: 'Cloud Team', companyName: 'Example Corp', phoneNumber: '+1 206 555 0100', addressLine1: '410 Terry Ave N', city: 'Seattle', stateOrRegion: 'WA', postalCode: '98109', countryCode: 'US' };

/**
 * MEMBER's primary phone UNVERIFIED; MEMBER_EMPTY compliant (its BILLING contact, a VERIFIED phone)
 * with a root e-mail update PENDING; the delegated admin's phone NOT_SUPPORTED.
 */
function fixtureJson(more: Record<string, unknown> = {}): Record<string, unknown> {
  const org = smallOrg();
  const extra: Record<string, Record<string, unknown>> = {
    [MEMBER]: { contactInformation: INFO, phoneVerificationStatus: 'UNVERIFIED' },
    [MEMBER_EMPTY]: { contacts: { BILLING: billing }, contactInformation: INFO, phoneVerificationStatus: 'VERIFIED', primaryEmailUpdate: { status: 'PENDING', updatedAt: '2026-12-01T09:30:00Z' } },
    [DELEGATED_ADMIN]: { contactInformation: INFO, phoneVerificationStatus: 'NOT_SUPPORTED' },
  };
  return { ...org, accounts: org.accounts.map((a) => ({ ...a, ...(extra[a.id] ?? {}) })), ...more };
}

const POLICY = {
  companyDomains: ['example.com'],
  requiredContactTypes: ['BILLING'],
  primaryContact: { companyNamePattern: '^Example Corp$', requireVerifiedPhone: true },
  rootEmail: { updateStatus: true },
};

let work: string;
let policyPath: string;
let emu: Emulator | undefined;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'contact-audit-phone-'));
  policyPath = join(work, 'policy.json');
  await writeFile(policyPath, JSON.stringify(POLICY));
});
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function sweep(fixture: Record<string, unknown>, format: string) {
  emu = await startEmulator({ fixture: parseFixture(fixture), port: 0, quotaScale: 20 });
  return runMain(['sweep', '--config', policyPath, '--format', format], emulatorEnv(emu.url, DELEGATED_ADMIN, 20));
}

const byId = (report: Report, id: string): AccountResult => report.accounts.find((a) => a.accountId === id)!;

describe('sweep with requireVerifiedPhone and rootEmail.updateStatus', () => {
  it('JSON: PRIMARY_PHONE_NOT_VERIFIED for the UNVERIFIED phone, a note for the PENDING update, exit 1', async () => {
    // Act
    const run = await sweep(fixtureJson(), 'json');
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const member = byId(report, MEMBER);
    expect(member.status).toBe('NON_COMPLIANT');
    expect(member.findings.map((f) => `${f.contactType}:${f.code}`)).toEqual(['PRIMARY:PRIMARY_PHONE_NOT_VERIFIED']);
    expect(member.primaryPhoneVerification).toBe('UNVERIFIED');
    const pending = byId(report, MEMBER_EMPTY);
    // A note judges nothing: the account stays COMPLIANT.
    expect(pending.findings).toEqual([]);
    expect(pending.status).toBe('COMPLIANT');
    expect(pending.primaryPhoneVerification).toBe('VERIFIED');
    expect(pending.notes).toEqual([expect.objectContaining({ contactType: 'ROOT_EMAIL', code: 'ROOT_EMAIL_UPDATE_PENDING', message: expect.stringContaining('2026-12-01T09:30:00.000Z') })]);
    // NOT_SUPPORTED: AWS offers no verification, so nothing to fix.
    expect(byId(report, DELEGATED_ADMIN).findings.filter((f) => f.contactType === 'PRIMARY')).toEqual([]);
    // Only reads: no passcode was texted to anyone.
    const calls = emu!.state().requestCounts;
    expect(calls.SendPhoneNumberVerification ?? 0).toBe(0);
    expect(calls.VerifyPhoneNumber ?? 0).toBe(0);
    expect(calls.GetPrimaryEmailUpdateStatus).toBeGreaterThan(0);
  });

  it('ASFF: the PRIMARY finding FAILED with the code, the note on a PASSED ROOT_EMAIL finding', async () => {
    // Act
    const run = await sweep(fixtureJson(), 'asff');
    // Assess
    expect(run.code, run.stderr).toBe(1);
    type Finding = { Id: string; Compliance: { Status: string }; ProductFields: Record<string, string>; Description: string };
    const findings = run.stdout
      .trimEnd()
      .split('\n')
      .flatMap((l) => (JSON.parse(l) as { Findings: Finding[] }).Findings);
    const primary = findings.find((f) => f.Id === `contact-auditor/${MEMBER}/PRIMARY`)!;
    expect(primary.Compliance.Status).toBe('FAILED');
    expect(primary.ProductFields['contact-auditor/Codes']).toBe('PRIMARY_PHONE_NOT_VERIFIED');
    const root = findings.find((f) => f.Id === `contact-auditor/${MEMBER_EMPTY}/ROOT_EMAIL`)!;
    expect(root.Compliance.Status).toBe('PASSED');
    expect(root.ProductFields['contact-auditor/Notes']).toBe('ROOT_EMAIL_UPDATE_PENDING');
    expect(root.Description).toContain('note ROOT_EMAIL_UPDATE_PENDING');
  });

  it('an update status the caller may not read is a note on each member, not UNKNOWN', async () => {
    // Prepare: the delegated admin lacks account:GetPrimaryEmailUpdateStatus.
    const fixture = fixtureJson({ iamDenies: { [DELEGATED_ADMIN]: ['account:GetPrimaryEmailUpdateStatus'] } });
    // Act
    const run = await sweep(fixture, 'json');
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const pending = byId(report, MEMBER_EMPTY);
    expect(pending.notes?.map((n) => [n.code, n.errorCode])).toEqual([['ROOT_EMAIL_UPDATE_STATUS_UNREAD', 'AccessDeniedException']]);
    expect(pending.findings).toEqual([]);
    expect(pending.status).toBe('COMPLIANT');
    expect(byId(report, MEMBER).status).toBe('NON_COMPLIANT');
  });
});

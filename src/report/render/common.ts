/** Ordering and labels shared by the renderers. */
import { CONTACT_TYPES, FINDING_SUBJECTS, isContactKind, isFindingSubject } from '../../model.ts';
import type { AccountEvidence, AccountResult, AccountStatus, Contact, EvidenceSource, EvidenceSummary, Finding, FindingSubject, Note, Report } from '../../model.ts';

/** Accounts that need someone's attention come first (§5 Markdown and HTML). */
export const ATTENTION_ORDER: readonly AccountStatus[] = ['NON_COMPLIANT', 'UNKNOWN', 'EXEMPT', 'COMPLIANT', 'SKIPPED'];

/** The accounts grouped by `ATTENTION_ORDER`, keeping the report's order within a status. */
export function byAttention(accounts: readonly AccountResult[]): AccountResult[] {
  const rank = (a: AccountResult): number => {
    const i = ATTENTION_ORDER.indexOf(a.status);
    return i === -1 ? ATTENTION_ORDER.length : i;
  };
  return accounts.map((a, i) => ({ a, i })).sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i).map(({ a }) => a);
}

/** Whether an account needs attention: NON_COMPLIANT or UNKNOWN. */
export function needsAttention(account: AccountResult): boolean {
  return account.status === 'NON_COMPLIANT' || account.status === 'UNKNOWN';
}

/**
 * The contact types shown for an account: the report's required types plus any type the account
 * has a contact or finding for, in the canonical order.
 */
export function contactTypesFor(report: Report, account: AccountResult): FindingSubject[] {
  const types = new Set<FindingSubject>(report.policy.requiredContactTypes);
  for (const t of Object.keys(account.contacts)) if (isFindingSubject(t)) types.add(t);
  for (const f of account.findings) types.add(f.contactType);
  // Other clouds name their own types (Alibaba's message types and its secure-phone check): after
  // the AWS ones, in report order. The primary contact and the root e-mail are subjects of their
  // own ({@link subjectsFor}).
  const aws = new Set<string>(FINDING_SUBJECTS);
  const others = [...types].filter((t) => !aws.has(t));
  return [...CONTACT_TYPES.filter((t) => types.has(t)), ...others];
}

/** The contact the report holds for a subject: null when missing, undefined when unread or when the subject is no contact kind. */
export function contactOf(account: AccountResult, subject: string): Contact | null | undefined {
  return isContactKind(subject) ? account.contacts[subject] : undefined;
}

/**
 * {@link contactTypesFor} plus `PRIMARY` and `ROOT_EMAIL` when the account has that value or a
 * finding about it (only with the policy's `primaryContact` / `rootEmail` sections).
 */
export function subjectsFor(report: Report, account: AccountResult): FindingSubject[] {
  const subjects: FindingSubject[] = contactTypesFor(report, account);
  const about = (subject: FindingSubject) => account.findings.some((f) => f.contactType === subject);
  if (account.primaryContact !== undefined || about('PRIMARY')) subjects.push('PRIMARY');
  if (account.rootEmail !== undefined || about('ROOT_EMAIL')) subjects.push('ROOT_EMAIL');
  return subjects;
}

/** "note ROOT_EMAIL_UPDATE_PENDING: …": a note (model.ts `Note`) on one line, marked so no reader takes it for a finding (not escaped). */
export function noteText(n: Note): string {
  return `note ${n.code}: ${n.message}`;
}

/** The account's notes about one subject (all of them without `subject`). */
export function notesOf(account: AccountResult, subject?: string): Note[] {
  return (account.notes ?? []).filter((n) => subject === undefined || n.contactType === subject);
}

/** "until 2027-01-31: reason" for an exempt finding. */
export function exemptionNote(f: Finding): string | undefined {
  return f.exemption ? `exempt until ${f.exemption.expires}: ${f.exemption.reason}` : undefined;
}

/** A finding's message with its AWS error code and exemption, on one line (not escaped). */
export function findingText(f: Finding): string {
  let text = f.message;
  if (f.errorCode && !text.includes(f.errorCode)) text += ` (${f.errorCode})`;
  const note = exemptionNote(f);
  if (note) text += ` [${note}]`;
  return text;
}

export const SUMMARY_ROWS: readonly { key: keyof Report['summary']; label: string; status?: AccountStatus }[] = [
  { key: 'nonCompliant', label: 'Non-compliant', status: 'NON_COMPLIANT' },
  { key: 'unknown', label: 'Unknown', status: 'UNKNOWN' },
  { key: 'exempt', label: 'Exempt', status: 'EXEMPT' },
  { key: 'compliant', label: 'Compliant', status: 'COMPLIANT' },
  { key: 'skipped', label: 'Skipped', status: 'SKIPPED' },
  { key: 'accounts', label: 'Total' },
];

/** "12 accounts: 1 non-compliant, 0 unknown, …". */
export function summaryLine(report: Report): string {
  const s = report.summary;
  return `${s.accounts} account${s.accounts === 1 ? '' : 's'}: ${s.nonCompliant} non-compliant, ${s.unknown} unknown, ${s.exempt} exempt, ${s.compliant} compliant, ${s.skipped} skipped`;
}

/** "SECURITY MISSING_CONTACT, BILLING INVALID_EMAIL": the findings a change opened or resolved (not escaped). */
export function changedFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.contactType} ${f.code}`).join(', ');
}

/** "contact-auditor 0.1.0, policy sha256:…": which code and which rules judged the run, when the report says (not escaped). */
export function provenanceLine(report: Report): string | undefined {
  if (report.productVersion === undefined && report.policyHash === undefined) return undefined;
  const parts = [`contact-auditor ${report.productVersion ?? '(version not recorded)'}`];
  if (report.policyHash !== undefined) parts.push(`policy ${report.policyHash}`);
  return parts.join(', ');
}

/** How urgent one check (an account's contact type) is, on the scale Security Hub's `Severity.Label` uses. */
export type CheckSeverity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';

/**
 * The severity of one check from its findings: HIGH for a missing SECURITY contact (nobody hears of
 * a security event), MEDIUM for any other open finding, LOW when the contact could not be read,
 * INFORMATIONAL when nothing is open (compliant, exempted or not checked). Exempted findings do not count.
 */
export function checkSeverity(subject: string, findings: readonly Finding[]): CheckSeverity {
  const open = findings.filter((f) => f.exemption === undefined);
  if (open.some((f) => f.code === 'MISSING_CONTACT' && subject === 'SECURITY')) return 'HIGH';
  if (open.some((f) => f.code !== 'CHECK_FAILED')) return 'MEDIUM';
  return open.length > 0 ? 'LOW' : 'INFORMATIONAL';
}

/** What read an account's evidence, in words (docs/continuous.md). */
const SOURCE_TEXT: Readonly<Record<EvidenceSource, string>> = {
  'full-sweep': 'the full sweep',
  incremental: 'the incremental sweep',
  rolling: 'the rolling re-read',
  event: 'the real-time event',
};

/** "read 2 days ago by the rolling re-read (2026-12-02T06:00:00.000Z)", and whether the latest read failed (not escaped). */
export function evidenceText(evidence: AccountEvidence): string {
  const age = evidence.ageDays === 0 ? 'today' : `${evidence.ageDays} day${evidence.ageDays === 1 ? '' : 's'} ago`;
  const stale = evidence.stale ? '; stale: the latest read failed, the account is judged on that failure' : '';
  return `read ${age} by ${SOURCE_TEXT[evidence.source]} (${evidence.readAt})${stale}`;
}

/**
 * The report's evidence summary in one line (not escaped): how the run came by its evidence, the
 * oldest of it and how many accounts are past the bound.
 */
export function evidenceSummaryText(summary: EvidenceSummary): string {
  const how =
    summary.mode === 'from-evidence'
      ? 'judged on the stored evidence alone: no contact was read'
      : summary.mode === 'incremental'
        ? `incremental sweep: ${summary.accountsRead} account${summary.accountsRead === 1 ? '' : 's'} read (${Object.entries(summary.reasons ?? {}).map(([why, n]) => `${why} ${n}`).join(', ') || 'none due'}), the others judged on their stored evidence`
        : `full sweep: ${summary.accountsRead} account${summary.accountsRead === 1 ? '' : 's'} read`;
  const oldest = summary.oldestReadAt ? `oldest evidence ${summary.oldestReadAt}` : 'no evidence';
  return `${how}; ${oldest}; ${summary.pastBound} account${summary.pastBound === 1 ? '' : 's'} past the ${summary.maxEvidenceAgeDays}-day bound`;
}

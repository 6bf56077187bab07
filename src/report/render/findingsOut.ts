/**
 * What the machine-readable finding formats (ASFF, OCSF, JUnit) share: one check per account and
 * subject (each alternate contact type, the primary contact, the root e-mail), its outcome, the
 * finding codes behind it and the controls it evidences. Keeping one "check" shape means the three
 * formats agree with the JSON report on which checks pass and fail, and on the identity of each.
 */
import type { AccountResult, Finding, FindingSubject, Note, Report } from '../../model.ts';
import { oneLine } from '../../textHygiene.ts';
import { type Control, controlsOfSubject } from '../controls.ts';
import { type CheckSeverity, findingText, notesOf, noteText, subjectsFor } from './common.ts';

/** PASSED: nothing to fix (or every finding exempted); FAILED: a finding to fix; WARNING: could not be read; NOT_AVAILABLE: not checked (SKIPPED). */
export type CheckOutcome = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';

/** One account × subject, the unit every finding format reports. */
export interface ContactCheck {
  account: AccountResult;
  /**
   * An alternate contact type, `PRIMARY` or `ROOT_EMAIL` (another cloud's contact types too);
   * `undefined` for an account with nothing to show (a SKIPPED account with no reads).
   */
  contactType: FindingSubject | undefined;
  outcome: CheckOutcome;
  /** Findings of this contact type, exempted ones included. */
  findings: Finding[];
  /** Codes of the findings that decide the outcome (exempted ones left out), de-duplicated, in report order. */
  codes: string[];
  /** The controls this check evidences, passing or failing (src/report/controls.ts). */
  controls: Control[];
  /** Notes about this subject (a root e-mail update in flight or failed): told, never judged. */
  notes: Note[];
}

function outcomeOf(account: AccountResult, findings: readonly Finding[]): CheckOutcome {
  if (account.status === 'SKIPPED') return 'NOT_AVAILABLE';
  const open = findings.filter((f) => f.exemption === undefined);
  if (open.some((f) => f.code !== 'CHECK_FAILED')) return 'FAILED';
  if (findings.some((f) => f.code === 'CHECK_FAILED')) return 'WARNING';
  return 'PASSED';
}

/**
 * Every check of the report, account by account in report order, subjects in the order of the
 * human formats ({@link subjectsFor}): the alternate contact types, then PRIMARY and ROOT_EMAIL.
 */
export function contactChecks(report: Report): ContactCheck[] {
  const checks: ContactCheck[] = [];
  for (const account of report.accounts) {
    const subjects = subjectsFor(report, account);
    const list: (FindingSubject | undefined)[] = subjects.length > 0 ? subjects : [undefined];
    for (const contactType of list) {
      const findings = account.findings.filter((f) => f.contactType === contactType);
      const codes = [...new Set(findings.filter((f) => f.exemption === undefined || f.code === 'CHECK_FAILED').map((f) => f.code))];
      const controls = contactType === undefined ? [] : controlsOfSubject(contactType);
      const notes = contactType === undefined ? [] : notesOf(account, contactType);
      checks.push({ account, contactType, outcome: outcomeOf(account, findings), findings, codes, controls, notes });
    }
  }
  return checks;
}

/** What a check is about, in words: "SECURITY alternate contact", "primary contact", "root user e-mail". */
/**
 * The severity of a check, as ASFF and OCSF both report it: HIGH for a failed check of a missing
 * SECURITY contact, MEDIUM for any other failure, LOW for a warning (the contact could not be
 * read), INFORMATIONAL for a pass. The same scale as common.ts `checkSeverity`, from the outcome.
 */
export function severityOf(check: ContactCheck): CheckSeverity {
  if (check.outcome === 'FAILED') return check.contactType === 'SECURITY' && check.codes.includes('MISSING_CONTACT') ? 'HIGH' : 'MEDIUM';
  return check.outcome === 'WARNING' ? 'LOW' : 'INFORMATIONAL';
}

export function subjectLabel(check: ContactCheck): string {
  if (check.contactType === 'PRIMARY') return 'primary contact';
  if (check.contactType === 'ROOT_EMAIL') return 'root user e-mail address';
  return check.contactType === undefined ? 'contacts' : `${check.contactType} alternate contact`;
}

/** Text safe for a machine format: one line, no controls, at most `max` characters (cut with `…`). */
export function clip(text: string, max: number): string {
  const line = oneLine(text).trim();
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/** "BILLING MISSING_CONTACT: …; …" or a sentence for a passing check. */
export function checkDescription(check: ContactCheck): string {
  const what = subjectLabel(check);
  if (check.outcome === 'NOT_AVAILABLE') return `Account ${check.account.accountId} is ${check.account.state}: its ${what} was not checked.`;
  const notes = check.notes.map(noteText);
  if (check.findings.length === 0) return [`The ${what} of account ${check.account.accountId} meets the policy.`, ...notes].join(' ');
  return [...check.findings.map((f) => `${f.code}: ${findingText(f)}`), ...notes].join('; ');
}

/** What to run to fix a failing check (Account Management API: PutAlternateContact, PutContactInformation, StartPrimaryEmailUpdate). */
export function remediation(check: ContactCheck): string {
  const id = check.account.accountId;
  if (check.contactType === 'PRIMARY') {
    const verify = `Have the holder of the primary contact phone of account ${id} verify it (AWS console, Account, Contact information)`;
    // Only the person who receives the passcode can verify the number; the auditor never sends it.
    if (check.codes.every((c) => c === 'PRIMARY_PHONE_NOT_VERIFIED')) return verify;
    const set = `Set the primary contact of account ${id} to the company: aws account put-contact-information --account-id ${id} --contact-information …`;
    return check.codes.includes('PRIMARY_PHONE_NOT_VERIFIED') ? `${set}; then ${verify.charAt(0).toLowerCase()}${verify.slice(1)}` : set;
  }
  if (check.contactType === 'ROOT_EMAIL') return `Move the root user e-mail of account ${id} to a company address: aws account start-primary-email-update --account-id ${id} --primary-email …`;
  const type = check.contactType ?? 'SECURITY';
  return `Set the ${type} alternate contact of account ${id} to a company address: aws account put-alternate-contact --account-id ${id} --alternate-contact-type ${type} --email-address … --name … --phone-number … --title …`;
}

/** The AWS partition of a Region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws. */
export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * What the machine-readable finding formats (ASFF, OCSF, JUnit) share: one check per account and
 * contact type, its outcome, and the finding codes behind it. Keeping one "check" shape means the
 * three formats agree on which accounts pass and fail, and on the stable identity of each check.
 */
import type { AccountResult, ContactType, Finding, Report } from '../../model.ts';
import { oneLine } from '../../text.ts';
import { contactTypesFor, findingText } from './common.ts';

/** PASSED: nothing to fix (or every finding exempted); FAILED: a finding to fix; WARNING: could not be read; NOT_AVAILABLE: not checked (SKIPPED). */
export type CheckOutcome = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';

/** One account × contact type, the unit every finding format reports. */
export interface ContactCheck {
  account: AccountResult;
  /** `undefined` for an account with no contact type to show (a SKIPPED account with no reads). */
  contactType: ContactType | undefined;
  outcome: CheckOutcome;
  /** Findings of this contact type, exempted ones included. */
  findings: Finding[];
  /** Codes of the findings that decide the outcome (exempted ones left out), de-duplicated, in report order. */
  codes: string[];
}

function outcomeOf(account: AccountResult, findings: readonly Finding[]): CheckOutcome {
  if (account.status === 'SKIPPED') return 'NOT_AVAILABLE';
  const open = findings.filter((f) => f.exemption === undefined);
  if (open.some((f) => f.code !== 'CHECK_FAILED')) return 'FAILED';
  if (findings.some((f) => f.code === 'CHECK_FAILED')) return 'WARNING';
  return 'PASSED';
}

/** Every check of the report, account by account in report order, contact types in canonical order. */
export function contactChecks(report: Report): ContactCheck[] {
  const checks: ContactCheck[] = [];
  for (const account of report.accounts) {
    const types = contactTypesFor(report, account);
    const list: (ContactType | undefined)[] = types.length > 0 ? types : [undefined];
    for (const contactType of list) {
      const findings = account.findings.filter((f) => f.contactType === contactType);
      const codes = [...new Set(findings.filter((f) => f.exemption === undefined || f.code === 'CHECK_FAILED').map((f) => f.code))];
      checks.push({ account, contactType, outcome: outcomeOf(account, findings), findings, codes });
    }
  }
  return checks;
}

/** Text safe for a machine format: one line, no controls, at most `max` characters (cut with `…`). */
export function clip(text: string, max: number): string {
  const line = oneLine(text).trim();
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/** "BILLING MISSING_CONTACT: …; …" or a sentence for a passing check. */
export function checkDescription(check: ContactCheck): string {
  const what = check.contactType ?? 'contacts';
  if (check.outcome === 'NOT_AVAILABLE') return `Account ${check.account.accountId} is ${check.account.state}: its ${what} contact was not checked.`;
  if (check.findings.length === 0) return `The ${what} alternate contact of account ${check.account.accountId} meets the policy.`;
  return check.findings.map((f) => `${f.code}: ${findingText(f)}`).join('; ');
}

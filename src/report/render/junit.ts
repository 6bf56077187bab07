/**
 * The report as JUnit XML, for CI gates that read test results (GitHub Actions, GitLab, Jenkins):
 * one `<testsuite>` per account, one `<testcase>` per subject (alternate contact type, PRIMARY,
 * ROOT_EMAIL), in the shape of the Jenkins xUnit `junit-10.xsd`. A failing check is a
 * `<failure>` whose `type` is its finding codes; a contact that could not be read is an `<error>`;
 * a SKIPPED account's cases are `<skipped>`. An exempted finding passes, with the exemption in
 * `<system-out>`. Everything is XML-escaped and stripped of characters XML 1.0 forbids.
 */
import type { Report } from '../../model.ts';
import { findingText, noteText } from './common.ts';
import { contactChecks, type ContactCheck } from './findingsOut.ts';
import { oneLine } from '../../textHygiene.ts';

// XML 1.0 allows TAB, LF, CR and U+0020 and up, minus surrogates and U+FFFE/U+FFFF. oneLine (the shared
// policy, src/textHygiene.ts) already removes every C0 control and lone surrogate; XML adds only these two.
const XML_FORBIDDEN = /[\uFFFE\uFFFF]/g;

/** Text safe in XML content and double- or single-quoted attributes. */
function escapeXml(text: string): string {
  return oneLine(text)
    .replace(XML_FORBIDDEN, '')
    .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] as string);
}

const x = escapeXml;

function testcase(check: ContactCheck): string {
  const a = check.account;
  const name = check.contactType ?? 'contacts';
  const open = `    <testcase classname="${x(`contact-auditor.${a.accountId}`)}" name="${x(name)}" time="0">`;
  const exempted = check.findings.filter((f) => f.exemption !== undefined && f.code !== 'CHECK_FAILED');
  // Exempted findings and notes (never a failure) are told in <system-out>.
  const told = [...exempted.map((f) => `${f.code}: ${findingText(f)}`), ...check.notes.map(noteText)];
  const out = told.length > 0 ? `\n      <system-out>${x(told.join('; '))}</system-out>` : '';
  switch (check.outcome) {
    case 'FAILED': {
      const failing = check.findings.filter((f) => f.exemption === undefined && f.code !== 'CHECK_FAILED');
      const text = failing.map((f) => `${f.code}: ${findingText(f)}`).join('; ');
      return `${open}\n      <failure type="${x(check.codes.join(','))}" message="${x(failing.map((f) => f.code).join(', '))}">${x(text)}</failure>${out}\n    </testcase>`;
    }
    case 'WARNING': {
      const failed = check.findings.filter((f) => f.code === 'CHECK_FAILED');
      return `${open}\n      <error type="CHECK_FAILED" message="${x(failed.map((f) => f.errorCode ?? 'CHECK_FAILED').join(', '))}">${x(failed.map(findingText).join('; '))}</error>${out}\n    </testcase>`;
    }
    case 'NOT_AVAILABLE':
      return `${open}\n      <skipped message="${x(`account is ${a.state}`)}"/>\n    </testcase>`;
    default:
      return out ? `${open}${out}\n    </testcase>` : `${open}</testcase>`;
  }
}

/** JUnit XML: `<testsuites>` with one `<testsuite>` per account. */
export function renderJunit(report: Report): string {
  const byAccount = new Map<string, ContactCheck[]>();
  for (const check of contactChecks(report)) {
    const list = byAccount.get(check.account.accountId) ?? [];
    list.push(check);
    byAccount.set(check.account.accountId, list);
  }
  const count = (checks: ContactCheck[], outcome: ContactCheck['outcome']) => checks.filter((c) => c.outcome === outcome).length;
  const all = [...byAccount.values()].flat();
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // junit-10.xsd (Jenkins xUnit) allows name, time, tests, failures and errors on <testsuites>, no `skipped`.
    `<testsuites name="${x(`contact-auditor ${report.runId}`)}" tests="${all.length}" failures="${count(all, 'FAILED')}" errors="${count(all, 'WARNING')}" time="0">`,
  ];
  for (const checks of byAccount.values()) {
    const a = checks[0]!.account;
    lines.push(
      `  <testsuite name="${x(`${a.accountId} ${a.name}`)}" tests="${checks.length}" failures="${count(checks, 'FAILED')}" errors="${count(checks, 'WARNING')}" skipped="${count(checks, 'NOT_AVAILABLE')}" time="0" timestamp="${x(report.startedAt.replace(/Z$/, ''))}">`,
      `    <properties><property name="status" value="${x(a.status)}"/><property name="state" value="${x(a.state)}"/></properties>`,
      ...checks.map(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
